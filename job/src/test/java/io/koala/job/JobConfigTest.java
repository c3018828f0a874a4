package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.job.cli.KoalaCommand;
import io.koala.model.MlpModel;
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
    Path yaml =
        Files.writeString(
            dir.resolve("koala.yaml"),
            """
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
    assertThat(config.get(KoalaOptions.MODEL_TYPE)).isEqualTo(KoalaChoices.ModelType.SOFTMAX);
    assertThat(config.get(KoalaOptions.OPTIMIZER))
        .isEqualTo(io.koala.optimizer.OptimizerKind.KOALA_PP);
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
    assertThatThrownBy(() -> JobConfig.of(conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(expected);
  }

  @Test
  void perExampleProcessNoise_addsBTimesQPerStep() {
    JobConfig config =
        Fixtures.config(
            "koala-v",
            "koala.optimizer.process-noise",
            "0.001",
            "koala.optimizer.process-noise.per-example",
            "true",
            "koala.optimizer.defaults",
            "reference");
    var optimizer = config.trainer().optimizer();
    var state = config.trainer().initial().optimizer();
    // Zero gradients skip every block, so p after the step is exactly p0 + (step's Q).
    var after =
        optimizer
            .step(state, new io.koala.optimizer.Observation(0.5, new double[8], new double[4]))
            .state();
    assertThat(optimizer.covariance(after)).isEqualTo(0.1 + 8 * 0.001);
    assertThat(optimizer.processNoise(after)).isEqualTo(0.001);
  }

  @Test
  void lazy_makesSgdAndAdamStepSparse_andIsOffUnlessSet() {
    for (String name : new String[] {"sgd", "adam"}) {
      var lazy = Fixtures.config(name, "koala.optimizer.lazy", "true").trainer().optimizer();
      assertThat(lazy.stepsSparse()).as(name).isTrue();
      assertThat(lazy.sparseStepIsDenseStep()).as(name).isFalse();
      assertThat(Fixtures.config(name).trainer().optimizer().stepsSparse()).as(name).isFalse();
    }
  }

  @Test
  void streamDefaults_adaptivePerExampleQ_referenceDefaults_thePapers() {
    // Zero gradients skip every block: after one step p is exactly p0 + the step's Q.
    var zero = new io.koala.optimizer.Observation(0.5, new double[8], new double[4]);
    // The default is the auto race; stream is still there by name.
    assertThat((Object) Fixtures.config("koala-v").trainer().optimizer())
        .isInstanceOf(io.koala.optimizer.ProcessNoiseRace.class);
    JobConfig streamConfig = Fixtures.config("koala-v", "koala.optimizer.defaults", "stream");
    var stream = streamConfig.trainer().optimizer();
    var afterStream = stream.step(streamConfig.trainer().initial().optimizer(), zero).state();
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
    var constant =
        (io.koala.optimizer.KoalaV)
            (Object)
                Fixtures.config("koala-v", "koala.optimizer.process-noise.adaptive", "false")
                    .trainer()
                    .optimizer();
    assertThat(constant.config().processNoise().adaptive()).isFalse();
    assertThat(constant.config().processNoise().perExample()).isTrue();
  }

  @Test
  void missingFeatures_isNamed() {
    assertThatThrownBy(() -> JobConfig.of(new Configuration()))
        .hasMessageContaining("koala.model.features");
  }

  @Test
  void everyOptimizer_buildsWithItsDefaults_andItsStateSerializerCarriesItsState()
      throws Exception {
    for (String name : new String[] {"koala-v", "koala-m", "koala-pp", "sgd", "adam"}) {
      JobConfig config = Fixtures.config(name);
      var trainer = config.trainer();
      assertThat(trainer.optimizer().name()).isEqualTo(name);
      // The serializer must be the one of this optimizer's state: a wrong one fails to write it.
      var serializer = config.stateSerializer();
      var initial = trainer.initial();
      var out = new org.apache.flink.core.memory.DataOutputSerializer(256);
      serializer.serialize(initial, out);
      var copy =
          serializer.deserialize(
              new org.apache.flink.core.memory.DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(copy.optimizer().getClass()).isEqualTo(initial.optimizer().getClass());
      assertThat(copy.optimizer().parameters()).containsExactly(initial.optimizer().parameters());
      assertThat(copy.version()).isEqualTo(initial.version());
    }
  }

  @Test
  void unknownKey_isAnError_suggestingTheNearestKey() {
    Configuration conf = new Configuration();
    conf.setString("koala.model.features", "4");
    conf.setString("koala.batch.szie", "5");
    assertThatThrownBy(() -> JobConfig.of(conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unknown key koala.batch.szie")
        .hasMessageContaining("did you mean koala.batch.size?");
  }

  @Test
  void kafkaClientProperties_andFlinkKeys_passThrough() {
    Configuration conf = kafka();
    conf.setString("koala.kafka.properties.security.protocol", "SASL_SSL");
    conf.setString("parallelism.default", "2");
    assertThat(JobConfig.of(conf).kafkaSettings().clientProperties())
        .containsEntry("security.protocol", "SASL_SSL");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "koala.optimizer, koala-x, 'koala-v, koala-m, koala-pp, sgd, adam'",
    "koala.kafka.starting-offsets, oldest, 'earliest, latest, committed'",
    "koala.kafka.models.delivery, twice, 'exactly-once, at-least-once'",
    "koala.format, xml, 'json, csv'",
    "koala.model.head, hinge, 'squared, logistic, softmax'",
    "koala.model.mlp.backend, gpu, 'auto, loops, nd4j'",
    "koala.source, socket, 'file, kafka'",
  })
  void badChoice_namesTheKeyAndEveryAllowedValue(String key, String value, String allowed) {
    Configuration conf = kafka();
    conf.setString(key, value);
    assertThatThrownBy(() -> JobConfig.of(conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(
            "invalid configuration: " + key + " must be one of " + allowed + "; was " + value);
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource({"auto, true", "nd4j, true", "loops, false"})
  void mlpBackend_reachesTheModel_autoTakesNd4jAboveTheCrossover(String backend, boolean nd4j) {
    Configuration conf = new Configuration();
    conf.setString("koala.model.type", "mlp");
    conf.setString("koala.model.features", "1000");
    conf.setString("koala.model.hidden", "64");
    conf.setString("koala.batch.size", "32");
    conf.setString("koala.model.mlp.backend", backend);
    MlpModel model = (MlpModel) JobConfig.of(conf).model();
    assertThat(model.usesNd4j(32)).isEqualTo(nd4j);
    assertThat(model.usesNd4j(8)).isEqualTo(backend.equals("nd4j"));
  }

  @ParameterizedTest(name = "without {0}")
  @CsvSource({"koala.kafka.bootstrap-servers", "koala.kafka.input-topics"})
  void kafkaSource_isCheckedWhenTheConfigurationIsBuilt(String missing) {
    Configuration conf = kafka();
    conf.removeKey(missing);
    assertThatThrownBy(() -> JobConfig.of(conf))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing);
  }

  @Test
  void kafkaSource_topicsAndPattern_isAnError() {
    Configuration conf = kafka();
    conf.setString("koala.kafka.input-pattern", "events-.*");
    assertThatThrownBy(() -> JobConfig.of(conf))
        .hasMessageContaining("koala.kafka.input-topics and koala.kafka.input-pattern");
  }

  @Test
  void help_listsEveryOptionWithTypeDefaultAndDescription() throws Exception {
    var bytes = new java.io.ByteArrayOutputStream();
    int code =
        KoalaCommand.run(
            new String[] {"train", "--help"},
            new java.io.PrintStream(bytes, true, java.nio.charset.StandardCharsets.UTF_8),
            System.err);
    String help = bytes.toString(java.nio.charset.StandardCharsets.UTF_8);
    assertThat(code).isZero();
    for (OptionCatalog.Entry entry : OptionCatalog.entries()) {
      assertThat(help)
          .contains(
              "  "
                  + entry.option().key()
                  + "  <"
                  + entry.typeName()
                  + ">  default: "
                  + entry.defaultText()
                  + "\n");
      String firstWords =
          entry.description().split(" ", 4).length > 3
              ? String.join(" ", java.util.Arrays.copyOf(entry.description().split(" "), 3))
              : entry.description();
      assertThat(help).contains(firstWords);
    }
    for (var preset : io.koala.optimizer.Preset.values()) {
      for (var kind : io.koala.optimizer.OptimizerKind.values()) {
        assertThat(help).as("the preset section").contains("\n  " + preset + " " + kind + "\n");
      }
    }
    assertThat(help)
        .contains("koala.batch.size  <int>  default: 32")
        .contains("koala.optimizer  <koala-v|koala-m|koala-pp|sgd|adam>  default: koala-v");
  }

  @Test
  void presetSuppliedOptions_sayTheirDefaultComesFromThePreset_andWriteNoNumber() {
    var presetSupplied =
        List.of(
            KoalaOptions.LEARNING_RATE,
            KoalaOptions.INITIAL_COVARIANCE,
            KoalaOptions.PROCESS_NOISE,
            KoalaOptions.PROCESS_NOISE_ADAPTIVE,
            KoalaOptions.PROCESS_NOISE_PER_EXAMPLE,
            KoalaOptions.PROCESS_NOISE_MIN,
            KoalaOptions.PROCESS_NOISE_MAX,
            KoalaOptions.MEASUREMENT_NOISE_BETA,
            KoalaOptions.WEIGHT_DECAY,
            KoalaOptions.MOMENTUM,
            KoalaOptions.SYMMETRIC,
            KoalaOptions.DRIFT_REFERENCE,
            KoalaOptions.DRIFT_THRESHOLD,
            KoalaOptions.DRIFT_WARMUP,
            KoalaOptions.DRIFT_ALARM_BOOST,
            KoalaOptions.DRIFT_FALSE_ALARM_RATE);
    for (var option : presetSupplied) {
      var entry = OptionCatalog.find(option.key()).orElseThrow();
      assertThat(option.hasDefaultValue()).as(option.key()).isFalse();
      assertThat(entry.description())
          .as(option.key())
          .endsWith(KoalaOptions.FROM_PRESET)
          .doesNotContainPattern(
              "(?<![\\p{L}_])[0-9]"); // symbols such as p0 and Q_0 are no numbers
    }
  }

  @Test
  void csvHeaderThatDoesNotFit_namesTheKeys() {
    JobConfig config =
        JobConfig.of(configuration("koala.model.features", "2", "koala.format", "csv"));
    assertThatThrownBy(() -> config.decoder(List.of("a", "b", "y")))
        .hasMessageContaining("invalid configuration: the CSV header does not fit")
        .hasMessageContaining("koala.csv.label-column")
        .hasMessageContaining("the label column");
  }

  @Test
  void csvSparseColumn_buildsASparseDecoder_andAnOtherFeatureColumnIsAnErrorNamingIt() {
    JobConfig config =
        JobConfig.of(
            configuration(
                "koala.model.features", "1024",
                "koala.format", "csv",
                "koala.csv.sparse-column", "words"));
    var decoded =
        config
            .decoder(List.of("key", "words", "label"))
            .decode(
                "k,7:1 offer:2,1".getBytes(java.nio.charset.StandardCharsets.UTF_8), "f:2", null);
    var example = ((io.koala.connectors.TrainingEvent.Labelled) decoded.event()).example();
    assertThat(example.isSparse()).isTrue();
    assertThat(example.indices()).hasSize(2).contains(7);
    assertThatThrownBy(() -> config.decoder(List.of("key", "temp", "words", "label")))
        .hasMessageContaining("invalid configuration: the CSV header does not fit")
        .hasMessageContaining("koala.csv.sparse-column")
        .hasMessageContaining("[temp]");
    assertThatThrownBy(
            () ->
                JobConfig.of(
                    configuration("koala.model.features", "4", "koala.csv.sparse-column", "words")))
        .hasMessageContaining("koala.csv.sparse-column needs koala.format = csv");
  }

  @Test
  void missingInputFile_namesTheKey(@TempDir Path dir) {
    JobConfig config =
        JobConfig.of(
            configuration(
                "koala.model.features",
                "2",
                "koala.file.input",
                dir.resolve("none.jsonl").toString()));
    assertThatThrownBy(config::inputFiles)
        .hasMessageContaining("invalid configuration: koala.file.input")
        .hasMessageContaining("does not exist");
  }

  private static Configuration configuration(String... keysAndValues) {
    Configuration conf = new Configuration();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      conf.setString(keysAndValues[i], keysAndValues[i + 1]);
    }
    return conf;
  }

  @Test
  void driftThreshold_isOne_theStatisticBeingInUnitsOfItsThreshold() {
    assertThat(Fixtures.config("koala-v").driftThreshold()).isEqualTo(1.0);
    for (String optimizer : List.of("koala-v", "koala-m", "koala-pp")) {
      assertThat(Fixtures.config(optimizer, "koala.drift.threshold", "7.5").driftThreshold())
          .as(optimizer)
          .isEqualTo(1.0);
    }
  }

  @Test
  void driftOptions_reachTheTracker() {
    var spec = io.koala.optimizer.OptimizerSpec.of(io.koala.optimizer.BlockLayout.global(1));
    var drift = new io.koala.optimizer.OptimizerSpec.Drift(0.5, 12.0, 640, 20.0, 2.0);
    for (var kind :
        List.of(
            io.koala.optimizer.OptimizerKind.KOALA_V,
            io.koala.optimizer.OptimizerKind.KOALA_M,
            io.koala.optimizer.OptimizerKind.KOALA_PP)) {
      for (var preset : io.koala.optimizer.Preset.values()) {
        var q = io.koala.optimizer.Optimizers.processNoise(kind, preset, spec.withDrift(drift));
        assertThat(q.detector().shift()).as("%s %s", kind, preset).isEqualTo(0.5);
        assertThat(q.detector().threshold()).isEqualTo(12.0);
        assertThat(q.detector().falseAlarmRate()).isEqualTo(2.0);
        assertThat(q.warmupExamples()).isEqualTo(640);
        assertThat(q.alarmBoost()).isEqualTo(20.0);
        var unset = io.koala.optimizer.Optimizers.processNoise(kind, preset, spec);
        var factory = io.koala.noise.ProcessNoise.adaptive(1.0);
        assertThat(unset.detector()).isEqualTo(factory.detector());
        assertThat(unset.warmupExamples()).isEqualTo(factory.warmupExamples());
        assertThat(unset.alarmBoost()).isEqualTo(factory.alarmBoost());
      }
    }
    JobConfig config =
        Fixtures.config(
            "koala-v",
            "koala.drift.reference",
            "0.5",
            "koala.drift.warmup",
            "640",
            "koala.drift.alarm-boost",
            "0");
    // Under the default auto preset they reach every member of the race.
    var race = (io.koala.optimizer.ProcessNoiseRace) (Object) config.trainer().optimizer();
    assertThat(race.level(0).config().toString())
        .contains("shift=0.5")
        .contains("warmupExamples=640")
        .contains("alarmBoost=0.0");
    assertThat(race.level(9).config().toString())
        .contains("shift=0.5")
        .contains("warmupExamples=640")
        .contains("alarmBoost=0.0");
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource({
    "koala.drift.reference, 0, drift.reference",
    "koala.drift.reference, 6, drift.reference",
    "koala.drift.threshold, -1, drift.threshold",
    "koala.drift.warmup, 0, drift.warmup",
    "koala.drift.alarm-boost, -1, drift.alarm-boost",
  })
  void badDriftValue_failsAtStart_namingIt(String key, String value, String named) {
    assertThatThrownBy(() -> Fixtures.config("koala-v", key, value))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(named);
  }

  private static Configuration kafka() {
    Configuration conf = new Configuration();
    conf.setString("koala.model.features", "4");
    conf.setString("koala.model.type", "mlp");
    conf.setString("koala.source", "kafka");
    conf.setString("koala.kafka.bootstrap-servers", "127.0.0.1:9092");
    conf.setString("koala.kafka.input-topics", "events");
    return conf;
  }
}
