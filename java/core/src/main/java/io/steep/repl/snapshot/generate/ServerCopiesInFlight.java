package io.steep.repl.snapshot.generate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HashMap;
import java.util.Map;
import java.util.function.LongConsumer;

/**
 * The server-side COPYs running right now. Their copy threads wait inside the statement, so the
 * coordinating thread reports their progress (the size of the file each backend is writing)
 * and cancels them when the run stops.
 */
final class ServerCopiesInFlight {
    private static final class InFlight {
        final Statement statement;
        final Path file;
        long reportedBytes;

        InFlight(Statement statement, Path file) {
            this.statement = statement;
            this.file = file;
        }
    }

    private final Map<Integer, InFlight> copies = new HashMap<>();

    synchronized void started(int worker, Statement statement, Path file) {
        copies.put(worker, new InFlight(statement, file));
    }

    /** @return the bytes of this copy {@link #poll} has already reported */
    synchronized long finished(int worker) {
        InFlight copy = copies.remove(worker);
        return copy == null ? 0 : copy.reportedBytes;
    }

    /** Hands the bytes written since the last poll, over all running copies, to {@code written}. */
    synchronized void poll(LongConsumer written) {
        long delta = 0;
        for (InFlight copy : copies.values()) {
            long size;
            try {
                size = Files.size(copy.file);
            } catch (NoSuchFileException e) {
                continue;
            } catch (IOException e) {
                continue;
            }
            if (size > copy.reportedBytes) {
                delta += size - copy.reportedBytes;
                copy.reportedBytes = size;
            }
        }
        if (delta > 0) {
            written.accept(delta);
        }
    }

    /** Cancels every running copy; each copy thread then sees its statement fail. */
    synchronized void cancelAll() {
        for (InFlight copy : copies.values()) {
            try {
                copy.statement.cancel();
            } catch (SQLException e) {
                // the connection is gone, and with it the statement
            }
        }
    }
}
