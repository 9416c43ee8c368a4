package io.sitewire.schemas.provision;

import java.util.List;
import java.util.stream.Collectors;

/** What provisioning did: topics created, topics already as wanted, and drift found in existing ones. */
public record ProvisionReport(List<String> created, List<String> unchanged, List<Drift> drifts) {

    public ProvisionReport {
        created = List.copyOf(created);
        unchanged = List.copyOf(unchanged);
        drifts = List.copyOf(drifts);
    }

    public boolean hasDrift() {
        return !drifts.isEmpty();
    }

    /** A short human summary; drift lines are spelled out because an operator must act on them. */
    public String describe() {
        final StringBuilder text = new StringBuilder()
                .append("topics: ").append(created.size()).append(" created, ")
                .append(unchanged.size()).append(" as catalogued, ")
                .append(drifts.stream().map(Drift::topic).distinct().count()).append(" drifted");
        if (hasDrift()) {
            text.append(System.lineSeparator())
                    .append(drifts.stream().map(d -> "  DRIFT " + d).collect(Collectors.joining(System.lineSeparator())))
                    .append(System.lineSeparator())
                    .append("  Provisioning never deletes or rewrites topics: fix these by hand (kafka-topics/kafka-configs) or accept them.");
        }
        return text.toString();
    }
}
