package io.sitewire.simulator;

import java.util.random.RandomGenerator;

/**
 * An axis-aligned rectangle in site-local metres: x grows east, y grows north, (0, 0) is the site centre.
 */
public record Rect(double minX, double minY, double maxX, double maxY) {

    public Rect {
        if (!(minX < maxX && minY < maxY)) {
            throw new IllegalArgumentException("empty rectangle: " + minX + "," + minY + " .. " + maxX + "," + maxY);
        }
    }

    public boolean contains(final double x, final double y) {
        return x >= minX && x <= maxX && y >= minY && y <= maxY;
    }

    public double centerX() {
        return (minX + maxX) / 2;
    }

    public double centerY() {
        return (minY + maxY) / 2;
    }

    public double width() {
        return maxX - minX;
    }

    public double height() {
        return maxY - minY;
    }

    /** A uniformly random point at least {@code inset} metres from the edges (or the centre line if too narrow). */
    public double[] randomPoint(final RandomGenerator rng, final double inset) {
        final double ix = Math.min(inset, width() / 2);
        final double iy = Math.min(inset, height() / 2);
        return new double[] {
            minX + ix + rng.nextDouble() * (width() - 2 * ix),
            minY + iy + rng.nextDouble() * (height() - 2 * iy)};
    }

    public double clampX(final double x) {
        return Math.max(minX, Math.min(maxX, x));
    }

    public double clampY(final double y) {
        return Math.max(minY, Math.min(maxY, y));
    }
}
