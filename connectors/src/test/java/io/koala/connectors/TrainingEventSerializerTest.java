package io.koala.connectors;

import static org.assertj.core.api.Assertions.assertThat;

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
