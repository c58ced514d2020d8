package org.campusedge.agent.cli;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * The bench's own HTTP/1.1 client: posts pre-encoded bodies to one path over one persistent
 * connection, with as little CPU as it can, because on the bench machine every microsecond the
 * load generator spends is taken from the data center under test. The request head is built
 * once; a request is one {@code write} of head and body. The response parser is strict
 * (RFC 9112): a status line, header fields, then a body delimited by Content-Length, chunked
 * coding or the end of the connection. A gzip body is inflated; other codings are refused.
 *
 * <p>{@link #post(byte[])} resends when the server closed the connection (a stale keep-alive
 * connection, or one closed mid-answer), which is safe only for idempotent requests such as the
 * data center's ingest, and resends a 503 after {@link #RETRY_PAUSE}.
 *
 * <p>Not thread-safe: each instance is owned by one thread (a bench box).
 */
final class BenchHttpClient implements AutoCloseable {

    /** How long to wait before resending a request the server answered 503 (busy). */
    static final Duration RETRY_PAUSE = Duration.ofMillis(50);

    /** Resends in a row after the server closed the connection, before giving up. */
    static final int MAX_RESENDS = 3;

    private static final int MAX_LINE = 8 * 1024;
    private static final int MAX_HEADER_FIELDS = 100;
    private static final int MAX_BODY = 16 * 1024 * 1024;
    private static final byte[] CRLF2 = {'\r', '\n', '\r', '\n'};

    /** A response: its status code and its body, decoded from any transfer and content coding. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** The server broke HTTP/1.1: a malformed status line or header, an unsupported coding, a body too large. */
    static final class MalformedResponseException extends IOException {
        private static final long serialVersionUID = 1L;

        MalformedResponseException(String message) {
            super(message);
        }
    }

    /** The server closed the connection before the response was complete. */
    private static final class ClosedByServerException extends IOException {
        private static final long serialVersionUID = 1L;

        ClosedByServerException(String message) {
            super(message);
        }
    }

    private final InetSocketAddress server;
    private final String target;
    private final int timeoutMillis;
    private final byte[] headPrefix;
    private byte[] out = new byte[0];
    private final byte[] in = new byte[16 * 1024];
    private int inPos;
    private int inLimit;
    private Socket socket;
    private InputStream input;
    private OutputStream output;
    private long connects;
    private long resends;
    private long retriesAfter503;
    private long closeFailures;

    /**
     * @param server  where to connect
     * @param path    the request target of every POST, e.g. {@code /v1/ingest}
     * @param headers header fields sent with every request besides Host, Content-Length and
     *                Accept-Encoding (which this client sets)
     * @param timeout how long to wait for a connection and for each read of the response
     */
    BenchHttpClient(InetSocketAddress server, String path, Map<String, String> headers, Duration timeout) {
        if (!path.startsWith("/")) {
            throw new IllegalArgumentException("the path must start with /, got \"" + path + "\"");
        }
        this.server = server;
        this.target = "POST " + path;
        this.timeoutMillis = Math.toIntExact(timeout.toMillis());
        StringBuilder head = new StringBuilder(256).append("POST ").append(path).append(" HTTP/1.1\r\n")
                .append("Host: ").append(server.getHostString()).append(':').append(server.getPort()).append("\r\n")
                // Acks are small and never compressed by the data center; say so rather than rely on it.
                .append("Accept-Encoding: identity\r\n");
        headers.forEach((name, value) -> {
            if (!isToken(name) || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new IllegalArgumentException("not a valid header field: " + name + ": " + value);
            }
            head.append(name).append(": ").append(value).append("\r\n");
        });
        head.append("Content-Length: ");
        this.headPrefix = head.toString().getBytes(StandardCharsets.US_ASCII);
    }

    /** Connections opened so far (1 while keep-alive holds). */
    long connects() {
        return connects;
    }

    /** Requests sent again because the server closed the connection before answering them. */
    long resends() {
        return resends;
    }

    /** Requests sent again after a 503. */
    long retriesAfter503() {
        return retriesAfter503;
    }

    /**
     * POSTs {@code body} as is and returns the first response that is not 503; reconnects and
     * resends when the server closed the connection, up to {@link #MAX_RESENDS} times in a row.
     *
     * @throws MalformedResponseException when the server's response breaks HTTP/1.1
     * @throws IOException                when the server cannot be reached, closes the connection
     *                                    too often, or does not answer within the timeout
     */
    Response post(byte[] body) throws IOException, InterruptedException {
        int length = fillRequest(body);
        int closedInARow = 0;
        while (true) {
            Response response;
            try {
                response = exchange(length);
            } catch (ClosedByServerException | SocketException e) {
                disconnect();
                if (++closedInARow > MAX_RESENDS) {
                    throw new IOException(target + " to " + describeServer() + ": the connection was closed " + closedInARow
                            + " times in a row before an answer (" + e.getMessage() + ")", e);
                }
                resends++;
                continue;
            }
            closedInARow = 0;
            if (response.status() != 503) {
                return response;
            }
            retriesAfter503++;
            Thread.sleep(RETRY_PAUSE.toMillis());
        }
    }

    @Override
    public void close() {
        disconnect();
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "%s to %s: %d connections, %d resends, %d retries after 503, %d failed closes",
                target, describeServer(), connects, resends, retriesAfter503, closeFailures);
    }

    private int fillRequest(byte[] body) {
        byte[] length = Integer.toString(body.length).getBytes(StandardCharsets.US_ASCII);
        int size = headPrefix.length + length.length + CRLF2.length + body.length;
        if (out.length < size) {
            out = new byte[size + size / 4];
        }
        int at = 0;
        System.arraycopy(headPrefix, 0, out, at, headPrefix.length);
        at += headPrefix.length;
        System.arraycopy(length, 0, out, at, length.length);
        at += length.length;
        System.arraycopy(CRLF2, 0, out, at, CRLF2.length);
        at += CRLF2.length;
        System.arraycopy(body, 0, out, at, body.length);
        return at + body.length;
    }

    private Response exchange(int length) throws IOException {
        if (socket == null) {
            connect();
        }
        output.write(out, 0, length);
        Response response;
        boolean keepAlive;
        do {
            String statusLine = readLine("status line");
            int status = parseStatusLine(statusLine);
            boolean http10 = statusLine.charAt(7) == '0';
            Head head = readHeaders();
            keepAlive = http10 ? head.connection.contains("keep-alive") : !head.connection.contains("close");
            byte[] body;
            if (status < 200 || status == 204 || status == 304) {
                // RFC 9112 section 6.3, item 1: these responses never have a body.
                if (head.contentLength > 0 || head.chunked) {
                    throw malformed("a " + status + " response must not have a body");
                }
                body = new byte[0];
            } else if (head.chunked) {
                body = readChunked();
            } else if (head.contentLength >= 0) {
                body = readExactly(head.contentLength);
            } else {
                // RFC 9112 section 6.3, item 8: no length given, the body ends with the connection.
                body = readToEnd();
                keepAlive = false;
            }
            response = new Response(status, decode(head.contentEncoding, body));
            // A 1xx is an interim answer (RFC 9110 section 15.2); the final one follows.
        } while (response.status() < 200);
        if (!keepAlive) {
            disconnect();
        }
        return response;
    }

    private void connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(server, timeoutMillis);
            s.setSoTimeout(timeoutMillis);
            input = s.getInputStream();
            output = s.getOutputStream();
        } catch (IOException e) {
            s.close();
            throw new IOException("cannot connect to " + describeServer() + ": " + e.getMessage(), e);
        }
        socket = s;
        inPos = 0;
        inLimit = 0;
        connects++;
    }

    private void disconnect() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // Nothing is lost when closing a connection we are done with fails; counted for toString().
                closeFailures++;
            }
            socket = null;
            input = null;
            output = null;
        }
    }

    /** The header fields this client acts on. */
    private static final class Head {
        long contentLength = -1;
        boolean chunked;
        String connection = "";
        String contentEncoding = "";
    }

    /** RFC 9112 section 4: {@code HTTP-version SP status-code SP [ reason-phrase ]}. */
    private int parseStatusLine(String line) throws MalformedResponseException {
        boolean ok = line.length() >= 12 && line.startsWith("HTTP/1.") && (line.charAt(7) == '0' || line.charAt(7) == '1')
                && line.charAt(8) == ' ' && isDigit(line.charAt(9)) && isDigit(line.charAt(10)) && isDigit(line.charAt(11))
                && (line.length() == 12 || line.charAt(12) == ' ');
        if (!ok) {
            throw malformed("malformed status line \"" + printable(line) + "\"");
        }
        int status = Integer.parseInt(line.substring(9, 12));
        if (status < 100) {
            throw malformed("status code out of range in \"" + printable(line) + "\"");
        }
        return status;
    }

    /** RFC 9112 section 5: {@code field-name ":" OWS field-value OWS}, no whitespace before the colon, no line folding. */
    private Head readHeaders() throws IOException {
        Head head = new Head();
        for (int n = 0; ; n++) {
            String line = readLine("header field");
            if (line.isEmpty()) {
                return head;
            }
            if (n >= MAX_HEADER_FIELDS) {
                throw malformed("more than " + MAX_HEADER_FIELDS + " header fields");
            }
            int colon = line.indexOf(':');
            if (colon <= 0 || !isToken(line.substring(0, colon))) {
                throw malformed("malformed header field \"" + printable(line) + "\"");
            }
            String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
            String value = line.substring(colon + 1).strip();
            switch (name) {
                case "content-length" -> {
                    if (value.isEmpty() || value.length() > 10 || !value.chars().allMatch(BenchHttpClient::isDigit)) {
                        throw malformed("bad Content-Length \"" + printable(value) + "\"");
                    }
                    long length = Long.parseLong(value);
                    if (head.contentLength >= 0 && head.contentLength != length) {
                        throw malformed("two different Content-Length values");
                    }
                    head.contentLength = length;
                }
                case "transfer-encoding" -> {
                    if (!value.equalsIgnoreCase("chunked")) {
                        throw malformed("unsupported Transfer-Encoding \"" + printable(value) + "\"");
                    }
                    head.chunked = true;
                }
                case "connection" -> head.connection = head.connection + "," + value.toLowerCase(Locale.ROOT);
                case "content-encoding" -> head.contentEncoding = value.toLowerCase(Locale.ROOT);
                default -> { }
            }
        }
    }

    /** RFC 9112 section 7.1: {@code *chunk last-chunk trailer-section CRLF}. */
    private byte[] readChunked() throws IOException {
        byte[] body = new byte[0];
        int size = 0;
        while (true) {
            String line = readLine("chunk size");
            int semicolon = line.indexOf(';');
            String hex = (semicolon >= 0 ? line.substring(0, semicolon) : line).strip();
            if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                throw malformed("malformed chunk size line \"" + printable(line) + "\"");
            }
            long chunk = Long.parseLong(hex, 16);
            if (chunk == 0) {
                break;
            }
            if (size + chunk > MAX_BODY) {
                throw malformed("chunked body larger than " + MAX_BODY + " bytes");
            }
            if (body.length < size + chunk) {
                body = Arrays.copyOf(body, (int) Math.max(size + chunk, body.length * 2L));
            }
            readInto(body, size, (int) chunk);
            size += (int) chunk;
            if (!readLine("chunk end").isEmpty()) {
                throw malformed("chunk data not followed by CRLF");
            }
        }
        for (int n = 0; !readLine("trailer field").isEmpty(); n++) {
            if (n >= MAX_HEADER_FIELDS) {
                throw malformed("more than " + MAX_HEADER_FIELDS + " trailer fields");
            }
        }
        return body.length == size ? body : Arrays.copyOf(body, size);
    }

    private byte[] readExactly(long length) throws IOException {
        if (length > MAX_BODY) {
            throw malformed("Content-Length " + length + " exceeds " + MAX_BODY + " bytes");
        }
        byte[] body = new byte[(int) length];
        readInto(body, 0, body.length);
        return body;
    }

    private byte[] readToEnd() throws IOException {
        byte[] body = new byte[Math.max(64, inLimit - inPos)];
        int size = 0;
        while (true) {
            if (inPos == inLimit && !fill()) {
                return Arrays.copyOf(body, size);
            }
            int n = inLimit - inPos;
            if (size + n > MAX_BODY) {
                throw malformed("body larger than " + MAX_BODY + " bytes");
            }
            if (body.length < size + n) {
                body = Arrays.copyOf(body, Math.max(size + n, body.length * 2));
            }
            System.arraycopy(in, inPos, body, size, n);
            size += n;
            inPos = inLimit;
        }
    }

    private void readInto(byte[] to, int at, int length) throws IOException {
        int done = 0;
        while (done < length) {
            if (inPos == inLimit && !fill()) {
                throw new ClosedByServerException("the connection closed " + (length - done) + " bytes before the end of the body");
            }
            int n = Math.min(length - done, inLimit - inPos);
            System.arraycopy(in, inPos, to, at + done, n);
            inPos += n;
            done += n;
        }
    }

    /** One line ending in CRLF (RFC 9112 section 2.2), without it. A bare LF is refused. */
    private String readLine(String what) throws IOException {
        StringBuilder spill = null;
        while (true) {
            for (int i = inPos; i < inLimit; i++) {
                if (in[i] == '\n') {
                    int end = i;
                    boolean cr = end > inPos ? in[end - 1] == '\r' : spill != null && spill.length() > 0
                            && spill.charAt(spill.length() - 1) == '\r';
                    if (!cr) {
                        throw malformed(what + " ends in a bare LF");
                    }
                    String part = new String(in, inPos, end - inPos, StandardCharsets.ISO_8859_1);
                    inPos = i + 1;
                    String line = spill == null ? part : spill.append(part).toString();
                    if (line.length() > MAX_LINE) {
                        throw malformed(what + " longer than " + MAX_LINE + " bytes");
                    }
                    return line.substring(0, line.length() - 1);
                }
            }
            int pending = inLimit - inPos;
            if ((spill == null ? 0 : spill.length()) + pending > MAX_LINE) {
                throw malformed(what + " longer than " + MAX_LINE + " bytes");
            }
            if (pending > 0) {
                if (spill == null) {
                    spill = new StringBuilder();
                }
                spill.append(new String(in, inPos, pending, StandardCharsets.ISO_8859_1));
                inPos = inLimit;
            }
            if (!fill()) {
                boolean nothingYet = spill == null && what.equals("status line");
                throw new ClosedByServerException(nothingYet ? "the connection closed before a response"
                        : "the connection closed in the middle of the " + what);
            }
        }
    }

    /** Reads more bytes into {@link #in}; false at the end of the stream. */
    private boolean fill() throws IOException {
        int n = input.read(in, 0, in.length);
        if (n < 0) {
            return false;
        }
        inPos = 0;
        inLimit = n;
        return true;
    }

    private byte[] decode(String contentEncoding, byte[] body) throws IOException {
        if (contentEncoding.isEmpty() || contentEncoding.equals("identity")) {
            return body;
        }
        if (!contentEncoding.equals("gzip") && !contentEncoding.equals("x-gzip")) {
            throw malformed("unsupported Content-Encoding \"" + printable(contentEncoding) + "\"");
        }
        try (InputStream gz = new GZIPInputStream(new ByteArrayInputStream(body))) {
            byte[] inflated = gz.readNBytes(MAX_BODY);
            if (gz.read() != -1) {
                throw malformed("gzip body inflates past " + MAX_BODY + " bytes");
            }
            return inflated;
        } catch (MalformedResponseException e) {
            throw e;
        } catch (IOException e) {
            throw malformed("Content-Encoding gzip but the body is not valid gzip: " + e.getMessage());
        }
    }

    private MalformedResponseException malformed(String what) {
        disconnect();
        return new MalformedResponseException(target + " to " + describeServer() + ": " + what);
    }

    private String describeServer() {
        return server.getHostString() + ":" + server.getPort();
    }

    private static boolean isDigit(int c) {
        return c >= '0' && c <= '9';
    }

    /** RFC 9110 section 5.6.2: {@code token = 1*tchar}. */
    private static boolean isToken(String s) {
        if (s.isEmpty()) {
            return false;
        }
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            boolean tchar = c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || "!#$%&'*+-.^_`|~".indexOf(c) >= 0;
            if (!tchar) {
                return false;
            }
        }
        return true;
    }

    private static String printable(String s) {
        StringBuilder b = new StringBuilder(Math.min(s.length(), 120));
        for (int i = 0; i < s.length() && b.length() < 120; i++) {
            char c = s.charAt(i);
            b.append(c >= 0x20 && c < 0x7f ? String.valueOf(c) : String.format(Locale.ROOT, "\\x%02x", (int) c));
        }
        return s.length() > 120 ? b + "..." : b.toString();
    }
}
