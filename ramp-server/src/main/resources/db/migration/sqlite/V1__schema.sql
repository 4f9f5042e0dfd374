-- Ramp schema, SQLite dialect. Times are epoch milliseconds; JSON documents are text.
CREATE TABLE environments (
    name        TEXT    PRIMARY KEY,
    document    TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

CREATE TABLE flags (
    flag_key    TEXT    PRIMARY KEY,
    document    TEXT    NOT NULL,
    archived    INTEGER NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- AUTOINCREMENT: an id is never given twice, so a deleted segment's history and references stay its own.
CREATE TABLE segments (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    document    TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- The audit log and the source of change-stream events; ids are assigned under the write lock, in commit order.
CREATE TABLE changes (
    id            INTEGER PRIMARY KEY,
    at            INTEGER NOT NULL,
    actor         TEXT    NOT NULL,
    resource_type TEXT    NOT NULL,
    resource_key  TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    version       INTEGER NOT NULL,
    before_doc    TEXT    NOT NULL,
    after_doc     TEXT    NOT NULL
);
CREATE INDEX changes_by_resource ON changes (resource_type, resource_key, id);

CREATE TABLE tokens (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    name         TEXT    NOT NULL,
    scope        TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL
);

CREATE TABLE flag_metrics (
    flag_key     TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    app_name     TEXT    NOT NULL,
    bucket_start INTEGER NOT NULL,
    yes          INTEGER NOT NULL,
    no           INTEGER NOT NULL,
    PRIMARY KEY (flag_key, environment, app_name, bucket_start)
);

CREATE TABLE variant_metrics (
    flag_key     TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    app_name     TEXT    NOT NULL,
    bucket_start INTEGER NOT NULL,
    variant      TEXT    NOT NULL,
    count        INTEGER NOT NULL,
    PRIMARY KEY (flag_key, environment, app_name, bucket_start, variant)
);

CREATE TABLE client_instances (
    app_name     TEXT    NOT NULL,
    instance_id  TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    sdk_version  TEXT    NOT NULL,
    strategies   TEXT    NOT NULL,
    interval_ms  INTEGER NOT NULL,
    started_at   INTEGER NOT NULL,
    last_seen    INTEGER NOT NULL,
    PRIMARY KEY (app_name, instance_id, environment)
);
