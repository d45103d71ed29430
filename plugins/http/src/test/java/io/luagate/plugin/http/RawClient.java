package io.luagate.plugin.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** A client on a raw socket: exact bytes out, responses parsed strictly (and their framing checked). */
final class RawClient implements AutoCloseable {

    /** A response as it came: status, headers (lower-case names), body, and whether it was chunked. */
    record Response(int status, Map<String, String> headers, String body, boolean chunked) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private final Socket socket;
    private final InputStream in;

    RawClient(int port) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5_000);
        in = socket.getInputStream();
    }

    void send(String text) throws IOException {
        socket.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        socket.getOutputStream().flush();
    }

    /** Leaves abruptly: the server gets a reset, not a FIN (which would only mean "done sending"). */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    Response read() throws IOException {
        return read(false);
    }

    /** Reads one response; {@code head}: the answer to a HEAD request (no body whatever the headers say). */
    Response read(boolean head) throws IOException {
        String statusLine = line();
        if (statusLine == null) {
            throw new IOException("connection closed before a response");
        }
        return readAfterStatusLine(Integer.parseInt(statusLine.split(" ")[1]), head);
    }

    /** The next line as it came (without its CRLF), or {@code null} at the end of the stream. */
    String readLine() throws IOException {
        return line();
    }

    /** The rest of a response whose status line the caller read with {@link #readLine()}. */
    Response readHeadersAfterStatusLine(int status) throws IOException {
        return readAfterStatusLine(status, false);
    }

    private Response readAfterStatusLine(int status, boolean head) throws IOException {
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = line(); line != null && !line.isEmpty(); line = line()) {
            int colon = line.indexOf(':');
            headers.put(line.substring(0, colon).trim().toLowerCase(), line.substring(colon + 1).trim());
        }
        boolean chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        if (head || status / 100 == 1 || status == 204 || status == 304) {
            return new Response(status, headers, "", chunked);
        }
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        if (headers.containsKey("content-length")) {
            body.write(in.readNBytes(Integer.parseInt(headers.get("content-length"))));
        } else if (chunked) {
            for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
                body.write(in.readNBytes(size));
                if (!line().isEmpty()) {
                    throw new IOException("bad chunk end");
                }
            }
            if (!line().isEmpty()) {
                throw new IOException("bad last chunk");
            }
        } else {
            body.write(in.readAllBytes());
        }
        return new Response(status, headers, body.toString(StandardCharsets.ISO_8859_1), chunked);
    }

    /** Reads everything until the server closes. */
    String readToEnd() throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }

    /** Whether the server closed the connection (EOF or reset) within the socket timeout. */
    boolean closedByServer() throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private String line() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                String text = line.toString(StandardCharsets.ISO_8859_1);
                return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
