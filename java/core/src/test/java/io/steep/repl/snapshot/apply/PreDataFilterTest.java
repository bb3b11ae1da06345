package io.steep.repl.snapshot.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PreDataFilterTest {
    @Test
    void dropsTheExtensionsOwnObjectsAndKeepsTheRest() {
        String script = """
                \\restrict k
                SET statement_timeout = 0;

                --
                -- Name: app; Type: SCHEMA; Schema: -; Owner: postgres
                --

                CREATE SCHEMA app;

                --
                -- Name: steep_repl; Type: SCHEMA; Schema: -; Owner: postgres
                --

                CREATE SCHEMA steep_repl;

                --
                -- Name: steep_repl; Type: EXTENSION; Schema: -; Owner: -
                --

                CREATE EXTENSION IF NOT EXISTS steep_repl WITH SCHEMA steep_repl;

                --
                -- Name: EXTENSION steep_repl; Type: COMMENT; Schema: -; Owner:\s
                --

                COMMENT ON EXTENSION steep_repl IS 'x';

                --
                -- Name: t; Type: TABLE; Schema: app; Owner: postgres
                --

                CREATE TABLE app.t (steep_repl int);
                \\unrestrict k
                """;

        String filtered = PreDataFilter.withoutExtensionObjects(script);

        assertThat(filtered).contains("\\restrict k", "SET statement_timeout = 0;", "CREATE SCHEMA app;",
                "CREATE TABLE app.t (steep_repl int);", "\\unrestrict k")
                .doesNotContain("CREATE SCHEMA steep_repl", "CREATE EXTENSION", "COMMENT ON EXTENSION");
    }

    @Test
    void refusesPsqlCommandsOtherThanTheRestrictGuard() {
        assertThatThrownBy(() -> PreDataFilter.withoutExtensionObjects("\\restrict k\n\\! id\nCREATE SCHEMA app;\n"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pre-data.sql contains the psql command '\\! id'");
    }
}
