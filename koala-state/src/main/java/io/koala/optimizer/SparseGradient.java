package io.koala.optimizer;

/**
 * A gradient whose entries outside {@code indices} are zero (+0 or −0): the gradient of a linear
 * model on a batch of sparse rows, as {@code LinearModel} gives it, listing exactly the entries
 * that are not zero (so the lazy optimizers' support does not depend on how the sum was made).
 * Every entry it lists is the value the dense gradient holds at that index, bit for bit (the same
 * sums in the same order), so a step over the listed entries equals the dense step wherever the
 * math makes the other entries a no-op.
 *
 * @param indices the parameter indices, strictly increasing
 * @param values the gradient's value at each index
 */
public record SparseGradient(int[] indices, double[] values) {

  public SparseGradient {
    if (indices.length != values.length) {
      throw new IllegalArgumentException(
          indices.length + " indices for " + values.length + " gradient values");
    }
  }

  public int nonZeros() {
    return indices.length;
  }
}
