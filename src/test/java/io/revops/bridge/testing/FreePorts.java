package io.revops.bridge.testing;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Ports for emulators a test starts itself, so parallel runs on one machine do not collide. Chosen below the kernel's
 * ephemeral range (32768-60999): a port from ServerSocket(0) lies inside it and can be taken by any outgoing
 * connection before the emulator binds it ("Address already in use").
 */
public final class FreePorts {
    private FreePorts() {
    }

    /** A port between 10000 and 32767 that nobody listens on now. */
    public static int next() {
        for (int attempt = 0; attempt < 200; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, 32_768);
            try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IllegalStateException("no free port below 32768 after 200 attempts");
    }
}
