package io.koala.job.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/**
 * The entry class for Flink's application mode ({@code standalone-job --job-classname}, the
 * Kubernetes operator's {@code entryClass}): {@code koala train} as {@link KoalaCommand} runs it,
 * with the same arguments, but a main that returns instead of calling {@code System.exit}. In
 * application mode main runs inside the JobManager, and {@code env.execute} returns as soon as the
 * job is submitted (detached, Flink's default): an exit there would stop the JobManager with the
 * job it just started. A bad configuration fails the application with the reason.
 */
public final class KoalaApplication {

  private KoalaApplication() {}

  public static void main(String[] args) throws Exception {
    if (args.length == 0 || !args[0].equals("train")) {
      throw new IllegalArgumentException(
          "usage: "
              + KoalaApplication.class.getName()
              + " train --config FILE [--koala.key value ...]");
    }
    ByteArrayOutputStream errors = new ByteArrayOutputStream();
    PrintStream err = new PrintStream(new Tee(System.err, errors), true, StandardCharsets.UTF_8);
    // What KoalaCommand prints on success ("done") is not true here: the job was only submitted.
    PrintStream none = new PrintStream(OutputStream.nullOutputStream());
    int code = KoalaCommand.run(args, none, err);
    if (code != 0) {
      throw new IllegalArgumentException(errors.toString(StandardCharsets.UTF_8).trim());
    }
    System.out.println("koala: job submitted; it runs until it is stopped");
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream first;
    private final OutputStream second;

    Tee(OutputStream first, OutputStream second) {
      this.first = first;
      this.second = second;
    }

    @Override
    public void write(int b) throws java.io.IOException {
      first.write(b);
      second.write(b);
    }

    @Override
    public void write(byte[] b, int off, int len) throws java.io.IOException {
      first.write(b, off, len);
      second.write(b, off, len);
    }

    @Override
    public void flush() throws java.io.IOException {
      first.flush();
      second.flush();
    }
  }
}
