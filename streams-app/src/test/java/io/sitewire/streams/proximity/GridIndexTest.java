package io.sitewire.streams.proximity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GridIndexTest {

    private record Machine(double lat, double lng, double radius) {
    }

    /**
     * For seeded random sites (1,000 workers x 50 machines on a few hundred metres, at latitudes from the equator to 70
     * degrees), the machines the grid finds for a worker, after the exact distance check, are exactly those a brute-force
     * comparison with every machine finds; and the grid looks at far fewer machines than all of them.
     */
    @Test
    void gridCandidatesFilteredByDistanceEqualBruteForce() {
        final Random random = new Random(20_231_114L);
        long candidatesLookedAt = 0;
        long bruteForceComparisons = 0;
        long hits = 0;
        for (int site = 0; site < 8; site++) {
            final double lat0 = -70 + random.nextDouble() * 140;
            final double lng0 = -170 + random.nextDouble() * 340;
            final double cell = 20 + random.nextDouble() * 80;
            final GridIndex grid = new GridIndex(cell);
            final Map<String, Machine> machines = new HashMap<>();
            for (int m = 0; m < 50; m++) {
                final double[] p = GeoMath.offset(lat0, lng0, random.nextDouble() * 600 - 300, random.nextDouble() * 600 - 300);
                final Machine machine = new Machine(p[0], p[1], 5 + random.nextDouble() * 70);
                machines.put("m" + m, machine);
                grid.put("m" + m, machine.lat, machine.lng, machine.radius);
            }
            for (int w = 0; w < 1_000; w++) {
                final double[] p = GeoMath.offset(lat0, lng0, random.nextDouble() * 700 - 350, random.nextDouble() * 700 - 350);
                final Set<String> candidates = grid.candidates(p[0], p[1], 0);
                final Set<String> viaGrid = new TreeSet<>();
                for (final String id : candidates) {
                    if (inside(machines.get(id), p)) {
                        viaGrid.add(id);
                    }
                }
                final Set<String> bruteForce = new TreeSet<>();
                machines.forEach((id, machine) -> {
                    if (inside(machine, p)) {
                        bruteForce.add(id);
                    }
                });
                assertThat(viaGrid).as("site %d worker %d", site, w).isEqualTo(bruteForce);
                candidatesLookedAt += candidates.size();
                bruteForceComparisons += machines.size();
                hits += bruteForce.size();
            }
        }
        assertThat(hits).as("the random sites put workers inside radii").isGreaterThan(1_000);
        assertThat(candidatesLookedAt).as("grid work vs brute force").isLessThan(bruteForceComparisons / 4);
    }

    @Test
    void circleQueryFindsEveryPointWithinRangeAndRemoveForgets() {
        final Random random = new Random(7L);
        final GridIndex workers = new GridIndex(50);
        final Map<String, double[]> points = new HashMap<>();
        final double lat0 = 59.9;
        final double lng0 = 10.7;
        for (int w = 0; w < 1_000; w++) {
            final double[] p = GeoMath.offset(lat0, lng0, random.nextDouble() * 800 - 400, random.nextDouble() * 800 - 400);
            points.put("w" + w, p);
            workers.put("w" + w, p[0], p[1], 0);
        }
        for (int q = 0; q < 200; q++) {
            final double[] c = GeoMath.offset(lat0, lng0, random.nextDouble() * 800 - 400, random.nextDouble() * 800 - 400);
            final double radius = random.nextDouble() * 120;
            final Set<String> found = workers.candidates(c[0], c[1], radius);
            points.forEach((id, p) -> {
                if (GeoMath.distanceM(c[0], c[1], p[0], p[1]) <= radius) {
                    assertThat(found).contains(id);
                }
            });
        }
        workers.remove("w1");
        final double[] p1 = points.get("w1");
        assertThat(workers.candidates(p1[0], p1[1], 0)).doesNotContain("w1");
        assertThat(workers.size()).isEqualTo(999);
    }

    @Test
    void haversineMatchesClosedFormDistances() {
        // One degree along the equator and along a meridian is R * pi / 180; equator to pole is R * pi / 2
        assertThat(GeoMath.distanceM(0, 0, 0, 1)).isCloseTo(GeoMath.EARTH_RADIUS_M * Math.PI / 180, within(1e-6));
        assertThat(GeoMath.distanceM(10, 20, 11, 20)).isCloseTo(GeoMath.EARTH_RADIUS_M * Math.PI / 180, within(1e-6));
        assertThat(GeoMath.distanceM(0, 33, 90, 33)).isCloseTo(GeoMath.EARTH_RADIUS_M * Math.PI / 2, within(1e-3));
        // offset() and distanceM() agree to a centimetre at site scale
        final double[] east = GeoMath.offset(45.0, 7.0, 0, 50);
        assertThat(GeoMath.distanceM(45.0, 7.0, east[0], east[1])).isBetween(49.99, 50.01);
    }

    private static boolean inside(final Machine m, final double[] p) {
        return GeoMath.distanceM(p[0], p[1], m.lat, m.lng) <= m.radius;
    }
}
