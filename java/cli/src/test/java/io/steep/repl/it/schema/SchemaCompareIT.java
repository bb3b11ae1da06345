package io.steep.repl.it.schema;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.steep.repl.cli.CliDriver;
import io.steep.repl.testkit.PgCluster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code steep-repl schema} between two real clusters: node-a has steep_repl (and dblink), node-b
 * has neither; each test builds its own schema on both.
 */
class SchemaCompareIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String READER_PASSWORD = "r3ader-Secret";
    private static PgCluster nodeA;
    private static PgCluster nodeB;

    @TempDir
    Path home;
    private CliDriver cli;

    @BeforeAll
    static void start() {
        nodeA = PgCluster.builder().name("schema-a").preload(false).start();
        nodeB = PgCluster.builder().name("schema-b").preload(false).start();
        nodeA.createExtension("postgres");
        nodeA.exec("CREATE EXTENSION dblink",
                "SELECT steep_repl.register_node('node-a', 'A', '127.0.0.1', " + nodeA.port() + ")",
                "SELECT steep_repl.register_node('node-b', 'B', '127.0.0.1', " + nodeB.port() + ")");
        for (PgCluster node : List.of(nodeA, nodeB)) {
            node.exec("CREATE ROLE reader LOGIN PASSWORD '" + READER_PASSWORD + "'");
        }
    }

    @AfterAll
    static void stop() {
        nodeA.close();
        nodeB.close();
    }

    @BeforeEach
    void freshSchemaAndCli() throws IOException {
        for (PgCluster node : List.of(nodeA, nodeB)) {
            node.exec("DROP SCHEMA IF EXISTS app CASCADE", "CREATE SCHEMA app", "GRANT USAGE ON SCHEMA app TO reader");
        }
        Path connections = home.resolve("connections.conf");
        Files.writeString(connections, "[node-a]\nhost=" + nodeA.socketDir() + "\nport=" + nodeA.port()
                + "\ndbname=postgres\nuser=postgres\n[node-b]\nhost=" + nodeB.socketDir() + "\nport=" + nodeB.port()
                + "\ndbname=postgres\nuser=postgres\n");
        cli = new CliDriver(home).env("STEEP_REPL_CONNECTIONS", connections.toString());
    }

    private void both(String... statements) {
        nodeA.exec(statements);
        nodeB.exec(statements);
    }

    private CliDriver.Result schema(String... args) {
        List<String> all = new ArrayList<>(List.of("schema"));
        all.addAll(List.of(args));
        all.addAll(List.of("-c", "node-a"));
        return cli.run(all.toArray(String[]::new));
    }

    private static JsonNode table(JsonNode document, String name) {
        for (JsonNode t : document.get("tables")) {
            if (t.get("table").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no table " + name + " in " + document);
    }

    private static List<String> differences(JsonNode table) {
        List<String> found = new ArrayList<>();
        table.get("differences").forEach(d -> found.add(d.get("component").asText() + " " + d.get("object").asText()
                + " " + d.get("difference").asText() + (d.get("blocking").asBoolean() ? " blocking" : "")));
        return found;
    }

    @Test
    void identicalSchemasMatchWithExitZero() throws Exception {
        both("CREATE TABLE app.orders (id bigserial PRIMARY KEY, \"Customer Name\" varchar(80) NOT NULL)",
                "CREATE TABLE app.\"LineItems\" (id int PRIMARY KEY, qty int CHECK (qty > 0))",
                "CREATE TABLE app.events (id int, at date) PARTITION BY RANGE (at)",
                "CREATE TABLE app.events_2024 PARTITION OF app.events FOR VALUES FROM ('2024-01-01') TO ('2025-01-01')");
        nodeB.exec("ALTER INDEX app.orders_pkey RENAME TO orders_primary");

        CliDriver.Result result = schema("compare", "node-a", "node-b", "--schema", "app", "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        JsonNode document = JSON.readTree(result.stdout());
        assertThat(document.get("compatible").asBoolean()).isTrue();
        assertThat(document.get("summary").get("match").asInt()).isEqualTo(4);
        assertThat(document.get("tables")).extracting(t -> t.get("status").asText()).containsOnly("match");

        CliDriver.Result human = schema("compare", "node-a", "node-b", "--schema", "app");
        assertThat(human.stdout()).contains("match (4 tables):", "  app.LineItems", "  app.events_2024")
                .contains("summary: 4 tables: 4 match, 0 mismatch, 0 local only, 0 remote only; compatible");
    }

    @Test
    void everyKindOfDifferenceIsDetectedAndClassified() throws Exception {
        nodeA.exec("CREATE TABLE app.t (id int PRIMARY KEY, name varchar(10), state text DEFAULT 'new', "
                        + "note text, gone int, email text)",
                "CREATE TABLE app.pk (a int, b int, PRIMARY KEY (a))",
                "CREATE TABLE app.only_here (id int)");
        nodeB.exec("CREATE TABLE app.t (id int PRIMARY KEY, name varchar(20), state text DEFAULT 'open', "
                        + "note text NOT NULL, email text)",
                "CREATE INDEX t_email ON app.t (email)",
                "CREATE TABLE app.pk (a int, b int, PRIMARY KEY (a, b))",
                "CREATE TABLE app.only_there (id int)");

        CliDriver.Result result = schema("compare", "node-a", "node-b", "--schema", "app", "--json");

        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        JsonNode document = JSON.readTree(result.stdout());
        assertThat(document.get("compatible").asBoolean()).isFalse();
        JsonNode t = table(document, "t");
        assertThat(t.get("status").asText()).isEqualTo("mismatch");
        assertThat(t.get("blocking").asBoolean()).isTrue();
        assertThat(differences(t)).containsExactlyInAnyOrder(
                "columns gone only_local blocking",
                "columns name type blocking",
                "columns note not_null blocking",
                "columns state default",
                "indexes INDEX USING btree (email) only_remote");
        assertThat(differences(table(document, "pk"))).contains(
                "primary_key PRIMARY KEY (a) only_local blocking", "primary_key PRIMARY KEY (a, b) only_remote blocking");
        assertThat(table(document, "only_here").get("status").asText()).isEqualTo("local_only");
        assertThat(table(document, "only_there").get("status").asText()).isEqualTo("remote_only");

        CliDriver.Result human = schema("compare", "node-a", "node-b", "--schema", "app");
        assertThat(human.exitCode()).isEqualTo(3);
        assertThat(human.stdout())
                .contains("mismatch (2 tables):", "local_only (1 table):", "remote_only (1 table):")
                .contains("column name: type local character varying(10), remote character varying(20)  BLOCKING")
                .contains("column state: default local 'new'::text, remote 'open'::text\n")
                .contains("indexes: only remote: INDEX USING btree (email)\n")
                .contains("summary: 4 tables: 0 match, 2 mismatch, 1 local only, 1 remote only; "
                        + "4 with blocking differences: not compatible");
    }

    @Test
    void informationalDifferencesKeepExitZero() throws Exception {
        nodeA.exec("CREATE TABLE app.t (id int PRIMARY KEY, b int, a int DEFAULT 1, qty int CHECK (qty > 0))");
        nodeB.exec("CREATE TABLE app.t (id int PRIMARY KEY, a int DEFAULT 2, b int, qty int CHECK (qty >= 0))",
                "CREATE INDEX ON app.t (a)");

        CliDriver.Result result = schema("compare", "node-a", "node-b", "--schema", "app");
        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(result.stdout()).contains("app.t  [columns, check, indexes]\n").doesNotContain("position");

        CliDriver.Result ordered = schema("compare", "node-a", "node-b", "--schema", "app", "--column-order");
        assertThat(ordered.exitCode()).isZero();
        assertThat(ordered.stdout()).contains("column a: position local 3, remote 2", "column b: position local 2, remote 3");
    }

    @Test
    void diffShowsOneTableWithQuotedMixedCaseName() throws Exception {
        nodeA.exec("CREATE TABLE app.\"Order Lines\" (\"Id\" int PRIMARY KEY, \"Qty\" int)");
        nodeB.exec("CREATE TABLE app.\"Order Lines\" (\"Id\" int PRIMARY KEY, \"Qty\" bigint)");

        CliDriver.Result result = schema("diff", "--table", "app.\"Order Lines\"", "node-a", "node-b");
        assertThat(result.exitCode()).as(result.output()).isEqualTo(3);
        assertThat(result.stdout()).contains("table app.Order Lines: mismatch, BLOCKING",
                "column Qty: type local integer, remote bigint  BLOCKING");

        CliDriver.Result missing = schema("diff", "--table", "\"Order Lines\"", "node-a", "node-b");
        assertThat(missing.exitCode()).isEqualTo(2);
        assertThat(missing.stderr()).contains("is not schema-qualified");
        CliDriver.Result unknown = schema("diff", "--table", "app.nothing", "node-a", "node-b");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.stderr()).contains("error: table app.nothing exists on neither side");
    }

    @Test
    void peerWithoutTheExtensionThroughTheServerAndFromHere() throws Exception {
        both("CREATE TABLE app.t (id int PRIMARY KEY)");
        assertThat(nodeB.queryString("SELECT count(*) FROM pg_extension WHERE extname = 'steep_repl'")).isEqualTo("0");
        String peer = nodeB.conninfo("postgres", PgCluster.SUPERUSER);

        CliDriver.Result fromHere = schema("compare", "--peer", peer, "--schema", "app");
        assertThat(fromHere.exitCode()).as(fromHere.output()).isZero();
        assertThat(fromHere.stdout()).contains("match (1 table):");

        CliDriver.Result viaServer = schema("compare", "--peer", peer, "--via-server", "--schema", "app", "--json");
        assertThat(viaServer.exitCode()).as(viaServer.output()).isZero();
        assertThat(table(JSON.readTree(viaServer.stdout()), "t").get("status").asText()).isEqualTo("match");
    }

    @Test
    void unreachablePeerIsExitSixWithoutThePassword() throws Exception {
        String peer = "host=127.0.0.1 port=1 dbname=postgres user=reader password=" + READER_PASSWORD;
        for (List<String> extra : List.of(List.<String>of(), List.of("--via-server"))) {
            List<String> args = new ArrayList<>(List.of("compare", "--peer", peer));
            args.addAll(extra);
            CliDriver.Result result = schema(args.toArray(String[]::new));
            assertThat(result.exitCode()).as(result.output()).isEqualTo(6);
            assertThat(result.stderr()).contains("error: could not connect to").contains("127.0.0.1")
                    .contains("hint: ");
            assertThat(result.output()).doesNotContain(READER_PASSWORD);
            JsonNode error = JSON.readTree(schema(withJson(args)).stdout()).get("error");
            assertThat(error.get("exit_code").asInt()).isEqualTo(6);
            assertThat(error.toString()).doesNotContain(READER_PASSWORD);
        }
        assertThat(nodeA.log()).doesNotContain(READER_PASSWORD);
    }

    @Test
    void failedComparisonsThroughTheServerLeaveNoPasswordInItsLog() {
        // The peer is up and asks for the password, which is wrong: the call fails on node-a's server.
        String secret = "l0gged-Nowhere";
        String peer = "host=127.0.0.1 port=" + nodeB.port() + " dbname=postgres user=reader password=" + secret;

        CliDriver.Result compare = schema("compare", "--peer", peer, "--via-server");
        CliDriver.Result diff = schema("diff", "--table", "app.t", "--peer", peer, "--via-server", "--json");

        assertThat(compare.exitCode()).as(compare.output()).isEqualTo(6);
        assertThat(diff.exitCode()).as(diff.output()).isEqualTo(6);
        assertThat(compare.stderr()).contains("password authentication failed for user \"reader\"");
        assertThat(compare.output() + diff.output()).doesNotContain(secret);
        // Both failures are logged with their statement, where the peer is a bind parameter.
        assertThat(nodeA.log()).contains("STATEMENT:  SELECT table_schema, table_name, status, blocking, "
                + "components, differences FROM steep_repl.compare_schema($1, $2::text[], $3, $4)")
                .doesNotContain(secret);

        // What docs/security.md warns of: the same call with the string as a literal puts it in the log.
        String literal = "l1teral-Logged";
        assertThatThrownBy(() -> nodeA.exec("SELECT * FROM steep_repl.compare_schema('"
                + peer.replace(secret, literal) + "')")).hasMessageContaining("password authentication failed");
        assertThat(nodeA.log()).contains("password=" + literal);
    }

    private static String[] withJson(List<String> args) {
        List<String> all = new ArrayList<>(args);
        all.add("--json");
        return all.toArray(String[]::new);
    }

    @Test
    void aRoleWithoutExtraPrivilegesCanCompare() throws Exception {
        both("CREATE TABLE app.t (id int PRIMARY KEY, v text)");
        nodeB.exec("ALTER TABLE app.t ALTER COLUMN v SET NOT NULL");
        assertThat(nodeA.queryString("SELECT rolsuper OR rolcreaterole OR rolreplication FROM pg_roles "
                + "WHERE rolname = 'reader'")).isEqualTo("f");
        Path pgpass = home.resolve(".pgpass");
        Files.writeString(pgpass, "127.0.0.1:*:*:reader:" + READER_PASSWORD + "\n");
        Files.setPosixFilePermissions(pgpass, PosixFilePermissions.fromString("rw-------"));
        String local = nodeA.conninfo("postgres", "reader");

        // The CLI connects to both registered nodes itself; the password comes from ~/.pgpass.
        CliDriver.Result nodes = cli.run("schema", "compare", "node-a", "node-b", "--schema", "app",
                "-c", local.replace("host=" + nodeA.socketDir(), "host=127.0.0.1"));
        assertThat(nodes.exitCode()).as(nodes.output()).isEqualTo(3);
        assertThat(nodes.stdout()).contains("column v: not_null local false, remote true  BLOCKING");

        // The server reaches the peer through dblink as the reader, with the password in the string.
        String peer = "host=127.0.0.1 port=" + nodeB.port() + " dbname=postgres user=reader password=" + READER_PASSWORD;
        CliDriver.Result viaServer = cli.run("schema", "diff", "--table", "app.t", "--peer", peer, "--via-server",
                "--json", "-c", local);
        assertThat(viaServer.exitCode()).as(viaServer.output()).isEqualTo(3);
        JsonNode table = JSON.readTree(viaServer.stdout()).get("table");
        assertThat(differences(table)).containsExactly("columns v not_null blocking");
        assertThat(viaServer.output()).doesNotContain(READER_PASSWORD);

        // A foreign server with a user mapping: no password on the command line or in the statement.
        nodeA.exec("CREATE SERVER peer_b FOREIGN DATA WRAPPER dblink_fdw OPTIONS (host '127.0.0.1', port '"
                        + nodeB.port() + "', dbname 'postgres')",
                "CREATE USER MAPPING FOR reader SERVER peer_b OPTIONS (user 'reader', password '" + READER_PASSWORD + "')",
                "GRANT USAGE ON FOREIGN SERVER peer_b TO reader");
        CliDriver.Result mapped = cli.run("schema", "compare", "--peer", "peer_b", "--via-server", "--schema", "app",
                "-c", local);
        nodeA.exec("DROP SERVER peer_b CASCADE");
        assertThat(mapped.exitCode()).as(mapped.output()).isEqualTo(3);
        assertThat(mapped.stdout()).contains("remote: peer_b", "column v: not_null local false, remote true  BLOCKING");

        // Without a password in the string dblink refuses a non-superuser: a connection error with the way out.
        CliDriver.Result refused = cli.run("schema", "compare", "--peer", peer.replace(" password=" + READER_PASSWORD, ""),
                "--via-server", "-c", local);
        assertThat(refused.exitCode()).isEqualTo(6);
        assertThat(refused.stderr()).contains("password is required").contains("hint: ")
                .contains("name a foreign server whose user mapping holds it");
    }

    @Test
    void captureStoresTheFingerprints() throws Exception {
        nodeA.exec("CREATE TABLE app.t (id int PRIMARY KEY)", "CREATE TABLE app.u (id int)");

        CliDriver.Result result = schema("capture", "--schema", "app", "--json");

        assertThat(result.exitCode()).as(result.output()).isZero();
        assertThat(JSON.readTree(result.stdout()).get("capture").get("tables").asInt()).isEqualTo(2);
        assertThat(nodeA.queryString("SELECT string_agg(table_name, ',' ORDER BY table_name) "
                + "FROM steep_repl.schema_fingerprints WHERE table_schema = 'app'")).isEqualTo("t,u");

        CliDriver.Result denied = cli.run("schema", "capture", "-c", nodeA.conninfo("postgres", "reader"));
        assertThat(denied.exitCode()).isEqualTo(1);
        assertThat(denied.stderr()).contains("permission denied for table schema_fingerprints");
    }

    @Test
    void usageErrors() {
        assertThat(schema("compare").exitCode()).isEqualTo(2);
        assertThat(schema("compare", "node-a").stderr()).contains("give two node ids");
        assertThat(schema("compare", "node-a", "node-b", "--peer", "host=x").stderr()).contains("not both");
        assertThat(schema("compare", "node-a", "node-b", "--via-server").stderr()).contains("--via-server needs --peer");
        CliDriver.Result ghost = schema("compare", "node-a", "ghost");
        assertThat(ghost.exitCode()).isEqualTo(1);
        assertThat(ghost.stderr()).contains("node \"ghost\" does not exist");
    }
}
