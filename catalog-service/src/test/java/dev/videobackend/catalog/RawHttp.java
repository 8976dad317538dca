package dev.videobackend.catalog;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request written by hand on a socket, for clients no library plays: one that declares a body and then
 * stops sending it, and reads the answer the server gives while it still waits.
 */
public final class RawHttp implements AutoCloseable {

    private final Socket socket;
    private final OutputStream out;

    /** Sends the request line, {@code headers} and the first {@code sent} bytes of a body of {@code declared} bytes. */
    public RawHttp(int port, String method, String path, Map<String, String> headers, byte[] body, int sent)
            throws IOException {
        socket = new Socket("localhost", port);
        socket.setSoTimeout((int) Duration.ofSeconds(60).toMillis());
        out = socket.getOutputStream();
        StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: localhost\r\n");
        headers.forEach((name, value) -> head.append(name).append(": ").append(value).append("\r\n"));
        head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
        out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(body, 0, sent);
        out.flush();
    }

    /** Sends the rest of the body, from {@code from}. */
    public void finish(byte[] body, int from) throws IOException {
        out.write(body, from, body.length - from);
        out.flush();
    }

    /** Reads the answer: status, headers (lower-case names) and body. */
    public Answer read() throws IOException {
        InputStream in = socket.getInputStream();
        String status = line(in);
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(in); !line.isEmpty(); line = line(in)) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        byte[] body = in.readNBytes(length);
        return new Answer(Integer.parseInt(status.split(" ")[1]), headers, new String(body, StandardCharsets.UTF_8));
    }

    private static String line(InputStream in) throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        for (int c = in.read(); c != '\n'; c = in.read()) {
            if (c == -1) {
                throw new IOException("The connection closed before the answer ended");
            }
            if (c != '\r') {
                line.write(c);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    public record Answer(int status, Map<String, String> headers, String body) {
    }
}
