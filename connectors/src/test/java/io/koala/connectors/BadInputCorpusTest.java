package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every file of the bad-input corpus decodes to its expected reject (never an exception). */
class BadInputCorpusTest {

  private static final JsonEventDecoder DECODER = new JsonEventDecoder(BadInputCorpus.limits());

  static Stream<BadInputCorpus.Entry> corpus() throws Exception {
    return BadInputCorpus.entries().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("corpus")
  void corpusFile_isRejectedWithItsReason_andKeepsItsPayload(BadInputCorpus.Entry entry) {
    Decoded d = DECODER.decode(entry.payload(), entry.file(), null);
    if (entry.reason().equals("STEP_REFUSED")) {
      assertThat(d.ok()).as("%s decodes (the operator refuses its step)", entry.file()).isTrue();
      return;
    }
    assertThat(d.ok()).as(entry.file()).isFalse();
    assertThat(d.reject().reason().name()).as(entry.file()).isEqualTo(entry.reason());
    assertThat(d.reject().message()).isNotBlank();
    int kept = Math.min(entry.payload().length, 4096);
    assertThat(d.payload())
        .as(entry.file())
        .startsWith(java.util.Arrays.copyOf(entry.payload(), kept));
  }

  @Test
  void corpus_hasAtLeast25Kinds_andEveryFileIsListed() throws Exception {
    List<BadInputCorpus.Entry> entries = BadInputCorpus.entries();
    assertThat(entries).hasSizeGreaterThanOrEqualTo(25);
    try (var files = Files.list(BadInputCorpus.folder())) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".json")))
          .containsExactlyInAnyOrderElementsOf(
              entries.stream().map(BadInputCorpus.Entry::file).toList());
    }
  }
}
