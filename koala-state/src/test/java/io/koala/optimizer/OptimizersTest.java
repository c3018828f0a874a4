package io.koala.optimizer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The factory builds what the job's configuration built before the presets existed: the expected
 * configs below are that code's literal numbers, so a changed default fails here.
 */
class OptimizersTest {

  private static final BlockLayout LAYOUT = BlockLayout.ofSizes(3, 2);

  /** Overrides the job may pass, one or several at a time (none first). */
  private static final List<OptimizerSpec> SPECS =
      List.of(
          OptimizerSpec.of(LAYOUT),
          OptimizerSpec.of(LAYOUT).withLearningRate(0.5),
          OptimizerSpec.of(LAYOUT).withCovariance(0.7),
          OptimizerSpec.of(LAYOUT).withProcessNoise(0.02),
          OptimizerSpec.of(LAYOUT).withAdaptive(false),
          OptimizerSpec.of(LAYOUT).withAdaptive(true).withPerExample(false),
          OptimizerSpec.of(LAYOUT).withPerExample(true),
          OptimizerSpec.of(LAYOUT)
              .withProcessNoise(0.02)
              .withAdaptive(true)
              .withProcessNoiseBounds(0.001, 5.0),
          OptimizerSpec.of(LAYOUT).withAdaptive(true).withProcessNoiseBounds(null, 50.0),
          OptimizerSpec.of(LAYOUT).withMeasurementNoise(0.25),
          OptimizerSpec.of(LAYOUT).withMeasurementNoiseBeta(0.5),
          OptimizerSpec.of(LAYOUT).withMeasurementNoise(0.25).withMeasurementNoiseBeta(0.5),
          OptimizerSpec.of(LAYOUT).withWeightDecay(0.01),
          OptimizerSpec.of(LAYOUT).withMomentum(0.5),
          OptimizerSpec.of(LAYOUT).withSymmetric(false),
          OptimizerSpec.of(LAYOUT)
              .withLearningRate(0.2)
              .withCovariance(0.3)
              .withMomentum(0.0)
              .withWeightDecay(0.1)
              .withSymmetric(false));

  @ParameterizedTest
  @EnumSource(
      value = Preset.class,
      names = {"STREAM", "REFERENCE"})
  void create_everyKindAndOverride_buildsTheJobConfigsOfBefore(Preset preset) {
    for (OptimizerKind kind : OptimizerKind.values()) {
      for (OptimizerSpec spec : SPECS) {
        Object expected = before(kind, preset == Preset.STREAM, spec);
        Optimizer<?> built = Optimizers.create(kind, preset, spec);
        assertThat(config(built)).as("%s %s %s", kind, preset, spec).isEqualTo(expected);
        assertThat(built.name()).isEqualTo(kind.optimizerName());
      }
    }
  }

  @Test
  void stream_defaults_areTheLiteralNumbers() {
    KoalaVConfig v = KoalaVConfig.stream(LAYOUT);
    assertThat(v.initialCovariance()).isEqualTo(1.0);
    assertThat(v.processNoise().base()).isEqualTo(0.0003);
    assertThat(v.processNoise().adaptive()).isTrue();
    assertThat(v.processNoise().perExample()).isTrue();
    assertThat(v.processNoise().min()).isEqualTo(1e-8);
    assertThat(v.processNoise().max()).isEqualTo(1e4);
    assertThat(KoalaMConfig.stream(LAYOUT).driftNoise().base()).isEqualTo(0.0003);
    KoalaPlusPlusConfig pp = KoalaPlusPlusConfig.stream(LAYOUT);
    assertThat(pp.processNoise().base()).isEqualTo(0.003);
    assertThat(pp.resetGuard()).isTrue();
    assertThat(KoalaPlusPlusConfig.reference(LAYOUT).resetGuard()).isFalse();
    assertThat(Sgd.Config.defaults(LAYOUT)).isEqualTo(new Sgd.Config(LAYOUT, 0.01, 0.9, 0.0));
    assertThat(Adam.Config.defaults(LAYOUT))
        .isEqualTo(new Adam.Config(LAYOUT, 0.001, 0.9, 0.999, 1e-8, 0.0));
  }

  @Test
  void create_invalidValue_throwsNamingIt() {
    assertThatThrownBy(
            () ->
                Optimizers.create(
                    OptimizerKind.KOALA_V,
                    Preset.STREAM,
                    OptimizerSpec.of(LAYOUT).withCovariance(0.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("covariance");
    // R is checked whichever optimizer runs, as before.
    assertThatThrownBy(
            () ->
                Optimizers.create(
                    OptimizerKind.SGD,
                    Preset.STREAM,
                    OptimizerSpec.of(LAYOUT).withMeasurementNoiseBeta(1.5)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("beta");
  }

  private static Object config(Optimizer<?> optimizer) {
    if (optimizer instanceof KoalaV v) {
      return v.config();
    } else if (optimizer instanceof KoalaM m) {
      return m.config();
    } else if (optimizer instanceof KoalaPlusPlus pp) {
      return pp.config();
    } else if (optimizer instanceof Sgd sgd) {
      return sgd.config();
    }
    return ((Adam) optimizer).config();
  }

  // The job's optimizer construction before the presets, with its literal numbers; an absent
  // value is an unset key (the keys' own defaults were β_R 0.9, λ 0 and symmetric).

  private static Object before(OptimizerKind kind, boolean stream, OptimizerSpec o) {
    BlockLayout layout = o.layout();
    double decay = or(o.weightDecay(), 0.0);
    Double fixedR = o.measurementNoise();
    MeasurementNoise r =
        fixedR != null
            ? MeasurementNoise.fixed(fixedR)
            : new MeasurementNoise(
                MeasurementNoise.Kind.EMA,
                or(o.measurementNoiseBeta(), 0.9),
                1.0,
                MeasurementNoise.Sample.MEAN_SQUARED_LOSS);
    Target target = Target.reference(or(o.learningRate(), 1.0));
    return switch (kind) {
      case KOALA_V ->
          new KoalaVConfig(
              layout,
              or(o.covariance(), stream ? 1.0 : 0.1),
              processNoise(o, stream, stream ? 0.0003 : 1.0),
              r,
              target,
              decay,
              Direction.RAW_GRADIENT,
              1e-9);
      case KOALA_M ->
          new KoalaMConfig(
              layout,
              or(o.covariance(), 0.1),
              0.0,
              0.1,
              or(o.momentum(), 0.9),
              0.01,
              0.01,
              0.9,
              0.9,
              processNoise(o, stream, stream ? 0.0003 : 0.0),
              r,
              target,
              decay,
              1e-9);
      case KOALA_PP ->
          new KoalaPlusPlusConfig(
              layout,
              or(o.covariance(), 0.1),
              processNoise(o, stream, stream ? 0.003 : 0.1),
              r,
              target,
              decay,
              o.symmetric() == null || o.symmetric(),
              KoalaPlusPlusConfig.Initialisation.REFERENCE,
              1e-9,
              stream);
      case SGD -> new Sgd.Config(layout, or(o.learningRate(), 0.01), or(o.momentum(), 0.9), decay);
      case ADAM -> new Adam.Config(layout, or(o.learningRate(), 0.001), 0.9, 0.999, 1e-8, decay);
    };
  }

  private static ProcessNoise processNoise(OptimizerSpec o, boolean stream, double fallback) {
    double base = or(o.processNoise(), fallback);
    boolean perExample = o.perExample() == null ? stream : o.perExample();
    if (!(o.adaptive() == null ? stream : o.adaptive())) {
      return ProcessNoise.constant(base).withPerExample(perExample);
    }
    ProcessNoise adaptive = ProcessNoise.adaptive(base).withPerExample(perExample);
    return adaptive.withBounds(
        or(o.processNoiseMin(), adaptive.min()), or(o.processNoiseMax(), adaptive.max()));
  }

  private static double or(Double value, double fallback) {
    return value == null ? fallback : value;
  }
}
