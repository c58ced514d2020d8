/**
 * The facility dashboard: a fixed set of hand-written HTML, CSS and JavaScript modules and the
 * uPlot WebJar, served from the classpath by {@link org.campusedge.agent.dashboard.DashboardRoutes}.
 * The browser side talks only to the agent's JSON API and its event stream.
 */
package org.campusedge.agent.dashboard;
