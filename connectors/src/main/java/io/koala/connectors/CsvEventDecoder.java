package io.koala.connectors;

import io.koala.connectors.Reject.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decodes one CSV data line (docs/streaming.md, "Input"): the header names the columns; one is the
 * label (empty: a prediction request), one may be the model key, {@code ts} and {@code id} are
 * optional ({@code id} only names a prediction request), and every other column is a feature, in
 * header order. Quoting follows RFC 4180 ("" inside quotes). Numbers are plain decimals: NaN,
 * Infinity and hexadecimal are rejected.
 *
 * <p>With a sparse column the example is sparse instead: that one column holds its non-zeros as
 * space-separated {@code index:value} pairs (0-based, as the JSON explicit form) or {@code
 * name:value} pairs (hashed as JSON named features), and the header has no other feature column.
 *
 * <pre>{@code
 * var csv = new CsvEventDecoder(limits, List.of("key", "temp", "wind", "label"), "label", "key", ',');
 * Decoded d = csv.decode("sensor-1,21.5,3,1".getBytes(UTF_8), "weather.csv:2", null);
 * var words = new CsvEventDecoder(limits, List.of("key", "words", "label"), "label", "key", "words", ',');
 * Decoded e = words.decode("mail,offer:1 free:2 17:0.5,1".getBytes(UTF_8), "mail.csv:2", null);
 * }</pre>
 */
public final class CsvEventDecoder implements RecordDecoder {

  private static final long serialVersionUID = 1L;
  private static final Pattern DECIMAL =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern INDEX = Pattern.compile("[+-]?\\d+");

  private final DecoderLimits limits;
  private final List<String> columns;
  private final int label;
  private final int key;
  private final int ts;
  private final int id;
  private final int[] features;
  private final int sparse;
  private final char delimiter;

  /**
   * @param columns the header's column names
   * @param labelColumn the label's column
   * @param keyColumn the key's column, or null
   * @throws IllegalArgumentException when the columns do not fit the model (the key is named)
   */
  public CsvEventDecoder(
      DecoderLimits limits,
      List<String> columns,
      String labelColumn,
      String keyColumn,
      char delimiter) {
    this(limits, columns, labelColumn, keyColumn, null, delimiter);
  }

  /**
   * @param columns the header's column names
   * @param labelColumn the label's column
   * @param keyColumn the key's column, or null
   * @param sparseColumn the column of the example's sparse pairs, or null (one column per feature)
   * @throws IllegalArgumentException when the columns do not fit the model (the column is named)
   */
  public CsvEventDecoder(
      DecoderLimits limits,
      List<String> columns,
      String labelColumn,
      String keyColumn,
      String sparseColumn,
      char delimiter) {
    this.limits = limits;
    this.columns = List.copyOf(columns);
    this.delimiter = delimiter;
    this.label = columns.indexOf(labelColumn);
    if (label < 0) {
      throw new IllegalArgumentException(
          "the label column " + labelColumn + " is not a column of " + columns);
    }
    this.key = keyColumn == null ? -1 : columns.indexOf(keyColumn);
    if (keyColumn != null && key < 0) {
      throw new IllegalArgumentException(
          "the key column " + keyColumn + " is not a column of " + columns);
    }
    this.ts = columns.indexOf("ts");
    this.id = columns.indexOf("id");
    this.sparse = sparseColumn == null ? -1 : columns.indexOf(sparseColumn);
    if (sparseColumn != null) {
      if (sparse < 0) {
        throw new IllegalArgumentException(
            "the sparse column " + sparseColumn + " is not a column of " + columns);
      }
      if (sparse == label || sparse == key || sparse == ts || sparse == id) {
        throw new IllegalArgumentException(
            "the sparse column " + sparseColumn + " is also the label, key, ts or id column");
      }
    }
    List<Integer> f = new ArrayList<>();
    for (int c = 0; c < columns.size(); c++) {
      if (c != label && c != key && c != ts && c != id) {
        f.add(c);
      }
    }
    if (sparse >= 0) {
      f.remove(Integer.valueOf(sparse));
      if (!f.isEmpty()) {
        throw new IllegalArgumentException(
            "invalid configuration: the CSV header "
                + columns
                + " has the columns "
                + f.stream().map(columns::get).toList()
                + " besides the label, the key, ts, id and the sparse column "
                + sparseColumn
                + "; with a sparse column every feature is in it");
      }
    } else if (f.size() != limits.features()) {
      throw new IllegalArgumentException(
          "invalid configuration: the CSV header "
              + columns
              + " has "
              + f.size()
              + " feature columns, the model has "
              + limits.features());
    }
    this.features = f.stream().mapToInt(Integer::intValue).toArray();
  }

  /** Splits a header line the same way as data lines. */
  public static List<String> header(String line, char delimiter) {
    try {
      return split(line, delimiter);
    } catch (Rejection e) {
      throw new IllegalArgumentException("invalid CSV header: " + e.getMessage());
    }
  }

  @Override
  public DecoderLimits limits() {
    return limits;
  }

  @Override
  public Decoded decode(byte[] payload, String origin, String recordKey) {
    Decoded early =
        Payloads.rejectBeforeParsing(payload, origin, limits, Reason.WRONG_COLUMN_COUNT);
    if (early != null) {
      return early;
    }
    String line = Payloads.utf8(payload);
    if (line == null) {
      return Decoded.rejected(Reason.INVALID_UTF8, "record is not valid UTF-8", payload, origin);
    }
    try {
      List<String> fields = split(line, delimiter);
      if (fields.size() != columns.size()) {
        throw new Rejection(
            Reason.WRONG_COLUMN_COUNT,
            "record has " + fields.size() + " fields, the header " + columns.size());
      }
      Example sparseRow = sparse >= 0 ? sparse(fields.get(sparse), columns.get(sparse)) : null;
      double[] x = new double[features.length];
      for (int j = 0; j < features.length; j++) {
        x[j] = number(fields.get(features[j]), columns.get(features[j]));
      }
      String labelText = fields.get(label);
      double y =
          labelText.isEmpty()
              ? Double.NaN
              : DECIMAL.matcher(labelText).matches()
                  ? Labels.number(Double.parseDouble(labelText), limits)
                  : Labels.name(labelText, limits);
      String k =
          key >= 0 && !fields.get(key).isEmpty()
              ? fields.get(key)
              : recordKey != null && !recordKey.isEmpty() ? recordKey : limits.defaultKey();
      if (k == null) {
        throw new Rejection(
            Reason.MISSING_KEY, "the record names no key and no default key is set");
      }
      Payloads.checkKey(k, limits);
      long t = TrainingEvent.NO_TIMESTAMP;
      if (ts >= 0 && !fields.get(ts).isEmpty()) {
        try {
          t = Long.parseLong(fields.get(ts));
        } catch (NumberFormatException e) {
          t = -1;
        }
        if (t < 0) {
          throw new Rejection(
              Reason.INVALID_TIMESTAMP,
              "ts must be epoch milliseconds, was " + Labels.abbreviate(fields.get(ts)));
        }
      }
      String identifier = id >= 0 && !fields.get(id).isEmpty() ? fields.get(id) : null;
      if (sparseRow != null) {
        // As JSON: a request and an example stay sparse.
        return Decoded.of(
            labelText.isEmpty()
                ? TrainingEvent.PredictionRequest.of(k, sparseRow, t, identifier, origin)
                : new TrainingEvent.Labelled(
                    k, Example.sparse(sparseRow.indices(), sparseRow.features(), y), t, origin));
      }
      return Decoded.of(
          labelText.isEmpty()
              ? new TrainingEvent.PredictionRequest(k, x, t, identifier, origin)
              : new TrainingEvent.Labelled(k, new Example(x, y), t, origin));
    } catch (Rejection r) {
      return Decoded.rejected(r.reason, r.getMessage(), payload, origin);
    }
  }

  /**
   * The sparse row of a sparse cell (docs/streaming.md, "CSV"), labelled NaN: pairs separated by
   * spaces or tabs, each {@code index:value} (an integer index in [0, d), each once) or {@code
   * name:value} (a name that is no integer, hashed as a JSON named feature, each once). The name is
   * what comes before the first colon. An empty cell names no feature: the all-zero example.
   */
  private Example sparse(String cell, String column) throws Rejection {
    int d = limits.features();
    int n = 0;
    for (int i = 0; i < cell.length(); i++) {
      if (!blank(cell.charAt(i)) && (i == 0 || blank(cell.charAt(i - 1)))) {
        n++;
      }
    }
    if (n > limits.maxFeatures()) {
      throw new Rejection(
          Reason.TOO_MANY_FEATURES,
          column
              + " has "
              + n
              + " pairs, more than the limit of named features, "
              + limits.maxFeatures());
    }
    int[] index = new int[n];
    double[] value = new double[n];
    boolean[] explicit = new boolean[n];
    Map<String, Integer> names = null;
    int end = 0;
    for (int k = 0; k < n; k++) {
      int start = end;
      while (blank(cell.charAt(start))) {
        start++;
      }
      end = start;
      while (end < cell.length() && !blank(cell.charAt(end))) {
        end++;
      }
      String pair = cell.substring(start, end);
      String where = column + " pair " + (k + 1) + " \"" + Labels.abbreviate(pair) + "\"";
      int colon = pair.indexOf(':');
      if (colon <= 0) {
        throw new Rejection(
            Reason.WRONG_TYPE, where + " must be index:value or name:value (a value is required)");
      }
      String name = pair.substring(0, colon);
      double v = number(pair.substring(colon + 1), where + ": the value");
      if (INDEX.matcher(name).matches()) {
        long i;
        try {
          i = Long.parseLong(name);
        } catch (NumberFormatException e) {
          i = -1; // beyond a long: out of range
        }
        if (i < 0 || i >= d) {
          throw new Rejection(
              Reason.INVALID_SPARSE_INDEX,
              where
                  + ": the index must be an integer in [0, "
                  + d
                  + "), was "
                  + Labels.abbreviate(name));
        }
        index[k] = (int) i;
        value[k] = v;
        explicit[k] = true;
      } else {
        if (names == null) {
          names = new HashMap<>();
        }
        Integer before = names.putIfAbsent(name, k);
        if (before != null) {
          throw new Rejection(
              Reason.DUPLICATE_FIELD,
              where + " names " + Labels.abbreviate(name) + " again (pair " + (before + 1) + ")");
        }
        index[k] = FeatureHashing.index(name, d);
        value[k] = FeatureHashing.sign(name) * v;
      }
    }
    return SparseRows.merge(index, value, explicit, Double.NaN, column + " ");
  }

  private static boolean blank(char c) {
    return c == ' ' || c == '\t';
  }

  private static double number(String text, String column) throws Rejection {
    if (!DECIMAL.matcher(text).matches()) {
      throw new Rejection(
          Reason.WRONG_TYPE,
          column + " must be a decimal number, was \"" + Labels.abbreviate(text) + "\"");
    }
    double value = Double.parseDouble(text);
    if (!Double.isFinite(value)) {
      throw new Rejection(Reason.NON_FINITE_NUMBER, column + " does not fit a finite double");
    }
    return value;
  }

  /** RFC 4180 fields of one line (a trailing carriage return is dropped). */
  static List<String> split(String line, char delimiter) throws Rejection {
    String s = line.endsWith("\r") ? line.substring(0, line.length() - 1) : line;
    List<String> fields = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < s.length() && s.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          field.append(c);
        }
      } else if (c == '"' && field.length() == 0 && !wasQuoted) {
        quoted = true;
        wasQuoted = true;
      } else if (c == delimiter) {
        fields.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (wasQuoted) {
        throw new Rejection(Reason.WRONG_COLUMN_COUNT, "text after a closing quote");
      } else {
        field.append(c);
      }
    }
    if (quoted) {
      throw new Rejection(Reason.WRONG_COLUMN_COUNT, "unterminated quoted field");
    }
    fields.add(field.toString());
    return fields;
  }
}
