package io.koala.model;

/**
 * How an {@link MlpModel} computes its two large products, W1·x over the batch and the gradient of
 * W1: in plain loops, through ND4J's gemm, or by size.
 *
 * <p>The choice changes the last bits of the results (gemm sums in another order), so it is part of
 * a job's configuration, never a fallback: a job that asks for ND4J and cannot load it fails at
 * start.
 */
public enum MlpBackend {
  /**
   * ND4J's gemm when batch × features × hidden is at least {@link MlpModel#ND4J_CROSSOVER}, plain
   * loops below it.
   */
  AUTO,
  /** Plain loops at every size: no native library, the same bits on every machine. */
  LOOPS,
  /** ND4J's gemm at every size. */
  ND4J
}
