package io.steep.repl.snapshot.manifest;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The names by which a manifest, a start_snapshot option and the CLI call the constants of an
 * enum (checksum algorithms, data formats): the constant's name in lower case.
 */
final class EnumIds {
    private EnumIds() {
    }

    static String id(Enum<?> value) {
        return value.name().toLowerCase(Locale.ROOT);
    }

    /** @return null when {@code id} names no constant of {@code type} */
    static <E extends Enum<E>> E byId(Class<E> type, String id) {
        for (E value : type.getEnumConstants()) {
            if (id(value).equals(id)) {
                return value;
            }
        }
        return null;
    }

    /** For the JSON of a manifest or ledger: an unknown name in {@code field} makes the file invalid. */
    static <E extends Enum<E>> E fromJson(Class<E> type, String field, String id) {
        E value = byId(type, id);
        if (value == null) {
            throw new IllegalArgumentException(field + " \"" + id + "\" is not one of " + ids(type));
        }
        return value;
    }

    /** The names of {@code type}'s constants in declaration order, for messages: {@code text, binary}. */
    static String ids(Class<? extends Enum<?>> type) {
        return Arrays.stream(type.getEnumConstants()).map(EnumIds::id).collect(Collectors.joining(", "));
    }
}
