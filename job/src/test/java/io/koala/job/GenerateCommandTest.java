package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The committed stream samples are exactly what the documented command regenerates. */
class GenerateCommandTest {

  @ParameterizedTest
  @ValueSource(strings = {"sea", "hyperplane", "regression", "multiclass", "multikey"})
  void committedSample_isReproducedByteForByte(String stream, @TempDir Path dir) throws Exception {
    Path sample = Path.of("..", "test-data", "streams", stream + ".jsonl");
    Path fresh = dir.resolve(stream + ".jsonl");
    int code = KoalaCommand.run(new String[] {"generate", stream, "--out", fresh.toString(),
        "--events", "10000", "--seed", "1"}, new PrintStream(new ByteArrayOutputStream()),
        new PrintStream(new ByteArrayOutputStream()));
    assertThat(code).isZero();
    assertThat(Files.mismatch(sample, fresh)).as(stream).isEqualTo(-1L);
  }
}
