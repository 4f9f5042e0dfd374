-- Exposure and metric events that SDKs send through POST /api/client/events, kept as sent for experiments.
-- name is the flag for an exposure and the event's name for a metric; properties is a JSON object of strings.
-- AUTOINCREMENT: ids are never given twice, so a reader that goes on after the last id it saw misses nothing.
CREATE TABLE client_events (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    environment  TEXT    NOT NULL,
    app_name     TEXT    NOT NULL,
    instance_id  TEXT    NOT NULL,
    type         TEXT    NOT NULL,
    name         TEXT    NOT NULL,
    variant      TEXT    NOT NULL,
    unit         TEXT    NOT NULL,
    value        REAL    NOT NULL,
    properties   TEXT    NOT NULL,
    occurred_at  INTEGER NOT NULL,
    received_at  INTEGER NOT NULL
);
CREATE INDEX client_events_by_name ON client_events (environment, name, id);
