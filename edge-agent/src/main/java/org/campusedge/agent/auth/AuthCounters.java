package org.campusedge.agent.auth;

import org.campusedge.agent.http.PrometheusText;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/** What the {@link AuthGate} and the log-in routes refused or allowed, for {@code /metrics}. Thread-safe. */
public final class AuthCounters {

    final LongAdder loginsOk = new LongAdder();
    final LongAdder loginsFailed = new LongAdder();
    final LongAdder loginsLimited = new LongAdder();
    final LongAdder csrfOrigin = new LongAdder();
    final LongAdder csrfToken = new LongAdder();
    final LongAdder unauthorized = new LongAdder();
    final LongAdder forbidden = new LongAdder();

    /** Adds the counters, and the live sessions from {@code sessions}, to {@code p}. */
    public void metrics(PrometheusText p, IntSupplier sessions) {
        p.family("campus_edge_http_logins_total", "counter", "Dashboard log-ins, by outcome.")
                .sample("campus_edge_http_logins_total", loginsOk.sum(), "outcome", "ok")
                .sample("campus_edge_http_logins_total", loginsFailed.sum(), "outcome", "failed")
                .sample("campus_edge_http_logins_total", loginsLimited.sum(), "outcome", "rate_limited");
        p.family("campus_edge_http_csrf_rejected_total", "counter", "State-changing requests refused as cross-site, by check.")
                .sample("campus_edge_http_csrf_rejected_total", csrfOrigin.sum(), "check", "origin")
                .sample("campus_edge_http_csrf_rejected_total", csrfToken.sum(), "check", "token");
        p.family("campus_edge_http_auth_refused_total", "counter", "Requests refused for want of authentication (401) or a role (403).")
                .sample("campus_edge_http_auth_refused_total", unauthorized.sum(), "status", "401")
                .sample("campus_edge_http_auth_refused_total", forbidden.sum(), "status", "403");
        p.metric("campus_edge_http_sessions", "gauge", "Dashboard log-in sessions in memory.", sessions.getAsInt());
    }
}
