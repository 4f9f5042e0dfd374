-- Experiments on a flag's variants. document is the ExperimentDefinition as JSON; arms the variants and weights the
-- experiment started with (JSON, [] for a draft); started_at and stopped_at are NULL until they happen. An experiment
-- counts the client_events with counted_after < id <= counted_through: those stored while it ran (0 and 0 for a draft;
-- counted_through is the largest id while it runs).
CREATE TABLE experiments (
    name            TEXT    PRIMARY KEY,
    document        TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    arms            TEXT    NOT NULL,
    shipped_variant TEXT    NOT NULL,
    started_at      BIGINT,
    stopped_at      BIGINT,
    counted_after   BIGINT  NOT NULL,
    counted_through BIGINT  NOT NULL,
    version         BIGINT  NOT NULL,
    created_at      BIGINT  NOT NULL,
    updated_at      BIGINT  NOT NULL
);

-- What each unit did in each experiment, its rows side by side (one page holds them, so counting a unit writes one
-- page): the row with event '' is its exposure, with the arm of its earliest exposure (by the SDK's time) and whether
-- it was ever exposed to another arm too; each row with an event name holds how many of those metric events it sent
-- and the sum of their values. A unit with metric events but no exposure has no '' row and does not count.
CREATE TABLE experiment_units (
    experiment   TEXT    NOT NULL,
    unit         TEXT    NOT NULL,
    event        TEXT    NOT NULL,
    variant      TEXT    NOT NULL,
    exposed_at   BIGINT  NOT NULL,
    several_arms INTEGER NOT NULL,
    events       BIGINT  NOT NULL,
    total        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (experiment, unit, event)
);

-- How far experiment counting has read client_events: every event with an id up to last_event_id has been added to
-- the experiments it belongs to, in the same transaction that moved this row. Events stored before this table are
-- older than any experiment.
CREATE TABLE experiment_cursor (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id BIGINT NOT NULL
);
INSERT INTO experiment_cursor (id, last_event_id) SELECT 1, COALESCE(MAX(id), 0) FROM client_events;
