package io.steep.repl.it.daemon;

import io.steep.repl.testkit.PgCluster;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A daemon in a child JVM: its stderr collected, waited for, signalled. */
final class DaemonProcess implements AutoCloseable {
    /** The build's jar, then the test classes (the property the worker's clusters use too). */
    static final String CLASSPATH = System.getProperty(PgCluster.WORKER_CLASSPATH_PROPERTY);
    static final Path JAR = Path.of(CLASSPATH.split(":")[0]);

    private final Process process;
    private final StringBuilder stderr = new StringBuilder();
    private final long startNanos = System.nanoTime();

    private DaemonProcess(List<String> command) throws IOException {
        process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        Thread drain = new Thread(() -> {
            try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    synchronized (stderr) {
                        stderr.append(line).append('\n');
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }, "daemon-stderr");
        drain.setDaemon(true);
        drain.start();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** {@code java -jar steep-repl.jar ARGS...}. */
    static DaemonProcess jar(String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(java(), "-jar", JAR.toString()));
        command.addAll(List.of(args));
        return new DaemonProcess(command);
    }

    /** A daemon serving the test's endless stream (ForeverDaemon) with this config. */
    static DaemonProcess forever(Path config) throws IOException {
        return new DaemonProcess(List.of(java(), "-cp", CLASSPATH, ForeverDaemon.class.getName(), config.toString()));
    }

    String stderr() {
        synchronized (stderr) {
            return stderr.toString();
        }
    }

    long pid() {
        return process.pid();
    }

    /** Waits for the start line and returns the time from starting the process to it, in ms. */
    long awaitStarted() {
        PgCluster.waitFor(Duration.ofSeconds(60), () -> stderr().contains("daemon started in") || !process.isAlive(),
                "the daemon to start");
        if (!stderr().contains("daemon started in")) {
            throw new AssertionError("the daemon did not start:\n" + stderr());
        }
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNanos);
    }

    /** Waits for the exit and returns the exit status. */
    int awaitExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("the daemon did not exit within " + timeout.toMillis() + " ms:\n" + stderr());
        }
        // let the drain thread read the last lines
        PgCluster.waitFor(Duration.ofSeconds(5), () -> true, "stderr");
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
