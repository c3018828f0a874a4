package io.koala.job.cli;

import io.koala.job.ConfigLoader;
import io.koala.job.JobConfig;
import io.koala.job.KoalaChoices;
import io.koala.job.KoalaJob;
import io.koala.job.KoalaOptions;
import io.koala.job.OptionCatalog;
import io.koala.job.demo.DemoCommand;
import io.koala.job.demo.TrainingReport;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

/**
 * The command line, {@code koala demo | train | generate | report}: {@code koala train --config
 * FILE [--key value ...]} validates, builds and runs the job. It sits above the job and the demo,
 * which know nothing of it.
 */
public final class KoalaCommand {

  private KoalaCommand() {}

  public static void main(String[] args) throws Exception {
    System.exit(run(args, System.out, System.err));
  }

  static final String USAGE =
      """
      usage: koala demo [--keys N] [--events-per-key N] [--rate EVENTS_PER_S] [--report DIR]
             koala train --config FILE [--koala.key value ...] [--flink.key value ...]
             koala generate sea|hyperplane|regression|multiclass|multikey|concepts --out FILE [--seed S]
             koala report DIR [--out REPORT_DIR]
        Trains one model per key from koala.source (file: koala.file.input) into koala.output.dir;
        report draws a koala train output directory as a page (DIR/report/index.html).
        koala train --help lists every option with its type, default and description.""";

  /** Returns the process exit code. */
  public static int run(String[] args, PrintStream out, PrintStream err) throws Exception {
    if (args.length > 0 && args[0].equals("demo")) {
      return DemoCommand.run(Arrays.asList(args).subList(1, args.length), out, err);
    }
    if (args.length > 0 && args[0].equals("generate")) {
      return GenerateCommand.run(Arrays.asList(args).subList(1, args.length), out, err);
    }
    if (args.length > 0 && args[0].equals("report")) {
      return TrainingReport.run(Arrays.asList(args).subList(1, args.length), out, err);
    }
    if (args.length == 0 || !args[0].equals("train")) {
      err.println(USAGE);
      return 2;
    }
    List<String> rest = new ArrayList<>(Arrays.asList(args).subList(1, args.length));
    if (rest.contains("--help") || rest.contains("-h")) {
      out.println(USAGE);
      out.println();
      out.print(OptionCatalog.help());
      return 0;
    }
    Path file = null;
    int at = rest.indexOf("--config");
    if (at >= 0) {
      if (at + 1 >= rest.size()) {
        err.println(USAGE);
        return 2;
      }
      file = Path.of(rest.get(at + 1));
      rest.subList(at, at + 2).clear();
    }
    JobConfig config;
    try {
      config = JobConfig.of(ConfigLoader.load(file, rest));
    } catch (IllegalArgumentException e) {
      err.println("koala: " + e.getMessage());
      return 2;
    }
    Configuration flink = config.configuration();
    StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(flink);
    try {
      if (config.get(KoalaOptions.SOURCE) == KoalaChoices.SourceKind.KAFKA) {
        KoalaJob.buildKafkaJob(env, config);
      } else {
        KoalaJob.buildFileJob(env, config);
      }
    } catch (IllegalArgumentException e) {
      err.println("koala: " + e.getMessage());
      return 2;
    }
    env.execute("koala-train");
    out.println(
        config.get(KoalaOptions.SOURCE) == KoalaChoices.SourceKind.KAFKA
            ? "koala: done; outputs in the koala.kafka.topic.* topics"
            : "koala: done; outputs in "
                + Path.of(config.get(KoalaOptions.OUTPUT_DIR)).toAbsolutePath());
    return 0;
  }
}
