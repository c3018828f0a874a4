package io.koala.benchmarks;

import io.koala.model.Batch;
import io.koala.optimizer.Observation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.ops.transforms.Transforms;

/**
 * The ND4J candidate for {@code MlpModel.evaluate} with a logistic head, on preallocated arrays
 * (gemm for the three matrix products), to decide plain loops against ND4J by measurement. Same
 * parameter layout and result as {@code new MlpModel(d, h, Head.LOGISTIC, 2)}.
 */
final class Nd4jMlp {

  private final int features;
  private final int hidden;
  private final int batch;
  private final INDArray x;
  private final INDArray w1;
  private final INDArray w2;
  private final INDArray a;
  private final INDArray z;
  private final INDArray dz;
  private final INDArray dPre;
  private final INDArray gw1;
  private final INDArray gw2;
  private final INDArray bias1;
  private final double[] rows;

  Nd4jMlp(int features, int hidden, int batch) {
    this.features = features;
    this.hidden = hidden;
    this.batch = batch;
    Nd4j.setDefaultDataTypes(DataType.DOUBLE, DataType.DOUBLE);
    x = Nd4j.create(DataType.DOUBLE, batch, features);
    w1 = Nd4j.create(DataType.DOUBLE, hidden, features);
    w2 = Nd4j.create(DataType.DOUBLE, 1, hidden);
    a = Nd4j.create(DataType.DOUBLE, batch, hidden);
    z = Nd4j.create(DataType.DOUBLE, batch, 1);
    dz = Nd4j.create(DataType.DOUBLE, batch, 1);
    dPre = Nd4j.create(DataType.DOUBLE, batch, hidden);
    gw1 = Nd4j.create(DataType.DOUBLE, hidden, features);
    gw2 = Nd4j.create(DataType.DOUBLE, 1, hidden);
    bias1 = Nd4j.create(DataType.DOUBLE, 1, hidden);
    rows = new double[batch * features];
  }

  Observation evaluate(double[] p, Batch data) {
    int b1 = hidden * features;
    int w2Offset = b1 + hidden;
    int b2 = w2Offset + hidden;
    for (int e = 0; e < batch; e++) {
      System.arraycopy(data.features()[e], 0, rows, e * features, features);
    }
    // One bulk copy each from the Java heap into the off-heap buffers.
    x.data().setData(rows);
    w1.data().setData(java.util.Arrays.copyOfRange(p, 0, b1));
    w2.data().setData(java.util.Arrays.copyOfRange(p, w2Offset, b2));
    bias1.data().setData(java.util.Arrays.copyOfRange(p, b1, w2Offset));
    Nd4j.gemm(x, w1, a, false, true, 1.0, 0.0);
    a.addiRowVector(bias1);
    Transforms.tanh(a, false);
    Nd4j.gemm(a, w2, z, false, true, 1.0, 0.0);
    double[] zs = z.toDoubleVector();
    double[] losses = new double[batch];
    double total = 0;
    double[] dzs = new double[batch];
    double gb2 = 0;
    for (int e = 0; e < batch; e++) {
      double logit = zs[e] + p[b2];
      double y = data.labels()[e];
      double prob =
          logit >= 0 ? 1 / (1 + Math.exp(-logit)) : Math.exp(logit) / (1 + Math.exp(logit));
      dzs[e] = prob - y;
      gb2 += dzs[e];
      losses[e] = Math.max(logit, 0) - logit * y + Math.log1p(Math.exp(-Math.abs(logit)));
      total += losses[e];
    }
    dz.data().setData(dzs);
    Nd4j.gemm(dz, a, gw2, true, false, 1.0, 0.0);
    Nd4j.gemm(dz, w2, dPre, false, false, 1.0, 0.0);
    dPre.muli(a.mul(a).rsubi(1.0));
    Nd4j.gemm(dPre, x, gw1, true, false, 1.0, 0.0);
    double[] gradient = new double[b2 + 1];
    System.arraycopy(gw1.reshape(b1).toDoubleVector(), 0, gradient, 0, b1);
    System.arraycopy(dPre.sum(0).toDoubleVector(), 0, gradient, b1, hidden);
    System.arraycopy(gw2.toDoubleVector(), 0, gradient, w2Offset, hidden);
    gradient[b2] = gb2;
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] /= batch;
    }
    return new Observation(total / batch, losses, gradient);
  }
}
