package io.steep.repl.snapshot.apply;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Removes steep_repl's own objects from a pre-data script. The source of every snapshot has the
 * extension (generate runs there) and so has every target (apply runs there), so pg_dump's
 * {@code CREATE SCHEMA steep_repl}, {@code CREATE EXTENSION steep_repl} and the like would only
 * collide with what the target already has, or need its ownership.
 */
final class PreDataFilter {
    private static final String EXTENSION = "steep_repl";
    private static final Pattern HEADER = Pattern.compile(
            "^-- Name: (.*); Type: ([^;]*); Schema: ([^;]*); Owner: (.*)$");

    private PreDataFilter() {
    }

    /**
     * @throws IllegalArgumentException when the script holds a psql command other than
     *                                  pg_dump's guard (see {@link DumpScript#requireOnlyGuardCommands})
     */
    static String withoutExtensionObjects(String script) {
        List<DumpScript.Piece> pieces = DumpScript.split(script);
        DumpScript.requireOnlyGuardCommands(pieces, "pre-data.sql");
        StringBuilder out = new StringBuilder(script.length());
        boolean skipping = false;
        for (DumpScript.Piece piece : pieces) {
            if (piece.kind() == DumpScript.Kind.COMMENT) {
                Matcher header = HEADER.matcher(piece.text());
                if (header.matches()) {
                    skipping = isExtensionObject(header.group(1), header.group(2), header.group(3));
                }
                out.append(piece.text()).append('\n');
            } else if (piece.kind() == DumpScript.Kind.META_COMMAND || !skipping) {
                out.append(piece.text()).append('\n');
            }
        }
        return out.toString();
    }

    private static boolean isExtensionObject(String name, String type, String schema) {
        return schema.equals(EXTENSION)
                || (type.equals("SCHEMA") || type.equals("EXTENSION")) && name.equals(EXTENSION)
                || type.equals("COMMENT") && (name.equals("SCHEMA " + EXTENSION) || name.equals("EXTENSION " + EXTENSION));
    }
}
