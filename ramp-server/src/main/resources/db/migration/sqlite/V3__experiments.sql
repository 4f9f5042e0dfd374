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
    started_at      INTEGER,
    stopped_at      INTEGER,
    counted_after   INTEGER NOT NULL,
    counted_through INTEGER NOT NULL,
    version         INTEGER NOT NULL,
    created_at      INTEGER NOT NULL,
    updated_at      INTEGER NOT NULL
);

-- The units exposed to a running experiment: the arm of their first exposure (by the SDK's time), and whether they
-- were ever exposed to another arm too.
CREATE TABLE experiment_units (
    experiment   TEXT    NOT NULL,
    unit         TEXT    NOT NULL,
    variant      TEXT    NOT NULL,
    exposed_at   INTEGER NOT NULL,
    several_arms INTEGER NOT NULL,
    PRIMARY KEY (experiment, unit)
) WITHOUT ROWID;

-- Per unit and metric event of a running experiment: how many events it sent and the sum of their values. Results
-- are sums over these rows, joined to experiment_units.
CREATE TABLE experiment_unit_events (
    experiment TEXT    NOT NULL,
    event      TEXT    NOT NULL,
    unit       TEXT    NOT NULL,
    events     INTEGER NOT NULL,
    total      REAL    NOT NULL,
    PRIMARY KEY (experiment, event, unit)
) WITHOUT ROWID;

-- How far experiment counting has read client_events: every event with an id up to last_event_id has been added to
-- the experiments it belongs to, in the same transaction that moved this row. Events stored before this table are
-- older than any experiment.
CREATE TABLE experiment_cursor (
    id            INTEGER PRIMARY KEY CHECK (id = 1),
    last_event_id INTEGER NOT NULL
);
INSERT INTO experiment_cursor (id, last_event_id) SELECT 1, COALESCE(MAX(id), 0) FROM client_events;
