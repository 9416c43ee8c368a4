package io.sitewire.launcher.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class SoakCommandTest {

    @Test
    void samplesFollowThePeriodWithOneExtraSampleAtTheWarmUpsEnd() {
        // Given a 60 s period and a 150 s warm-up
        final long period = 60;
        final long warmUp = 150;
        // Then the samples come at 60, 120, 150 (the baseline), 180, 240
        long next = SoakCommand.nextSample(0, period, warmUp);
        assertThat(next).isEqualTo(60);
        next = SoakCommand.nextSample(next, period, warmUp);
        assertThat(next).isEqualTo(120);
        next = SoakCommand.nextSample(next, period, warmUp);
        assertThat(next).isEqualTo(150);
        next = SoakCommand.nextSample(next, period, warmUp);
        assertThat(next).isEqualTo(180);
        assertThat(SoakCommand.nextSample(next, period, warmUp)).isEqualTo(240);
    }

    @Test
    void aWarmUpOnAPeriodBoundaryOrNoneAddsNoSample() {
        assertThat(SoakCommand.nextSample(0, 60, 600)).isEqualTo(60);
        assertThat(SoakCommand.nextSample(540, 60, 600)).isEqualTo(600);
        assertThat(SoakCommand.nextSample(600, 60, 600)).isEqualTo(660);
        assertThat(SoakCommand.nextSample(0, 60, 0)).isEqualTo(60);
    }

    @Test
    void aWindowTheGatewayWouldRefuseIsAUsageError() {
        // Given the soak command, When it is asked for a window below the gateway's 8 frames
        final StringWriter err = new StringWriter();
        final CommandLine cli = new CommandLine(new SoakCommand());
        cli.setErr(new PrintWriter(err));
        final int code = cli.execute("--window", "4");
        // Then it stops before starting anything, saying why
        assertThat(code).isEqualTo(2);
        assertThat(err.toString()).contains("--window must be 0 (none) or 8-4096 frames, not 4");
    }
}
