package io.revops.bridge.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for what a test starts itself. Below the kernel's ephemeral range (32768-60999): a port handed out by the
 * kernel can be taken again by any outgoing connection before the server binds it.
 */
public final class FreePorts {
    private FreePorts() {
    }

    public static int any() {
        return pair(false);
    }

    /** A port whose next one is free too: the sandbox Kafka broker's controller listens on port + 1. */
    public static int forKafka() {
        return pair(true);
    }

    private static int pair(boolean withNext) {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(20000, 32000);
            if (free(port) && (!withNext || free(port + 1))) {
                return port;
            }
        }
        throw new UncheckedIOException(new IOException("no free port between 20000 and 32000"));
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
