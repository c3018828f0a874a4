package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.HexFormat;
import java.util.List;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class TrainingEventSerializerTest {

  private static final List<TrainingEvent> EVENTS =
      List.of(
          new TrainingEvent.Labelled("k", new Example(new double[] {1, -2.5, 0}, 1), 17, "t/0/3"),
          new TrainingEvent.Labelled(
              "s", Example.sparse(new int[] {2, 70_000}, new double[] {-0.0, 4.5}, 0), 18, "t/0/4"),
          new TrainingEvent.PredictionRequest(
              "k", new double[] {0.5, Double.NaN}, TrainingEvent.NO_TIMESTAMP, "q-1", null),
          new TrainingEvent.PredictionRequest("k", new double[] {0.5}, 3, null, "f:2"),
          new TrainingEvent.PredictionRequest(
              "s", new double[] {-0.0, 2.5}, 4, "q-2", "f:3", new int[] {5, 262_143}),
          new TrainingEvent.PreBatched(
              "b",
              new Example[] {
                new Example(new double[] {1}, 0),
                new Example(new double[] {2}, 1),
                Example.sparse(new int[] {}, new double[] {}, 1)
              },
              9,
              "f:9"));

  private static final java.util.function.BiPredicate<Double, Double> BITWISE =
      (a, b) -> Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);

  @Test
  void everyKind_roundTrips_andCopiesShareNoArrays() throws Exception {
    var serializer = TrainingEventSerializer.INSTANCE;
    for (TrainingEvent e : EVENTS) {
      DataOutputSerializer out = new DataOutputSerializer(64);
      serializer.serialize(e, out);
      TrainingEvent back = serializer.deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
      assertThat(back)
          .usingRecursiveComparison()
          .withEqualsForType(BITWISE, Double.class)
          .isEqualTo(e);
      TrainingEvent copy = serializer.copy(e);
      assertThat(copy)
          .usingRecursiveComparison()
          .withEqualsForType(BITWISE, Double.class)
          .isEqualTo(e);
      if (e instanceof TrainingEvent.PredictionRequest r && r.isSparse()) {
        var copied = (TrainingEvent.PredictionRequest) copy;
        assertThat(copied.indices()).isNotSameAs(r.indices()).containsExactly(r.indices());
        assertThat(copied.features()).isNotSameAs(r.features());
        assertThat(((TrainingEvent.PredictionRequest) back).indices()).containsExactly(r.indices());
      }
      if (e instanceof TrainingEvent.Labelled l) {
        assertThat(((TrainingEvent.Labelled) copy).example().features())
            .isNotSameAs(l.example().features());
        if (l.example().isSparse()) {
          assertThat(((TrainingEvent.Labelled) copy).example().indices())
              .isNotSameAs(l.example().indices());
          assertThat(((TrainingEvent.Labelled) back).example().indices())
              .containsExactly(l.example().indices());
        }
      }
    }
  }

  /**
   * The bytes of tags 0–2 as the tree before the sparse-request tag wrote them (`b919554`, the same
   * four events serialized there): unaligned checkpoints keep in-flight records in this format, so
   * it may only grow by new tags.
   */
  @Test
  void theFormatOfEarlierTags_isUnchanged() throws Exception {
    Object[][] golden = {
      {
        new TrainingEvent.Labelled("k", new Example(new double[] {1, -2.5}, 1), 17, "t/0/3"),
        "00026b00000000000000110106742f302f33000000023ff0000000000000c004000000000000"
            + "3ff0000000000000ffffffff"
      },
      {
        new TrainingEvent.Labelled(
            "s", Example.sparse(new int[] {2, 70_000}, new double[] {-0.0, 4.5}, 0), 18, null),
        "000273000000000000001200000000028000000000000000401200000000000000000000000000"
            + "00000000020000000200011170"
      },
      {
        new TrainingEvent.PredictionRequest(
            "k", new double[] {0.5}, TrainingEvent.NO_TIMESTAMP, "q-1", "f:2"),
        "01026b80000000000000000104663a320104712d31000000013fe0000000000000"
      },
      {
        new TrainingEvent.PreBatched(
            "b", new Example[] {new Example(new double[] {2}, 1)}, 9, "f:9"),
        "02026200000000000000090104663a39000000010000000140000000000000003ff0000000000000"
            + "ffffffff"
      },
    };
    for (Object[] g : golden) {
      TrainingEvent e = (TrainingEvent) g[0];
      byte[] bytes = HexFormat.of().parseHex((String) g[1]);
      DataOutputSerializer out = new DataOutputSerializer(64);
      TrainingEventSerializer.INSTANCE.serialize(e, out);
      assertThat(HexFormat.of().formatHex(out.getCopyOfBuffer())).isEqualTo(g[1]);
      assertThat(TrainingEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(bytes)))
          .usingRecursiveComparison()
          .withEqualsForType(BITWISE, Double.class)
          .isEqualTo(e);
    }
  }

  @Test
  void aSparseRequestRecordWithoutIndices_isACorruptRecord() throws Exception {
    // Tag 3 (a sparse request) followed by a dense example: count −1 where the indices belong.
    DataOutputSerializer out = new DataOutputSerializer(64);
    TrainingEventSerializer.INSTANCE.serialize(
        new TrainingEvent.PredictionRequest("k", new double[] {0.5}, 1, null, "f:2", new int[] {4}),
        out);
    byte[] bytes = out.getCopyOfBuffer();
    assertThat(bytes[0]).isEqualTo((byte) 3);
    // The last four bytes are the index 4; the four before them the count 1: make it −1.
    int count = bytes.length - 8;
    for (int i = 0; i < 4; i++) {
      bytes[count + i] = (byte) 0xff;
    }
    byte[] truncated = java.util.Arrays.copyOf(bytes, bytes.length - 4);
    assertThatThrownBy(
            () ->
                TrainingEventSerializer.INSTANCE.deserialize(new DataInputDeserializer(truncated)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("a sparse request without indices");
  }

  @Test
  void keysAndOriginsLongerThan64KiB_roundTrip() throws Exception {
    // DataOutput.writeUTF stops at 65,535 bytes; a record may be up to a MiB, and so its key.
    String key = "k".repeat(100_000);
    String origin = "é".repeat(40_000);
    TrainingEvent e = new TrainingEvent.Labelled(key, new Example(new double[] {1}, 0), 1, origin);
    DataOutputSerializer out = new DataOutputSerializer(64);
    TrainingEventSerializer.INSTANCE.serialize(e, out);
    TrainingEvent back =
        TrainingEventSerializer.INSTANCE.deserialize(
            new DataInputDeserializer(out.getCopyOfBuffer()));
    assertThat(back.key()).isEqualTo(key);
    assertThat(((TrainingEvent.Labelled) back).origin()).isEqualTo(origin);
  }

  @Test
  void typeExtraction_findsTheHandWrittenSerializer_alsoInsideDecoded() {
    assertThat(TypeInformation.of(TrainingEvent.class)).isEqualTo(TrainingEventTypeInfo.INSTANCE);
    TypeInformation<Decoded> decoded = TypeInformation.of(Decoded.class);
    assertThat(decoded).isInstanceOf(PojoTypeInfo.class);
    var pojo = (PojoTypeInfo<Decoded>) decoded;
    assertThat(pojo.getTypeAt(pojo.getFieldIndex("event")))
        .isEqualTo(TrainingEventTypeInfo.INSTANCE);
    var config = new SerializerConfigImpl();
    config.setGenericTypes(false);
    assertThat(TrainingEventTypeInfo.INSTANCE.createSerializer(config))
        .isSameAs(TrainingEventSerializer.INSTANCE);
    // Creating Decoded's serializer fails loudly if any field fell back to Kryo.
    assertThat(decoded.createSerializer(config)).isNotNull();
  }
}
