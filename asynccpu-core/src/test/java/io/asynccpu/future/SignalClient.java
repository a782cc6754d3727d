package io.asynccpu.future;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** The task's end of a {@link Signals} channel; used inside worker processes. */
public final class SignalClient implements AutoCloseable {
    private final Socket socket;
    private final BufferedReader in;
    private final PrintWriter out;

    private SignalClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in =
                new BufferedReader(
                        new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        this.out = new PrintWriter(socket.getOutputStream(), true, StandardCharsets.UTF_8);
    }

    public static SignalClient connect(int port) throws IOException {
        return new SignalClient(new Socket(InetAddress.getLoopbackAddress(), port));
    }

    public void send(String line) {
        out.println(line);
    }

    /** Blocks until the test sends a line. */
    public String receive() throws IOException {
        return in.readLine();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
