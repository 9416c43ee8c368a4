package io.sitewire.analyst;

import io.sitewire.schemas.json.AvroJson;
import io.sitewire.schemas.replay.ReplayedRecord;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.IndexedRecord;

/**
 * One record type as CSV: the columns {@code topic, partition, offset, timestamp, key}, then every field of the
 * record in schema order, a nested record's fields as {@code parent.child}. Cells: null is empty, enums their symbol,
 * times epoch milliseconds, arrays and maps their JSON text ({@code ["gate-B","gate-C"]}), bytes base64.
 *
 * <p>Quoting is RFC 4180: a cell with a comma, a double quote, CR or LF is quoted and its quotes doubled. Text fields
 * that begin with {@code = + - @}, a tab or CR get a leading {@code '} when the formula guard is on (the default):
 * a spreadsheet would otherwise run a supervisor's broadcast text as a formula. Numbers are never changed.
 */
public final class CsvFlattener {

    /** Columns every row starts with. */
    public static final List<String> POSITION_COLUMNS = List.of("topic", "partition", "offset", "timestamp", "key");

    private static final String HOLDER_OPEN = "{\"v\":";

    private final Schema schema;
    private final List<Column> columns = new ArrayList<>();
    private final boolean formulaGuard;

    public CsvFlattener(final Schema schema, final boolean formulaGuard) {
        if (schema.getType() != Schema.Type.RECORD) {
            throw new IllegalArgumentException("not a record schema: " + schema);
        }
        this.schema = schema;
        this.formulaGuard = formulaGuard;
        collect(schema, "", new int[0]);
    }

    /** The header line's cells. */
    public List<String> header() {
        final List<String> header = new ArrayList<>(POSITION_COLUMNS);
        columns.forEach(c -> header.add(c.name));
        return header;
    }

    /** The cells of one record, unquoted. */
    public List<String> cells(final ReplayedRecord record) {
        if (!record.value().getSchema().getFullName().equals(schema.getFullName())) {
            throw new IllegalArgumentException("a " + record.value().getSchema().getName() + " in a " + schema.getName() + " file");
        }
        final List<String> cells = new ArrayList<>(POSITION_COLUMNS.size() + columns.size());
        cells.add(record.topic());
        cells.add(Integer.toString(record.partition()));
        cells.add(Long.toString(record.offset()));
        cells.add(Long.toString(record.timestamp()));
        cells.add(text(record.key()));
        for (final Column column : columns) {
            Object value = record.value();
            for (final int pos : column.path) {
                value = value == null ? null : ((IndexedRecord) value).get(pos);
            }
            cells.add(cell(column, value));
        }
        return cells;
    }

    /** One CSV line (no line end) of these cells. */
    public static String line(final List<String> cells) {
        final StringBuilder line = new StringBuilder(cells.size() * 12);
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            quote(cells.get(i), line);
        }
        return line.toString();
    }

    static void quote(final String cell, final StringBuilder out) {
        boolean needs = false;
        for (int i = 0; i < cell.length() && !needs; i++) {
            final char c = cell.charAt(i);
            needs = c == ',' || c == '"' || c == '\n' || c == '\r';
        }
        if (!needs) {
            out.append(cell);
            return;
        }
        out.append('"');
        for (int i = 0; i < cell.length(); i++) {
            final char c = cell.charAt(i);
            if (c == '"') {
                out.append('"');
            }
            out.append(c);
        }
        out.append('"');
    }

    private void collect(final Schema record, final String prefix, final int[] path) {
        for (final Schema.Field field : record.getFields()) {
            final int[] fieldPath = java.util.Arrays.copyOf(path, path.length + 1);
            fieldPath[path.length] = field.pos();
            final Schema nested = nestedRecord(field.schema());
            if (nested != null) {
                collect(nested, prefix + field.name() + ".", fieldPath);
            } else {
                columns.add(Column.of(prefix + field.name(), field.schema(), fieldPath));
            }
        }
    }

    /** The record type of a field that is a record or a nullable record, else null. */
    private static Schema nestedRecord(final Schema schema) {
        if (schema.getType() == Schema.Type.RECORD) {
            return schema;
        }
        if (schema.getType() == Schema.Type.UNION) {
            final List<Schema> nonNull = schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).toList();
            if (nonNull.size() == 1 && nonNull.get(0).getType() == Schema.Type.RECORD) {
                return nonNull.get(0);
            }
        }
        return null;
    }

    private String cell(final Column column, final Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof CharSequence text) {
            return text(text.toString());
        }
        if (value instanceof ByteBuffer bytes) {
            final ByteBuffer copy = bytes.duplicate();
            final byte[] raw = new byte[copy.remaining()];
            copy.get(raw);
            return Base64.getEncoder().encodeToString(raw);
        }
        if (value instanceof Collection<?> || value instanceof Map<?, ?>) {
            return json(column, value);
        }
        return value.toString(); // numbers, booleans, enums (their symbol)
    }

    private String text(final String value) {
        if (value == null) {
            return "";
        }
        if (formulaGuard && !value.isEmpty() && "=+-@\t\r".indexOf(value.charAt(0)) >= 0) {
            return "'" + value;
        }
        return value;
    }

    /** The AvroJson form of an array or map value (the same form as NDJSON's data). */
    private static String json(final Column column, final Object value) {
        // AvroJson writes whole records: write a one-field record holding the value and keep the field's text.
        final GenericData.Record holder = new GenericData.Record(column.holder);
        holder.put(0, value);
        final String text = AvroJson.toJson(holder);
        return text.substring(HOLDER_OPEN.length(), text.length() - 1);
    }

    private record Column(String name, Schema schema, int[] path, Schema holder) {

        static Column of(final String name, final Schema schema, final int[] path) {
            Schema holder = null;
            final Schema.Type type = nonNull(schema).getType();
            if (type == Schema.Type.ARRAY || type == Schema.Type.MAP) {
                holder = Schema.createRecord("Cell", null, "io.sitewire.analyst.csv", false,
                        List.of(new Schema.Field("v", schema, null, (Object) null)));
            }
            return new Column(name, schema, path, holder);
        }

        private static Schema nonNull(final Schema schema) {
            return schema.getType() != Schema.Type.UNION ? schema
                    : schema.getTypes().stream().filter(t -> t.getType() != Schema.Type.NULL).findFirst().orElse(schema);
        }
    }
}
