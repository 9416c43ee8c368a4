package io.sitewire.schemas.provision;

/** One way an existing topic differs from the catalogue. */
public record Drift(String topic, String setting, String expected, String actual) {
    @Override
    public String toString() {
        return topic + ": " + setting + " is " + actual + ", catalogue wants " + expected;
    }
}
