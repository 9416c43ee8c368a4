package io.sitewire.analyst;

import io.sitewire.schemas.EventType;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Where an export writes: {@code --out FILE} itself when one file holds everything (NDJSON, or a single record type),
 * else one file per type named {@code <FILE without extension>.<type>.<extension>}
 * ({@code --out range.csv} gives {@code range.alert.csv} and {@code range.sensor_reading.csv}); {@code -} is
 * standard output, for one file only. The names are known before reading (from the types of the topics read), so
 * every file is created, with its header, even when no record matches.
 *
 * <p>Each file is written as {@code <name>.partial} and renamed when the export completes: a file with the final
 * name is always whole. An export that stops early leaves its {@code .partial} files (and says so).
 */
public final class OutputFiles {

    static final String PARTIAL = ".partial";

    private final boolean stdout;
    private final Map<EventType, Path> paths = new LinkedHashMap<>();
    private final Path single;

    private OutputFiles(final boolean stdout, final Path single, final Map<EventType, Path> paths) {
        this.stdout = stdout;
        this.single = single;
        this.paths.putAll(paths);
    }

    /**
     * Plans the files of an export.
     *
     * @param out    {@code --out}: a file name or {@code -}
     * @param types  the record types the export can hold, in a stable order
     * @param force  whether existing files may be replaced
     * @throws IllegalArgumentException (a usage error) for stdout with several files, or files that exist
     */
    public static OutputFiles plan(final String out, final ExportFormat format, final Set<EventType> types,
            final boolean force) {
        final boolean perType = format.filePerType() && types.size() > 1;
        if (out.equals("-")) {
            if (perType) {
                throw new IllegalArgumentException("--out -: " + format.extension() + " needs one file per record type and "
                        + "this export holds " + types.size() + " (" + names(types) + "); give --out FILE, or --type to pick one");
            }
            return new OutputFiles(true, null, Map.of());
        }
        final Path base = Path.of(out).toAbsolutePath().normalize();
        final Map<EventType, Path> paths = new LinkedHashMap<>();
        if (perType) {
            final String name = base.getFileName().toString();
            final int dot = name.lastIndexOf('.');
            final String stem = dot > 0 ? name.substring(0, dot) : name;
            final String extension = dot > 0 ? name.substring(dot + 1) : format.extension();
            for (final EventType type : types) {
                paths.put(type, base.resolveSibling(stem + "." + type.jsonName() + "." + extension));
            }
        }
        final OutputFiles files = new OutputFiles(false, perType ? null : base, paths);
        if (!force) {
            final List<String> existing = files.finalPaths().stream().filter(Files::exists).map(Path::toString).toList();
            if (!existing.isEmpty()) {
                throw new IllegalArgumentException("--out: " + String.join(", ", existing) + " already exist"
                        + (existing.size() == 1 ? "s" : "") + "; choose another name or add --force to replace");
            }
        }
        return files;
    }

    /** Whether the export goes to standard output. */
    public boolean stdout() {
        return stdout;
    }

    /** Whether each type has its own file. */
    public boolean perType() {
        return !paths.isEmpty();
    }

    /** The final file of a type (the single file when there is one). */
    public Path pathFor(final EventType type) {
        if (stdout) {
            throw new IllegalStateException("writing to standard output");
        }
        return perType() ? paths.get(type) : single;
    }

    /** Every final file, in type order. */
    public List<Path> finalPaths() {
        return stdout ? List.of() : perType() ? new ArrayList<>(paths.values()) : List.of(single);
    }

    /** Opens {@code <final>.partial} for writing (parent folders created). */
    public static OutputStream openPartial(final Path finalPath) throws IOException {
        final Path partial = partialOf(finalPath);
        if (partial.getParent() != null) {
            Files.createDirectories(partial.getParent());
        }
        return Files.newOutputStream(partial);
    }

    /** Renames the {@code .partial} files to their final names, replacing what --force allowed to replace. */
    public void commit() throws IOException {
        for (final Path path : finalPaths()) {
            try {
                Files.move(partialOf(path), path, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (final java.nio.file.AtomicMoveNotSupportedException e) {
                Files.move(partialOf(path), path, StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }

    /** The partial files left behind by an export that stopped early. */
    public List<Path> partialPaths() {
        return finalPaths().stream().map(OutputFiles::partialOf).filter(Files::exists).toList();
    }

    static Path partialOf(final Path finalPath) {
        return finalPath.resolveSibling(finalPath.getFileName() + PARTIAL);
    }

    private static String names(final Set<EventType> types) {
        return String.join(", ", types.stream().map(EventType::jsonName).toList());
    }
}
