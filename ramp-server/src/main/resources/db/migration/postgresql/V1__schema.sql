-- Ramp schema, PostgreSQL dialect. Times are epoch milliseconds; JSON documents are text.
CREATE TABLE environments (
    name        TEXT    PRIMARY KEY,
    document    TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE flags (
    flag_key    TEXT    PRIMARY KEY,
    document    TEXT    NOT NULL,
    archived    BOOLEAN NOT NULL,
    version     BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

CREATE TABLE segments (
    id          BIGINT PRIMARY KEY,
    document    TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

-- The audit log and the source of change-stream events; ids are assigned under the write lock, in commit order.
CREATE TABLE changes (
    id            BIGINT PRIMARY KEY,
    at            BIGINT  NOT NULL,
    actor         TEXT    NOT NULL,
    resource_type TEXT    NOT NULL,
    resource_key  TEXT    NOT NULL,
    action        TEXT    NOT NULL,
    version       BIGINT  NOT NULL,
    before_doc    TEXT    NOT NULL,
    after_doc     TEXT    NOT NULL
);
CREATE INDEX changes_by_resource ON changes (resource_type, resource_key, id);

CREATE TABLE tokens (
    id           BIGINT PRIMARY KEY,
    name         TEXT    NOT NULL,
    scope        TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    prefix       TEXT    NOT NULL,
    secret_hash  TEXT    NOT NULL UNIQUE,
    created_at   BIGINT  NOT NULL
);

CREATE TABLE flag_metrics (
    flag_key     TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    app_name     TEXT    NOT NULL,
    bucket_start BIGINT  NOT NULL,
    yes          BIGINT  NOT NULL,
    no           BIGINT  NOT NULL,
    PRIMARY KEY (flag_key, environment, app_name, bucket_start)
);

CREATE TABLE variant_metrics (
    flag_key     TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    app_name     TEXT    NOT NULL,
    bucket_start BIGINT  NOT NULL,
    variant      TEXT    NOT NULL,
    count        BIGINT  NOT NULL,
    PRIMARY KEY (flag_key, environment, app_name, bucket_start, variant)
);

CREATE TABLE client_instances (
    app_name     TEXT    NOT NULL,
    instance_id  TEXT    NOT NULL,
    environment  TEXT    NOT NULL,
    sdk_version  TEXT    NOT NULL,
    strategies   TEXT    NOT NULL,
    interval_ms  BIGINT  NOT NULL,
    started_at   BIGINT  NOT NULL,
    last_seen    BIGINT  NOT NULL,
    PRIMARY KEY (app_name, instance_id, environment)
);
