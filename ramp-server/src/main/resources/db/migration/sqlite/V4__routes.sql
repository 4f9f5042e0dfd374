-- Routes: the kind: Route documents gateways in managed mode serve. document is the RouteDefinition as JSON.
CREATE TABLE routes (
    name        TEXT    PRIMARY KEY,
    document    TEXT    NOT NULL,
    version     INTEGER NOT NULL,
    created_at  INTEGER NOT NULL,
    updated_at  INTEGER NOT NULL
);

-- What each gateway saw of each arm of each route in each interval it reported (about a second), as it reported
-- it (an ArmReport). Keyed for reading one route's window in time order; started_at is the interval's start, by
-- which windows, per-second points and pruning go. A report sent again for the same interval replaces the first.
CREATE TABLE gateway_reports (
    route             TEXT    NOT NULL,
    started_at        INTEGER NOT NULL,
    arm               TEXT    NOT NULL,
    gateway           TEXT    NOT NULL,
    ended_at          INTEGER NOT NULL,
    requested_percent INTEGER NOT NULL,
    requests          INTEGER NOT NULL,
    informational     INTEGER NOT NULL,
    success           INTEGER NOT NULL,
    redirection       INTEGER NOT NULL,
    client_errors     INTEGER NOT NULL,
    server_errors     INTEGER NOT NULL,
    upstream_errors   INTEGER NOT NULL,
    latency_count     INTEGER NOT NULL,
    log_latency_sum   REAL    NOT NULL,
    log_latency_sum_of_squares REAL NOT NULL,
    p50_millis        REAL    NOT NULL,
    p90_millis        REAL    NOT NULL,
    p99_millis        REAL    NOT NULL,
    max_millis        REAL    NOT NULL,
    PRIMARY KEY (route, started_at, arm, gateway)
) WITHOUT ROWID;
-- Pruning deletes the oldest rows first.
CREATE INDEX gateway_reports_by_start ON gateway_reports (started_at);

-- The last report of each gateway: when it arrived (the server's clock) and the routes it named, as a JSON array.
CREATE TABLE gateways (
    gateway        TEXT    PRIMARY KEY,
    last_report_at INTEGER NOT NULL,
    routes         TEXT    NOT NULL
);
