package io.revops.bridge.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP port that forwards to a real server once opened: before, nothing listens there (connection refused), as when
 * the server is down. Lets a test start the runtime while "the database is down" and bring it up later.
 */
public final class TcpGate implements AutoCloseable {
    private final int port;
    private final String targetHost;
    private final int targetPort;
    private final Set<Socket> connections = ConcurrentHashMap.newKeySet();
    private ServerSocket server;

    public TcpGate(int port, String targetHost, int targetPort) {
        this.port = port;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    public int port() {
        return port;
    }

    /** Starts accepting (nothing happens when it already does). */
    public synchronized void open() throws IOException {
        if (server != null && !server.isClosed()) {
            return;
        }
        server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread acceptor = new Thread(this::accept, "tcp-gate-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                connections.add(client);
                Socket target = new Socket(targetHost, targetPort);
                connections.add(target);
                pipe(client.getInputStream(), target.getOutputStream(), client, target);
                pipe(target.getInputStream(), client.getOutputStream(), client, target);
            } catch (IOException e) {
                // closed, or the target refused this one connection: the client sees its connection end
            }
        }
    }

    private static void pipe(InputStream in, OutputStream out, Socket a, Socket b) {
        Thread thread = new Thread(() -> {
            try (a; b) {
                in.transferTo(out);
            } catch (IOException e) {
                // either side ended the connection
            }
        }, "tcp-gate-pipe");
        thread.setDaemon(true);
        thread.start();
    }

    /** Refuses new connections and cuts the open ones, as a system that went down. */
    @Override
    public synchronized void close() throws IOException {
        if (server != null) {
            server.close();
        }
        for (Socket connection : connections) {
            connection.close();
        }
        connections.clear();
    }
}
