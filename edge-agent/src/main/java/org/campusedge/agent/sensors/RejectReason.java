package org.campusedge.agent.sensors;

/** Why a message (or one field of it) was not turned into a reading. */
public enum RejectReason {
    /** No mapping's topic filter matches the topic. */
    UNKNOWN_TOPIC,
    /** The payload is longer than the configured maximum; not decoded at all. */
    OVERSIZE,
    /** The payload is not well-formed UTF-8. */
    INVALID_UTF8,
    /** A JSON mapping's payload is not valid JSON. */
    MALFORMED_JSON,
    /** The JSON path of a mapping is absent or null, or no mapping found anything. */
    MISSING_FIELD,
    /** The value is neither a number nor, for a 0/1 metric, a known on/off word. */
    NOT_NUMERIC,
    /** The value is NaN or infinite. */
    NOT_FINITE,
    /** The value is outside the metric's physical range. */
    OUT_OF_RANGE
}
