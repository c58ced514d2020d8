package org.campusedge.agent.service;

import org.campusedge.agent.Agent;
import org.campusedge.agent.journal.Journal;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The agent's liveness for the watchdog: a no-op job through the journal's single writer thread
 * comes back (so taps are still being committed), and the HTTP event loop answers a request for
 * {@code /api/health} (any status: a degraded school is still a live agent). Each check has its
 * own timeout, so the probe never hangs the watchdog thread.
 */
public final class AgentLiveness implements HealthProbe {

    private final Journal journal;
    private final InetSocketAddress http;
    private final Duration timeout;

    public AgentLiveness(Journal journal, InetSocketAddress http, Duration timeout) {
        this.journal = journal;
        this.http = http;
        this.timeout = timeout;
    }

    /** Probes a running agent on its first HTTP address (loopback when it listens on a wildcard). */
    public static AgentLiveness of(Agent agent, Duration timeout) {
        InetSocketAddress bound = agent.httpAddresses().stream().findFirst()
                .orElse(new InetSocketAddress(InetAddress.getLoopbackAddress(), agent.httpPort()));
        InetSocketAddress target = bound.getAddress().isAnyLocalAddress()
                ? new InetSocketAddress(InetAddress.getLoopbackAddress(), bound.getPort())
                : bound;
        return new AgentLiveness(agent.journal(), target, timeout);
    }

    @Override
    public List<String> problems() {
        List<String> problems = new ArrayList<>(2);
        journalAnswers().ifPresent(problems::add);
        httpAnswers().ifPresent(problems::add);
        return problems;
    }

    private Optional<String> journalAnswers() {
        try {
            journal.write(c -> 1).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            return Optional.empty();
        } catch (TimeoutException e) {
            return Optional.of("journal writer did not answer within " + timeout.toMillis() + " ms");
        } catch (ExecutionException e) {
            return Optional.of("journal writer failed: " + e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.of("interrupted");
        } catch (RuntimeException e) {
            return Optional.of("journal writer refused work: " + e.getMessage());
        }
    }

    /** A raw HTTP/1.0 request: no client library threads to leak, and the status line is enough. */
    private Optional<String> httpAnswers() {
        int millis = (int) timeout.toMillis();
        try (Socket s = new Socket()) {
            s.connect(http, millis);
            s.setSoTimeout(millis);
            s.getOutputStream().write("GET /api/health HTTP/1.0\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            byte[] head = s.getInputStream().readNBytes(12);
            if (head.length < 12 || !new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.")) {
                return Optional.of("HTTP API at " + http + " gave no status line");
            }
            return Optional.empty();
        } catch (SocketTimeoutException e) {
            return Optional.of("HTTP API at " + http + " did not answer within " + millis + " ms");
        } catch (IOException e) {
            return Optional.of("HTTP API at " + http + ": " + e.getMessage());
        }
    }
}
