package io.steep.repl.jdbc;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Parses libpq keyword/value strings ({@code host=db1 port=5432 password='it''s'}) the way
 * libpq does: values may be single-quoted, a backslash escapes the next character, a later
 * keyword overrides an earlier one. Errors name positions, never text, because the text
 * around a syntax error may be part of a password.
 */
final class KeywordValueParser {
    private final String text;
    private int pos;

    private KeywordValueParser(String text) {
        this.text = text;
    }

    static Map<String, String> parse(String text) {
        return new KeywordValueParser(text).parseAll();
    }

    private Map<String, String> parseAll() {
        Map<String, String> params = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (atEnd()) {
                return params;
            }
            int keywordStart = pos;
            while (!atEnd() && !isSpace(peek()) && peek() != '=') {
                pos++;
            }
            String keyword = text.substring(keywordStart, pos);
            skipSpace();
            if (atEnd() || peek() != '=') {
                throw ConnInfo.syntaxError("missing \"=\" after the keyword at character " + (keywordStart + 1));
            }
            if (keyword.isEmpty()) {
                throw ConnInfo.syntaxError("missing keyword before \"=\" at character " + (pos + 1));
            }
            pos++;
            skipSpace();
            String value = !atEnd() && peek() == '\'' ? quotedValue() : plainValue();
            ConnectionKeywords.check(keyword, "in the connection string");
            params.put(keyword, value);
        }
    }

    private String quotedValue() {
        int quoteAt = pos;
        pos++;
        StringBuilder value = new StringBuilder();
        while (true) {
            if (atEnd()) {
                throw ConnInfo.syntaxError("unterminated quoted string starting at character " + (quoteAt + 1));
            }
            char c = text.charAt(pos++);
            if (c == '\\') {
                if (!atEnd()) {
                    value.append(text.charAt(pos++));
                }
            } else if (c == '\'') {
                return value.toString();
            } else {
                value.append(c);
            }
        }
    }

    private String plainValue() {
        StringBuilder value = new StringBuilder();
        while (!atEnd() && !isSpace(peek())) {
            char c = text.charAt(pos++);
            if (c == '\\') {
                if (!atEnd()) {
                    value.append(text.charAt(pos++));
                }
            } else {
                value.append(c);
            }
        }
        return value.toString();
    }

    private void skipSpace() {
        while (!atEnd() && isSpace(peek())) {
            pos++;
        }
    }

    private boolean atEnd() {
        return pos >= text.length();
    }

    private char peek() {
        return text.charAt(pos);
    }

    /** The characters C's isspace() accepts, as libpq uses it. */
    private static boolean isSpace(char c) {
        return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000B';
    }
}
