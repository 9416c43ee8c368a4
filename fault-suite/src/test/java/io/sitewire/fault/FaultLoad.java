package io.sitewire.fault;

/**
 * How hard the sensor flow pushes during a fault. CI's defaults are light: one alarm a second is about what the
 * emergency instance (a transaction per poll) turned into alerts on a loaded 2-core machine, so the backlog stays within
 * the tests' waits. The {@code fault-heavy} Maven profile raises them (docs/fault-injection.md).
 *
 * @param alarmsPerPhase alarms acknowledged in each phase (before, during and after the fault)
 * @param tickMs         one alarm and {@link SensorFlow#READINGS_PER_TICK} readings every this many milliseconds
 */
record FaultLoad(int alarmsPerPhase, long tickMs) {

    static FaultLoad fromSystemProperties() {
        return new FaultLoad(Integer.getInteger("sitewire.fault.alarms.per.phase", 6),
                Long.getLong("sitewire.fault.tick.ms", 1000));
    }
}
