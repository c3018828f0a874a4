package io.koala.optimizer;

import io.koala.noise.DriftDetector;
import io.koala.noise.MeasurementNoise;
import io.koala.noise.ProcessNoise;
import io.koala.noise.Target;
import io.koala.state.OptimizerState;

/**
 * Builds every optimizer from a {@link Preset} and an {@link OptimizerSpec} of overrides: the one
 * place the job, the benchmarks and the tests construct optimizers.
 *
 * <pre>{@code
 * Optimizer<OptimizerState> koala = Optimizers.create(OptimizerKind.KOALA_V, Preset.STREAM,
 *     OptimizerSpec.of(model.layerwiseLayout()).withProcessNoise(0.001));
 * }</pre>
 *
 * <p>The defaults live in the configs' presets ({@link KoalaVConfig#stream}, {@link
 * KoalaVConfig#reference}, ..., {@link Sgd.Config#defaults}, {@link
 * Adam.Config#defaults(BlockLayout)}); an override replaces one value. The process noise of the
 * KOALA variants is rebuilt from its base Q_0, adaptivity and unit (each the preset's unless
 * overridden): constant, or adaptive with the engine's defaults and the given bounds.
 */
public final class Optimizers {

  private Optimizers() {}

  /** The optimizer of {@code kind}; throws IllegalArgumentException for an invalid value. */
  @SuppressWarnings("unchecked")
  public static Optimizer<OptimizerState> create(
      OptimizerKind kind, Preset preset, OptimizerSpec spec) {
    Checks.notNull(kind, "optimizer");
    Checks.notNull(preset, "preset");
    Checks.notNull(spec, "spec");
    // R and the target are built, and so checked, whichever optimizer runs: a bad value is a
    // configuration error even where it is not used.
    MeasurementNoise r = measurementNoise(spec);
    Target target = Target.reference(or(spec.learningRate(), PresetDefaults.LEARNING_RATE));
    if (preset == Preset.AUTO && kind.isKoala()) {
      return race(kind, spec);
    }
    Optimizer<?> optimizer =
        switch (kind) {
          case KOALA_V -> new KoalaV(koalaV(preset, spec, r, target));
          case KOALA_M -> new KoalaM(koalaM(preset, spec, r, target));
          case KOALA_PP -> new KoalaPlusPlus(koalaPlusPlus(preset, spec, r, target));
          case SGD -> new Sgd(sgd(spec));
          case ADAM -> new Adam(adam(spec));
        };
    return (Optimizer<OptimizerState>) optimizer;
  }

  private static KoalaVConfig koalaV(
      Preset preset, OptimizerSpec spec, MeasurementNoise r, Target target) {
    KoalaVConfig config =
        switch (preset) {
          case STREAM -> KoalaVConfig.stream(spec.layout());
          case REFERENCE -> KoalaVConfig.reference(spec.layout());
          case AUTO -> KoalaVConfig.auto(spec.layout());
        };
    ProcessNoise q = processNoise(config.processNoise(), spec);
    if (spec.covariance() != null) {
      config = config.withInitialCovariance(spec.covariance());
    }
    config = config.withProcessNoise(q).withMeasurementNoise(r).withTarget(target);
    return spec.weightDecay() == null ? config : config.withWeightDecay(spec.weightDecay());
  }

  /**
   * Whether {@link #create} builds a {@link ProcessNoiseRace} for these (its state is then a {@code
   * RaceState} of the kind's states): the auto preset of a KOALA variant, unless adaptation is off.
   */
  public static boolean isRace(OptimizerKind kind, Preset preset, OptimizerSpec spec) {
    return preset == Preset.AUTO && kind.isKoala() && !Boolean.FALSE.equals(spec.adaptive());
  }

  /**
   * The auto preset: a {@link ProcessNoiseRace} of the kind's auto members (constant Q per example
   * at each level) with the overrides; Q_0 and its bounds set the race's start and range, and
   * adaptive = false keeps a single member at constant Q_0.
   */
  @SuppressWarnings("unchecked")
  private static Optimizer<OptimizerState> race(OptimizerKind kind, OptimizerSpec spec) {
    ProcessNoiseRace.Settings settings = ProcessNoiseRace.Settings.defaults();
    if (spec.processNoise() != null) {
      settings = settings.withInitial(spec.processNoise());
    }
    settings =
        settings.withBounds(
            or(spec.processNoiseMin(), settings.min()), or(spec.processNoiseMax(), settings.max()));
    OptimizerSpec members =
        spec.withAdaptive(false).withPerExample(true).withProcessNoiseBounds(null, null);
    if (Boolean.FALSE.equals(spec.adaptive())) {
      return member(kind, members.withProcessNoise(settings.initial()));
    }
    Optimizer<?> race =
        new ProcessNoiseRace(settings, q -> member(kind, members.withProcessNoise(q)));
    return (Optimizer<OptimizerState>) race;
  }

  /** One member of the auto race (or auto without adaptation): the kind's auto config. */
  @SuppressWarnings("unchecked")
  private static Optimizer<OptimizerState> member(OptimizerKind kind, OptimizerSpec spec) {
    MeasurementNoise r = measurementNoise(spec);
    Target target = Target.reference(or(spec.learningRate(), PresetDefaults.LEARNING_RATE));
    Optimizer<?> optimizer =
        switch (kind) {
          case KOALA_V -> new KoalaV(koalaV(Preset.AUTO, spec, r, target));
          case KOALA_M -> new KoalaM(koalaM(Preset.AUTO, spec, r, target));
          case KOALA_PP -> new KoalaPlusPlus(koalaPlusPlus(Preset.AUTO, spec, r, target));
          default -> throw new IllegalArgumentException("no auto race for " + kind);
        };
    return (Optimizer<OptimizerState>) optimizer;
  }

  private static KoalaMConfig koalaM(
      Preset preset, OptimizerSpec spec, MeasurementNoise r, Target target) {
    KoalaMConfig config =
        switch (preset) {
          case STREAM -> KoalaMConfig.stream(spec.layout());
          case REFERENCE -> KoalaMConfig.reference(spec.layout());
          case AUTO -> KoalaMConfig.auto(spec.layout());
        };
    ProcessNoise q = processNoise(config.driftNoise(), spec);
    if (spec.covariance() != null) {
      config = config.withInitialCovariance(spec.covariance());
    }
    if (spec.momentum() != null) {
      config = config.withMomentum(spec.momentum());
    }
    config = config.withDriftNoise(q).withMeasurementNoise(r).withTarget(target);
    return spec.weightDecay() == null ? config : config.withWeightDecay(spec.weightDecay());
  }

  private static KoalaPlusPlusConfig koalaPlusPlus(
      Preset preset, OptimizerSpec spec, MeasurementNoise r, Target target) {
    KoalaPlusPlusConfig config =
        switch (preset) {
          case STREAM -> KoalaPlusPlusConfig.stream(spec.layout());
          case REFERENCE -> KoalaPlusPlusConfig.reference(spec.layout());
          case AUTO -> KoalaPlusPlusConfig.auto(spec.layout());
        };
    ProcessNoise q = processNoise(config.processNoise(), spec);
    if (spec.covariance() != null) {
      config = config.withInitialCovariance(spec.covariance());
    }
    config = config.withProcessNoise(q).withMeasurementNoise(r).withTarget(target);
    if (spec.weightDecay() != null) {
      config = config.withWeightDecay(spec.weightDecay());
    }
    return spec.symmetric() == null ? config : config.withSymmetric(spec.symmetric());
  }

  private static Sgd.Config sgd(OptimizerSpec spec) {
    Sgd.Config config = Sgd.Config.defaults(spec.layout());
    if (spec.learningRate() != null) {
      config = config.withLearningRate(spec.learningRate());
    }
    if (spec.momentum() != null) {
      config = config.withMomentum(spec.momentum());
    }
    if (spec.lazy() != null) {
      config = config.withLazy(spec.lazy());
    }
    return spec.weightDecay() == null ? config : config.withWeightDecay(spec.weightDecay());
  }

  private static Adam.Config adam(OptimizerSpec spec) {
    Adam.Config config = Adam.Config.defaults(spec.layout());
    if (spec.learningRate() != null) {
      config = config.withLearningRate(spec.learningRate());
    }
    if (spec.lazy() != null) {
      config = config.withLazy(spec.lazy());
    }
    return spec.weightDecay() == null ? config : config.withWeightDecay(spec.weightDecay());
  }

  /** A fixed R when one is given, else the preset's estimated R_k with β_R overridden. */
  private static MeasurementNoise measurementNoise(OptimizerSpec spec) {
    if (spec.measurementNoise() != null) {
      return MeasurementNoise.fixed(spec.measurementNoise());
    }
    MeasurementNoise estimated = PresetDefaults.measurementNoise();
    return spec.measurementNoiseBeta() == null
        ? estimated
        : estimated.withBeta(spec.measurementNoiseBeta());
  }

  /**
   * The drift tracker (and process noise) a KOALA optimizer of {@code kind} gets from {@code
   * preset} and {@code spec}; SGD and Adam have none and get KOALA-V's (they raise no drift
   * events).
   */
  public static ProcessNoise processNoise(OptimizerKind kind, Preset preset, OptimizerSpec spec) {
    Checks.notNull(kind, "optimizer");
    Checks.notNull(preset, "preset");
    Checks.notNull(spec, "spec");
    BlockLayout layout = spec.layout();
    ProcessNoise fromPreset =
        switch (kind) {
          case KOALA_M ->
              (preset == Preset.STREAM
                      ? KoalaMConfig.stream(layout)
                      : KoalaMConfig.reference(layout))
                  .driftNoise();
          case KOALA_PP ->
              (preset == Preset.STREAM
                      ? KoalaPlusPlusConfig.stream(layout)
                      : KoalaPlusPlusConfig.reference(layout))
                  .processNoise();
          default ->
              (preset == Preset.STREAM
                      ? KoalaVConfig.stream(layout)
                      : KoalaVConfig.reference(layout))
                  .processNoise();
        };
    return processNoise(fromPreset, spec);
  }

  /**
   * Q from the preset's base, adaptivity and unit, each overridable, the given bounds, and the
   * drift tracker's overrides on top of the preset's.
   */
  private static ProcessNoise processNoise(ProcessNoise preset, OptimizerSpec spec) {
    double base = or(spec.processNoise(), preset.base());
    boolean perExample = or(spec.perExample(), preset.perExample());
    ProcessNoise q;
    if (!or(spec.adaptive(), preset.adaptive())) {
      q = ProcessNoise.constant(base).withPerExample(perExample);
    } else {
      ProcessNoise adaptive = ProcessNoise.adaptive(base).withPerExample(perExample);
      q =
          adaptive.withBounds(
              or(spec.processNoiseMin(), adaptive.min()),
              or(spec.processNoiseMax(), adaptive.max()));
    }
    OptimizerSpec.Drift drift = spec.drift();
    DriftDetector detector = preset.detector();
    return q.withDetector(
            new DriftDetector(
                or(drift.reference(), detector.shift()),
                or(drift.threshold(), detector.threshold()),
                or(drift.falseAlarmRate(), detector.falseAlarmRate())))
        .withWarmupExamples(
            drift.warmupExamples() == null ? preset.warmupExamples() : drift.warmupExamples())
        .withAlarmBoost(or(drift.alarmBoost(), preset.alarmBoost()));
  }

  private static double or(Double value, double fallback) {
    return value == null ? fallback : value;
  }

  private static boolean or(Boolean value, boolean fallback) {
    return value == null ? fallback : value;
  }
}
