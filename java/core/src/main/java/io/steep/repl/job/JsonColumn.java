package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import io.steep.repl.api.JsonShape;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * Reads a json or jsonb column into a tree, with {@link JsonShape}'s reading of numbers: the
 * tree a daemon sends is then the tree its client reads back (a double would print 12345678.5 as
 * 1.23456785E7 here and as 12345678.5 after the trip), and numbers keep the server's text.
 */
public final class JsonColumn {

    private JsonColumn() {
    }

    /** The column's value as JSON, or null for SQL NULL. */
    public static JsonNode read(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return JsonShape.MAPPER.readTree(text);
        } catch (IOException e) {
            throw new SQLException("column " + column + " holds invalid JSON: " + e.getMessage(), e);
        }
    }
}
