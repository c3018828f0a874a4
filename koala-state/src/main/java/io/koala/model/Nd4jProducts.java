package io.koala.model;

import java.nio.DoubleBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The MLP's two large products through ND4J's gemm on one BLAS thread: the hidden layer's
 * pre-activations X W1ᵀ of a batch and the first layer's weight gradient ΔᵀX. Only {@link MlpModel}
 * touches this class, and only when its backend picks ND4J, so ND4J is loaded by nothing else.
 *
 * <p>Implementation notes: the arrays live off-heap and are reused from batch to batch (W1 and its
 * gradient always; the batch-sized ones until the batch size changes), and closed when replaced, so
 * no garbage collector decides when native memory is freed. Parameters and rows are copied in by
 * bulk puts into the buffers' NIO views, results copied out the same way; nothing from ND4J
 * outlives a call, and state stays {@code double[]}. One instance per thread: not thread-safe.
 *
 * <p>OpenBLAS is held to one thread in-process ({@code openblas_set_num_threads(1)} through ND4J's
 * {@code Blas.setMaxThreads}), libnd4j's own thread pool likewise: Flink's slots are the
 * parallelism, and one thread gives the same bits for the same inputs.
 */
final class Nd4jProducts {

  static {
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    Nd4j.factory().blas().setMaxThreads(1);
    Nd4j.getEnvironment().setMaxMasterThreads(1);
  }

  private final int features;
  private final int hidden;
  private final INDArray w1;
  private final INDArray w1Gradient;
  private int size;
  private INDArray x;
  private INDArray pre;
  private INDArray delta;

  Nd4jProducts(int features, int hidden) {
    this.features = features;
    this.hidden = hidden;
    w1 = Nd4j.create(DataType.DOUBLE, hidden, features);
    w1Gradient = Nd4j.create(DataType.DOUBLE, hidden, features);
  }

  /** Loads ND4J's CPU backend and its native library, or throws. */
  static void probe() {
    Nd4j.create(DataType.DOUBLE, 1, 1).close();
  }

  /** The threads OpenBLAS uses for gemm (one, once this class is loaded). */
  static int blasThreads() {
    return Nd4j.factory().blas().getMaxThreads();
  }

  /**
   * pre[e·hidden + j] = Σᵢ x_e[i] W1[j, i] for the first {@code size} rows, W1 being the first
   * hidden × features entries of {@code parameters} (row-major). Keeps the rows for {@link
   * #weightGradient}.
   */
  void preActivations(double[] parameters, double[][] rows, int size, double[] pre) {
    resize(size);
    DoubleBuffer xs = x.data().asNioDouble();
    for (int e = 0; e < size; e++) {
      xs.put(e * features, rows[e], 0, features);
    }
    w1.data().asNioDouble().put(0, parameters, 0, hidden * features);
    Nd4j.gemm(x, w1, this.pre, false, true, 1.0, 0.0);
    this.pre.data().asNioDouble().get(0, pre, 0, size * hidden);
  }

  /**
   * gradient[j·features + i] = Σₑ delta[e·hidden + j] x_e[i], over the rows of the last {@link
   * #preActivations} call: the first hidden × features entries of {@code gradient} are replaced.
   */
  void weightGradient(double[] delta, double[] gradient) {
    this.delta.data().asNioDouble().put(0, delta, 0, size * hidden);
    Nd4j.gemm(this.delta, x, w1Gradient, true, false, 1.0, 0.0);
    w1Gradient.data().asNioDouble().get(0, gradient, 0, hidden * features);
  }

  private void resize(int newSize) {
    if (newSize == size) {
      return;
    }
    if (x != null) {
      x.close();
      pre.close();
      delta.close();
    }
    size = newSize;
    x = Nd4j.create(DataType.DOUBLE, newSize, features);
    pre = Nd4j.create(DataType.DOUBLE, newSize, hidden);
    delta = Nd4j.create(DataType.DOUBLE, newSize, hidden);
  }
}
