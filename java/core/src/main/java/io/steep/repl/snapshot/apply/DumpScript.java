package io.steep.repl.snapshot.apply;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits a plain-format pg_dump script into its top-level pieces: comment lines and statements,
 * in order. It follows SQL quoting (standard and E'' strings, quoted identifiers, dollar quotes,
 * block comments), so text inside a string that looks like a header or ends in a semicolon is
 * never mistaken for one. psql meta-commands ({@code \restrict} and the like) come out as
 * their own pieces so a caller can decide what to do with them.
 */
final class DumpScript {

    /** One top-level piece of a script. */
    record Piece(Kind kind, String text) {
    }

    enum Kind {
        /** A {@code --} line comment outside any statement, without its newline. */
        COMMENT,
        /** A psql backslash command line, without its newline. */
        META_COMMAND,
        /** One SQL statement including its terminating semicolon. */
        STATEMENT
    }

    /**
     * psql commands pg_dump writes to guard its script (the restrict key); a snapshot's scripts
     * hold no other. Any other, {@code \!} above all, would run as the server's OS user in the
     * psql that builds the schema, or mean nothing over a plain connection.
     */
    private static final Pattern GUARD_COMMAND = Pattern.compile("^\\\\(restrict|unrestrict)\\b.*");

    private DumpScript() {
    }

    /**
     * @throws IllegalArgumentException naming the first psql command of the script that is not
     *                                  pg_dump's guard
     */
    static void requireOnlyGuardCommands(List<Piece> pieces, String file) {
        for (Piece piece : pieces) {
            if (piece.kind() == Kind.META_COMMAND && !GUARD_COMMAND.matcher(piece.text()).matches()) {
                throw new IllegalArgumentException(file + " contains the psql command '" + piece.text()
                        + "', which a snapshot's " + file + " never holds");
            }
        }
    }

    static List<Piece> split(String script) {
        List<Piece> pieces = new ArrayList<>();
        int n = script.length();
        int i = 0;
        int statementStart = -1;
        while (i < n) {
            char c = script.charAt(i);
            if (statementStart < 0) {
                if (Character.isWhitespace(c)) {
                    i++;
                    continue;
                }
                if (c == '-' && startsWith(script, i, "--")) {
                    int end = lineEnd(script, i);
                    pieces.add(new Piece(Kind.COMMENT, script.substring(i, end)));
                    i = end;
                    continue;
                }
                if (c == '\\') {
                    int end = lineEnd(script, i);
                    pieces.add(new Piece(Kind.META_COMMAND, script.substring(i, end)));
                    i = end;
                    continue;
                }
                statementStart = i;
            }
            if (c == ';') {
                pieces.add(new Piece(Kind.STATEMENT, script.substring(statementStart, i + 1)));
                statementStart = -1;
                i++;
            } else if (c == '\'') {
                boolean escapes = i > 0 && (script.charAt(i - 1) == 'E' || script.charAt(i - 1) == 'e')
                        && (i < 2 || !isIdentifierChar(script.charAt(i - 2)));
                i = skipString(script, i, escapes);
            } else if (c == '"') {
                i = skipQuoted(script, i, '"');
            } else if (c == '$' && (i == 0 || !isIdentifierChar(script.charAt(i - 1)))) {
                i = skipDollarQuote(script, i);
            } else if (c == '-' && startsWith(script, i, "--")) {
                i = lineEnd(script, i);
            } else if (c == '/' && startsWith(script, i, "/*")) {
                i = skipBlockComment(script, i);
            } else {
                i++;
            }
        }
        if (statementStart >= 0 && !script.substring(statementStart).isBlank()) {
            throw new IllegalArgumentException("the script ends inside a statement that has no terminating semicolon: "
                    + abbreviate(script.substring(statementStart)));
        }
        return pieces;
    }

    private static boolean startsWith(String s, int at, String prefix) {
        return s.startsWith(prefix, at);
    }

    private static int lineEnd(String s, int from) {
        int nl = s.indexOf('\n', from);
        return nl < 0 ? s.length() : nl;
    }

    private static boolean isIdentifierChar(char c) {
        return Character.isLetterOrDigit(c) || c == '_' || c == '$';
    }

    private static int skipString(String s, int open, boolean backslashEscapes) {
        int i = open + 1;
        while (i < s.length()) {
            char c = s.charAt(i);
            if (backslashEscapes && c == '\\') {
                i += 2;
            } else if (c == '\'') {
                if (i + 1 < s.length() && s.charAt(i + 1) == '\'') {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw unterminated("string literal", s, open);
    }

    private static int skipQuoted(String s, int open, char quote) {
        int i = open + 1;
        while (i < s.length()) {
            if (s.charAt(i) == quote) {
                if (i + 1 < s.length() && s.charAt(i + 1) == quote) {
                    i += 2;
                } else {
                    return i + 1;
                }
            } else {
                i++;
            }
        }
        throw unterminated("quoted identifier", s, open);
    }

    /** A dollar quote {@code $tag$...$tag$}; a lone {@code $} (a parameter like $1) is skipped. */
    private static int skipDollarQuote(String s, int open) {
        int tagEnd = open + 1;
        if (tagEnd < s.length() && Character.isDigit(s.charAt(tagEnd))) {
            return open + 1;
        }
        while (tagEnd < s.length() && (Character.isLetterOrDigit(s.charAt(tagEnd)) || s.charAt(tagEnd) == '_')) {
            tagEnd++;
        }
        if (tagEnd >= s.length() || s.charAt(tagEnd) != '$') {
            return open + 1;
        }
        String tag = s.substring(open, tagEnd + 1);
        int close = s.indexOf(tag, tagEnd + 1);
        if (close < 0) {
            throw unterminated("dollar-quoted string", s, open);
        }
        return close + tag.length();
    }

    private static int skipBlockComment(String s, int open) {
        int depth = 0;
        int i = open;
        while (i < s.length()) {
            if (s.startsWith("/*", i)) {
                depth++;
                i += 2;
            } else if (s.startsWith("*/", i)) {
                depth--;
                i += 2;
                if (depth == 0) {
                    return i;
                }
            } else {
                i++;
            }
        }
        throw unterminated("block comment", s, open);
    }

    private static IllegalArgumentException unterminated(String what, String s, int at) {
        return new IllegalArgumentException("unterminated " + what + " at: " + abbreviate(s.substring(at)));
    }

    private static String abbreviate(String text) {
        String oneLine = text.strip().replaceAll("\\s+", " ");
        return oneLine.length() <= 80 ? oneLine : oneLine.substring(0, 77) + "...";
    }
}
