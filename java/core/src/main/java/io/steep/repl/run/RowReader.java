package io.steep.repl.run;

import java.sql.ResultSet;
import java.sql.SQLException;

/** Reads one value from the current row of a result set. */
@FunctionalInterface
public interface RowReader<T> {
    T read(ResultSet rs) throws SQLException;
}
