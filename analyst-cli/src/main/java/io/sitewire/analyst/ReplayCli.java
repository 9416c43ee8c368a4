package io.sitewire.analyst;

import io.sitewire.schemas.AvroTrust;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * {@code sitewire-replay}: the analysts' command line. {@code export} writes a range of topics to files;
 * {@code reprocess} runs the alert rules over a historical range into a what-if topic set. See docs/replay.md.
 */
@Command(name = "sitewire-replay", mixinStandardHelpOptions = true, version = "sitewire-replay 0.1.0",
        subcommands = {ExportCommand.class, ReprocessCommand.class, CommandLine.HelpCommand.class},
        description = "Replay Sitewire topics for a time or offset range: export them to files, or reprocess them "
                + "with other limits into a separate what-if topic set.")
public final class ReplayCli implements Runnable {

    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILED = 1;
    public static final int EXIT_USAGE = 2;
    /** The export completed, but some records in the range could not be decoded (they are in the summary). */
    public static final int EXIT_DECODE_FAILURES = 3;

    private final Map<String, String> env;
    private final PrintStream out;
    private final PrintStream err;

    ReplayCli(final Map<String, String> env, final PrintStream out, final PrintStream err) {
        this.env = env;
        this.out = out;
        this.err = err;
    }

    /** Our logging setup, by a name of its own: other modules' jars on the class path ship a logback.xml too. */
    static final String LOGBACK_CONFIG = "sitewire-replay-logback.xml";

    public static void main(final String[] args) {
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", LOGBACK_CONFIG);
        }
        System.exit(run(args, System.getenv(), System.out, System.err));
    }

    /** Runs one command line; the exit status. The environment is a parameter so tests can give KAFKA_* settings. */
    public static int run(final String[] args, final Map<String, String> env, final PrintStream out, final PrintStream err) {
        AvroTrust.install();
        final CommandLine cli = new CommandLine(new ReplayCli(env, out, err));
        cli.setOut(new PrintWriter(new java.io.OutputStreamWriter(out, StandardCharsets.UTF_8), true));
        cli.setErr(new PrintWriter(new java.io.OutputStreamWriter(err, StandardCharsets.UTF_8), true));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli.execute(args);
    }

    @Override
    public void run() {
        // No subcommand: show what there is.
        new CommandLine(this).usage(err);
    }

    Map<String, String> env() {
        return env;
    }

    PrintStream out() {
        return out;
    }

    PrintStream err() {
        return err;
    }
}
