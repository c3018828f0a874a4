package io.koala.job;

import static org.assertj.core.api.Assertions.assertThat;

import io.koala.state.AdamStateSerializer;
import io.koala.state.KoalaMStateSerializer;
import io.koala.state.KoalaPlusPlusStateSerializer;
import io.koala.state.KoalaVStateSerializer;
import io.koala.state.SgdStateSerializer;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TrainerSpecTest {

  @Test
  void stateSerializer_isTheOptimizersOwn() {
    Map<String, Object> expected =
        Map.of(
            "koala-v", KoalaVStateSerializer.INSTANCE,
            "koala-m", KoalaMStateSerializer.INSTANCE,
            "koala-pp", KoalaPlusPlusStateSerializer.INSTANCE,
            "sgd", SgdStateSerializer.INSTANCE,
            "adam", AdamStateSerializer.INSTANCE);
    expected.forEach(
        (name, serializer) -> {
          Object own =
              Fixtures.config(name, "koala.optimizer.defaults", "stream")
                  .trainerSpec()
                  .stateSerializer()
                  .optimizerSerializer();
          assertThat(own).as(name).isSameAs(serializer);
          // The default auto preset races three of the KOALA kinds' states.
          Object byDefault =
              Fixtures.config(name).trainerSpec().stateSerializer().optimizerSerializer();
          if (name.startsWith("koala")) {
            assertThat(byDefault).as(name).isInstanceOf(io.koala.state.RaceStateSerializer.class);
            assertThat((Object) ((io.koala.state.RaceStateSerializer) byDefault).memberSerializer())
                .as(name)
                .isSameAs(serializer);
          } else {
            assertThat(byDefault).as(name).isSameAs(serializer);
          }
        });
  }

  @Test
  void trainer_isTheConfiguredOne() {
    JobConfig config =
        Fixtures.config(
            "koala-pp", "koala.optimizer.covariance", "0.25", "koala.model.type", "mlp");
    var fromSpec = config.trainerSpec().trainer();
    assertThat(fromSpec.optimizer().config()).isEqualTo(config.trainer().optimizer().config());
    assertThat(fromSpec.model().parameterCount())
        .isEqualTo(config.trainer().model().parameterCount());
  }
}
