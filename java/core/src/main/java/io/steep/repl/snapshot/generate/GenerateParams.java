package io.steep.repl.snapshot.generate;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.snapshot.compress.CompressionSpec;
import io.steep.repl.snapshot.manifest.ChecksumAlgorithm;
import io.steep.repl.snapshot.manifest.DataFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The params of a {@code snapshot.generate} job (docs/snapshots.md, "Job parameters and result"):
 * {@code {"snapshot_id", "path", "compression", "parallel", "options": {...}}}.
 *
 * @param slotName the replication slot to create and keep: option slot_name, or one derived
 *                 from the snapshot id; null without keep_slot
 * @param checksum   what the manifest records for every file: option checksum, or the default
 * @param dataFormat what the tables are written in where it suits them: option data_format, or
 *                   the default for the compression
 */
public record GenerateParams(String snapshotId, String path, CompressionSpec compression, int parallel,
        String nodeId, TableFilter filter, boolean keepSlot, String slotName, long splitThresholdBytes,
        ChecksumAlgorithm checksum, DataFormat dataFormat) {

    public static final int DEFAULT_PARALLEL = 4;
    public static final int MAX_PARALLEL = 64;
    public static final long DEFAULT_SPLIT_THRESHOLD_MB = 256;
    private static final Pattern SNAPSHOT_ID = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$");
    /** What PostgreSQL accepts as a replication slot name. */
    private static final Pattern SLOT_NAME = Pattern.compile("^[a-z0-9_]{1,63}$");
    private static final int MAX_SLOT_NAME = 63;

    /** Whether {@code text} has the form of a run's snapshot id. */
    static boolean isSnapshotId(String text) {
        return text != null && SNAPSHOT_ID.matcher(text).matches();
    }

    public static GenerateParams from(JsonNode params) {
        String snapshotId = text(params, "snapshot_id");
        if (!isSnapshotId(snapshotId)) {
            throw usage("snapshot_id '" + snapshotId + "' is missing or malformed",
                    "Start snapshots with steep_repl.start_snapshot(), which assigns the id.");
        }
        String path = text(params, "path");
        CompressionSpec compression = compression(params.path("compression"));
        int parallel = (int) number(params, "parallel", DEFAULT_PARALLEL, 1, MAX_PARALLEL);
        JsonNode options = params.path("options");
        if (!options.isMissingNode() && !options.isNull() && !options.isObject()) {
            throw usage("options must be a JSON object", null);
        }
        TableFilter filter = new TableFilter(names(options, "include_schemas"), names(options, "exclude_schemas"),
                TableFilter.parseAll(names(options, "include_tables")),
                TableFilter.parseAll(names(options, "exclude_tables")));
        JsonNode keepSlot = options.path("keep_slot");
        if (!keepSlot.isMissingNode() && !keepSlot.isNull() && !keepSlot.isBoolean()) {
            throw usage("option keep_slot must be true or false", null);
        }
        long thresholdMb = number(options, "split_threshold_mb", DEFAULT_SPLIT_THRESHOLD_MB, 1, 1L << 30);
        return new GenerateParams(snapshotId, path, compression, parallel, text(options, "node_id"), filter,
                keepSlot.asBoolean(false), slotName(snapshotId, keepSlot.asBoolean(false), text(options, "slot_name")),
                thresholdMb * 1024 * 1024, checksum(text(options, "checksum")),
                dataFormat(text(options, "data_format"), compression));
    }

    /** The extension checked the option when the job was queued; this is the defensive second look. */
    private static DataFormat dataFormat(String given, CompressionSpec compression) {
        if (given == null) {
            return DataFormat.defaultFor(compression.method());
        }
        DataFormat format = DataFormat.byId(given);
        if (format == null) {
            throw usage("option data_format '" + given + "' is not a data format",
                    "Use one of " + DataFormat.ids() + " (default binary without compression, text with it).");
        }
        return format;
    }

    /** The extension checked the option when the job was queued; this is the defensive second look. */
    private static ChecksumAlgorithm checksum(String given) {
        if (given == null) {
            return ChecksumAlgorithm.DEFAULT;
        }
        ChecksumAlgorithm algorithm = ChecksumAlgorithm.byId(given);
        if (algorithm == null) {
            throw usage("option checksum '" + given + "' is not a checksum algorithm",
                    "Use one of " + ChecksumAlgorithm.ids() + " (default " + ChecksumAlgorithm.DEFAULT.id() + ").");
        }
        return algorithm;
    }

    private static String slotName(String snapshotId, boolean keepSlot, String given) {
        if (given != null && !keepSlot) {
            throw usage("option slot_name needs keep_slot", "Add \"keep_slot\": true, or leave slot_name out.");
        }
        if (!keepSlot) {
            return null;
        }
        if (given != null) {
            if (!SLOT_NAME.matcher(given).matches()) {
                throw usage("option slot_name '" + given + "' is not a replication slot name",
                        "A slot name has 1 to 63 lower-case letters, digits or \"_\".");
            }
            return given;
        }
        return derivedSlotName(snapshotId);
    }

    /** {@code snap_20261121_013000_AB12cd34} becomes {@code steep_snap_20261121_013000_ab12cd34}. */
    static String derivedSlotName(String snapshotId) {
        String name = "steep_" + snapshotId.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9_]", "_");
        return name.length() > MAX_SLOT_NAME ? name.substring(0, MAX_SLOT_NAME) : name;
    }

    /** Either the user's text ({@code "zstd:3"}) or the manifest's object ({@code {"method": "zstd", "level": 3}}). */
    private static CompressionSpec compression(JsonNode value) {
        if (value.isMissingNode() || value.isNull()) {
            return CompressionSpec.NONE;
        }
        if (value.isTextual()) {
            return CompressionSpec.parse(value.asText());
        }
        JsonNode method = value.path("method");
        JsonNode level = value.path("level");
        if (!value.isObject() || !method.isTextual() || !(level.isMissingNode() || level.isNull() || level.isInt())) {
            throw usage("compression " + value + " is invalid", null);
        }
        return CompressionSpec.parse(method.asText() + (level.isInt() ? ":" + level.asInt() : ""));
    }

    private static String text(JsonNode node, String field) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return null;
        }
        if (!value.isTextual()) {
            throw usage(field + " must be a string", null);
        }
        return value.asText();
    }

    private static long number(JsonNode node, String field, long fallback, long min, long max) {
        JsonNode value = node.path(field);
        if (value.isMissingNode() || value.isNull()) {
            return fallback;
        }
        if (!value.isIntegralNumber() || value.asLong() < min || value.asLong() > max) {
            throw usage(field + " is " + value + ", expected a whole number between " + min + " and " + max, null);
        }
        return value.asLong();
    }

    private static List<String> names(JsonNode options, String field) {
        JsonNode value = options.path(field);
        List<String> names = new ArrayList<>();
        if (value.isMissingNode() || value.isNull()) {
            return names;
        }
        if (!value.isArray()) {
            throw usage("option " + field + " must be an array of names", null);
        }
        for (JsonNode item : value) {
            if (!item.isTextual() || item.asText().isEmpty()) {
                throw usage("option " + field + " holds " + item + ", expected non-empty names", null);
            }
            names.add(item.asText());
        }
        return names;
    }

    static SteepReplException usage(String message, String hint) {
        return new SteepReplException(ErrorCode.USAGE, message, hint != null ? hint
                : "See docs/snapshots.md for the options of steep_repl.start_snapshot().");
    }
}
