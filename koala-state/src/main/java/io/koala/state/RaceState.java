package io.koala.state;

/**
 * Per-key state of the {@code auto} preset's process-noise race ({@code ProcessNoiseRace}): three
 * filters of the same optimizer at neighbouring levels of a geometric grid of Q, and the evidence
 * of how the outer two compare with the centre.
 *
 * @param step steps taken (the model version)
 * @param centre the grid level of the centre filter; the others are at centre − 1 and centre + 1
 * @param leader which member answers predictions: 0 (lower), 1 (centre) or 2 (upper)
 * @param members the lower, centre and upper filters' states
 * @param evidence the forgotten sums of the loss differences against the centre, four per outer
 *     member (lower first): Σw, Σw², Σw·d, Σw·d², with d = L_member − L_centre per batch
 */
public record RaceState(
    long step, int centre, int leader, OptimizerState[] members, double[] evidence)
    implements OptimizerState {

  /** Values per outer member in {@link #evidence}. */
  public static final int EVIDENCE = 4;

  public RaceState {
    if (members.length != 3 || evidence.length != 2 * EVIDENCE || leader < 0 || leader > 2) {
      throw new IllegalArgumentException(
          "a race holds 3 members and 8 evidence values, leader 0-2; got "
              + members.length
              + ", "
              + evidence.length
              + ", "
              + leader);
    }
  }

  /**
   * A race started from one filter's state (a savepoint of another preset): all three members that
   * filter, the centre at {@code centre}, the centre answering, no evidence. The model version
   * carries on.
   */
  public static RaceState adopt(OptimizerState filter, int centre) {
    return new RaceState(
        filter.step(),
        centre,
        1,
        new OptimizerState[] {filter, filter, filter},
        new double[2 * EVIDENCE]);
  }

  /** The answering member's parameters. */
  @Override
  public double[] parameters() {
    return members[leader].parameters();
  }

  /** The answering member's state. */
  public OptimizerState leaderState() {
    return members[leader];
  }
}
