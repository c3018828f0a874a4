package io.koala.job;

import io.koala.model.Head;
import java.util.Locale;
import org.apache.flink.connector.base.DeliveryGuarantee;

/**
 * The fixed choices among {@link KoalaOptions}' values. Each is written lower case with hyphens and
 * matched ignoring case; any other value is a configuration error naming the allowed ones.
 */
public final class KoalaChoices {

  private KoalaChoices() {}

  /**
   * The spelling users write for a choice: lower case with hyphens (Flink matches it ignoring
   * case).
   */
  static String spelling(Enum<?> choice) {
    return choice.name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** Model families. */
  public enum ModelType {
    LINEAR,
    LOGISTIC,
    SOFTMAX,
    MLP;

    @Override
    public String toString() {
      return spelling(this);
    }
  }

  /** Output heads of the mlp. */
  public enum MlpHead {
    SQUARED(Head.SQUARED),
    LOGISTIC(Head.LOGISTIC),
    SOFTMAX(Head.SOFTMAX);

    private final Head head;

    MlpHead(Head head) {
      this.head = head;
    }

    public Head head() {
      return head;
    }

    @Override
    public String toString() {
      return spelling(this);
    }
  }

  /** How the mlp computes its large products ({@link io.koala.model.MlpBackend}). */
  public enum MlpBackendChoice {
    AUTO(io.koala.model.MlpBackend.AUTO),
    LOOPS(io.koala.model.MlpBackend.LOOPS),
    ND4J(io.koala.model.MlpBackend.ND4J);

    private final io.koala.model.MlpBackend backend;

    MlpBackendChoice(io.koala.model.MlpBackend backend) {
      this.backend = backend;
    }

    public io.koala.model.MlpBackend backend() {
      return backend;
    }

    @Override
    public String toString() {
      return spelling(this);
    }
  }

  /** Parameter block layouts. */
  public enum Layout {
    LAYERWISE,
    GLOBAL;

    @Override
    public String toString() {
      return spelling(this);
    }
  }

  /** The clock that measures a key's silence for {@code koala.model.idle-timeout}. */
  public enum IdleTime {
    PROCESSING,
    EVENT;

    @Override
    public String toString() {
      return spelling(this);
    }
  }

  /** Where events come from. */
  public enum SourceKind {
    FILE,
    KAFKA;

    @Override
    public String toString() {
      return spelling(this);
    }
  }

  /** Encodings of input records. */
  public enum Format {
    JSON,
    CSV;

    @Override
    public String toString() {
      return spelling(this);
    }
  }

  /** Delivery of an output to Kafka. */
  public enum Delivery {
    EXACTLY_ONCE(DeliveryGuarantee.EXACTLY_ONCE),
    AT_LEAST_ONCE(DeliveryGuarantee.AT_LEAST_ONCE);

    private final DeliveryGuarantee guarantee;

    Delivery(DeliveryGuarantee guarantee) {
      this.guarantee = guarantee;
    }

    public DeliveryGuarantee guarantee() {
      return guarantee;
    }

    @Override
    public String toString() {
      return spelling(this);
    }
  }
}
