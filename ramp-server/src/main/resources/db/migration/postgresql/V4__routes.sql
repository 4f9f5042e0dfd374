-- Routes: the kind: Route documents gateways in managed mode serve. document is the RouteDefinition as JSON.
CREATE TABLE routes (
    name        TEXT    PRIMARY KEY,
    document    TEXT    NOT NULL,
    version     BIGINT  NOT NULL,
    created_at  BIGINT  NOT NULL,
    updated_at  BIGINT  NOT NULL
);

-- What each gateway saw of each arm of each route in each interval it reported (about a second), as it reported
-- it (an ArmReport). Keyed for reading one route's window in time order; started_at is the interval's start, by
-- which windows, per-second points and pruning go. A report sent again for the same interval replaces the first.
CREATE TABLE gateway_reports (
    route             TEXT    NOT NULL,
    started_at        BIGINT  NOT NULL,
    arm               TEXT    NOT NULL,
    gateway           TEXT    NOT NULL,
    ended_at          BIGINT  NOT NULL,
    requested_percent INTEGER NOT NULL,
    requests          BIGINT  NOT NULL,
    informational     BIGINT  NOT NULL,
    success           BIGINT  NOT NULL,
    redirection       BIGINT  NOT NULL,
    client_errors     BIGINT  NOT NULL,
    server_errors     BIGINT  NOT NULL,
    upstream_errors   BIGINT  NOT NULL,
    latency_count     BIGINT  NOT NULL,
    log_latency_sum   DOUBLE PRECISION NOT NULL,
    log_latency_sum_of_squares DOUBLE PRECISION NOT NULL,
    p50_millis        DOUBLE PRECISION NOT NULL,
    p90_millis        DOUBLE PRECISION NOT NULL,
    p99_millis        DOUBLE PRECISION NOT NULL,
    max_millis        DOUBLE PRECISION NOT NULL,
    PRIMARY KEY (route, started_at, arm, gateway)
);
-- Pruning deletes the oldest rows first.
CREATE INDEX gateway_reports_by_start ON gateway_reports (started_at);

-- The last report of each gateway: when it arrived (the server's clock) and the routes it named, as a JSON array.
CREATE TABLE gateways (
    gateway        TEXT    PRIMARY KEY,
    last_report_at BIGINT  NOT NULL,
    routes         TEXT    NOT NULL
);
