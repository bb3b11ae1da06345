package io.steep.repl.jdbc;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses libpq connection URIs:
 * {@code postgresql://[user[:password]@][host][:port][,...][/dbname][?keyword=value&...]}.
 * Hosts may be bracketed IPv6 addresses; every part is percent-decoded, so a socket directory
 * can be given as {@code %2Fvar%2Frun%2Fpostgresql} or as {@code ?host=/var/run/postgresql}.
 * Query parameters override the parts before them, as in libpq. Errors name positions, not
 * text, because the text may be part of a password.
 */
final class ConnectionUriParser {
    private static final String[] PREFIXES = {"postgresql://", "postgres://"};

    private final String uri;
    private int pos;

    private ConnectionUriParser(String uri, int start) {
        this.uri = uri;
        this.pos = start;
    }

    static boolean accepts(String text) {
        for (String prefix : PREFIXES) {
            if (text.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    static Map<String, String> parse(String uri) {
        for (String prefix : PREFIXES) {
            if (uri.startsWith(prefix)) {
                return new ConnectionUriParser(uri, prefix.length()).parseAll();
            }
        }
        throw new IllegalArgumentException("not a PostgreSQL URI");
    }

    private Map<String, String> parseAll() {
        Map<String, String> params = new LinkedHashMap<>();
        userInfo(params);
        hosts(params);
        if (peekIs('/')) {
            int start = ++pos;
            skipTo("?");
            String dbname = decode(start, pos);
            if (!dbname.isEmpty()) {
                params.put(ConnectionKeywords.DBNAME, dbname);
            }
        }
        if (peekIs('?')) {
            pos++;
            query(params);
        }
        return params;
    }

    /** {@code user[:password]@}: present when an '@' comes before the first '/'. */
    private void userInfo(Map<String, String> params) {
        int at = pos;
        while (at < uri.length() && uri.charAt(at) != '@' && uri.charAt(at) != '/') {
            at++;
        }
        if (at >= uri.length() || uri.charAt(at) != '@') {
            return;
        }
        int colon = uri.indexOf(':', pos);
        int userEnd = colon >= 0 && colon < at ? colon : at;
        String user = decode(pos, userEnd);
        if (!user.isEmpty()) {
            params.put(ConnectionKeywords.USER, user);
        }
        if (userEnd < at) {
            String password = decode(userEnd + 1, at);
            if (!password.isEmpty()) {
                params.put(ConnectionKeywords.PASSWORD, password);
            }
        }
        pos = at + 1;
    }

    private void hosts(Map<String, String> params) {
        List<String> hosts = new ArrayList<>();
        List<String> ports = new ArrayList<>();
        while (true) {
            hosts.add(host());
            if (peekIs(':')) {
                int start = ++pos;
                skipTo("/?,");
                ports.add(decode(start, pos));
            } else {
                ports.add("");
            }
            if (!peekIs(',')) {
                break;
            }
            pos++;
        }
        if (hosts.stream().anyMatch(h -> !h.isEmpty())) {
            params.put(ConnectionKeywords.HOST, String.join(",", hosts));
        }
        if (ports.stream().anyMatch(p -> !p.isEmpty())) {
            params.put(ConnectionKeywords.PORT, String.join(",", ports));
        }
    }

    private String host() {
        if (!peekIs('[')) {
            int start = pos;
            skipTo(":/?,");
            return decode(start, pos);
        }
        int open = pos;
        int close = uri.indexOf(']', open);
        if (close < 0) {
            throw ConnInfo.syntaxError("missing \"]\" for the IPv6 address opened at character " + (open + 1));
        }
        if (close == open + 1) {
            throw ConnInfo.syntaxError("empty IPv6 address at character " + (open + 1));
        }
        pos = close + 1;
        if (pos < uri.length() && ":/?,".indexOf(uri.charAt(pos)) < 0) {
            throw ConnInfo.syntaxError("unexpected character after the IPv6 address at character " + (pos + 1));
        }
        return uri.substring(open + 1, close);
    }

    private void query(Map<String, String> params) {
        while (pos < uri.length()) {
            int start = pos;
            skipTo("&");
            int end = pos;
            if (peekIs('&')) {
                pos++;
            }
            if (start == end) {
                continue;
            }
            int eq = uri.indexOf('=', start);
            if (eq < 0 || eq >= end) {
                throw ConnInfo.syntaxError("missing \"=\" in the URI query parameter at character " + (start + 1));
            }
            if (uri.indexOf('=', eq + 1) >= 0 && uri.indexOf('=', eq + 1) < end) {
                throw ConnInfo.syntaxError("extra \"=\" in the URI query parameter at character " + (start + 1));
            }
            String keyword = decode(start, eq);
            String value = decode(eq + 1, end);
            if (keyword.equals("ssl") && value.equals("true")) {
                // JDBC-style spelling that libpq also accepts
                params.put(ConnectionKeywords.SSLMODE, "require");
                continue;
            }
            ConnectionKeywords.check(keyword, "in the URI query");
            params.put(keyword, value);
        }
    }

    private String decode(int start, int end) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        int i = start;
        while (i < end) {
            if (uri.charAt(i) != '%') {
                int runEnd = i;
                while (runEnd < end && uri.charAt(runEnd) != '%') {
                    runEnd++;
                }
                bytes.writeBytes(uri.substring(i, runEnd).getBytes(StandardCharsets.UTF_8));
                i = runEnd;
                continue;
            }
            int hi = i + 2 < end ? Character.digit(uri.charAt(i + 1), 16) : -1;
            int lo = i + 2 < end ? Character.digit(uri.charAt(i + 2), 16) : -1;
            if (hi < 0 || lo < 0) {
                throw ConnInfo.syntaxError("invalid percent-encoded character at character " + (i + 1));
            }
            int value = hi * 16 + lo;
            if (value == 0) {
                throw ConnInfo.syntaxError("%00 is not allowed in a URI (character " + (i + 1) + ")");
            }
            bytes.write(value);
            i += 3;
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private void skipTo(String stops) {
        while (pos < uri.length() && stops.indexOf(uri.charAt(pos)) < 0) {
            pos++;
        }
    }

    private boolean peekIs(char c) {
        return pos < uri.length() && uri.charAt(pos) == c;
    }
}
