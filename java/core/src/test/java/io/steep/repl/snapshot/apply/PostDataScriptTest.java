package io.steep.repl.snapshot.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.steep.repl.snapshot.manifest.Manifest;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PostDataScriptTest {
    /** Shaped like pg_dump 15's --section=post-data output, with the awkward bits. */
    private static final String SCRIPT = """
            --
            -- PostgreSQL database dump
            --

            \\restrict abc123

            SET statement_timeout = 0;
            SELECT pg_catalog.set_config('search_path', '', false);

            SET default_tablespace = '';

            --
            -- Name: Weird "Name" Weird "Name"_pkey; Type: CONSTRAINT; Schema: public; Owner: postgres
            --

            ALTER TABLE ONLY public."Weird ""Name""\"
                ADD CONSTRAINT "Weird ""Name""_pkey" PRIMARY KEY (id);


            --
            -- Name: child_x; Type: INDEX; Schema: public; Owner: postgres
            --

            CREATE INDEX child_x ON public.child USING btree (x) WHERE (x > 0);


            --
            -- Name: INDEX child_x; Type: COMMENT; Schema: public; Owner: postgres
            --

            COMMENT ON INDEX public.child_x IS 'idx;
            --
            -- Name: fake; Type: INDEX; Schema: public; Owner: x
            --
            ';


            --
            -- Name: p_k_idx; Type: INDEX; Schema: public; Owner: postgres
            --

            CREATE INDEX p_k_idx ON ONLY public.p USING btree (k);


            --
            -- Name: p1_k_idx; Type: INDEX ATTACH; Schema: public; Owner: postgres
            --

            ALTER INDEX public.p_k_idx ATTACH PARTITION public.p1_k_idx;


            --
            -- Name: child t1; Type: TRIGGER; Schema: public; Owner: postgres
            --

            CREATE TRIGGER t1 BEFORE INSERT ON public.child FOR EACH ROW EXECUTE FUNCTION public.trg();


            --
            -- Name: child child_w_fkey; Type: FK CONSTRAINT; Schema: public; Owner: postgres
            --

            ALTER TABLE ONLY public.child
                ADD CONSTRAINT child_w_fkey FOREIGN KEY (w) REFERENCES public."Weird ""Name""\"(id);


            --
            -- PostgreSQL database dump complete
            --

            \\unrestrict abc123
            """;

    @Test
    void splitsAtPgDumpHeadersOnly() {
        PostDataScript script = PostDataScript.parse(SCRIPT);

        assertThat(script.preamble()).containsExactly("SET statement_timeout = 0;",
                "SELECT pg_catalog.set_config('search_path', '', false);");
        assertThat(script.sections()).extracting(PostDataScript.Section::type).containsExactly(
                "CONSTRAINT", "INDEX", "COMMENT", "INDEX", "INDEX ATTACH", "TRIGGER", "FK CONSTRAINT");
        assertThat(script.sections().get(2).statements()).singleElement().asString()
                .startsWith("COMMENT ON INDEX").contains("Name: fake");
    }

    @Test
    void carriesSessionSettingsIntoTheObjectsThatFollow() {
        PostDataScript script = PostDataScript.parse(SCRIPT);

        assertThat(script.sections().get(0).sql()).containsExactly("SET default_tablespace = '';",
                "ALTER TABLE ONLY public.\"Weird \"\"Name\"\"\"\n    ADD CONSTRAINT \"Weird \"\"Name\"\"_pkey\" PRIMARY KEY (id);");
    }

    @Test
    void ordersObjectsIntoStages() {
        PostDataScript script = PostDataScript.parse(SCRIPT);

        assertThat(script.stage(PostDataScript.Stage.INDEXES)).extracting(PostDataScript.Section::name)
                .containsExactly("Weird \"Name\" Weird \"Name\"_pkey", "child_x", "p_k_idx");
        assertThat(script.stage(PostDataScript.Stage.ATTACH)).hasSize(1);
        assertThat(script.stage(PostDataScript.Stage.FOREIGN_KEYS)).hasSize(1);
        assertThat(script.stage(PostDataScript.Stage.OTHER)).extracting(PostDataScript.Section::type)
                .containsExactly("COMMENT", "TRIGGER");
    }

    @Test
    void readsTheTableOfIndexesAndConstraints() {
        List<PostDataScript.Section> indexes = PostDataScript.parse(SCRIPT).stage(PostDataScript.Stage.INDEXES);

        assertThat(indexes).extracting(PostDataScript.Section::table).containsExactly(
                Optional.of(new Manifest.TableName("public", "Weird \"Name\"")),
                Optional.of(new Manifest.TableName("public", "child")),
                Optional.of(new Manifest.TableName("public", "p")));
    }

    @Test
    void refusesPsqlCommandsOtherThanTheRestrictGuard() {
        assertThatThrownBy(() -> PostDataScript.parse("\\! rm -rf /\n"))
                .hasMessageContaining("psql command '\\! rm -rf /'");
    }

    @Test
    void keepsDollarQuotedBodiesWhole() {
        List<DumpScript.Piece> pieces = DumpScript.split(
                "CREATE FUNCTION f() RETURNS int AS $b$ SELECT 1; -- not a comment\n$b$ LANGUAGE sql;\nSELECT $1;");

        assertThat(pieces).extracting(DumpScript.Piece::text).containsExactly(
                "CREATE FUNCTION f() RETURNS int AS $b$ SELECT 1; -- not a comment\n$b$ LANGUAGE sql;", "SELECT $1;");
    }

    @Test
    void refusesAnUnterminatedStatement() {
        assertThatThrownBy(() -> DumpScript.split("CREATE INDEX i ON t (x)"))
                .hasMessageContaining("no terminating semicolon");
    }
}
