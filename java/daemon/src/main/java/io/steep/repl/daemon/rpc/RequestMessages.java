package io.steep.repl.daemon.rpc;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.util.JsonFormat;
import io.steep.repl.ErrorCode;
import io.steep.repl.SteepReplException;
import io.steep.repl.api.JsonShape;

/**
 * Request records to request messages and back. A message's fields are the record's components
 * by their snake_case names, so both directions go through the one JSON form: the record as
 * {@link JsonShape} writes it is the message's proto3 JSON. Unknown fields fail both ways, so a
 * record and its message cannot drift apart unnoticed (RequestMessagesTest covers every one).
 */
public final class RequestMessages {
    private static final JsonFormat.Printer PRINTER = JsonFormat.printer()
            .preservingProtoFieldNames()
            .alwaysPrintFieldsWithNoPresence();
    private static final JsonFormat.Parser PARSER = JsonFormat.parser();

    private RequestMessages() {
    }

    /** The message for a record, built on {@code builder} (a new builder of the method's request). */
    public static Message toMessage(Object request, Message.Builder builder) {
        try {
            PARSER.merge(JsonShape.MAPPER.writeValueAsString(request), builder);
            return builder.build();
        } catch (JsonProcessingException | InvalidProtocolBufferException e) {
            throw new IllegalStateException(request.getClass().getSimpleName() + " does not fit "
                    + builder.getDescriptorForType().getFullName() + ": " + e.getMessage(), e);
        }
    }

    /** The record of a message; a message that does not fit is the client's usage error. */
    public static <Q> Q toRecord(Message message, Class<Q> type) {
        try {
            return JsonShape.MAPPER.readValue(PRINTER.print(message), type);
        } catch (JsonProcessingException | InvalidProtocolBufferException e) {
            throw new SteepReplException(ErrorCode.USAGE, "request " + message.getDescriptorForType().getName()
                    + " cannot be read: " + e.getMessage(), "Use a client built from the same steep.repl.v1 contract.");
        }
    }
}
