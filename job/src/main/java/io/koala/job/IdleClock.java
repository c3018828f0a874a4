package io.koala.job;

import java.time.Duration;
import org.apache.flink.streaming.api.TimeDomain;
import org.apache.flink.streaming.api.TimerService;

/**
 * The clock of the idle-key checks (docs/streaming.md#idle-keys): processing or event time, a check
 * every quarter timeout, so that a key goes after between 1 and 1 + 1/{@link #CHECKS} timeouts of
 * silence.
 */
final class IdleClock {

  /** Idle checks per timeout. */
  static final int CHECKS = 4;

  private final TimeDomain domain;
  private final long period;

  IdleClock(Duration timeout, KoalaChoices.IdleTime time) {
    this.domain =
        time == KoalaChoices.IdleTime.EVENT ? TimeDomain.EVENT_TIME : TimeDomain.PROCESSING_TIME;
    // Rounded up, so that CHECKS quiet periods always span the whole timeout.
    this.period = (timeout.toMillis() + CHECKS - 1) / CHECKS;
  }

  TimeDomain domain() {
    return domain;
  }

  boolean eventTime() {
    return domain == TimeDomain.EVENT_TIME;
  }

  /** The clock's time now: the task's wall clock, or the watermark. */
  long now(TimerService timers) {
    return eventTime() ? timers.currentWatermark() : timers.currentProcessingTime();
  }

  /** When the check after {@code now} is due. */
  long nextCheck(long now) {
    return now > Long.MAX_VALUE - 1 - period ? Long.MAX_VALUE - 1 : now + period;
  }

  void register(TimerService timers, long time) {
    if (eventTime()) {
      timers.registerEventTimeTimer(time);
    } else {
      timers.registerProcessingTimeTimer(time);
    }
  }
}
