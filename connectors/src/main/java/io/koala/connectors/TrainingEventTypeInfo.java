package io.koala.connectors;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Flink type information of {@link TrainingEvent}: one opaque type, with its own serializer. */
public final class TrainingEventTypeInfo extends TypeInformation<TrainingEvent> {

  private static final long serialVersionUID = 1L;

  public static final TrainingEventTypeInfo INSTANCE = new TrainingEventTypeInfo();

  /** Found by Flink's type extraction through the {@code @TypeInfo} on {@link TrainingEvent}. */
  public static final class Factory extends TypeInfoFactory<TrainingEvent> {
    @Override
    public TypeInformation<TrainingEvent> createTypeInfo(
        Type t, Map<String, TypeInformation<?>> genericParameters) {
      return INSTANCE;
    }
  }

  @Override
  public boolean isBasicType() {
    return false;
  }

  @Override
  public boolean isTupleType() {
    return false;
  }

  @Override
  public int getArity() {
    return 1;
  }

  @Override
  public int getTotalFields() {
    return 1;
  }

  @Override
  public Class<TrainingEvent> getTypeClass() {
    return TrainingEvent.class;
  }

  @Override
  public boolean isKeyType() {
    return false;
  }

  @Override
  public TypeSerializer<TrainingEvent> createSerializer(SerializerConfig config) {
    return TrainingEventSerializer.INSTANCE;
  }

  @Override
  public String toString() {
    return "TrainingEvent";
  }

  @Override
  public boolean equals(Object obj) {
    return obj instanceof TrainingEventTypeInfo;
  }

  @Override
  public int hashCode() {
    return TrainingEventTypeInfo.class.hashCode();
  }

  @Override
  public boolean canEqual(Object obj) {
    return obj instanceof TrainingEventTypeInfo;
  }
}
