package io.steep.repl.daemon.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.steep.repl.daemon.config.ListenAddress;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Supplier;

/**
 * {@code /livez}, {@code /readyz} and {@code /health} over HTTP/1.1, served by the JDK's
 * HttpServer: JSON bodies, 200 or 503. Two threads, so a slow readiness look never delays
 * {@code /livez}. No secrets here: the endpoints answer anyone who reaches the port.
 */
public final class HealthEndpoints implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** What an endpoint answers: an HTTP status and a JSON document. */
    public record Answer(int status, Map<String, Object> body) {
    }

    private final HttpServer server;
    private final ExecutorService threads;

    private HealthEndpoints(HttpServer server, ExecutorService threads) {
        this.server = server;
        this.threads = threads;
    }

    /**
     * Binds and starts.
     *
     * @param live  the answer of /livez
     * @param ready the answer of /readyz
     * @param health the answer of /health
     */
    public static HealthEndpoints start(ListenAddress address, Supplier<Answer> live, Supplier<Answer> ready,
            Supplier<Answer> health) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address.host(), address.port()), 16);
        Map<String, Supplier<Answer>> endpoints = Map.of("/livez", live, "/readyz", ready, "/health", health);
        server.createContext("/", exchange -> answer(exchange, endpoints));
        ExecutorService threads = Executors.newFixedThreadPool(2, runnable -> {
            Thread thread = new Thread(runnable, "steep-repl-http");
            thread.setDaemon(true);
            return thread;
        });
        server.setExecutor(threads);
        server.start();
        return new HealthEndpoints(server, threads);
    }

    public InetSocketAddress address() {
        return server.getAddress();
    }

    private static void answer(HttpExchange exchange, Map<String, Supplier<Answer>> endpoints) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            Supplier<Answer> endpoint = endpoints.get(exchange.getRequestURI().getPath());
            Answer answer = endpoint == null
                    ? new Answer(404, Map.of("error", "not found", "endpoints", endpoints.keySet().stream().sorted().toList()))
                    : !method.equals("GET") && !method.equals("HEAD")
                    ? new Answer(405, Map.of("error", "method " + method + " not allowed; use GET"))
                    : endpoint.get();
            byte[] body = (json(answer.body()) + "\n").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.getResponseHeaders().set("Cache-Control", "no-store");
            if (answer.status() == 405) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
            }
            boolean head = method.equals("HEAD");
            exchange.sendResponseHeaders(answer.status(), head ? -1 : body.length);
            if (!head) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            }
        }
    }

    /** A document as one line of JSON. */
    public static String json(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
    }
}
