package io.steep.repl.daemon;

import io.steep.repl.jdbc.ConnectionSpec;
import java.sql.Connection;
import java.sql.SQLException;

/** The PostgreSQL database a daemon serves: every operation opens its own session here. */
public interface Database {
    /** Where it goes (for messages; its toString is redacted). */
    ConnectionSpec target();

    /** A new autocommit session, which the caller closes. */
    Connection open() throws SQLException;
}
