package io.steep.repl.jdbc;

import static org.assertj.core.api.Assertions.assertThat;

import io.steep.repl.ErrorCode;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.postgresql.util.PSQLException;
import org.postgresql.util.PSQLState;

class ConnectFailuresTest {
    private static final String SECRET = "pa55-w0rd!";

    private static ConnectionSpec tcp(String passwordSource) {
        return new ConnectionSpec(List.of(new Endpoint("db1", null, 5433)), "app", "steep",
                passwordSource == null ? null : SECRET, passwordSource, null, null, null, null, null, "steep-repl", null,
                null, null);
    }

    private static ConnectionSpec socket() {
        return new ConnectionSpec(List.of(new Endpoint("/run/pg", null, 5432)), "app", "steep", null, null, null, null,
                null, null, null, "steep-repl", null, null, null);
    }

    private static PSQLException driverFailure(Throwable cause) {
        return new PSQLException("The connection attempt failed.", PSQLState.CONNECTION_UNABLE_TO_CONNECT, cause);
    }

    @Test
    void refusedTcpConnection() {
        ServerException e = ConnectFailures.translate(tcp("PGPASSWORD"), driverFailure(new ConnectException("Connection refused")));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(e.getMessage()).isEqualTo("could not connect to host=db1 port=5433 dbname=app user=steep "
                + "password=********: Connection refused");
        assertThat(e.hint()).isEqualTo("Is the server running on host \"db1\", port 5433 and accepting TCP/IP "
                + "connections (listen_addresses, firewall)?");
        assertThat(e.getMessage() + e.hint()).doesNotContain(SECRET);
    }

    @Test
    void missingSocket() {
        ServerException e = ConnectFailures.translate(socket(), driverFailure(new java.io.IOException("No such file or directory")));

        assertThat(e.getMessage()).endsWith(": No such file or directory");
        assertThat(e.hint()).isEqualTo("Is the server running locally and accepting connections on Unix socket "
                + "\"/run/pg/.s.PGSQL.5432\"?");
    }

    @Test
    void authenticationFailures() {
        ServerException wrongPassword = ConnectFailures.translate(tcp("/home/u/.pgpass"), SqlErrorsTest.serverError(
                "28P01", "password authentication failed for user \"steep\"", null, null));
        ServerException noEntry = ConnectFailures.translate(tcp(null), SqlErrorsTest.serverError(
                "28000", "no pg_hba.conf entry for host \"10.0.0.9\", user \"steep\", database \"app\"", null, null));

        assertThat(wrongPassword.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(wrongPassword.getMessage()).contains("password authentication failed");
        assertThat(wrongPassword.hint()).contains("it came from /home/u/.pgpass").contains("pg_hba.conf");
        assertThat(noEntry.hint()).contains("pg_hba.conf").contains("\"app\"");
    }

    @Test
    void noPasswordGiven() {
        ServerException e = ConnectFailures.translate(tcp(null), new PSQLException(
                "The server requested SCRAM-based authentication, but no password was provided.",
                PSQLState.CONNECTION_REJECTED));

        assertThat(e.hint()).contains("~/.pgpass").contains("PGPASSWORD");
    }

    @Test
    void unknownHostAndTimeouts() {
        ServerException unknown = ConnectFailures.translate(tcp(null), driverFailure(new UnknownHostException("db1")));
        ServerException timeout = ConnectFailures.translate(tcp(null), driverFailure(new SocketTimeoutException("x")));

        assertThat(unknown.getMessage()).endsWith("could not translate host name \"db1\" to address");
        assertThat(timeout.getMessage()).endsWith("timeout expired");
        assertThat(timeout.hint()).contains("connect_timeout");
    }

    @Test
    void missingDatabase() {
        ServerException e = ConnectFailures.translate(tcp(null), SqlErrorsTest.serverError(
                "3D000", "database \"app\" does not exist", null, null));

        assertThat(e.code()).isEqualTo(ErrorCode.CONNECTION);
        assertThat(e.hint()).contains("dbname=app");
    }
}
