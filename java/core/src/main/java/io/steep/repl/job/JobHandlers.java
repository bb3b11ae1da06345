package io.steep.repl.job;

import java.util.Collection;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The job kinds this process can run, one handler per kind. Two handlers claiming one kind is
 * a packaging error that would make the outcome depend on class-path order, so it is refused.
 */
public final class JobHandlers {
    /** Same rule as the check constraint on {@code work_queue.kind}. */
    private static final Pattern KIND = Pattern.compile("^[a-z][a-z0-9_.-]{0,62}$");

    private final Map<String, JobHandler> byKind;

    private JobHandlers(Map<String, JobHandler> byKind) {
        this.byKind = byKind;
    }

    /** Every handler registered through {@link ServiceLoader} visible to the class loader. */
    public static JobHandlers load(ClassLoader loader) {
        return of(ServiceLoader.load(JobHandler.class, loader).stream().map(ServiceLoader.Provider::get).toList());
    }

    public static JobHandlers of(Collection<? extends JobHandler> handlers) {
        Map<String, JobHandler> byKind = new TreeMap<>();
        for (JobHandler handler : handlers) {
            String kind = handler.kind();
            if (kind == null || !KIND.matcher(kind).matches()) {
                throw new IllegalStateException("job handler " + handler.getClass().getName()
                        + " declares an invalid kind '" + kind + "' (expected " + KIND.pattern() + ")");
            }
            JobHandler previous = byKind.putIfAbsent(kind, handler);
            if (previous != null) {
                throw new IllegalStateException("job kind '" + kind + "' is provided by both "
                        + previous.getClass().getName() + " and " + handler.getClass().getName());
            }
        }
        return new JobHandlers(byKind);
    }

    public Optional<JobHandler> find(String kind) {
        return Optional.ofNullable(byKind.get(kind));
    }

    /** The registered kinds in sorted order. */
    public Set<String> kinds() {
        return byKind.keySet();
    }
}
