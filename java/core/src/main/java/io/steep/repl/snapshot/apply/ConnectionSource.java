package io.steep.repl.snapshot.apply;

import java.sql.Connection;
import java.sql.SQLException;

/** Opens an extra autocommit connection to the target database as the submitting role. */
@FunctionalInterface
interface ConnectionSource {
    /** @param purpose shown in the connection's application_name */
    Connection open(String purpose) throws SQLException;
}
