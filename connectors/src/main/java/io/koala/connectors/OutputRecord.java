package io.koala.connectors;

/**
 * One encoded output: its JSON line and the key it is filed under (the model key; null for dead
 * letters, which belong to no model).
 *
 * @param key the record key (Kafka) or null
 * @param json the JSON object, one line
 */
public record OutputRecord(String key, String json) {}
