package io.steep.repl.snapshot.apply;

import io.steep.repl.jdbc.SqlIdentifiers;
import io.steep.repl.snapshot.manifest.Manifest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * pg_dump's post-data script cut into its objects, using the {@code -- Name: ...; Type: ...;}
 * header pg_dump writes before each one, so that independent objects can be built at the same
 * time on several connections.
 *
 * @param preamble the session settings before the first object (search_path, client_encoding, ...);
 *                 every connection that runs sections runs these first
 * @param sections the objects in script order
 */
record PostDataScript(List<String> preamble, List<Section> sections) {

    /** When an object may be built relative to the others. */
    enum Stage {
        /** Indexes, primary/unique/exclusion keys and check constraints: in parallel, one table at a time. */
        INDEXES,
        /** Partition indexes attached to their parent index: once every index exists, in order. */
        ATTACH,
        /** Foreign keys: after the keys they reference exist, in parallel. */
        FOREIGN_KEYS,
        /** Everything else (triggers, rules, policies, comments, ...): last, in script order. */
        OTHER
    }

    /**
     * One object of the script.
     *
     * @param settings   {@code SET default_tablespace} and the like in effect for this object
     * @param statements the object's statements, each ending in a semicolon
     * @param table      the table an index or constraint belongs to, when it could be read
     */
    record Section(String name, String type, List<String> settings, List<String> statements,
            Optional<Manifest.TableName> table) {

        Stage stage() {
            return switch (type) {
                case "INDEX", "CONSTRAINT", "CHECK CONSTRAINT" -> Stage.INDEXES;
                case "INDEX ATTACH" -> Stage.ATTACH;
                case "FK CONSTRAINT" -> Stage.FOREIGN_KEYS;
                default -> Stage.OTHER;
            };
        }

        /** Settings then statements: what a connection runs to build this object. */
        List<String> sql() {
            List<String> all = new ArrayList<>(settings);
            all.addAll(statements);
            return all;
        }
    }

    private static final Pattern HEADER = Pattern.compile(
            "^-- Name: (.*); Type: ([^;]*); Schema: ([^;]*); Owner: (.*)$");
    /** Settings pg_dump emits between objects; they stay in force for the objects that follow. */
    private static final Pattern CARRIED_SETTING = Pattern.compile(
            "^SET\\s+(default_tablespace|default_table_access_method|default_with_oids)\\s*=.*;$",
            Pattern.CASE_INSENSITIVE | Pattern.DOTALL);

    private static final String IDENT = "(?:\"(?:[^\"]|\"\")*\"|[^\\s.\"(]+)";
    private static final Pattern ALTER_TABLE = Pattern.compile(
            "^ALTER\\s+TABLE\\s+(?:ONLY\\s+)?(" + IDENT + ")\\.(" + IDENT + ")\\s", Pattern.CASE_INSENSITIVE);
    private static final Pattern CREATE_INDEX = Pattern.compile(
            "^CREATE\\s+(?:UNIQUE\\s+)?INDEX\\s+" + IDENT + "\\s+ON\\s+(?:ONLY\\s+)?(" + IDENT + ")\\.(" + IDENT + ")\\s",
            Pattern.CASE_INSENSITIVE);

    static PostDataScript parse(String script) {
        List<DumpScript.Piece> pieces = DumpScript.split(script);
        DumpScript.requireOnlyGuardCommands(pieces, "post-data.sql");
        List<String> preamble = new ArrayList<>();
        List<Section> sections = new ArrayList<>();
        Map<String, String> carried = new LinkedHashMap<>();
        SectionBuilder current = null;
        for (int i = 0; i < pieces.size(); i++) {
            DumpScript.Piece piece = pieces.get(i);
            switch (piece.kind()) {
                case META_COMMAND -> {
                    // refused above unless pg_dump's guard, which means nothing over a plain connection
                }
                case COMMENT -> {
                    Matcher header = HEADER.matcher(piece.text());
                    if (header.matches() && isBanner(pieces, i)) {
                        if (current != null) {
                            sections.add(current.build());
                        }
                        current = new SectionBuilder(header.group(1), header.group(2), List.copyOf(carried.values()));
                    }
                }
                case STATEMENT -> {
                    String statement = piece.text();
                    Matcher setting = CARRIED_SETTING.matcher(statement);
                    if (setting.matches()) {
                        carried.put(setting.group(1).toLowerCase(java.util.Locale.ROOT), statement);
                    } else if (current == null) {
                        preamble.add(statement);
                    } else {
                        current.statements.add(statement);
                    }
                }
                default -> throw new IllegalStateException(piece.kind().toString());
            }
        }
        if (current != null) {
            sections.add(current.build());
        }
        return new PostDataScript(List.copyOf(preamble), List.copyOf(sections));
    }

    /** pg_dump frames each header line with a bare {@code --} line above and below. */
    private static boolean isBanner(List<DumpScript.Piece> pieces, int at) {
        return at > 0 && at + 1 < pieces.size() && isBareComment(pieces.get(at - 1)) && isBareComment(pieces.get(at + 1));
    }

    private static boolean isBareComment(DumpScript.Piece piece) {
        return piece.kind() == DumpScript.Kind.COMMENT && piece.text().strip().equals("--");
    }

    /** The table an index or a constraint is defined on, read from its first statement. */
    static Optional<Manifest.TableName> tableOf(String statement) {
        String sql = statement.strip();
        for (Pattern pattern : List.of(ALTER_TABLE, CREATE_INDEX)) {
            Matcher m = pattern.matcher(sql);
            if (m.find()) {
                return Optional.of(new Manifest.TableName(SqlIdentifiers.unquote(m.group(1)), SqlIdentifiers.unquote(m.group(2))));
            }
        }
        return Optional.empty();
    }

    /** The sections of one stage, in script order. */
    List<Section> stage(Stage stage) {
        return sections.stream().filter(s -> s.stage() == stage).toList();
    }

    private static final class SectionBuilder {
        private final String name;
        private final String type;
        private final List<String> settings;
        private final List<String> statements = new ArrayList<>();

        SectionBuilder(String name, String type, List<String> settings) {
            this.name = name;
            this.type = type;
            this.settings = settings;
        }

        Section build() {
            Optional<Manifest.TableName> table = statements.isEmpty() ? Optional.empty() : tableOf(statements.get(0));
            return new Section(name, type, settings, List.copyOf(statements), table);
        }
    }
}
