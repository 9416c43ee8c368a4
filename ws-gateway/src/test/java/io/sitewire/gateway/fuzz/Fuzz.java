package io.sitewire.gateway.fuzz;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Seeded random inputs for the gateway's parser fuzz tests. Each try has its own seed (base + try number), printed
 * when the try fails, so a failure is reproduced with {@code -Dfuzz.seed=N} (that one try) whatever the run.
 */
public final class Fuzz {

    private static final String[] ATOMS = {"null", "true", "false", "0", "-1", "1e999", "-0.0", "9223372036854775808",
        "\"\"", "\"x\"", "\"\\u0000\"", "\"\\ud800\"", "[]", "{}", "\"project:p1\"", "\"latest\"", "\"earliest\""};
    private static final String SPECIALS = "{}[]\":,\\ \n\t0123456789-+.eEtrufalsn\u0000\u00e9\u20ac\ud83d\ude00";

    private Fuzz() {
    }

    /**
     * Runs {@code tries} tries of {@code body}, each with its own {@link Random}; a failing try is reported with its
     * seed. {@code -Dfuzz.seed=N} runs only the try with that seed.
     */
    public static void run(final long baseSeed, final int tries, final Consumer<Random> body) {
        final String only = System.getProperty("fuzz.seed");
        final List<Long> seeds = new ArrayList<>();
        if (only != null && !only.isBlank()) {
            seeds.add(Long.parseLong(only.strip()));
        } else {
            for (int i = 0; i < tries; i++) {
                seeds.add(baseSeed + i);
            }
        }
        for (final long seed : seeds) {
            try {
                body.accept(new Random(seed));
            } catch (final Throwable t) {
                throw new AssertionError("fuzz try failed with seed " + seed + " (rerun it with -Dfuzz.seed=" + seed + "): "
                        + t.getMessage(), t);
            }
        }
    }

    /** A random JSON value, nested up to {@code depth}. */
    public static String json(final Random random, final int depth) {
        final int kind = depth <= 0 ? random.nextInt(3) : random.nextInt(5);
        return switch (kind) {
            case 0 -> ATOMS[random.nextInt(ATOMS.length)];
            case 1 -> Long.toString(random.nextLong());
            case 2 -> quoted(text(random, random.nextInt(20)));
            case 3 -> {
                final StringBuilder b = new StringBuilder("[");
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(json(random, depth - 1));
                }
                yield b.append(']').toString();
            }
            default -> {
                final StringBuilder b = new StringBuilder("{");
                final int n = random.nextInt(4);
                for (int i = 0; i < n; i++) {
                    b.append(i == 0 ? "" : ",").append(quoted(text(random, 1 + random.nextInt(8)))).append(':')
                            .append(json(random, depth - 1));
                }
                yield b.append('}').toString();
            }
        };
    }

    /** Random text, biased to JSON syntax characters, including unpaired surrogates and NUL. */
    public static String text(final Random random, final int length) {
        final StringBuilder b = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            b.append(random.nextInt(4) == 0 ? (char) random.nextInt(0x10000) : SPECIALS.charAt(random.nextInt(SPECIALS.length())));
        }
        return b.toString();
    }

    /** A JSON string literal of {@code text}, escaped. */
    public static String quoted(final String text) {
        final StringBuilder b = new StringBuilder("\"");
        for (final char c : text.toCharArray()) {
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** One to four random edits: delete, insert, replace or duplicate a span, or cut the end. */
    public static String mutate(final Random random, final String text) {
        String s = text;
        final int edits = 1 + random.nextInt(4);
        for (int e = 0; e < edits; e++) {
            final int at = s.isEmpty() ? 0 : random.nextInt(s.length());
            switch (random.nextInt(5)) {
                case 0 -> s = s.isEmpty() ? s : s.substring(0, at) + s.substring(Math.min(s.length(), at + 1 + random.nextInt(3)));
                case 1 -> s = s.substring(0, at) + text(random, 1 + random.nextInt(3)) + s.substring(at);
                case 2 -> s = s.isEmpty() ? s : s.substring(0, at) + SPECIALS.charAt(random.nextInt(SPECIALS.length())) + s.substring(at + 1);
                case 3 -> s = s.substring(0, at) + s.substring(at, Math.min(s.length(), at + 5)) + s.substring(at);
                default -> s = s.substring(0, at);
            }
        }
        return s;
    }

    /** {@code depth} nested arrays or objects around a value. */
    public static String deep(final Random random, final int depth) {
        final boolean arrays = random.nextBoolean();
        final StringBuilder b = new StringBuilder(depth * 8);
        for (int i = 0; i < depth; i++) {
            b.append(arrays ? "[" : "{\"a\":");
        }
        b.append("1");
        for (int i = 0; i < depth; i++) {
            b.append(arrays ? "]" : "}");
        }
        return b.toString();
    }
}
