package io.koala.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.koala.optimizer.Observation;
import io.koala.testing.Streams;
import java.lang.reflect.InvocationTargetException;
import java.net.URL;
import java.net.URLClassLoader;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The MLP's ND4J path against its plain loops, its determinism and the backend choice. */
class MlpBackendTest {

  /** gemm sums in another order than the loops: this close, never bit for bit. */
  private static final double RELATIVE = 1e-12;

  @ParameterizedTest
  @EnumSource(Head.class)
  void nd4j_matchesLoops_withinRelativeTolerance(Head head) {
    int classes = head == Head.SOFTMAX ? 4 : 2;
    for (int[] shape : new int[][] {{1, 3, 2}, {7, 13, 9}, {32, 200, 40}}) {
      Batch batch = Streams.randomBatch(11, shape[0], shape[1], classes);
      MlpModel loops = new MlpModel(shape[1], shape[2], head, classes, MlpBackend.LOOPS);
      MlpModel nd4j = new MlpModel(shape[1], shape[2], head, classes, MlpBackend.ND4J);
      double[] theta = Streams.randomVector(5, loops.parameterCount(), 0.3);
      assertClose(loops.evaluate(theta, batch), nd4j.evaluate(theta, batch));
    }
  }

  @Test
  void nd4j_sameInputsTwice_identicalBits() {
    Batch batch = Streams.randomBatch(3, 48, 300, 2);
    MlpModel model = new MlpModel(300, 70, Head.LOGISTIC, 2, MlpBackend.ND4J);
    double[] theta = Streams.randomVector(8, model.parameterCount(), 0.3);
    Observation first = model.evaluate(theta, batch);
    Observation again = model.evaluate(theta, batch);
    Observation fresh =
        new MlpModel(300, 70, Head.LOGISTIC, 2, MlpBackend.ND4J).evaluate(theta, batch);
    for (Observation other : new Observation[] {again, fresh}) {
      assertThat(Double.doubleToRawLongBits(other.loss()))
          .isEqualTo(Double.doubleToRawLongBits(first.loss()));
      assertThat(Arrays.equals(other.gradient(), first.gradient())).isTrue();
      assertThat(Arrays.equals(other.exampleLosses(), first.exampleLosses())).isTrue();
    }
  }

  @Test
  void nd4j_batchSizeChanges_eachBatchStillMatchesLoops() {
    MlpModel loops = new MlpModel(20, 6, Head.SQUARED, 1, MlpBackend.LOOPS);
    MlpModel nd4j = new MlpModel(20, 6, Head.SQUARED, 1, MlpBackend.ND4J);
    double[] theta = Streams.randomVector(2, loops.parameterCount(), 0.3);
    for (int size : new int[] {5, 3, 3, 9, 5}) {
      Batch batch = Streams.randomBatch(size, size, 20, 1);
      assertClose(loops.evaluate(theta, batch), nd4j.evaluate(theta, batch));
    }
  }

  @Test
  void auto_belowCrossover_computesExactlyAsTheLoops() {
    MlpModel auto = new MlpModel(100, 16, Head.LOGISTIC, 2, MlpBackend.AUTO);
    MlpModel loops = new MlpModel(100, 16, Head.LOGISTIC, 2);
    Batch batch = Streams.randomBatch(4, 32, 100, 2);
    double[] theta = Streams.randomVector(6, loops.parameterCount(), 0.3);
    assertThat(auto.usesNd4j(32)).isFalse();
    Observation expected = loops.evaluate(theta, batch);
    Observation seen = auto.evaluate(theta, batch);
    assertThat(Arrays.equals(seen.gradient(), expected.gradient())).isTrue();
    assertThat(Arrays.equals(seen.exampleLosses(), expected.exampleLosses())).isTrue();
  }

  @Test
  void usesNd4j_followsTheBackendAndTheCrossover() {
    int features = 1000;
    int hidden = 100;
    int atCrossover = (int) Math.ceil((double) MlpModel.ND4J_CROSSOVER / (features * hidden));
    MlpModel auto = new MlpModel(features, hidden, Head.LOGISTIC, 2, MlpBackend.AUTO);
    assertThat(auto.usesNd4j(atCrossover)).isTrue();
    assertThat(auto.usesNd4j(atCrossover - 1)).isFalse();
    assertThat(new MlpModel(features, hidden, Head.LOGISTIC, 2).usesNd4j(1 << 20)).isFalse();
    assertThat(new MlpModel(2, 2, Head.LOGISTIC, 2, MlpBackend.ND4J).usesNd4j(1)).isTrue();
  }

  @Test
  void nd4jBackend_withoutNd4jOnTheClassPath_failsAtConstructionNamingTheFix() throws Exception {
    try (URLClassLoader withoutNd4j = withoutNd4j()) {
      Class<?> mlp = withoutNd4j.loadClass(MlpModel.class.getName());
      Class<?> head = withoutNd4j.loadClass(Head.class.getName());
      Class<?> backend = withoutNd4j.loadClass(MlpBackend.class.getName());
      assertThat(mlp.getClassLoader()).isSameAs(withoutNd4j);
      var constructor = mlp.getConstructor(int.class, int.class, head, int.class, backend);
      Object logistic = head.getField("LOGISTIC").get(null);
      assertThatThrownBy(
              () -> constructor.newInstance(10, 4, logistic, 2, backend.getField("ND4J").get(null)))
          .isInstanceOf(InvocationTargetException.class)
          .cause()
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("not on the class path")
          .hasMessageContaining("model.mlp.backend");
      // The loops need nothing of ND4J, whichever backend names them.
      Object auto = constructor.newInstance(10, 4, logistic, 2, backend.getField("AUTO").get(null));
      assertThat(mlp.getMethod("usesNd4j", int.class).invoke(auto, 8)).isEqualTo(false);
    }
  }

  /** koala-state's classes again, in a loader that sees neither ND4J nor this loader's copies. */
  private static URLClassLoader withoutNd4j() {
    URL classes = MlpModel.class.getProtectionDomain().getCodeSource().getLocation();
    ClassLoader hiding =
        new ClassLoader(MlpBackendTest.class.getClassLoader()) {
          @Override
          protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("org.nd4j.") || name.startsWith("io.koala.")) {
              throw new ClassNotFoundException(name);
            }
            return super.loadClass(name, resolve);
          }
        };
    return new URLClassLoader(new URL[] {classes}, hiding);
  }

  private static void assertClose(Observation expected, Observation actual) {
    double scale = Math.abs(expected.loss());
    for (double g : expected.gradient()) {
      scale = Math.max(scale, Math.abs(g));
    }
    double tolerance = RELATIVE * scale;
    assertThat(actual.loss())
        .isCloseTo(expected.loss(), org.assertj.core.api.Assertions.within(tolerance));
    double worst = 0;
    for (int i = 0; i < expected.gradient().length; i++) {
      worst = Math.max(worst, Math.abs(expected.gradient()[i] - actual.gradient()[i]));
    }
    assertThat(worst)
        .as("largest gradient difference against %s", scale)
        .isLessThanOrEqualTo(tolerance);
    for (int e = 0; e < expected.exampleLosses().length; e++) {
      assertThat(actual.exampleLosses()[e])
          .isCloseTo(
              expected.exampleLosses()[e], org.assertj.core.api.Assertions.within(tolerance));
    }
  }
}
