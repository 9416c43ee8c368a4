package io.sitewire.streams.proximity;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * A uniform spatial grid over latitude/longitude degrees that finds candidates near a point without comparing it with
 * every entry. An entry is a circle (a machine with its safety radius, or a worker as a point) and is listed in every
 * cell its bounding box touches; a query lists the entries of every cell its own circle's bounding box touches. The
 * result is a superset of the entries within range (boxes are conservative), never a miss: the caller then checks the
 * exact distance with {@link GeoMath#distanceM}.
 *
 * <p>Cells are {@code cellM} metres along the meridian and the same number of degrees along the parallel (narrower
 * east-west away from the equator, 35 m at 45 degrees for 50 m cells), which keeps cell keys independent of where an
 * entry lies. Not thread-safe: one per stream task. Known limit: a site straddling the 180th meridian is not supported.
 */
public final class GridIndex {

    /** Widening of the longitude span, over the spherical bound, so rounding can never drop a candidate. */
    private static final double SAFETY = 1.001;
    private static final double MAX_LAT = 89.0;

    private final double cellDeg;
    private final Map<Long, Set<String>> cells = new HashMap<>();
    private final Map<String, long[]> cellsOf = new HashMap<>();

    public GridIndex(final double cellM) {
        if (!(cellM > 0)) {
            throw new IllegalArgumentException("cellM must be > 0");
        }
        this.cellDeg = cellM / GeoMath.METRES_PER_DEGREE;
    }

    /** Lists {@code id} for the circle of {@code radiusM} around (lat, lng), replacing any earlier entry for it. */
    public void put(final String id, final double lat, final double lng, final double radiusM) {
        remove(id);
        final long[] covered = covering(lat, lng, radiusM);
        for (final long cell : covered) {
            cells.computeIfAbsent(cell, c -> new HashSet<>()).add(id);
        }
        cellsOf.put(id, covered);
    }

    public void remove(final String id) {
        final long[] old = cellsOf.remove(id);
        if (old == null) {
            return;
        }
        for (final long cell : old) {
            final Set<String> ids = cells.get(cell);
            if (ids != null) {
                ids.remove(id);
                if (ids.isEmpty()) {
                    cells.remove(cell);
                }
            }
        }
    }

    /** Ids whose circle may come within {@code radiusM} of (lat, lng): a superset of those that do. */
    public Set<String> candidates(final double lat, final double lng, final double radiusM) {
        final Set<String> found = new HashSet<>();
        for (final long cell : covering(lat, lng, radiusM)) {
            final Set<String> ids = cells.get(cell);
            if (ids != null) {
                found.addAll(ids);
            }
        }
        return found;
    }

    public int size() {
        return cellsOf.size();
    }

    public boolean contains(final String id) {
        return cellsOf.containsKey(id);
    }

    /** Cells touched by the bounding box of the circle; the box bounds every point within radiusM on the sphere. */
    long[] covering(final double lat, final double lng, final double radiusM) {
        final double dLat = radiusM / GeoMath.METRES_PER_DEGREE;
        final double widestLat = Math.min(MAX_LAT, Math.abs(lat) + dLat);
        final double dLng = radiusM * SAFETY / (GeoMath.METRES_PER_DEGREE * Math.cos(Math.toRadians(widestLat)));
        final long y0 = (long) Math.floor((lat - dLat) / cellDeg);
        final long y1 = (long) Math.floor((lat + dLat) / cellDeg);
        final long x0 = (long) Math.floor((lng - dLng) / cellDeg);
        final long x1 = (long) Math.floor((lng + dLng) / cellDeg);
        final long[] out = new long[(int) ((y1 - y0 + 1) * (x1 - x0 + 1))];
        int i = 0;
        for (long y = y0; y <= y1; y++) {
            for (long x = x0; x <= x1; x++) {
                out[i++] = (y << 32) ^ (x & 0xffffffffL);
            }
        }
        return out;
    }
}
