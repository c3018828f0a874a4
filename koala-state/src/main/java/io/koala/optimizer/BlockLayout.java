package io.koala.optimizer;

import java.io.Serializable;
import java.util.Arrays;

/**
 * How a flat parameter vector splits into contiguous blocks (one block per weight matrix or bias
 * vector in the layer-wise layout, one block for everything in the global layout).
 *
 * @param offsets block b covers indices {@code [offsets[b], offsets[b + 1])}; starts at 0
 */
public record BlockLayout(int[] offsets) implements Serializable {

  private static final long serialVersionUID = 1L;

  public BlockLayout {
    if (offsets == null || offsets.length < 2 || offsets[0] != 0) {
      throw new IllegalArgumentException(
          "block offsets must start at 0 and name at least one block");
    }
    for (int b = 1; b < offsets.length; b++) {
      if (offsets[b] <= offsets[b - 1]) {
        throw new IllegalArgumentException(
            "block " + (b - 1) + " is empty or offsets decrease: " + Arrays.toString(offsets));
      }
    }
    offsets = offsets.clone();
  }

  /** One block over all {@code size} parameters. */
  public static BlockLayout global(int size) {
    return new BlockLayout(new int[] {0, size});
  }

  /** Consecutive blocks of the given sizes. */
  public static BlockLayout ofSizes(int... sizes) {
    int[] offsets = new int[sizes.length + 1];
    for (int b = 0; b < sizes.length; b++) {
      offsets[b + 1] = offsets[b] + sizes[b];
    }
    return new BlockLayout(offsets);
  }

  public int blockCount() {
    return offsets.length - 1;
  }

  public int parameterCount() {
    return offsets[offsets.length - 1];
  }

  public int start(int block) {
    return offsets[block];
  }

  public int end(int block) {
    return offsets[block + 1];
  }

  @Override
  public int[] offsets() {
    return offsets.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof BlockLayout other && Arrays.equals(offsets, other.offsets);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(offsets);
  }

  @Override
  public String toString() {
    return "BlockLayout" + Arrays.toString(offsets);
  }
}
