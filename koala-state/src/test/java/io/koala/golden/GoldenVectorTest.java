package io.koala.golden;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.koala.model.LinearModel;
import io.koala.optimizer.Observation;
import io.koala.optimizer.Optimizer;
import io.koala.optimizer.StepResult;
import io.koala.state.KoalaMState;
import io.koala.state.KoalaPlusPlusState;
import io.koala.state.KoalaVState;
import io.koala.state.OptimizerState;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.AssertionFailedError;

/**
 * Runs every run of a golden-vector file (default: the copy in test resources; replace it with
 * {@code -Dkoala.golden=PATH}) and compares every step's loss, gradient, R, θ and filter state at
 * relative 1e-10, naming the first run, step and field that differ.
 */
class GoldenVectorTest {

  private static final double TOLERANCE = 1e-10;

  @Test
  void file_hasRuns_andTheDefaultCopyHasAll21() throws Exception {
    GoldenFile file = GoldenFile.load();
    assertThat(file.root.path("runs").size()).isPositive();
    if (GoldenFile.isDefault()) {
      assertThat(file.root.path("runs").size()).isEqualTo(21);
    }
  }

  @TestFactory
  Stream<DynamicTest> everyRun_matchesEveryStep() throws Exception {
    GoldenFile file = GoldenFile.load();
    List<DynamicTest> tests = new ArrayList<>();
    for (JsonNode run : file.root.path("runs")) {
      String name = run.path("name").asText();
      tests.add(DynamicTest.dynamicTest(name, () -> replay(file, run)));
    }
    return tests.stream();
  }

  private static void replay(GoldenFile file, JsonNode run) {
    @SuppressWarnings("unchecked")
    Optimizer<OptimizerState> optimizer = (Optimizer<OptimizerState>) file.optimizer(run);
    LinearModel model = LinearModel.linearRegression(file.features[0].length);
    OptimizerState state = optimizer.initialState(file.theta0);
    String name = run.path("name").asText();
    for (JsonNode step : run.path("steps")) {
      int k = step.path("k").asInt();
      Field at = new Field(name, k);
      Observation seen =
          model.evaluate(optimizer.evaluationPoint(state), file.batch(step.path("batch").asInt()));
      at.scalar("loss", step.path("loss"), seen.loss());
      at.vector("grad", step.path("grad"), seen.gradient(), 0);
      StepResult<OptimizerState> result = optimizer.step(state, seen);
      if (!result.report().accepted()) {
        throw new AssertionFailedError(at + ": step refused: " + result.report().refusal());
      }
      state = result.state();
      at.scalar("R", step.path("R"), optimizer.measurementNoise(state));
      at.vector("theta", step.path("theta"), state.parameters(), 0);
      if (state instanceof KoalaVState v) {
        at.scalar("P", step.path("P"), v.covariance());
        at.scalar("max gain", maxGain(step), result.report().gain());
      } else if (state instanceof KoalaMState m) {
        at.scalar("qw", step.path("qw"), m.weightNoise());
        at.vector(
            "P",
            step.path("P"),
            new double[] {m.covarianceWeights(), m.covarianceCross(), m.covarianceVelocity()},
            0);
        at.vector("vel", step.path("vel"), m.velocity(), 0);
        at.vector("xavg", step.path("xavg"), m.average(), 0);
      } else if (state instanceof KoalaPlusPlusState pp) {
        int offset = 0;
        for (JsonNode block : step.path("blocks")) {
          int b = block.path("block").asInt();
          String prefix = "block " + b + " ";
          at.scalar(prefix + "S", block.path("S"), pp.innovationVariance()[b]);
          at.vector(prefix + "v", block.path("v"), pp.covarianceRow(), offset);
          at.vector(prefix + "H", block.path("H"), pp.previousGradient(), offset);
          offset += block.path("H").size();
        }
      }
    }
  }

  private static JsonNode maxGain(JsonNode step) {
    double max = 0.0;
    for (JsonNode block : step.path("blocks")) {
      if (!block.path("skipped").asBoolean()) {
        max = Math.max(max, block.path("gain").asDouble());
      }
    }
    return com.fasterxml.jackson.databind.node.DoubleNode.valueOf(max);
  }

  /** Where a comparison happens, for messages that name the run, step and field. */
  private record Field(String run, int step) {

    void scalar(String field, JsonNode expected, double actual) {
      if (expected.isMissingNode() || expected.isNull()) {
        return;
      }
      check(field, expected.asDouble(), actual);
    }

    void vector(String field, JsonNode expected, double[] actual, int offset) {
      if (expected.isMissingNode() || expected.isNull()) {
        return;
      }
      for (int i = 0; i < expected.size(); i++) {
        check(field + "[" + i + "]", expected.get(i).asDouble(), actual[offset + i]);
      }
    }

    private void check(String field, double expected, double actual) {
      double scale = Math.max(Math.abs(expected), Math.abs(actual));
      if (!(Math.abs(expected - actual) <= TOLERANCE * scale)) {
        throw new AssertionFailedError(
            "run "
                + run
                + ", step "
                + step
                + ", field "
                + field
                + ": expected "
                + expected
                + " but was "
                + actual,
            expected,
            actual);
      }
    }

    @Override
    public String toString() {
      return "run " + run + ", step " + step;
    }
  }
}
