package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The streaming encoder of model snapshots writes the very text the tree encoder wrote before it
 * (its output is the models topic's format).
 */
class JsonOutputSnapshotTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  /** The encoding as it was: a Jackson tree, then its text. */
  private static String throughATree(ModelSnapshot s) {
    ObjectNode n = MAPPER.createObjectNode();
    n.put("key", s.key());
    n.put("version", s.version());
    n.put("examples", s.examples());
    n.put("optimizer", s.optimizer());
    n.put("modelType", s.modelType());
    ArrayNode array = n.putArray("params");
    for (double v : s.params()) {
      if (Double.isFinite(v)) {
        array.add(v);
      } else {
        array.addNull();
      }
    }
    ObjectNode state = n.putObject("state");
    for (String field : new String[] {"covariance", "measurementNoise", "processNoise"}) {
      double v =
          switch (field) {
            case "covariance" -> s.covariance();
            case "measurementNoise" -> s.measurementNoise();
            default -> s.processNoise();
          };
      if (Double.isFinite(v)) {
        state.put(field, v);
      } else {
        state.putNull(field);
      }
    }
    if (s.ts() == TrainingEvent.NO_TIMESTAMP) {
      n.putNull("ts");
    } else {
      n.put("ts", s.ts());
    }
    return n.toString();
  }

  @Test
  void streamingEncoder_writesTheTreesText() {
    SplittableRandom random = new SplittableRandom(5);
    double[] special = {
      0.0,
      -0.0,
      1e-320,
      Double.MIN_VALUE,
      Double.MAX_VALUE,
      -1e300,
      1e-7,
      123456789.125,
      0.1,
      Double.NaN,
      Double.POSITIVE_INFINITY,
      Double.NEGATIVE_INFINITY
    };
    for (int round = 0; round < 200; round++) {
      double[] params = new double[random.nextInt(0, 300)];
      for (int i = 0; i < params.length; i++) {
        params[i] =
            random.nextInt(4) == 0
                ? special[random.nextInt(special.length)]
                : random.nextGaussian() * Math.pow(10, random.nextInt(-12, 12));
      }
      ModelSnapshot s =
          new ModelSnapshot(
              round % 3 == 0 ? "tenant \"ä\"\n\u0001/" + round : "key-" + round,
              random.nextLong(0, Long.MAX_VALUE),
              random.nextLong(0, 1L << 40),
              "koala-v",
              round % 2 == 0 ? "logistic" : "softmax",
              params,
              special[random.nextInt(special.length)],
              random.nextDouble(),
              special[random.nextInt(special.length)],
              round % 5 == 0 ? TrainingEvent.NO_TIMESTAMP : random.nextLong());
      assertThat(JsonOutput.encode(s)).as("round %d", round).isEqualTo(throughATree(s));
    }
  }
}
