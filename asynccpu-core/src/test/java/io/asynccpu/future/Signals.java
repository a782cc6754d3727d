package io.asynccpu.future;

import java.io.BufferedReader;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The test's end of a line-based TCP channel to one task running in a worker (the task's end is
 * {@link SignalClient}). Tests wait for events ("started", "interrupted") instead of sleeping; the
 * socket timeout only turns a hang into a failure.
 */
public final class Signals implements AutoCloseable {
    private static final int TIMEOUT_MILLIS = 60_000;

    private final ServerSocket server;
    private Socket socket;
    private BufferedReader in;
    private PrintWriter out;

    public Signals() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        server.setSoTimeout(TIMEOUT_MILLIS);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Waits for the task to connect (once) and returns the next line it sends. */
    public String next() throws IOException {
        connect();
        String line = in.readLine();
        if (line == null) throw new EOFException("the task closed its signal channel");
        return line;
    }

    /** Sends a line to the task. */
    public void send(String line) throws IOException {
        connect();
        out.println(line);
    }

    private void connect() throws IOException {
        if (socket != null) return;
        socket = server.accept();
        socket.setSoTimeout(TIMEOUT_MILLIS);
        in =
                new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        if (socket != null) socket.close();
        server.close();
    }
}
