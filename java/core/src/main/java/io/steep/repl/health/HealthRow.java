package io.steep.repl.health;

/**
 * One row of {@code steep_repl.health()}.
 *
 * @param component e.g. {@code extension}, {@code supervisor}, {@code queue}
 * @param status    {@code ok}, {@code warning}, {@code error} or {@code unavailable}
 */
public record HealthRow(String component, String status, String detail) {

    public boolean isError() {
        return "error".equals(status);
    }
}
