package io.koala.job.demo;

import io.koala.connectors.kafka.EmbeddedKafka;
import io.koala.job.ConfigLoader;
import io.koala.job.JobConfig;
import io.koala.job.KoalaJob;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * {@code koala demo}: the whole engine on one machine, with nothing to set up. A real Kafka broker
 * in this JVM, a local Flink cluster with its web UI, a multi-key drifting stream replayed into
 * Kafka, the training job between them, a live progress line read from the job's output topics, and
 * a report folder at the end. Ctrl-C (or any exit) stops the job, the cluster and the broker and
 * deletes their data.
 */
public final class DemoCommand {

  private DemoCommand() {}

  static final String USAGE =
      """
      usage: koala demo [--keys N] [--events-per-key N] [--rate EVENTS_PER_S] [--report DIR]
                        [--web-ui-port PORT] [--seed S] [--koala.key value ...]
        Defaults: 24 keys, 2,400 events per key (fewer with many keys: at most 1,200,000 events
        in all, at least 12 per key), 4,000 events/s (0 = as fast as possible),
        report in ./koala-demo-report, web UI on 8081 (or the next free port up to 8099;
        0 = any free port). --koala.* settings override the demo's job configuration.""";

  /** Returns the process exit code. */
  public static int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
    DemoOptions options;
    try {
      options = DemoOptions.parse(args);
    } catch (IllegalArgumentException e) {
      err.println("koala: " + e.getMessage());
      err.println(USAGE);
      return 2;
    }
    demo(options, out);
    return 0;
  }

  /** Runs the demo; returns what its report found. */
  static DemoReport.Result demo(DemoOptions options, PrintStream out) throws Exception {
    System.setProperty("java.awt.headless", "true");
    return new Demo(options, out).run();
  }

  /** One demo run and everything it started, closed exactly once. */
  private static final class Demo {
    private final DemoOptions options;
    private final PrintStream out;
    private final AtomicBoolean closed = new AtomicBoolean();
    private final Thread hook = new Thread(this::interrupted, "koala-demo-shutdown");
    private volatile EmbeddedKafka kafka;
    private volatile MiniCluster cluster;
    private volatile JobClient job;
    private volatile OutputMonitor monitor;
    private volatile Thread producer;
    private volatile Path work;

    Demo(DemoOptions options, PrintStream out) {
      this.options = options;
      this.out = out;
    }

    DemoReport.Result run() throws Exception {
      Runtime.getRuntime().addShutdownHook(hook);
      try {
        return runDemo();
      } finally {
        close(60);
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException shuttingDown) {
          // Called while the JVM exits: the hook does the same.
        }
      }
    }

    private DemoReport.Result runDemo() throws Exception {
      long started = System.nanoTime();
      DemoStream stream =
          DemoStream.generate(options.seed(), options.keys(), options.eventsPerKey());
      long labelled = stream.examples();
      work = Files.createTempDirectory("koala-demo-");
      out.printf(
          "koala demo: %,d tenants × %,d events = %,d events, two abrupt drifts per tenant%n",
          options.keys(), options.eventsPerKey(), labelled);
      if (!options.eventsPerKeyGiven() && options.eventsPerKey() != DemoOptions.EVENTS_PER_KEY) {
        out.printf(
            "  (%,d events per key, not %,d: the default run stays within %,d events; "
                + "--events-per-key overrides)%n",
            options.eventsPerKey(), DemoOptions.EVENTS_PER_KEY, DemoOptions.EVENTS_BUDGET);
      }
      String log = System.getProperty("koala.log.file");
      if (log != null) {
        out.println("  logs of Flink, Kafka and the engine: " + log);
      }

      kafka = quietly(EmbeddedKafka::start);
      DemoTopics topics = DemoTopics.DEFAULT;
      kafka.createTopics(topics.partitions());
      out.println(
          "  Kafka broker (KRaft, in this process): "
              + kafka.bootstrapServers()
              + ", topics "
              + String.join(", ", topics.partitions().keySet()));

      cluster = startCluster();
      URI rest = cluster.getRestAddress().get(60, TimeUnit.SECONDS);
      out.println(
          "  Flink web UI: http://localhost:" + rest.getPort() + "/  (open while the demo runs)");

      JobConfig config = JobConfig.of(ConfigLoader.load(null, jobArguments(topics)));
      // Each key's last partial batch trains only at the drained stop below.
      long beforeStop = stream.examplesInFullBatches(config.batchSize());
      StreamExecutionEnvironment env =
          StreamExecutionEnvironment.createRemoteEnvironment(
              rest.getHost(), rest.getPort(), config.configuration());
      KoalaJob.buildKafkaJob(env, config);
      job = env.executeAsync("koala-demo");
      out.println("  training job " + job.getJobID() + ": Kafka -> KOALA -> Kafka, exactly once");

      Set<String> compared = new HashSet<>(stream.sampleKeys(DemoReport.COMPARED));
      monitor = new OutputMonitor(kafka.bootstrapServers(), topics, compared::contains);
      AtomicLong sent = new AtomicLong();
      AtomicReference<Exception> refused = new AtomicReference<>();
      producer = new Thread(() -> produce(stream, topics, sent, refused), "koala-demo-producer");
      producer.setDaemon(true);
      producer.start();

      out.println(
          "  (accuracy: prequential, test-then-train, over each tenant's last "
              + Progress.WINDOW
              + " batches; Ctrl-C stops everything)");
      Progress progress = new Progress(out, System.console() != null);
      long deadline =
          System.nanoTime()
              + TimeUnit.SECONDS.toNanos(
                  120 + (options.rate() == 0 ? 0 : 3L * stream.recordCount() / options.rate()));
      while (!done(stream, beforeStop)) {
        monitor.check();
        if (refused.get() != null) {
          progress.finish();
          // Waiting would never end: the examples the broker refused are not coming.
          throw new IllegalStateException(
              "the embedded Kafka broker refused input records: " + refused.get(), refused.get());
        }
        if (System.nanoTime() > deadline || job.getJobStatus().get().isGloballyTerminalState()) {
          progress.finish();
          throw new IllegalStateException(
              "the demo did not finish: job "
                  + job.getJobStatus().get()
                  + ", "
                  + monitor.examples()
                  + " of "
                  + beforeStop
                  + " examples trained, "
                  + monitor.predictions()
                  + " of "
                  + stream.requests()
                  + " predictions, "
                  + monitor.deadLetterReasons().size()
                  + " of "
                  + stream.badRecords()
                  + " dead letters");
        }
        progress.show(started, sent.get(), stream.recordCount(), monitor);
        Thread.sleep(250);
      }
      progress.show(started, sent.get(), stream.recordCount(), monitor);
      progress.finish();
      double seconds = (System.nanoTime() - started) / 1e9;

      // Stop as a production job stops: a final savepoint with --drain, which flushes every
      // partial batch and commits the last transaction.
      String savepoint =
          job.stopWithSavepoint(
                  true, work.resolve("savepoint").toUri().toString(), SavepointFormatType.CANONICAL)
              .get(120, TimeUnit.SECONDS);
      job.getJobExecutionResult().get(120, TimeUnit.SECONDS);
      settle();
      long savepointBytes = StateSummary.sizeOnDisk(Path.of(URI.create(savepoint)));
      out.printf(
          "  stopped with a final savepoint (%s) after %.1f s; %,d model snapshots in %s%n",
          StateSummary.size(savepointBytes), seconds, monitor.snapshots(), topics.models());

      DemoReport.Result result =
          DemoReport.write(
              options.report(), stream, config, monitor, seconds, options, savepointBytes);
      out.println();
      out.println(result.summary());
      out.println("Report: " + result.index().toAbsolutePath());
      return result;
    }

    /** Kafka's storage formatter prints to stdout: keep the demo's terminal for the demo. */
    private static <T> T quietly(Callable<T> start) throws Exception {
      PrintStream stdout = System.out;
      System.setOut(new PrintStream(OutputStream.nullOutputStream()));
      try {
        return start.call();
      } finally {
        System.setOut(stdout);
      }
    }

    private boolean done(DemoStream stream, long labelled) {
      return monitor.examples() >= labelled
          && monitor.predictions() >= stream.requests()
          && monitor.deadLetterReasons().size() >= stream.badRecords();
    }

    /** Waits until the output topics stop growing (the drained job's last commit). */
    private void settle() throws Exception {
      long last = -1;
      while (true) {
        Thread.sleep(1_000);
        monitor.check();
        long now = monitor.snapshots() + monitor.examples() + monitor.driftEvents();
        if (now == last) {
          return;
        }
        last = now;
      }
    }

    private List<String> jobArguments(DemoTopics topics) {
      List<String> a =
          new ArrayList<>(
              List.of(
                  "--koala.source", "kafka",
                  "--koala.kafka.bootstrap-servers", kafka.bootstrapServers(),
                  "--koala.kafka.group-id", "koala-demo",
                  "--koala.kafka.transactional-id-prefix", "koala-demo-" + UUID.randomUUID(),
                  "--koala.model.type", "logistic",
                  "--koala.model.features", "3",
                  "--koala.model.standardise", "true",
                  "--koala.optimizer", "koala-v",
                  "--koala.batch.size", "8",
                  "--koala.snapshot.every-batches", "50",
                  "--execution.checkpointing.interval", "1 s",
                  "--execution.checkpointing.dir", work.resolve("checkpoints").toUri().toString(),
                  "--parallelism.default", "2",
                  "--pipeline.generic-types", "false"));
      String[] t = topics.settings();
      for (int i = 0; i < t.length; i += 2) {
        a.add("--" + t[i]);
        a.add(t[i + 1]);
      }
      a.addAll(options.overrides());
      return a;
    }

    private MiniCluster startCluster() throws Exception {
      Configuration conf = new Configuration();
      conf.set(RestOptions.ADDRESS, "localhost");
      conf.set(RestOptions.BIND_ADDRESS, "localhost");
      conf.set(RestOptions.BIND_PORT, options.webUiPort());
      conf.set(TaskManagerOptions.NUM_TASK_SLOTS, 2);
      MiniCluster mini =
          new MiniCluster(
              new MiniClusterConfiguration.Builder()
                  .setConfiguration(conf)
                  .setNumTaskManagers(1)
                  .setNumSlotsPerTaskManager(2)
                  .build());
      mini.start();
      return mini;
    }

    /** Replays the records into Kafka at the configured rate (record key = tenant). */
    private void produce(
        DemoStream stream, DemoTopics topics, AtomicLong sent, AtomicReference<Exception> refused) {
      Properties p = kafka.clientProperties();
      p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
      p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
      // One request in flight, in large batches: on a loaded machine an idempotent producer with
      // several in flight has had batches refused (out-of-order sequence), losing their records.
      p.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "1");
      p.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(256 * 1024));
      long start = System.nanoTime();
      try (var producer = new KafkaProducer<>(p, new StringSerializer(), new StringSerializer())) {
        long i = 0;
        for (String[] record : stream) {
          producer.send(
              new ProducerRecord<>(topics.input(), record[0], record[1]),
              (metadata, e) -> {
                if (e != null) {
                  refused.compareAndSet(null, e);
                }
              });
          sent.set(++i);
          if (options.rate() > 0 && i % 50 == 0) {
            long due = start + (long) (i * 1e9 / options.rate());
            long wait = due - System.nanoTime();
            if (wait > 0) {
              Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
            }
          }
        }
        producer.flush();
      } catch (InterruptedException stopping) {
        Thread.currentThread().interrupt();
      } catch (org.apache.kafka.common.KafkaException closing) {
        // The broker went away (Ctrl-C): nothing left to send to.
      }
    }

    /** The JVM is going down before the demo finished (Ctrl-C). */
    private void interrupted() {
      if (!closed.get()) {
        out.println();
        out.println("koala demo: interrupted; stopping the job, Flink and Kafka");
        close(5);
      }
    }

    /**
     * Stops and closes what was started, each within {@code seconds}. On Ctrl-C the JVM's other
     * shutdown hooks (Flink's RPC system among them) run at the same time and may never answer:
     * then the bounded wait ends and the exiting process releases every port.
     */
    private void close(int seconds) {
      if (!closed.compareAndSet(false, true)) {
        return;
      }
      if (producer != null) {
        producer.interrupt();
      }
      if (job != null) {
        try {
          if (!job.getJobStatus().get(seconds, TimeUnit.SECONDS).isGloballyTerminalState()) {
            job.cancel().get(seconds, TimeUnit.SECONDS);
          }
        } catch (Exception e) {
          // The cluster is closed next either way.
        }
      }
      if (monitor != null) {
        try {
          monitor.close();
        } catch (Exception e) {
          // Closing.
        }
      }
      if (cluster != null) {
        try {
          cluster.closeAsync().get(seconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
          out.println(
              "koala demo: Flink did not close within "
                  + seconds
                  + " s; the exiting "
                  + "process releases it");
        } catch (Exception e) {
          out.println("koala demo: closing Flink: " + e);
        }
      }
      if (kafka != null) {
        try {
          kafka.close();
        } catch (Exception e) {
          out.println("koala demo: closing Kafka: " + e);
        }
      }
      if (work != null) {
        try (Stream<Path> files = Files.walk(work)) {
          files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException e) {
          // Best effort: a temp folder.
        }
      }
    }
  }
}
