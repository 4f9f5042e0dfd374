-- Releases: the kind: Release document (definition, as JSON), and where the release is (state: the ReleaseState as
-- JSON, its pending actions included). version grows with every decision.
CREATE TABLE releases (
    name        TEXT    PRIMARY KEY,
    definition  TEXT    NOT NULL,
    state       TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- Each release's timeline: every decision, in order (seq from 1 per release), with its evidence as a JSON array.
CREATE TABLE release_timeline (
    release     TEXT    NOT NULL,
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    type        TEXT    NOT NULL,
    step        INTEGER NOT NULL,
    message     TEXT    NOT NULL,
    outcome     TEXT    NOT NULL,
    evidence    TEXT    NOT NULL,
    PRIMARY KEY (release, seq)
);

-- Releases of flags judge the metric events SDKs sent while an analysis interval ran.
CREATE INDEX client_events_by_received ON client_events (environment, name, received_at);
