package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JobConfigTest {

  @Test
  void yamlFile_nestedAndDotted_thenArgumentsOnTop(@TempDir Path dir) throws Exception {
    Path yaml = Files.writeString(dir.resolve("koala.yaml"), """
        koala:
          model:
            type: softmax
            features: 8
            classes: 3
            class-names: [red, green, blue]
          optimizer: koala-pp
        koala.batch.size: 16
        parallelism.default: 3
        """);
    Configuration conf = ConfigLoader.load(yaml, List.of("--koala.batch.size", "64"));
    JobConfig config = JobConfig.of(conf);
    assertThat(config.batchSize()).isEqualTo(64);
    assertThat(config.get(KoalaOptions.MODEL_TYPE)).isEqualTo(KoalaOptions.ModelType.SOFTMAX);
    assertThat(config.get(KoalaOptions.OPTIMIZER)).isEqualTo(KoalaOptions.OptimizerName.KOALA_PP);
    assertThat(config.decoderLimits().classNames()).containsExactly("red", "green", "blue");
    assertThat(config.trainer().model().parameterCount()).isEqualTo(3 * 8 + 3);
    assertThat(conf.getString("parallelism.default", "")).isEqualTo("3");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
      "koala.batch.size, 0",
      "koala.batch.size, many",
      "koala.snapshot.every-batches, -1",
      "koala.model.features, 0",
      "koala.optimizer, koala-x",
      "koala.model.type, tree",
      "koala.batch.max-delay, 0 ms",
      "koala.optimizer.learning-rate, -1",
      "koala.optimizer.covariance, 0",
      "koala.model.head, hinge",
  })
  void badValue_failsAtStart_namingItsKey(String key, String value) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.features", "4");
    conf.setString("koala.model.type", key.equals("koala.model.head") ? "mlp" : "logistic");
    conf.setString(key, value);
    String expected = key.startsWith("koala.optimizer.") ? "koala.optimizer" : key;
    assertThatThrownBy(() -> JobConfig.of(conf)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void perExampleProcessNoise_addsBTimesQPerStep() {
    JobConfig config = Fixtures.config("koala-v", "koala.optimizer.process-noise", "0.001",
        "koala.optimizer.process-noise.per-example", "true", "koala.optimizer.defaults",
        "reference");
    var optimizer = config.trainer().optimizer();
    var state = config.trainer().initial().optimizer();
    // Zero gradients skip every block, so p after the step is exactly p0 + (step's Q).
    var after = optimizer.step(state, new io.koala.optimizer.Observation(0.5, new double[8],
        new double[4])).state();
    assertThat(optimizer.covariance(after)).isEqualTo(0.1 + 8 * 0.001);
    assertThat(optimizer.processNoise(after)).isEqualTo(0.001);
  }

  @Test
  void streamDefaults_adaptivePerExampleQ_referenceDefaults_thePapers() {
    // Zero gradients skip every block: after one step p is exactly p0 + the step's Q.
    var zero = new io.koala.optimizer.Observation(0.5, new double[8], new double[4]);
    var stream = Fixtures.config("koala-v").trainer().optimizer();
    var afterStream = stream.step(Fixtures.config("koala-v").trainer().initial().optimizer(), zero)
        .state();
    assertThat(stream.covariance(afterStream)).isEqualTo(1.0 + 8 * 0.0003);
    assertThat(((io.koala.optimizer.KoalaV) (Object) stream).config().processNoise())
        .isEqualTo(io.koala.noise.ProcessNoise.adaptive(0.0003).withPerExample(true));

    JobConfig reference = Fixtures.config("koala-v", "koala.optimizer.defaults", "reference");
    var ref = reference.trainer().optimizer();
    var afterRef = ref.step(reference.trainer().initial().optimizer(), zero).state();
    assertThat(ref.covariance(afterRef)).isEqualTo(0.1 + 1.0);
    assertThat(((io.koala.optimizer.KoalaV) (Object) ref).config().processNoise())
        .isEqualTo(io.koala.noise.ProcessNoise.constant(1.0));

    // A key set by the user wins over either set of defaults.
    var constant = (io.koala.optimizer.KoalaV) (Object) Fixtures.config("koala-v",
        "koala.optimizer.process-noise.adaptive", "false").trainer().optimizer();
    assertThat(constant.config().processNoise().adaptive()).isFalse();
    assertThat(constant.config().processNoise().perExample()).isTrue();
  }

  @Test
  void missingFeatures_isNamed() {
    assertThatThrownBy(() -> JobConfig.of(new Configuration()))
        .hasMessageContaining("koala.model.features");
  }

  @Test
  void everyOptimizer_buildsWithItsDefaults() {
    for (String name : new String[] {"koala-v", "koala-m", "koala-pp", "sgd", "adam"}) {
      JobConfig config = Fixtures.config(name);
      assertThat(config.trainer().optimizer().name()).isEqualTo(name);
      assertThat(config.stateSerializer()).isNotNull();
    }
  }
}
