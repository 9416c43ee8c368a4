package io.sitewire.launcher;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code ./sitewire} command line. */
@Command(name = "sitewire", mixinStandardHelpOptions = true, version = "Sitewire 0.1.0",
        description = "Real-time safety backbone for construction sites.",
        subcommands = {UpCommand.class, ProvisionCommand.class, io.sitewire.launcher.soak.SoakCommand.class})
public final class Sitewire {

    public static void main(final String[] args) {
        // The app modules ship their own logback.xml for their own mains; the launcher names its own
        // configuration so logback neither picks one at random nor prints a warning about the others.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "sitewire-launcher-logback.xml");
        }
        io.sitewire.schemas.AvroTrust.install();
        final CommandLine cli = new CommandLine(new Sitewire());
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            // Operators get the message, not a stack trace: every failure we expect explains itself.
            commandLine.getErr().println(commandLine.getColorScheme().errorText("sitewire: " + e.getMessage()));
            return e instanceof StartupException ? 2 : 1;
        });
        System.exit(cli.execute(args));
    }
}
