package io.steep.repl.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads a json or jsonb column into a tree. */
public final class JsonColumn {
    private static final ObjectMapper JSON = new ObjectMapper();

    private JsonColumn() {
    }

    /** The column's value as JSON, or null for SQL NULL. */
    public static JsonNode read(ResultSet rs, String column) throws SQLException {
        String text = rs.getString(column);
        if (text == null) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new SQLException("column " + column + " holds invalid JSON: " + e.getMessage(), e);
        }
    }
}
