package io.sitewire.analyst;

import java.util.Locale;

/** The file formats of {@code export}. */
public enum ExportFormat {
    /** One JSON object per line, all types in one file (each line says its type). */
    NDJSON("ndjson", false),
    /** Flattened columns ({@link CsvFlattener}); one file per record type. */
    CSV("csv", true),
    /** Avro object container files with the record type's schema; one file per record type. */
    AVRO("avro", true);

    private final String extension;
    private final boolean filePerType;

    ExportFormat(final String extension, final boolean filePerType) {
        this.extension = extension;
        this.filePerType = filePerType;
    }

    public String extension() {
        return extension;
    }

    /** Whether records of different types go to different files. */
    public boolean filePerType() {
        return filePerType;
    }

    /** For picocli: {@code ndjson}, {@code csv}, {@code avro}, any case. */
    public static ExportFormat parse(final String text) {
        return valueOf(text.strip().toUpperCase(Locale.ROOT));
    }
}
