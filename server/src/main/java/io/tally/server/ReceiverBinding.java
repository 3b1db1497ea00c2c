package io.tally.server;

import java.util.Objects;

/**
 * A receiver with the configuration key of the port it binds, so a taken port is reported as
 * {@code carbon.port 2003 is in use}.
 *
 * @param portKey  configuration key of the port, e.g. {@code carbon.port} or {@code pickle.port}
 * @param port     the configured port
 * @param receiver the receiver
 */
public record ReceiverBinding(String portKey, int port, Receiver receiver) {
    public ReceiverBinding {
        Objects.requireNonNull(portKey, "portKey");
        Objects.requireNonNull(receiver, "receiver");
    }
}
