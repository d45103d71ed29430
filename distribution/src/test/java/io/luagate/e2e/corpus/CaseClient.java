package io.luagate.e2e.corpus;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw-socket client: sends a request's bytes as they are and reads one response with the
 * framing rules (1xx interim heads, then Content-Length, chunked, or until close), within 3 s.
 */
final class CaseClient implements AutoCloseable {

    static final long LIMIT_NANOS = 3_000_000_000L;
    private static final long FAST_NANOS = 1_000_000_000L;
    /** How long an open connection is watched for a close after a complete response. */
    private static final long CLOSE_WATCH_NANOS = 150_000_000L;

    private final Socket socket;
    private final DeadlineInput deadlineInput;
    private final InputStream in;
    private boolean closed;

    CaseClient(int port) throws IOException {
        socket = new Socket(InetAddress.getLoopbackAddress(), port);
        socket.setTcpNoDelay(true);
        deadlineInput = new DeadlineInput(socket);
        in = new BufferedInputStream(deadlineInput);
    }

    boolean isClosed() {
        return closed;
    }

    ClientResponse exchange(CaseRequest request) throws IOException {
        long start = System.nanoTime();
        deadlineInput.deadline(start + LIMIT_NANOS);
        try {
            socket.getOutputStream().write(request.bytes());
            socket.getOutputStream().flush();
            if (request.halfClose()) {
                socket.shutdownOutput();
            }
        } catch (IOException e) {
            // The proxy may have answered and closed already: read what it sent.
        }
        List<HttpHead> interim = new ArrayList<>();
        HttpHead head = null;
        String framing = "none";
        byte[] body = new byte[0];
        boolean complete = false;
        try {
            while (true) {
                head = HttpHead.read(in);
                if (head == null) {
                    closed = true;
                    return new ClientResponse(interim, null, "none", body, timing(start, true), true);
                }
                int status = status(head);
                if (status >= 100 && status < 200 && status != 101) {
                    interim.add(head);
                    continue;
                }
                if (request.method().equals("HEAD") || status == 204 || status == 304 || status == 101) {
                    framing = "none";
                } else if (head.chunked()) {
                    framing = "chunked";
                    body = HttpHead.readChunked(in);
                } else if (head.contentLength() >= 0) {
                    framing = "length";
                    body = HttpHead.readLength(in, head.contentLength());
                } else {
                    framing = "close";
                    body = in.readAllBytes();
                    closed = true;
                }
                complete = true;
                break;
            }
        } catch (SocketTimeoutException e) {
            framing = head == null ? "none" : "incomplete: timeout";
        } catch (IOException e) {
            closed = true;
            framing = head == null ? "none" : "incomplete: " + e.getMessage();
        }
        String timing = timing(start, complete);
        if (!closed && complete) {
            closed = closesSoon();
        }
        return new ClientResponse(interim, head, framing, body, timing, closed);
    }

    private boolean closesSoon() {
        deadlineInput.deadline(System.nanoTime() + CLOSE_WATCH_NANOS);
        try {
            in.mark(1);
            int b = in.read();
            if (b < 0) {
                return true;
            }
            in.reset();
            return false;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    private static String timing(long start, boolean complete) {
        long took = System.nanoTime() - start;
        if (!complete && took >= LIMIT_NANOS) {
            return "timeout";
        }
        return took < FAST_NANOS ? "fast" : "slow";
    }

    static int status(HttpHead head) {
        String[] parts = head.startLine().split(" ", 3);
        try {
            return parts.length > 1 ? Integer.parseInt(parts[1]) : -1;
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
