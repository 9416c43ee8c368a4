package io.sitewire.simulator;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The plan of one simulated site: a rectangle of {@code width x depth} metres centred on an origin, divided into
 * named zones. Coordinates are site-local metres (x east, y north, (0, 0) the origin); {@link #lat}/{@link #lng}
 * turn them into WGS84 degrees (equirectangular, exact to millimetres over a few hundred metres).
 *
 * <pre>
 *  west                                        worker region | machine strip                    east
 *  +--------------------------------------------------------+------------------------------------+ north
 *  | muster-north                                            | crane-north   (tower crane 1)      |
 *  |                       +---------------------+           |                                    |
 *  | laydown               | building:           |           |--------------------------------   |
 *  |                       | basement, level-1..4|           | excavation    (excavators, ...)    |
 *  |                       +---------------------+           |--------------------------------   |
 *  | muster-south                                            | crane-south   (tower crane 2)      |
 *  |                 gate        welfare                     |                                    |
 *  +--------------------------------------------------------+------------------------------------+ south
 * </pre>
 *
 * Workers live in the worker region; machines in the strip on the east side, {@value #STRIP_WIDTH_M} m wide. The gap
 * between the two ({@value #STRIP_GAP_M} m) is wider than any machine's reach beyond the strip plus a position
 * fix's error, so a worker going about their day is never inside an operating machine's radius: proximity alerts
 * come from the scripted incidents only (the crane swing radius is barricaded, 29 CFR 1926.1424).
 */
public final class SitePlan {

    /** Mean Earth radius (IUGG), the one haversine implementations use: metres per radian. */
    static final double EARTH_RADIUS_M = 6_371_008.8;
    static final double STRIP_WIDTH_M = 140;
    static final double STRIP_GAP_M = 10;
    static final double MIN_WIDTH_M = 350;
    static final double MIN_DEPTH_M = 240;
    static final double MAX_SIZE_M = 3000;
    /** Longest reach of a machine beyond its working area ({@link #machineArea()}). */
    static final double MACHINE_MARGIN_M = 15;
    /** Tower crane masts stand this far inside the east edge, so a 60 m radius stays inside the strip. */
    static final double CRANE_INSET_X_M = 70;
    static final double CRANE_INSET_Y_M = 65;

    public static final String GATE = "gate";
    public static final String WELFARE = "welfare";
    public static final String LAYDOWN = "laydown";
    public static final String BASEMENT = "basement";
    public static final String MUSTER_NORTH = "muster-north";
    public static final String MUSTER_SOUTH = "muster-south";
    public static final String CRANE_NORTH = "crane-north";
    public static final String CRANE_SOUTH = "crane-south";
    public static final String EXCAVATION = "excavation";
    /** Open ground that belongs to no named zone. */
    public static final String OPEN_GROUND = "site";
    public static final List<String> LEVELS = List.of(BASEMENT, "level-1", "level-2", "level-3", "level-4");

    private final double originLat;
    private final double originLng;
    private final Rect site;
    private final Rect workerRegion;
    private final Rect building;
    private final Rect machineArea;
    private final List<Zone> zones;
    private final List<double[]> craneMasts;

    SitePlan(final double originLat, final double originLng, final double width, final double depth) {
        if (width < MIN_WIDTH_M || depth < MIN_DEPTH_M || width > MAX_SIZE_M || depth > MAX_SIZE_M) {
            throw new IllegalArgumentException("site size must be between " + (int) MIN_WIDTH_M + "x" + (int) MIN_DEPTH_M
                    + " and " + (int) MAX_SIZE_M + "x" + (int) MAX_SIZE_M + " m, got " + width + "x" + depth);
        }
        this.originLat = originLat;
        this.originLng = originLng;
        final double e = width / 2;
        final double n = depth / 2;
        this.site = new Rect(-e, -n, e, n);
        final double stripWest = e - STRIP_WIDTH_M;
        this.workerRegion = new Rect(-e, -n, stripWest - STRIP_GAP_M, n);
        final double x0 = -e;
        final double wr = workerRegion.width();
        this.building = new Rect(x0 + 0.38 * wr, -0.25 * depth, x0 + 0.92 * wr, 0.30 * depth);
        this.machineArea = new Rect(stripWest + MACHINE_MARGIN_M, -30 + MACHINE_MARGIN_M, e - MACHINE_MARGIN_M, 30 - MACHINE_MARGIN_M);
        final List<Zone> z = new ArrayList<>();
        // Order matters for zoneAt: the first zone containing a point names it.
        z.add(new Zone(MUSTER_NORTH, Zone.Kind.MUSTER, new Rect(x0, n - 0.15 * depth, x0 + 0.16 * wr, n)));
        z.add(new Zone(MUSTER_SOUTH, Zone.Kind.MUSTER, new Rect(x0, -n, x0 + 0.16 * wr, -n + 0.15 * depth)));
        z.add(new Zone(GATE, Zone.Kind.GATE, new Rect(x0 + 0.45 * wr, -n, x0 + 0.55 * wr, -n + 0.06 * depth)));
        z.add(new Zone(WELFARE, Zone.Kind.WELFARE, new Rect(x0 + 0.62 * wr, -n, x0 + 0.88 * wr, -n + 0.10 * depth)));
        z.add(new Zone(LAYDOWN, Zone.Kind.LAYDOWN, new Rect(x0, -0.25 * depth, x0 + 0.25 * wr, 0.25 * depth)));
        for (final String level : LEVELS) {
            z.add(new Zone(level, level.equals(BASEMENT) ? Zone.Kind.BASEMENT : Zone.Kind.FLOOR, building));
        }
        z.add(new Zone(CRANE_NORTH, Zone.Kind.CRANE_PAD, new Rect(stripWest, 30, e, n)));
        z.add(new Zone(EXCAVATION, Zone.Kind.EXCAVATION, new Rect(stripWest, -30, e, 30)));
        z.add(new Zone(CRANE_SOUTH, Zone.Kind.CRANE_PAD, new Rect(stripWest, -n, e, -30)));
        this.zones = List.copyOf(z);
        this.craneMasts = List.of(new double[] {e - CRANE_INSET_X_M, n - CRANE_INSET_Y_M},
                new double[] {e - CRANE_INSET_X_M, -(n - CRANE_INSET_Y_M)});
    }

    /** The plan of the {@code index}-th project: the same layout, each site further north so sites never overlap. */
    static SitePlan forProject(final SimulatorConfig config, final int index) {
        final double offsetM = index * (config.siteDepthM() + 200);
        return new SitePlan(config.originLat() + Math.toDegrees(offsetM / EARTH_RADIUS_M), config.originLng(),
                config.siteWidthM(), config.siteDepthM());
    }

    public double lat(final double y) {
        return originLat + Math.toDegrees(y / EARTH_RADIUS_M);
    }

    public double lng(final double x) {
        return originLng + Math.toDegrees(x / (EARTH_RADIUS_M * Math.cos(Math.toRadians(originLat))));
    }

    /** Site-local y of a latitude (the inverse of {@link #lat}). */
    public double y(final double lat) {
        return Math.toRadians(lat - originLat) * EARTH_RADIUS_M;
    }

    /** Site-local x of a longitude (the inverse of {@link #lng}). */
    public double x(final double lng) {
        return Math.toRadians(lng - originLng) * EARTH_RADIUS_M * Math.cos(Math.toRadians(originLat));
    }

    public double originLat() {
        return originLat;
    }

    public double originLng() {
        return originLng;
    }

    public Rect site() {
        return site;
    }

    /** Where workers go about their work: everything west of the machine strip. */
    public Rect workerRegion() {
        return workerRegion;
    }

    public Rect building() {
        return building;
    }

    /** Where mobile machines travel; their reach extends {@value #MACHINE_MARGIN_M} m beyond it. */
    public Rect machineArea() {
        return machineArea;
    }

    /** Tower crane masts (x, y), at most two. */
    public List<double[]> craneMasts() {
        return craneMasts.stream().map(double[]::clone).toList();
    }

    public List<Zone> zones() {
        return zones;
    }

    public Zone zone(final String name) {
        return zones.stream().filter(z -> z.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no zone " + name));
    }

    public List<String> musterZones() {
        return List.of(MUSTER_NORTH, MUSTER_SOUTH);
    }

    /**
     * The zone at a point; inside the building footprint, {@code level} (the worker's level) names it, or level-1
     * when unknown. Points in no zone are {@value #OPEN_GROUND}.
     */
    public String zoneAt(final double x, final double y, final String level) {
        for (final Zone z : zones) {
            if (z.contains(x, y)) {
                if (z.kind() == Zone.Kind.BASEMENT || z.kind() == Zone.Kind.FLOOR) {
                    return level != null ? level : LEVELS.get(1);
                }
                return z.name();
            }
        }
        return OPEN_GROUND;
    }

    /** The muster zone nearest to a point (by centre). */
    public Zone nearestMuster(final double x, final double y) {
        Optional<Zone> best = Optional.empty();
        double bestDistance = Double.POSITIVE_INFINITY;
        for (final String name : musterZones()) {
            final Zone z = zone(name);
            final double d = Math.hypot(z.area().centerX() - x, z.area().centerY() - y);
            if (d < bestDistance) {
                bestDistance = d;
                best = Optional.of(z);
            }
        }
        return best.orElseThrow();
    }
}
