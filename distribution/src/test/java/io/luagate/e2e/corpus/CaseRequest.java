package io.luagate.e2e.corpus;

/**
 * One request of a case: the bytes sent, whether it follows the previous one on the same
 * connection, and whether the client shuts its output after sending.
 */
record CaseRequest(byte[] bytes, boolean keepAlive, boolean halfClose) {

    /** The method, to know whether the response may have a body (HEAD). */
    String method() {
        int i = 0;
        while (i < bytes.length && bytes[i] != ' ' && bytes[i] != '\r' && bytes[i] != '\n') {
            i++;
        }
        return new String(bytes, 0, i, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
