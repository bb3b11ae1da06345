package io.steep.repl.snapshot.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Reads a format 1 manifest as format 2. Format 1 recorded every file's SHA-256 as
 * {@code "sha256": "<hex>"}; format 2 records {@code "checksum_algorithm"} and
 * {@code "checksum"} per file, so a format 1 entry is a format 2 entry with algorithm sha256.
 * Nothing else changed. The tree is rewritten before it becomes a {@link Manifest}, so the
 * records know one shape.
 */
final class ManifestFormat1 {
    static final int VERSION = 1;
    private static final String SHA256 = "sha256";

    private ManifestFormat1() {
    }

    static void upgrade(ObjectNode manifest) {
        JsonNode schema = manifest.path("schema");
        upgradeEntry(schema.path("pre_data"));
        upgradeEntry(schema.path("post_data"));
        for (JsonNode table : manifest.path("tables")) {
            for (JsonNode part : table.path("parts")) {
                upgradeEntry(part);
            }
        }
    }

    /** Leaves anything that is not a format 1 entry for the reader's checks to refuse. */
    private static void upgradeEntry(JsonNode entry) {
        if (entry instanceof ObjectNode object && object.has(SHA256) && !object.has("checksum")) {
            JsonNode value = object.remove(SHA256);
            object.put("checksum_algorithm", ChecksumAlgorithm.SHA256.id());
            object.set("checksum", value);
        }
    }
}
