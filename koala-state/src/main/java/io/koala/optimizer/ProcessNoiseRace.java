package io.koala.optimizer;

import io.koala.state.OptimizerState;
import io.koala.state.RaceState;
import java.util.Arrays;
import java.util.function.DoubleFunction;

/**
 * The {@code auto} preset: each key races three filters of one KOALA variant whose process noise
 * sits one grid step apart, answers from the one whose recent prequential loss is lowest, and moves
 * the triple one step up or down the grid when an outer filter beats the centre significantly.
 *
 * <h2>Implementation notes</h2>
 *
 * <p>Levels q_j = q_min·c^j, j = 0 … n−1, per example (a step over B examples adds B·q_j); the
 * members sit at j−1, j, j+1 around the centre j ∈ [1, n−2]. On batch k every member m is evaluated
 * at its own point (its prequential loss L_{k,m} comes with its gradient) and steps as usual. The
 * evidence for an outer member o is a forgotten paired comparison with the centre, per batch, with
 * weights that decay per example (δ = e^{−1/H}, so a batch of B examples ages the past by δ^B):
 *
 * <pre>
 *   d_k    = L_{k,o} − L_{k,c}
 *   W ← δ^B W + 1,  W₂ ← δ^{2B} W₂ + 1,  D ← δ^B D + d_k,  D₂ ← δ^B D₂ + d_k²
 *   μ = D/W,  v = D₂/W − μ²,  n = W²/W₂,  z = μ / √(v/n)
 * </pre>
 *
 * <p>When n ≥ n_min and z ≤ −z* for an outer member (the more negative of the two when both
 * qualify), the triple moves toward it: it becomes the centre, the old centre the member on the
 * other side (its evidence the winner's, negated), and the new outer member on the winner's side
 * starts as a copy of the winner's state at the next level, with no evidence: it must earn the next
 * move. A copy loses nothing the winner learnt, so the race moves the process noise of a running
 * model, not a restart. The answering member (the leader) is the one with the lowest μ (the
 * centre's is 0 by definition), recomputed after every batch.
 *
 * <p>The drift detector watches the lowest-Q member ({@link #monitoredPoint}): the stable learner
 * of the triple keeps the old concept longest, so a jump shows in its prequential errors first and
 * most clearly (the served leader adapts faster and hides part of it; this is the paired-learner
 * idea of Bach and Maloof [1]). Every member's detector sees those same errors, so they alarm
 * together. An alarm is a signal to the race, not a second mechanism: the evidence gathered on the
 * old concept is dropped, and the triple moves to the top of the grid at once, every member a copy
 * of the upper one (the fastest learner of the three). After an abrupt jump the cost of too low a Q
 * is many points for as long as the race climbs (one level per n_min batches), while too high a Q
 * costs tenths of a point for as long as it descends; so the race starts the descent from the top
 * and lets the evidence bring Q back to the new concept's level. A false alarm costs that descent.
 *
 * <p>Defaults, fixed before the first benchmark run and not swept: the grid of the previous {@code
 * auto} tuner, [10⁻⁹, 1] per example (nine decades), with c = 10 (a decade per member) and the
 * centre starting at 10⁻⁴; H = 1,000 examples; z* = 2 (a one-sided 2σ test); n_min = 8 batches of
 * evidence. The alarm response was chosen among three on the drift benchmark (move up one level,
 * reopen the covariances, move to the top; benchmarks/README.md, reported leave one stream out).
 * Cost: three evaluations and three steps per batch; state: three members and ten numbers. A
 * member's loss at its evaluation point is its prequential loss for KOALA-V and KOALA++; for
 * KOALA-M it is the loss at its look-ahead point, used as the proxy.
 */
public final class ProcessNoiseRace implements Optimizer<RaceState> {

  /**
   * The race's constants.
   *
   * @param initial the centre's starting Q per example (rounded to the nearest level)
   * @param min q_min, the lowest level
   * @param max the highest level is the last q_min·c^j ≤ max (times 1 + 1e-9)
   * @param spacing c, the ratio between neighbouring levels
   * @param horizonExamples H, the examples over which evidence decays by e
   * @param threshold z*, the standardised evidence that moves the triple
   * @param minBatches n_min, the effective batches of evidence before a move
   * @param alarmToTop whether a drift alarm moves the triple to the top of the grid (it always
   *     drops the evidence)
   */
  public record Settings(
      double initial,
      double min,
      double max,
      double spacing,
      double horizonExamples,
      double threshold,
      double minBatches,
      boolean alarmToTop) {

    public Settings {
      if (!(min > 0 && min <= initial && initial <= max && Double.isFinite(max))) {
        throw new IllegalArgumentException(
            "invalid process-noise range for auto: min "
                + min
                + ", Q_0 "
                + initial
                + ", max "
                + max);
      }
      if (!(spacing > 1 && Double.isFinite(spacing))
          || max / min < spacing * spacing * (1 - 1e-9)) {
        throw new IllegalArgumentException(
            "the auto range must hold three levels of spacing "
                + spacing
                + ": ["
                + min
                + ", "
                + max
                + "]");
      }
      if (!(horizonExamples > 0 && threshold > 0 && minBatches >= 2)) {
        throw new IllegalArgumentException(
            "invalid race constants: horizon "
                + horizonExamples
                + ", z "
                + threshold
                + ", minimum batches "
                + minBatches);
      }
    }

    /** The defaults of the class notes. */
    public static Settings defaults() {
      return new Settings(1e-4, 1e-9, 1.0, 10.0, 1000.0, 2.0, 8.0, true);
    }

    public Settings withInitial(double q0) {
      return new Settings(
          q0,
          Math.min(min, q0),
          Math.max(max, q0),
          spacing,
          horizonExamples,
          threshold,
          minBatches,
          alarmToTop);
    }

    public Settings withBounds(double newMin, double newMax) {
      return new Settings(
          Math.min(Math.max(initial, newMin), newMax),
          newMin,
          newMax,
          spacing,
          horizonExamples,
          threshold,
          minBatches,
          alarmToTop);
    }

    int levels() {
      return (int) Math.floor(Math.log(max / min) / Math.log(spacing) + 1e-9) + 1;
    }

    double level(int j) {
      return min * Math.pow(spacing, j);
    }

    int initialCentre() {
      int j = (int) Math.round(Math.log(initial / min) / Math.log(spacing));
      return Math.max(1, Math.min(levels() - 2, j));
    }
  }

  private final Settings settings;
  private final Optimizer<OptimizerState>[] levels;
  private final double decayPerExample;

  /**
   * @param settings the race's constants
   * @param member the member optimizer at a process noise q per example (constant Q)
   */
  @SuppressWarnings("unchecked")
  public ProcessNoiseRace(Settings settings, DoubleFunction<Optimizer<OptimizerState>> member) {
    this.settings = settings;
    this.levels = new Optimizer[settings.levels()];
    for (int j = 0; j < levels.length; j++) {
      levels[j] = member.apply(settings.level(j));
    }
    this.decayPerExample = Math.exp(-1.0 / settings.horizonExamples());
  }

  public Settings settings() {
    return settings;
  }

  /** The grid level of the centre of a new key's race (and of an adopted filter). */
  public int startCentre() {
    return settings.initialCentre();
  }

  /** One filter's state (a savepoint of another preset) becomes all three members. */
  @Override
  public RaceState adopt(OptimizerState restored) {
    return restored instanceof RaceState r ? r : RaceState.adopt(restored, startCentre());
  }

  /** The member optimizer at grid level j. */
  public Optimizer<OptimizerState> level(int j) {
    return levels[j];
  }

  /** Q per example of the member answering predictions. */
  public double leaderProcessNoise(RaceState state) {
    return settings.level(state.centre() + state.leader() - 1);
  }

  @Override
  public String name() {
    return levels[0].name();
  }

  @Override
  public BlockLayout layout() {
    return levels[0].layout();
  }

  @Override
  public Record config() {
    return settings;
  }

  @Override
  public RaceState initialState(double[] initialParameters) {
    int c = settings.initialCentre();
    OptimizerState[] members = new OptimizerState[3];
    for (int m = 0; m < 3; m++) {
      members[m] = levels[c + m - 1].initialState(initialParameters);
    }
    return new RaceState(0, c, 1, members, new double[2 * RaceState.EVIDENCE]);
  }

  private Optimizer<OptimizerState> member(RaceState state, int m) {
    return levels[state.centre() + m - 1];
  }

  @Override
  public double[] evaluationPoint(RaceState state) {
    return member(state, state.leader()).evaluationPoint(state.leaderState());
  }

  /** The lowest-Q member's parameters: the stable learner of the triple. */
  @Override
  public double[] monitoredPoint(RaceState state) {
    return state.members()[0].parameters();
  }

  @Override
  public double[][] evaluationPoints(RaceState state) {
    double[][] points = new double[3][];
    for (int m = 0; m < 3; m++) {
      points[m] = member(state, m).evaluationPoint(state.members()[m]);
    }
    return points;
  }

  /** A race needs an observation per member: use {@link #step(RaceState, Observation[])}. */
  @Override
  public StepResult<RaceState> step(RaceState state, Observation observation) {
    throw new UnsupportedOperationException(
        "the auto preset's race evaluates every member: call step(state, evaluationPoints(...))");
  }

  @Override
  public StepResult<RaceState> step(RaceState state, Observation[] observations) {
    if (observations.length != 3) {
      throw new IllegalArgumentException("a race takes 3 observations, not " + observations.length);
    }
    OptimizerState[] next = new OptimizerState[3];
    StepReport[] reports = new StepReport[3];
    boolean anyAccepted = false;
    OptimizerState[] given = state.members().clone();
    for (int m = 0; m < 3; m++) {
      // A sparse step writes its member's parameters in place: a member that still shares them
      // with another (after a move or an alarm, or when adopted) steps on its own copy.
      if (observations[m].isSparse() && sharesParameters(given, m)) {
        given[m] = member(state, m).detach(given[m]);
      }
      StepResult<OptimizerState> r = member(state, m).step(given[m], observations[m]);
      next[m] = r.state();
      reports[m] = r.report();
      anyAccepted |= r.report().accepted();
    }
    if (!anyAccepted) {
      return new StepResult<>(state, reports[state.leader()]);
    }
    double[] evidence = state.evidence().clone();
    int batch = observations[1].batchSize();
    double centreLoss = observations[1].loss();
    for (int side = 0; side < 2; side++) {
      double d = observations[side == 0 ? 0 : 2].loss() - centreLoss;
      if (Double.isFinite(d)) {
        accumulate(evidence, side, d, batch);
      }
    }
    int centre = state.centre();
    boolean alarm = reports[1].driftDetected();
    if (alarm) {
      Arrays.fill(evidence, 0.0);
      // To the top: every member a copy of the upper one, the fastest learner of the triple.
      while (settings.alarmToTop() && centre + 2 < levels.length) {
        next = new OptimizerState[] {next[1], next[2], next[2]};
        centre++;
      }
    } else {
      int move = move(evidence);
      if (move > 0 && centre + 2 < levels.length) {
        next = new OptimizerState[] {next[1], next[2], next[2]};
        shift(evidence, 1);
        centre++;
      } else if (move < 0 && centre > 1) {
        next = new OptimizerState[] {next[0], next[0], next[1]};
        shift(evidence, 0);
        centre--;
      }
    }
    int leader = leader(evidence);
    StepReport report = reports[state.leader()];
    if (!report.accepted()) {
      report = reports[1].accepted() ? reports[1] : reports[reports[0].accepted() ? 0 : 2];
    }
    return new StepResult<>(
        new RaceState(state.step() + 1, centre, leader, next, evidence), report);
  }

  private static boolean sharesParameters(OptimizerState[] members, int m) {
    double[] own = members[m].parameters();
    for (int o = 0; o < members.length; o++) {
      if (o != m && members[o].parameters() == own) {
        return true;
      }
    }
    return false;
  }

  /** Whether the members step sparse (KOALA-V without weight decay); see {@link #step}. */
  @Override
  public boolean stepsSparse() {
    for (Optimizer<OptimizerState> level : levels) {
      if (!level.stepsSparse()) {
        return false;
      }
    }
    return true;
  }

  private void accumulate(double[] e, int side, double d, int batch) {
    int o = side * RaceState.EVIDENCE;
    double a = Math.pow(decayPerExample, batch);
    e[o] = a * e[o] + 1.0;
    e[o + 1] = a * a * e[o + 1] + 1.0;
    e[o + 2] = a * e[o + 2] + d;
    e[o + 3] = a * e[o + 3] + d * d;
  }

  /**
   * The standardised evidence z of an outer member (NaN without enough of it); negative: it wins.
   */
  private double z(double[] e, int side) {
    int o = side * RaceState.EVIDENCE;
    double w = e[o];
    if (w <= 0 || w * w / e[o + 1] < settings.minBatches()) {
      return Double.NaN;
    }
    double mean = e[o + 2] / w;
    double variance = e[o + 3] / w - mean * mean;
    double n = w * w / e[o + 1];
    if (!(variance > 0)) {
      return mean == 0 ? 0.0 : Math.copySign(Double.POSITIVE_INFINITY, mean);
    }
    return mean / Math.sqrt(variance / n);
  }

  /** +1: move up, −1: move down, 0: stay (the more significant side wins when both qualify). */
  private int move(double[] e) {
    double lower = z(e, 0);
    double upper = z(e, 1);
    double t = settings.threshold();
    if (upper <= -t && !(lower < upper)) {
      return 1;
    }
    if (lower <= -t) {
      return -1;
    }
    return 0;
  }

  /**
   * After a move toward {@code winner} (0 lower, 1 upper): the old centre is now on the other side,
   * its evidence the winner's negated; the new member on the winner's side has none.
   */
  private static void shift(double[] e, int winner) {
    int w = winner * RaceState.EVIDENCE;
    int other = (1 - winner) * RaceState.EVIDENCE;
    e[other] = e[w];
    e[other + 1] = e[w + 1];
    e[other + 2] = -e[w + 2];
    e[other + 3] = e[w + 3];
    for (int i = 0; i < RaceState.EVIDENCE; i++) {
      e[w + i] = 0.0;
    }
  }

  /** The member with the lowest mean loss difference against the centre (the centre on ties). */
  private static int leader(double[] e) {
    double lower = e[0] > 0 ? e[2] / e[0] : 0.0;
    double upper =
        e[RaceState.EVIDENCE] > 0 ? e[RaceState.EVIDENCE + 2] / e[RaceState.EVIDENCE] : 0.0;
    if (lower < 0 && lower <= upper) {
      return 0;
    }
    return upper < 0 ? 2 : 1;
  }

  @Override
  public double covariance(RaceState state) {
    return member(state, state.leader()).covariance(state.leaderState());
  }

  @Override
  public double measurementNoise(RaceState state) {
    return member(state, state.leader()).measurementNoise(state.leaderState());
  }

  @Override
  public double processNoise(RaceState state) {
    return member(state, state.leader()).processNoise(state.leaderState());
  }
}
