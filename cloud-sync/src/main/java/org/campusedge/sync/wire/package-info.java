/**
 * The sync protocol between a school's box and the city data center: records and their JSON.
 *
 * <h2>Transport</h2>
 * HTTP/1.1 (HTTPS in production). Every request but {@code GET /v1/health} carries
 * {@code Authorization: Bearer <device token>}. Request bodies are JSON, usually sent with
 * {@code Content-Encoding: gzip}.
 *
 * <h2>{@code POST /v1/ingest}: an {@link org.campusedge.sync.wire.IngestBatch}</h2>
 * A contiguous run {@code fromSeq..toSeq} of one stream. Instants are ISO-8601 in UTC; each
 * event's {@code payload} is a JSON object, passed through untouched.
 * <pre>{@code
 * {
 *   "deviceId": "school-042-box-1",
 *   "stream": "priority",
 *   "fromSeq": 41,
 *   "toSeq": 42,
 *   "events": [
 *     {"seq": 41, "type": "card.tap", "occurredAt": "2025-03-01T08:15:30.250Z",
 *      "payload": {"reader": "studio-a", "card": "04a1b2c3"}},
 *     {"seq": 42, "type": "access.decision", "occurredAt": "2025-03-01T08:15:30.262Z",
 *      "payload": {"reader": "studio-a", "granted": true, "rule": "booking"}}
 *   ]
 * }
 * }</pre>
 * Answers:
 * <ul>
 *   <li>200 {@link org.campusedge.sync.wire.IngestAck}
 *       {@code {"deviceId":"school-042-box-1","stream":"priority","ackedSeq":42,"stored":2,"duplicates":0}}:
 *       the center holds every event up to {@code ackedSeq}; the batch was stored in one
 *       transaction, events it already had counted as duplicates (exactly once at the center,
 *       at least once on the wire).</li>
 *   <li>409 {@code {"error":"gap","message":"...","ackedSeq":17}}: {@code fromSeq} is beyond
 *       {@code ackedSeq + 1}; nothing was stored; resend from {@code ackedSeq + 1}.</li>
 *   <li>400 bad batch (the message names the field), 401 missing or unknown token, 403 the
 *       token belongs to another device, 413 body too large, 5xx retry later. Every error body
 *       is a {@link org.campusedge.sync.wire.WireError}.</li>
 * </ul>
 *
 * <h2>{@code GET /v1/devices/{id}/streams}: {@link org.campusedge.sync.wire.StreamMarks}</h2>
 * {@code {"deviceId":"school-042-box-1","ackedSeq":{"priority":42,"readings":9120}}}: where the
 * box resumes after losing its own acknowledgements.
 *
 * <h2>{@code POST /v1/gaps}: a {@link org.campusedge.sync.wire.GapDeclaration}</h2>
 * Added in protocol revision 2 (older centers answer 404; older boxes never send it). A box that
 * had to delete events it had not yet sent (its journal hit its disk budget) declares them:
 * <pre>{@code
 * {"deviceId":"school-042-box-1","stream":"readings","fromSeq":9121,"toSeq":9620,"count":500,
 *  "reason":"disk_budget","lostAt":"2025-03-01T08:15:30Z"}
 * }</pre>
 * The same rule as a batch: {@code fromSeq} must be at most {@code ackedSeq + 1} (else 409 gap).
 * The center records the part beyond its mark, moves the mark to {@code toSeq} in the same
 * transaction and answers an {@link org.campusedge.sync.wire.IngestAck} with {@code stored = 0}.
 * Declaring the same gap again records nothing more. Events held plus declared gap counts add up
 * to the box's last seq: losses are counted, never silent.
 *
 * <h2>{@code GET /v1/devices/{id}/gaps}: {@link org.campusedge.sync.wire.DeclaredGaps}</h2>
 * {@code {"deviceId":"school-042-box-1","gaps":[{...GapDeclaration...}]}}, by stream and seq.
 */
package org.campusedge.sync.wire;
