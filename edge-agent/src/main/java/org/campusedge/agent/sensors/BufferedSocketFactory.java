package org.campusedge.agent.sensors;

import javax.net.SocketFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;

/**
 * Plain TCP sockets whose input stream is buffered. Paho 1.2.5 reads each packet's header and
 * length a byte at a time from the socket's own stream — a system call per byte; with a 64 KiB
 * buffer one call brings in many packets, which is most of the difference between a few thousand
 * and tens of thousands of sensor messages a second on a small box. Used for {@code tcp://} only
 * (TLS sockets buffer by record already).
 */
final class BufferedSocketFactory extends SocketFactory {

    static final int BUFFER = 64 * 1024;

    @Override
    public Socket createSocket() {
        return new BufferedSocket();
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
        Socket s = new BufferedSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
        Socket s = new BufferedSocket();
        s.bind(new java.net.InetSocketAddress(localHost, localPort));
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
        Socket s = new BufferedSocket();
        s.connect(new java.net.InetSocketAddress(host, port));
        return s;
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
        Socket s = new BufferedSocket();
        s.bind(new java.net.InetSocketAddress(localAddress, localPort));
        s.connect(new java.net.InetSocketAddress(address, port));
        return s;
    }

    /** A socket handing out one buffered input stream. */
    private static final class BufferedSocket extends Socket {
        private InputStream in;

        @Override
        public synchronized InputStream getInputStream() throws IOException {
            if (in == null) {
                in = new ReceiverBuffer(super.getInputStream());
            }
            return in;
        }
    }

    /**
     * A read buffer without the per-call lock of {@code BufferedInputStream}: Paho's receiver is its
     * only reader (one thread), and it calls {@link #read()} once per byte of every packet.
     */
    static final class ReceiverBuffer extends InputStream {
        private final InputStream in;
        private final byte[] buf = new byte[BUFFER];
        private int pos;
        private int count;

        ReceiverBuffer(InputStream in) {
            this.in = in;
        }

        private boolean fill() throws IOException {
            int n = in.read(buf, 0, buf.length);
            if (n <= 0) {
                return false;
            }
            pos = 0;
            count = n;
            return true;
        }

        @Override
        public int read() throws IOException {
            if (pos >= count && !fill()) {
                return -1;
            }
            return buf[pos++] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            if (pos >= count) {
                if (len >= buf.length) {
                    return in.read(b, off, len);
                }
                if (!fill()) {
                    return -1;
                }
            }
            int n = Math.min(len, count - pos);
            System.arraycopy(buf, pos, b, off, n);
            pos += n;
            return n;
        }

        /**
         * What is buffered, and only when nothing is, what the socket holds: Paho asks before
         * every packet, and asking the socket is a system call (FIONREAD) each time.
         */
        @Override
        public int available() throws IOException {
            return pos < count ? count - pos : in.available();
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }
}
