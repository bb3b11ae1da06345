package io.steep.repl.daemon.rpc;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Message;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.steep.repl.api.Operation;
import io.steep.repl.api.RunOperation;
import io.steep.repl.daemon.Database;
import io.steep.repl.jdbc.ConnectionSpec;
import java.lang.reflect.Constructor;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The contract and the operations agree: every method of every service is served by exactly
 * one operation of its kind (unary or streaming), every operation has its method, and every
 * request record crosses its message and comes back equal with all its fields set.
 */
class ContractTest {

    @Test
    void everyMethodHasOneOperationOfItsKindAndEveryOperationAMethod() {
        Set<String> methods = new HashSet<>();
        for (ServiceDescriptor service : Contract.SERVICES) {
            for (MethodDescriptor<?, ?> method : service.getMethods()) {
                methods.add(method.getFullMethodName());
            }
        }
        Set<String> served = new HashSet<>();
        for (Operation<?, ?> operation : ServedOperations.UNARY) {
            assertThat(served.add(operation.method())).as("served twice: " + operation).isTrue();
            assertThat(Contract.method(operation.method()).getType()).as(operation.method())
                    .isEqualTo(MethodDescriptor.MethodType.UNARY);
        }
        for (RunOperation<?, ?, ?> operation : ServedOperations.RUNS) {
            assertThat(served.add(operation.method())).as("served twice: " + operation).isTrue();
            assertThat(Contract.method(operation.method()).getType()).as(operation.method())
                    .isEqualTo(MethodDescriptor.MethodType.SERVER_STREAMING);
        }
        assertThat(served).isEqualTo(methods);
        List<ServerServiceDefinition> definitions = OperationServices.services(new NoDatabase());
        assertThat(definitions).hasSameSizeAs(Contract.SERVICES);
    }

    @Test
    void everyRequestRecordCrossesItsMessageUnchanged() throws Exception {
        List<Object[]> requests = new ArrayList<>();
        ServedOperations.UNARY.forEach(o -> requests.add(new Object[] {o.method(), o.requestType()}));
        ServedOperations.RUNS.forEach(o -> requests.add(new Object[] {o.method(), o.requestType()}));
        for (Object[] request : requests) {
            String method = (String) request[0];
            Object sample = sample((Class<?>) request[1], method);
            Message message = RequestMessages.toMessage(sample, Contract.requestBuilder(Contract.method(method)));
            assertThat(RequestMessages.toRecord(message, sample.getClass())).as(method).isEqualTo(sample);
        }
    }

    /** A record with every component set to a value that is not its type's default. */
    private static Object sample(Class<?> type, String seed) throws Exception {
        RecordComponent[] components = type.getRecordComponents();
        Class<?>[] types = new Class<?>[components.length];
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            values[i] = value(components[i].getGenericType(), seed + "." + components[i].getName());
        }
        Constructor<?> constructor = type.getDeclaredConstructor(types);
        constructor.setAccessible(true);
        return constructor.newInstance(values);
    }

    private static Object value(Type type, String seed) throws Exception {
        if (type instanceof ParameterizedType generic) {
            Class<?> raw = (Class<?>) generic.getRawType();
            Type[] arguments = generic.getActualTypeArguments();
            if (List.class.isAssignableFrom(raw)) {
                return List.of(value(arguments[0], seed + "[0]"), value(arguments[0], seed + "[1]"));
            }
            if (Map.class.isAssignableFrom(raw)) {
                return Map.of("k1", value(arguments[1], seed + ".k1"), "k2", value(arguments[1], seed + ".k2"));
            }
            throw new AssertionError("no sample for " + type);
        }
        Class<?> c = (Class<?>) type;
        if (c == String.class) {
            return "v " + seed;
        }
        if (c == int.class || c == Integer.class) {
            return 7;
        }
        if (c == long.class || c == Long.class) {
            return 9_000_000_000L;
        }
        if (c == boolean.class || c == Boolean.class) {
            return true;
        }
        if (c == double.class || c == Double.class) {
            return 2.5;
        }
        if (c.isRecord()) {
            return sample(c, seed);
        }
        throw new AssertionError("no sample for " + type + " (" + seed + ")");
    }

    /** Building the services opens no session. */
    private static final class NoDatabase implements Database {
        @Override
        public ConnectionSpec target() {
            return null;
        }

        @Override
        public Connection open() {
            throw new AssertionError("no session expected");
        }
    }
}
