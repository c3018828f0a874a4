package io.koala.connectors;

import java.nio.charset.StandardCharsets;

/**
 * The signed hashing trick (Weinberger et al., ICML 2009) that maps named features into the model's
 * dimension: index = murmur3_32(name, seed 0) mod d, sign from murmur3_32(name, seed 1). Stable
 * across versions and machines: changing it would scramble every trained model.
 */
public final class FeatureHashing {

  private FeatureHashing() {}

  public static int index(String name, int dimension) {
    return Math.floorMod(murmur3(name.getBytes(StandardCharsets.UTF_8), 0), dimension);
  }

  public static double sign(String name) {
    return murmur3(name.getBytes(StandardCharsets.UTF_8), 1) >= 0 ? 1.0 : -1.0;
  }

  /** MurmurHash3 x86 32-bit (Austin Appleby, public domain algorithm). */
  static int murmur3(byte[] data, int seed) {
    final int c1 = 0xcc9e2d51;
    final int c2 = 0x1b873593;
    int h = seed;
    int blocks = data.length / 4;
    for (int i = 0; i < blocks; i++) {
      int k =
          (data[4 * i] & 0xff)
              | (data[4 * i + 1] & 0xff) << 8
              | (data[4 * i + 2] & 0xff) << 16
              | (data[4 * i + 3] & 0xff) << 24;
      k *= c1;
      k = Integer.rotateLeft(k, 15);
      k *= c2;
      h ^= k;
      h = Integer.rotateLeft(h, 13);
      h = h * 5 + 0xe6546b64;
    }
    int k = 0;
    int tail = blocks * 4;
    switch (data.length & 3) {
      case 3:
        k ^= (data[tail + 2] & 0xff) << 16;
      // fall through
      case 2:
        k ^= (data[tail + 1] & 0xff) << 8;
      // fall through
      case 1:
        k ^= data[tail] & 0xff;
        k *= c1;
        k = Integer.rotateLeft(k, 15);
        k *= c2;
        h ^= k;
        break;
      default:
        break;
    }
    h ^= data.length;
    h ^= h >>> 16;
    h *= 0x85ebca6b;
    h ^= h >>> 13;
    h *= 0xc2b2ae35;
    h ^= h >>> 16;
    return h;
  }
}
