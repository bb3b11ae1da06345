package io.steep.repl.schema;

import com.fasterxml.jackson.core.type.TypeReference;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.Operation;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;

/**
 * Table fingerprints and comparisons ({@code steep-repl schema ...}; gRPC SchemaService). Nodes
 * and peers named in a request are resolved and reached from where the operation runs, with the
 * session's resolver: the CLI user's settings in direct mode, the daemon's in remote mode.
 */
public final class SchemaOperations {

    /** @param scope null for {@link SchemaScope#all()} */
    public record CaptureRequest(SchemaScope scope) {
        public CaptureRequest {
            scope = orAll(scope);
        }
    }

    /**
     * Two nodes: either {@code nodes} (two node ids or connection names) or {@code peer}, the other
     * side of the session's node.
     *
     * @param viaServer with a peer: the session's server reaches it through dblink
     */
    public record CompareRequest(List<String> nodes, String peer, boolean viaServer, SchemaScope scope) {
        public CompareRequest {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
            scope = orAll(scope);
        }
    }

    /** @param table schema-qualified and quoted as in SQL: public."Orders" */
    public record DiffRequest(String table, List<String> nodes, String peer, boolean viaServer, SchemaScope scope) {
        public DiffRequest {
            nodes = nodes == null ? List.of() : List.copyOf(nodes);
            scope = orAll(scope);
        }
    }

    public static final Operation<CaptureRequest, SchemaCompare.Capture> CAPTURE = Operation.of(
            "SchemaService/Capture", CaptureRequest.class, new TypeReference<>() { },
            (session, q) -> new SchemaCompare(session.connection()).capture(q.scope()));

    public static final Operation<CompareRequest, Compared> COMPARE = Operation.of("SchemaService/Compare",
            CompareRequest.class, new TypeReference<>() { },
            (session, q) -> new Comparer(session).compare(q.nodes(), q.peer(), q.viaServer(), q.scope()));

    public static final Operation<DiffRequest, TableDiff> DIFF = Operation.of("SchemaService/Diff",
            DiffRequest.class, new TypeReference<>() { }, (session, q) -> {
                String[] name = parse(session.connection(), q.table());
                Compared compared = new Comparer(session).compare(q.nodes(), q.peer(), q.viaServer(),
                        q.scope().onlySchema(name[0]));
                TableComparison found = compared.comparison().tables().stream()
                        .filter(t -> t.matches(name[0], name[1])).findFirst()
                        .orElseThrow(() -> new SteepReplException(ErrorCode.ERROR,
                                "table " + q.table() + " exists on neither side",
                                "Check the name; mixed-case names need double quotes: public.\"Orders\"."));
                return new TableDiff(compared.local(), compared.remote(), found);
            });

    /** Schema and table, with PostgreSQL's own rules for quoting and case. */
    private static String[] parse(Connection connection, String text) throws SQLException {
        try (PreparedStatement ps = connection.prepareStatement("SELECT pg_catalog.parse_ident(?)")) {
            ps.setString(1, text);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                String[] parts = (String[]) rs.getArray(1).getArray();
                if (parts.length != 2) {
                    throw new SteepReplException(ErrorCode.USAGE, "table name \"" + text + "\" is not schema-qualified",
                            "Write schema.table, with double quotes around names that need them: public.\"Orders\".");
                }
                return parts;
            }
        }
    }

    /** A request message without a scope covers everything, as the CLI without options does. */
    private static SchemaScope orAll(SchemaScope scope) {
        return scope == null ? SchemaScope.all() : scope;
    }

    private SchemaOperations() {
    }
}
