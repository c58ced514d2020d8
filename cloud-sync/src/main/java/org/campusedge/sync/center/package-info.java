/**
 * The city data center: {@link org.campusedge.sync.center.DataCenter} serves the ingest API over
 * {@link org.campusedge.sync.http.HttpServer}, authenticates boxes with a
 * {@link org.campusedge.sync.center.DeviceRegistry} and stores events exactly once in an
 * {@link org.campusedge.sync.center.EventStore} (embedded: {@link org.campusedge.sync.center.SqliteEventStore};
 * production: {@link org.campusedge.sync.center.PostgresEventStore}), chosen by {@code storage.type}.
 */
package org.campusedge.sync.center;
