package org.campusedge.agent.service;

import com.sun.jna.LastErrorException;
import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.NativeLong;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A connectionless {@code AF_UNIX}/{@code SOCK_DGRAM} sender, which is what systemd's
 * {@code NOTIFY_SOCKET} is (sd_notify(3)). Java 17 only has unix-domain <em>stream</em> channels,
 * so this calls libc's {@code socket(2)} and {@code sendto(2)} through JNA — a library the
 * launcher already carries for Pi4J, with its dispatch stub built for armhf and arm64.
 *
 * <p>Why not {@code systemd-notify}: a short-lived helper process needs {@code NotifyAccess=all},
 * and systemd (252 on bookworm) attributes a message by the sender's PID; when the helper has
 * already exited, the message is dropped ("Cannot find unit for notify message"), so READY=1 or
 * a watchdog ping can get lost at random. Sending from the agent's own PID has no such race and
 * works with {@code NotifyAccess=main}.
 *
 * <p>Thread-safe: each {@link #send} is one system call on a socket that is never connected.
 */
public final class UnixDatagramSocket implements NotifySocket {

    private static final int AF_UNIX = 1;
    private static final int SOCK_DGRAM = 2;
    private static final int SOCK_CLOEXEC = 0x80000;
    private static final int MSG_NOSIGNAL = 0x4000;
    /** sizeof(sockaddr_un.sun_path) on Linux, unix(7). */
    private static final int SUN_PATH_MAX = 108;

    /** The libc calls used, mapped by JNA. */
    interface LibC extends Library {
        int socket(int domain, int type, int protocol) throws LastErrorException;

        NativeLong sendto(int fd, byte[] buf, NativeLong len, int flags, byte[] addr, int addrLen) throws LastErrorException;

        int close(int fd) throws LastErrorException;
    }

    private static volatile LibC libc;

    private final String path;
    private final byte[] address;
    private final int fd;
    private volatile boolean closed;

    private UnixDatagramSocket(String path, byte[] address, int fd) {
        this.path = path;
        this.address = address;
        this.fd = fd;
    }

    /**
     * Opens a socket that sends to {@code path}; a leading {@code @} names an abstract-namespace
     * socket, as in {@code NOTIFY_SOCKET} (unix(7)).
     */
    public static UnixDatagramSocket open(String path) throws IOException {
        byte[] address = sockaddrUn(path);
        try {
            int fd = libc().socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
            return new UnixDatagramSocket(path, address, fd);
        } catch (LastErrorException | UnsatisfiedLinkError e) {
            throw new IOException("cannot open a unix datagram socket for " + path + ": " + e.getMessage(), e);
        }
    }

    /** {@code struct sockaddr_un}: sa_family in host byte order, then the path (NUL-ended unless abstract). */
    static byte[] sockaddrUn(String path) {
        if (path.isEmpty()) {
            throw new IllegalArgumentException("empty unix socket path");
        }
        boolean isAbstract = path.charAt(0) == '@';
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        if (isAbstract) {
            name[0] = 0;
        }
        int pathLength = isAbstract ? name.length : name.length + 1;
        if (pathLength > SUN_PATH_MAX) {
            throw new IllegalArgumentException("unix socket path longer than " + SUN_PATH_MAX + " bytes: " + path);
        }
        ByteBuffer b = ByteBuffer.allocate(2 + pathLength).order(ByteOrder.nativeOrder());
        b.putShort((short) AF_UNIX).put(name);
        return b.array();
    }

    @Override
    public void send(String message) throws IOException {
        if (closed) {
            throw new IOException("notify socket to " + path + " is closed");
        }
        byte[] bytes = message.getBytes(StandardCharsets.UTF_8);
        try {
            libc().sendto(fd, bytes, new NativeLong(bytes.length), MSG_NOSIGNAL, address, address.length);
        } catch (LastErrorException e) {
            throw new IOException("sd_notify to " + path + " failed: errno " + e.getErrorCode(), e);
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            libc().close(fd);
        } catch (LastErrorException e) {
            // close(2) on a datagram socket only fails for a bad descriptor, which would be our bug.
            throw new IllegalStateException("close of notify socket " + path + " failed: errno " + e.getErrorCode(), e);
        }
    }

    private static LibC libc() {
        LibC l = libc;
        if (l == null) {
            synchronized (UnixDatagramSocket.class) {
                l = libc;
                if (l == null) {
                    l = Native.load("c", LibC.class);
                    libc = l;
                }
            }
        }
        return l;
    }
}
