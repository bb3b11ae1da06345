package io.steep.repl.worker;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * LISTENs on {@code steep_repl_work} on a dedicated connection and turns notifications into
 * {@link WorkEvent}s. pgjdbc's timed getNotifications blocks on the socket, so this costs
 * nothing while idle; the timeout only bounds how long {@link #stop()} takes.
 */
final class WorkListener implements Runnable {
    static final String CHANNEL = "steep_repl_work";
    private static final int WAIT_MILLIS = 500;
    private static final Pattern PAYLOAD = Pattern.compile("^(job|cancel) ([0-9]{1,19})$");

    private final Connection connection;
    private final Consumer<WorkEvent> events;
    private volatile boolean stopped;

    /** Subscribes before returning, so nothing sent after this call is missed. */
    WorkListener(Connection connection, Consumer<WorkEvent> events) throws SQLException {
        this.connection = connection;
        this.events = events;
        try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
        }
    }

    @Override
    public void run() {
        try {
            PGConnection pg = connection.unwrap(PGConnection.class);
            while (!stopped) {
                PGNotification[] received = pg.getNotifications(WAIT_MILLIS);
                if (received == null) {
                    continue;
                }
                for (PGNotification notification : received) {
                    parse(notification.getParameter()).ifPresent(events);
                }
            }
        } catch (SQLException e) {
            if (!stopped) {
                events.accept(new WorkEvent.ListenerFailed(e));
            }
        }
    }

    void stop() {
        stopped = true;
    }

    /** {@code job <id>} or {@code cancel <id>}; anything else is ignored (the 1 s poll still runs). */
    static Optional<WorkEvent> parse(String payload) {
        Matcher m = PAYLOAD.matcher(payload == null ? "" : payload.trim());
        if (!m.matches()) {
            return Optional.empty();
        }
        long id;
        try {
            id = Long.parseLong(m.group(2));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return Optional.of(m.group(1).equals("job") ? new WorkEvent.JobSubmitted(id) : new WorkEvent.CancelRequested(id));
    }
}
