package io.steep.repl.jdbc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The one place where connection details are turned into text for people: every rendering
 * masks secrets, and {@link #scrub(String)} removes them from any other text (driver and
 * server messages) before it is shown, logged or stored.
 */
public final class Redaction {
    public static final String MASK = "********";

    /** {@code password=...} in keyword/value strings and URI queries, quoted or not. */
    private static final Pattern KEYWORD_SECRET = Pattern.compile(
            "(?i)\\b(password|sslpassword)(\\s*=\\s*)('(?:[^'\\\\]|\\\\.)*'?|[^\\s&'\"]*)");
    /** {@code "password": "..."} in JSON. */
    private static final Pattern JSON_SECRET = Pattern.compile(
            "(?i)(\"(?:password|sslpassword)\"\\s*:\\s*)\"(?:[^\"\\\\]|\\\\.)*\"?");
    /** {@code scheme://user:secret@}; up to the last '@' of the word, so nothing of the secret is left. */
    private static final Pattern URI_SECRET = Pattern.compile("(://[^\\s:/@]*):\\S*@");

    private Redaction() {
    }

    /** The connection as the user wrote it (keywords, URI or name), secrets masked. */
    public static String render(ConnInfo info) {
        return switch (info.form()) {
            case URI -> uriForm(info.params());
            case KEYWORDS -> keywordForm(info.params());
            case NAMED -> "connection \"" + info.name() + "\" (" + keywordForm(info.params()) + ")";
        };
    }

    /** Where a resolved connection goes, in keyword form, password masked. */
    public static String describe(ConnectionSpec spec) {
        Map<String, String> params = new LinkedHashMap<>();
        List<Endpoint> endpoints = spec.endpoints();
        if (endpoints.stream().anyMatch(e -> e.host() != null)) {
            params.put(ConnectionKeywords.HOST, join(endpoints, e -> e.host() == null ? "" : e.host()));
        }
        if (endpoints.stream().anyMatch(e -> e.hostaddr() != null)) {
            params.put(ConnectionKeywords.HOSTADDR, join(endpoints, e -> e.hostaddr() == null ? "" : e.hostaddr()));
        }
        params.put(ConnectionKeywords.PORT, join(endpoints, e -> Integer.toString(e.port())));
        params.put(ConnectionKeywords.DBNAME, spec.dbname());
        params.put(ConnectionKeywords.USER, spec.user());
        if (spec.password() != null) {
            params.put(ConnectionKeywords.PASSWORD, spec.password());
        }
        if (spec.sslmode() != null) {
            params.put(ConnectionKeywords.SSLMODE, spec.sslmode());
        }
        return keywordForm(params);
    }

    /** libpq keyword/value form, quoting values that need it. */
    public static String keywordForm(Map<String, String> params) {
        List<String> parts = new ArrayList<>();
        params.forEach((keyword, value) -> parts.add(keyword + "=" + quote(shown(keyword, value))));
        return String.join(" ", parts);
    }

    /** {@code postgresql://} form, every part percent-encoded. */
    public static String uriForm(Map<String, String> params) {
        Map<String, String> rest = new LinkedHashMap<>(params);
        StringBuilder uri = new StringBuilder("postgresql://");
        String user = rest.remove(ConnectionKeywords.USER);
        String password = rest.remove(ConnectionKeywords.PASSWORD);
        if (user != null || password != null) {
            uri.append(user == null ? "" : encode(user));
            uri.append(password == null ? "" : ":" + MASK).append('@');
        }
        String[] hosts = rest.containsKey(ConnectionKeywords.HOST) && !rest.get(ConnectionKeywords.HOST).startsWith("/")
                ? rest.remove(ConnectionKeywords.HOST).split(",", -1) : new String[0];
        String[] ports = rest.containsKey(ConnectionKeywords.PORT) && hosts.length > 0
                ? rest.remove(ConnectionKeywords.PORT).split(",", -1) : new String[0];
        for (int i = 0; i < hosts.length; i++) {
            uri.append(i == 0 ? "" : ",").append(hosts[i].contains(":") ? "[" + hosts[i] + "]" : encode(hosts[i]));
            if (i < ports.length && !ports[i].isEmpty()) {
                uri.append(':').append(encode(ports[i]));
            }
        }
        String dbname = rest.remove(ConnectionKeywords.DBNAME);
        if (dbname != null) {
            uri.append('/').append(encode(dbname));
        }
        if (!rest.isEmpty()) {
            uri.append('?').append(rest.entrySet().stream()
                    .map(e -> encode(e.getKey()) + "=" + encode(shown(e.getKey(), e.getValue())))
                    .collect(Collectors.joining("&")));
        }
        return uri.toString();
    }

    /** Masks anything in free text that looks like a password inside a connection string or URI. */
    public static String scrub(String text) {
        if (text == null) {
            return null;
        }
        String scrubbed = KEYWORD_SECRET.matcher(text).replaceAll(m -> m.group(1) + Matcher.quoteReplacement(m.group(2)) + MASK);
        scrubbed = JSON_SECRET.matcher(scrubbed).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + "\"" + MASK + "\"");
        return URI_SECRET.matcher(scrubbed).replaceAll(m -> Matcher.quoteReplacement(m.group(1)) + ":" + MASK + "@");
    }

    private static String shown(String keyword, String value) {
        return ConnectionKeywords.isSecret(keyword) ? MASK : value;
    }

    private static String quote(String value) {
        if (!value.isEmpty() && value.chars().noneMatch(c -> Character.isWhitespace(c) || c == '\'' || c == '\\')) {
            return value;
        }
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    private static String encode(String value) {
        StringBuilder out = new StringBuilder();
        for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((b >> 4) & 0xf, 16)))
                        .append(Character.toUpperCase(Character.forDigit(b & 0xf, 16)));
            }
        }
        return out.toString();
    }

    private static String join(List<Endpoint> endpoints, Function<Endpoint, String> part) {
        return endpoints.stream().map(part).collect(Collectors.joining(","));
    }
}
