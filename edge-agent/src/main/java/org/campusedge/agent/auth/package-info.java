/**
 * Who may use the agent's dashboard and HTTP API: local accounts from a users file
 * ({@link org.campusedge.agent.auth.UsersFile}, PBKDF2 {@link org.campusedge.agent.auth.PasswordHash}es),
 * bearer tokens for IT tools, {@link org.campusedge.agent.auth.Role}s, log-in sessions
 * ({@link org.campusedge.agent.auth.Sessions}), log-in rate limiting
 * ({@link org.campusedge.agent.auth.LoginLimiter}) and the {@link org.campusedge.agent.auth.AuthGate}
 * that checks every request (session or token, CSRF, Origin, role) before it reaches a route.
 */
package org.campusedge.agent.auth;
