package dev.ramp.server.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.zaxxer.hikari.HikariDataSource;
import dev.ramp.server.model.EnvironmentDefinition;
import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.Json;
import dev.ramp.server.model.SegmentDefinition;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import org.flywaydb.core.Flyway;

/**
 * The SQL both databases share. Subclasses say how to open the pool, how to take the database-wide write lock and
 * which failures mean "unavailable".
 */
abstract class JdbcFlagStore implements FlagStore {
    private static final ObjectMapper JSON = Json.mapper();
    private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};
    private static final TypeReference<Map<String, String>> PROPERTIES = new TypeReference<>() {};

    private final HikariDataSource pool;
    private final ReentrantLock writeLock = new ReentrantLock(true);
    private final boolean oneWriter;

    /**
     * @param oneWriter whether the database has a single writer (SQLite): then every transaction of this process takes
     *                  {@link #writeLock} first, so writers queue here instead of sleeping in SQLite's busy handler
     */
    JdbcFlagStore(HikariDataSource pool, String migrations, boolean oneWriter) {
        this.pool = pool;
        this.oneWriter = oneWriter;
        try {
            Flyway.configure().dataSource(pool).locations("classpath:db/migration/" + migrations).load().migrate();
        } catch (RuntimeException e) {
            pool.close();
            throw new StoreException("could not migrate the database schema: " + e.getMessage(), e, false);
        }
    }

    /** Takes the lock that serializes writers across every process using this database, inside the transaction. */
    abstract void lockForWrite(Connection connection) throws SQLException;

    /**
     * Takes the lock that serializes writers of events, inside the transaction and before the first insert, so that
     * event ids follow commit order.
     */
    abstract void lockForEvents(Connection connection) throws SQLException;

    /** The query for the id of the last event this connection inserted, in this transaction. */
    abstract String lastInsertedEventId();

    @Override
    public boolean shared() {
        return !oneWriter;
    }

    /** Tells other processes on the database, once this transaction commits, that change {@code id} is there. */
    abstract void announce(Connection connection, long id) throws SQLException;

    /** {@code " FOR UPDATE"} where the database locks rows it reads that way; SQLite's one writer needs none. */
    abstract String forUpdate();

    /**
     * Prepares the connection for the per-arm totals query, inside its transaction, where the database needs it;
     * nothing by default. Only databases with several writers read the totals in a transaction.
     */
    void planTotals(Connection connection) throws SQLException {
        // Nothing by default.
    }

    /** Whether {@code e} means the database is away for now (connection lost, busy, disk full) rather than a bug. */
    abstract boolean isUnavailable(SQLException e);

    @Override
    public List<StoredEnvironment> environments() {
        return read(c -> query(c, "SELECT document, version, created_at, updated_at FROM environments ORDER BY name",
                List.of(), rs -> new StoredEnvironment(document(rs.getString(1), EnvironmentDefinition.class),
                        rs.getLong(2), instant(rs.getLong(3)), instant(rs.getLong(4)))));
    }

    @Override
    public List<StoredFlag> flags() {
        return read(c -> query(c, "SELECT document, archived, version, created_at, updated_at FROM flags ORDER BY flag_key",
                List.of(), JdbcFlagStore::flag));
    }

    @Override
    public List<StoredSegment> segments() {
        return read(c -> query(c, "SELECT id, document, version, created_at, updated_at FROM segments ORDER BY id",
                List.of(), JdbcFlagStore::segment));
    }

    @Override
    public List<ApiToken> tokens() {
        return read(JdbcFlagStore::tokens);
    }

    private static List<ApiToken> tokens(Connection c) throws SQLException {
        return query(c, "SELECT id, name, scope, environment, prefix, secret_hash, created_at FROM tokens ORDER BY id",
                List.of(), rs -> new ApiToken(rs.getLong(1), rs.getString(2), TokenScope.parse(rs.getString(3)).orElseThrow(),
                        rs.getString(4), rs.getString(5), rs.getString(6), instant(rs.getLong(7))));
    }

    @Override
    public List<StoredExperiment> experiments() {
        return read(c -> query(c, "SELECT " + EXPERIMENT_COLUMNS + " FROM experiments ORDER BY name", List.of(),
                JdbcFlagStore::experiment));
    }

    @Override
    public List<StoredRoute> routes() {
        return read(c -> query(c, "SELECT document, version, created_at, updated_at FROM routes ORDER BY name", List.of(),
                JdbcFlagStore::route));
    }

    @Override
    public List<StoredRelease> releases() {
        return read(c -> query(c, "SELECT " + RELEASE_COLUMNS + " FROM releases ORDER BY name", List.of(),
                JdbcFlagStore::release));
    }

    @Override
    public List<TimelineRow> timeline(String release, long afterSeq, int limit) {
        return read(c -> query(c, "SELECT seq, at, type, step, message, outcome, evidence FROM release_timeline"
                        + " WHERE release = ? AND seq > ? ORDER BY seq LIMIT ?", List.of(release, afterSeq, limit),
                rs -> new TimelineRow(rs.getLong(1), new dev.ramp.core.release.TimelineEntry(instant(rs.getLong(2)),
                        rs.getString(3), rs.getInt(4), rs.getString(5), rs.getString(6),
                        ReleaseJson.read(rs.getString(7), ReleaseJson.EVIDENCE)))));
    }

    @Override
    public List<Change> changesAfter(long afterId, int limit) {
        return read(c -> changesAfter(c, afterId, limit));
    }

    private static List<Change> changesAfter(Connection c, long afterId, int limit) throws SQLException {
        return query(c, "SELECT " + CHANGE_COLUMNS + " FROM changes WHERE id > ? ORDER BY id LIMIT ?",
                List.of(afterId, limit), JdbcFlagStore::change);
    }

    @Override
    public List<Change> history(ResourceType type, String key) {
        return read(c -> query(c, "SELECT " + CHANGE_COLUMNS
                        + " FROM changes WHERE resource_type = ? AND resource_key = ? ORDER BY id",
                List.of(type.wireName(), key), JdbcFlagStore::change));
    }

    @Override
    public long lastChangeId() {
        return read(c -> query(c, "SELECT COALESCE(MAX(id), 0) FROM changes", List.of(), rs -> rs.getLong(1)).get(0));
    }

    @Override
    public long lastChangeId(ResourceType type) {
        return read(c -> query(c, "SELECT COALESCE(MAX(id), 0) FROM changes WHERE resource_type = ?",
                List.of(type.wireName()), rs -> rs.getLong(1)).get(0));
    }

    @Override
    public <T> T lookUp(java.util.function.Function<Lookup, T> work) {
        return read(c -> work.apply(new JdbcTransaction(c)));
    }

    @Override
    public <T> T write(Work<T> work) {
        return committed(true, c -> {
            lockForWrite(c);
            return work.run(new JdbcTransaction(c));
        });
    }

    @Override
    public void addMetrics(List<FlagMetrics> metrics) {
        if (metrics.isEmpty()) {
            return;
        }
        transaction(c -> {
            try (PreparedStatement counts = c.prepareStatement(
                    "INSERT INTO flag_metrics (flag_key, environment, app_name, bucket_start, yes, no) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (flag_key, environment, app_name, bucket_start)"
                            + " DO UPDATE SET yes = flag_metrics.yes + excluded.yes, no = flag_metrics.no + excluded.no");
                 PreparedStatement variants = c.prepareStatement(
                    "INSERT INTO variant_metrics (flag_key, environment, app_name, bucket_start, variant, count)"
                            + " VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (flag_key, environment, app_name, bucket_start, variant)"
                            + " DO UPDATE SET count = variant_metrics.count + excluded.count")) {
                // One order for every writer, so that two reports of the same flags cannot deadlock on PostgreSQL.
                List<FlagMetrics> ordered = metrics.stream().sorted(java.util.Comparator.comparing(FlagMetrics::flag)
                        .thenComparing(FlagMetrics::environment).thenComparing(FlagMetrics::appName)
                        .thenComparing(FlagMetrics::start)).toList();
                for (FlagMetrics m : ordered) {
                    bind(counts, m.flag(), m.environment(), m.appName(), m.start().toEpochMilli(), m.yes(), m.no());
                    counts.addBatch();
                    for (Map.Entry<String, Long> variant : new java.util.TreeMap<>(m.variants()).entrySet()) {
                        bind(variants, m.flag(), m.environment(), m.appName(), m.start().toEpochMilli(),
                                variant.getKey(), variant.getValue());
                        variants.addBatch();
                    }
                }
                counts.executeBatch();
                variants.executeBatch();
            }
            return null;
        });
    }

    @Override
    public List<FlagMetrics> metrics(String flag, Optional<String> environment, Instant from, Instant to) {
        return read(c -> {
            String filter = environment.isPresent() ? " AND environment = ?" : "";
            List<Object> args = new ArrayList<>(List.of(flag, from.toEpochMilli(), to.toEpochMilli()));
            environment.ifPresent(args::add);
            Map<List<Object>, Map<String, Long>> variants = new HashMap<>();
            query(c, "SELECT environment, app_name, bucket_start, variant, count FROM variant_metrics"
                            + " WHERE flag_key = ? AND bucket_start >= ? AND bucket_start < ?" + filter,
                    args, rs -> variants.computeIfAbsent(List.of(rs.getString(1), rs.getString(2), rs.getLong(3)),
                            k -> new HashMap<>()).put(rs.getString(4), rs.getLong(5)));
            return query(c, "SELECT environment, app_name, bucket_start, yes, no FROM flag_metrics"
                            + " WHERE flag_key = ? AND bucket_start >= ? AND bucket_start < ?" + filter
                            + " ORDER BY bucket_start, environment, app_name",
                    args, rs -> new FlagMetrics(flag, rs.getString(1), rs.getString(2), instant(rs.getLong(3)),
                            rs.getLong(4), rs.getLong(5), variants.getOrDefault(
                                    List.of(rs.getString(1), rs.getString(2), rs.getLong(3)), Map.of())));
        });
    }

    @Override
    public void register(ClientInstance instance) {
        transaction(c -> {
            try (PreparedStatement statement = c.prepareStatement(
                    "INSERT INTO client_instances (app_name, instance_id, environment, sdk_version, strategies, interval_ms,"
                            + " started_at, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (app_name, instance_id, environment) DO UPDATE SET sdk_version = excluded.sdk_version,"
                            + " strategies = excluded.strategies, interval_ms = excluded.interval_ms,"
                            + " started_at = excluded.started_at, last_seen = excluded.last_seen")) {
                bind(statement, instance.appName(), instance.instanceId(), instance.environment(), instance.sdkVersion(),
                        text(instance.strategies()), instance.intervalMillis(), instance.startedAt().toEpochMilli(),
                        instance.lastSeen().toEpochMilli());
                statement.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<ClientInstance> clients() {
        return read(c -> query(c, "SELECT app_name, instance_id, environment, sdk_version, strategies, interval_ms,"
                        + " started_at, last_seen FROM client_instances ORDER BY app_name, instance_id, environment",
                List.of(), rs -> new ClientInstance(rs.getString(1), rs.getString(2), rs.getString(3), rs.getString(4),
                        document(rs.getString(5), STRINGS), rs.getLong(6), instant(rs.getLong(7)), instant(rs.getLong(8)))));
    }

    @Override
    public long addEvents(List<ClientEvent> events) {
        if (events.isEmpty()) {
            return 0;
        }
        return transaction(c -> {
            lockForEvents(c);
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO client_events (environment, app_name,"
                    + " instance_id, type, name, variant, unit, value, properties, occurred_at, received_at)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
                for (ClientEvent e : events) {
                    bind(insert, e.environment(), e.appName(), e.instanceId(), e.type().wireName(), e.name(), e.variant(),
                            e.unit(), e.value(), e.properties().isEmpty() ? "{}" : text(new java.util.TreeMap<>(e.properties())),
                            e.occurredAt().toEpochMilli(), e.receivedAt().toEpochMilli());
                    insert.addBatch();
                }
                insert.executeBatch();
            }
            // Consecutive: this transaction is the only writer of events now (SQLite's one writer, PostgreSQL's lock).
            return query(c, lastInsertedEventId(), List.of(), rs -> rs.getLong(1)).get(0) - events.size() + 1;
        });
    }

    @Override
    public int countEvents(int limit, java.util.function.LongFunction<List<ExperimentTally.Event>> known,
                           java.util.function.BiFunction<List<ExperimentTally.Event>, List<StoredExperiment>, ExperimentTally> tally) {
        return transaction(c -> {
            long cursor = lockCounting(c);
            List<StoredExperiment> experiments = query(c, "SELECT " + EXPERIMENT_COLUMNS + " FROM experiments", List.of(),
                    JdbcFlagStore::experiment);
            if (experiments.stream().noneMatch(e -> e.status() != StoredExperiment.Status.DRAFT && e.countedThrough() > cursor)) {
                moveCursor(c, lastEventId(c));
                return 0;
            }
            List<ExperimentTally.Event> held = known.apply(cursor);
            List<ExperimentTally.Event> events = !held.isEmpty() ? held.subList(0, Math.min(limit, held.size()))
                    : query(c, "SELECT id, environment, type, name, variant, unit, value,"
                            + " occurred_at FROM client_events WHERE id > ? ORDER BY id LIMIT ?",
                    List.of(cursor, limit), rs -> new ExperimentTally.Event(rs.getLong(1), rs.getString(2),
                            rs.getString(3).equals("exposure") ? ClientEvent.Type.EXPOSURE : ClientEvent.Type.METRIC,
                            rs.getString(4), rs.getString(5), rs.getString(6), rs.getDouble(7), instant(rs.getLong(8))));
            if (events.isEmpty()) {
                return 0;
            }
            ExperimentTally counted = tally.apply(events, experiments);
            if (!counted.exposures().isEmpty()) {
                addExposures(c, counted.exposures());
            }
            if (!counted.unitEvents().isEmpty()) {
                addUnitEvents(c, counted.unitEvents());
            }
            moveCursor(c, events.get(events.size() - 1).id());
            return events.size();
        });
    }

    private static long lastEventId(Connection c) throws SQLException {
        return query(c, "SELECT COALESCE(MAX(id), 0) FROM client_events", List.of(), rs -> rs.getLong(1)).get(0);
    }

    private static void moveCursor(Connection c, long lastEventId) throws SQLException {
        try (PreparedStatement move = c.prepareStatement("UPDATE experiment_cursor SET last_event_id = ? WHERE id = 1")) {
            bind(move, lastEventId);
            move.executeUpdate();
        }
    }

    /** The counting cursor, read under a lock that serializes counting with every other writer of experiments. */
    private long lockCounting(Connection c) throws SQLException {
        return query(c, "SELECT last_event_id FROM experiment_cursor WHERE id = 1" + forUpdate(), List.of(),
                rs -> rs.getLong(1)).get(0);
    }

    /**
     * The earliest exposure of a unit decides its arm. In both databases the right-hand sides of {@code DO UPDATE}
     * read the row as it was before the update. Sorted by unit, so each page of the table is written once per count.
     */
    private static void addExposures(Connection c, List<ExperimentTally.Exposure> exposures) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO experiment_units"
                + " (experiment, unit, event, variant, exposed_at, several_arms, events, total)"
                + " VALUES (?, ?, '', ?, ?, ?, 0, 0)"
                + " ON CONFLICT (experiment, unit, event) DO UPDATE SET"
                + " several_arms = CASE WHEN excluded.several_arms = 1 OR excluded.variant <> experiment_units.variant"
                + " THEN 1 ELSE experiment_units.several_arms END,"
                + " variant = CASE WHEN excluded.exposed_at < experiment_units.exposed_at THEN excluded.variant"
                + " ELSE experiment_units.variant END,"
                + " exposed_at = CASE WHEN excluded.exposed_at < experiment_units.exposed_at THEN excluded.exposed_at"
                + " ELSE experiment_units.exposed_at END")) {
            List<ExperimentTally.Exposure> sorted = exposures.stream().sorted(java.util.Comparator
                    .comparing(ExperimentTally.Exposure::experiment).thenComparing(ExperimentTally.Exposure::unit)).toList();
            for (ExperimentTally.Exposure e : sorted) {
                bind(upsert, e.experiment(), e.unit(), e.variant(), e.at().toEpochMilli(), e.severalArms() ? 1 : 0);
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    private static void addUnitEvents(Connection c, List<ExperimentTally.UnitEvents> unitEvents) throws SQLException {
        try (PreparedStatement upsert = c.prepareStatement("INSERT INTO experiment_units"
                + " (experiment, unit, event, variant, exposed_at, several_arms, events, total)"
                + " VALUES (?, ?, ?, '', 0, 0, ?, ?)"
                + " ON CONFLICT (experiment, unit, event) DO UPDATE SET"
                + " events = experiment_units.events + excluded.events,"
                + " total = experiment_units.total + excluded.total")) {
            List<ExperimentTally.UnitEvents> sorted = unitEvents.stream().sorted(java.util.Comparator
                    .comparing(ExperimentTally.UnitEvents::experiment).thenComparing(ExperimentTally.UnitEvents::unit)
                    .thenComparing(ExperimentTally.UnitEvents::event)).toList();
            for (ExperimentTally.UnitEvents e : sorted) {
                bind(upsert, e.experiment(), e.unit(), e.event(), e.events(), e.total());
                upsert.addBatch();
            }
            upsert.executeBatch();
        }
    }

    @Override
    public java.util.Map<String, List<ArmTotals>> armTotals(String experiment, java.util.Set<String> events) {
        ConnectionWork<java.util.Map<String, List<ArmTotals>>> work = c -> {
            java.util.Map<String, List<ArmTotals>> totals = new java.util.TreeMap<>();
            for (String event : new java.util.TreeSet<>(events)) {
                totals.put(event, query(c, "SELECT u.variant, COUNT(*),"
                                + " SUM(CASE WHEN e.events > 0 THEN 1 ELSE 0 END),"
                                + " COALESCE(SUM(e.total), 0), COALESCE(SUM(e.total * e.total), 0),"
                                + " COALESCE(SUM(e.events), 0), COALESCE(SUM(e.events * e.events), 0),"
                                + " COALESCE(SUM(e.total * e.events), 0)"
                                + " FROM experiment_units u LEFT JOIN experiment_units e"
                                + " ON e.experiment = u.experiment AND e.unit = u.unit AND e.event = ?"
                                + " WHERE u.experiment = ? AND u.event = '' GROUP BY u.variant ORDER BY u.variant",
                        List.of(event, experiment), rs -> new ArmTotals(rs.getString(1), rs.getLong(2), rs.getLong(3),
                                rs.getDouble(4), rs.getDouble(5), rs.getDouble(6), rs.getDouble(7), rs.getDouble(8))));
            }
            return totals;
        };
        // SQLite reads without a transaction, so that the query holds no write lock; PostgreSQL sets its plan in one.
        return oneWriter ? read(work) : transaction(c -> {
            planTotals(c);
            return work.run(c);
        });
    }

    @Override
    public long unitsInSeveralArms(String experiment) {
        return read(c -> query(c, "SELECT COUNT(*) FROM experiment_units WHERE experiment = ? AND event = '' AND several_arms = 1",
                List.of(experiment), rs -> rs.getLong(1)).get(0));
    }

    @Override
    public List<ClientEvent> events(String environment, Optional<String> name, long afterId, int limit) {
        List<Object> args = new ArrayList<>(List.of(environment));
        name.ifPresent(args::add);
        args.addAll(List.of(afterId, limit));
        return read(c -> query(c, "SELECT " + EVENT_COLUMNS + " FROM client_events WHERE environment = ?"
                        + (name.isPresent() ? " AND name = ?" : "") + " AND id > ? ORDER BY id LIMIT ?",
                args, JdbcFlagStore::event));
    }

    @Override
    public List<ClientEvent> metricEvents(String environment, String name, Instant since, Instant until, int limit) {
        return read(c -> query(c, "SELECT " + EVENT_COLUMNS + " FROM client_events WHERE environment = ? AND name = ?"
                        + " AND received_at >= ? AND received_at < ? AND type = ? ORDER BY id LIMIT ?",
                List.of(environment, name, since.toEpochMilli(), until.toEpochMilli(),
                        ClientEvent.Type.METRIC.wireName(), limit), JdbcFlagStore::event));
    }

    private static final String EVENT_COLUMNS = "id, environment, app_name, instance_id, type, name, variant, unit, value,"
            + " properties, occurred_at, received_at";

    private static ClientEvent event(ResultSet rs) throws SQLException {
        String properties = rs.getString(10);
        return new ClientEvent(rs.getLong(1), rs.getString(2), rs.getString(3), rs.getString(4),
                ClientEvent.Type.parse(rs.getString(5)).orElseThrow(), rs.getString(6), rs.getString(7), rs.getString(8),
                rs.getDouble(9), properties.equals("{}") ? Map.of() : document(properties, PROPERTIES),
                instant(rs.getLong(11)), instant(rs.getLong(12)));
    }

    @Override
    public void addReport(dev.ramp.core.route.GatewayReport report, Instant receivedAt) {
        transaction(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO gateway_reports (route, started_at, arm,"
                    + " gateway, ended_at, requested_percent, requests, informational, success, redirection, client_errors,"
                    + " server_errors, upstream_errors, latency_count, log_latency_sum, log_latency_sum_of_squares,"
                    + " p50_millis, p90_millis, p99_millis, max_millis)"
                    + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                    + " ON CONFLICT (route, started_at, arm, gateway) DO UPDATE SET ended_at = excluded.ended_at,"
                    + " requested_percent = excluded.requested_percent, requests = excluded.requests,"
                    + " informational = excluded.informational, success = excluded.success,"
                    + " redirection = excluded.redirection, client_errors = excluded.client_errors,"
                    + " server_errors = excluded.server_errors, upstream_errors = excluded.upstream_errors,"
                    + " latency_count = excluded.latency_count, log_latency_sum = excluded.log_latency_sum,"
                    + " log_latency_sum_of_squares = excluded.log_latency_sum_of_squares, p50_millis = excluded.p50_millis,"
                    + " p90_millis = excluded.p90_millis, p99_millis = excluded.p99_millis, max_millis = excluded.max_millis");
                 PreparedStatement gateway = c.prepareStatement("INSERT INTO gateways (gateway, last_report_at, routes)"
                         + " VALUES (?, ?, ?) ON CONFLICT (gateway) DO UPDATE SET"
                         + " last_report_at = excluded.last_report_at, routes = excluded.routes")) {
                long from = report.from().toEpochMilli();
                long to = report.to().toEpochMilli();
                // One order for every writer, so that two reports cannot deadlock on PostgreSQL.
                List<dev.ramp.core.route.ArmReport> ordered = report.arms().stream()
                        .sorted(java.util.Comparator.comparing(dev.ramp.core.route.ArmReport::route)
                                .thenComparing(dev.ramp.core.route.ArmReport::arm)).toList();
                for (dev.ramp.core.route.ArmReport a : ordered) {
                    bind(insert, a.route(), from, a.arm(), report.gateway(), to, a.requestedPercent(), a.requests(),
                            a.informational(), a.success(), a.redirection(), a.clientErrors(), a.serverErrors(),
                            a.upstreamErrors(), a.latencyCount(), a.logLatencySum(), a.logLatencySumOfSquares(),
                            a.p50Millis(), a.p90Millis(), a.p99Millis(), a.maxMillis());
                    insert.addBatch();
                }
                if (!ordered.isEmpty()) {
                    insert.executeBatch();
                }
                bind(gateway, report.gateway(), receivedAt.toEpochMilli(),
                        text(ordered.stream().map(dev.ramp.core.route.ArmReport::route).distinct().toList()));
                gateway.executeUpdate();
            }
            return null;
        });
    }

    @Override
    public List<TrafficPoint> traffic(String route, Instant since, Instant until) {
        return read(c -> query(c, "SELECT started_at / 1000, arm, MAX(requested_percent), SUM(requests),"
                        + " SUM(informational), SUM(success), SUM(redirection), SUM(client_errors), SUM(server_errors),"
                        + " SUM(upstream_errors), SUM(latency_count), SUM(log_latency_sum), SUM(log_latency_sum_of_squares),"
                        + " MAX(p99_millis), MAX(max_millis) FROM gateway_reports"
                        + " WHERE route = ? AND started_at >= ? AND started_at < ?"
                        + " GROUP BY started_at / 1000, arm ORDER BY started_at / 1000, arm",
                List.of(route, since.toEpochMilli(), until.toEpochMilli()),
                rs -> new TrafficPoint(Instant.ofEpochSecond(rs.getLong(1)), rs.getInt(3), new ArmTraffic(rs.getString(2),
                        rs.getLong(4), rs.getLong(5), rs.getLong(6), rs.getLong(7), rs.getLong(8), rs.getLong(9),
                        rs.getLong(10), rs.getLong(11), rs.getDouble(12), rs.getDouble(13), rs.getDouble(14),
                        rs.getDouble(15)))));
    }

    @Override
    public List<GatewaySeen> gateways(Instant since) {
        return read(c -> query(c, "SELECT gateway, last_report_at, routes FROM gateways WHERE last_report_at >= ?"
                        + " ORDER BY gateway", List.of(since.toEpochMilli()),
                rs -> new GatewaySeen(rs.getString(1), instant(rs.getLong(2)), document(rs.getString(3), STRINGS))));
    }

    @Override
    public int pruneReports(Instant before, int limit) {
        return transaction(c -> {
            int deleted;
            try (PreparedStatement reports = c.prepareStatement("DELETE FROM gateway_reports"
                    + " WHERE (route, started_at, arm, gateway) IN (SELECT route, started_at, arm, gateway"
                    + " FROM gateway_reports WHERE started_at < ? ORDER BY started_at LIMIT ?)");
                 PreparedStatement gateways = c.prepareStatement("DELETE FROM gateways WHERE last_report_at < ?")) {
                bind(reports, before.toEpochMilli(), limit);
                deleted = reports.executeUpdate();
                bind(gateways, before.toEpochMilli());
                gateways.executeUpdate();
            }
            return deleted;
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    private final class JdbcTransaction implements Transaction {
        private final Connection connection;

        JdbcTransaction(Connection connection) {
            this.connection = connection;
        }

        @Override
        public List<Change> changesAfter(long afterId, int limit) {
            return sql(() -> JdbcFlagStore.changesAfter(connection, afterId, limit));
        }

        @Override
        public List<ApiToken> tokens() {
            return sql(() -> JdbcFlagStore.tokens(connection));
        }

        @Override
        public Optional<StoredFlag> flag(String key) {
            return first(sql(() -> query(connection,
                    "SELECT document, archived, version, created_at, updated_at FROM flags WHERE flag_key = ?",
                    List.of(key), JdbcFlagStore::flag)));
        }

        @Override
        public Optional<StoredSegment> segment(int id) {
            return first(sql(() -> query(connection,
                    "SELECT id, document, version, created_at, updated_at FROM segments WHERE id = ?",
                    List.of(id), JdbcFlagStore::segment)));
        }

        @Override
        public Optional<StoredEnvironment> environment(String name) {
            return first(sql(() -> query(connection,
                    "SELECT document, version, created_at, updated_at FROM environments WHERE name = ?", List.of(name),
                    rs -> new StoredEnvironment(document(rs.getString(1), EnvironmentDefinition.class), rs.getLong(2),
                            instant(rs.getLong(3)), instant(rs.getLong(4))))));
        }

        @Override
        public void putFlag(StoredFlag flag) {
            update("INSERT INTO flags (flag_key, document, archived, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (flag_key) DO UPDATE SET document = excluded.document, archived = excluded.archived,"
                            + " version = excluded.version, updated_at = excluded.updated_at",
                    flag.key(), text(flag.definition()), flag.archived(), flag.version(),
                    flag.createdAt().toEpochMilli(), flag.updatedAt().toEpochMilli());
        }

        @Override
        public StoredSegment insertSegment(StoredSegment segment) {
            long id = insertReturningId("INSERT INTO segments (document, version, created_at, updated_at) VALUES (?, ?, ?, ?)",
                    text(segment.definition()), segment.version(), segment.createdAt().toEpochMilli(),
                    segment.updatedAt().toEpochMilli());
            return new StoredSegment(Math.toIntExact(id), segment.definition(), segment.version(), segment.createdAt(),
                    segment.updatedAt());
        }

        @Override
        public void putSegment(StoredSegment segment) {
            update("INSERT INTO segments (id, document, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (id) DO UPDATE SET document = excluded.document, version = excluded.version,"
                            + " updated_at = excluded.updated_at",
                    segment.id(), text(segment.definition()), segment.version(),
                    segment.createdAt().toEpochMilli(), segment.updatedAt().toEpochMilli());
        }

        @Override
        public void deleteSegment(int id) {
            update("DELETE FROM segments WHERE id = ?", id);
        }

        @Override
        public void putEnvironment(StoredEnvironment environment) {
            update("INSERT INTO environments (name, document, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (name) DO UPDATE SET document = excluded.document, version = excluded.version,"
                            + " updated_at = excluded.updated_at",
                    environment.name(), text(environment.definition()), environment.version(),
                    environment.createdAt().toEpochMilli(), environment.updatedAt().toEpochMilli());
        }

        @Override
        public void deleteEnvironment(String name) {
            update("DELETE FROM environments WHERE name = ?", name);
        }

        @Override
        public ApiToken insertToken(ApiToken token) {
            long id = insertReturningId(
                    "INSERT INTO tokens (name, scope, environment, prefix, secret_hash, created_at) VALUES (?, ?, ?, ?, ?, ?)",
                    token.name(), token.scope().wireName(), token.environment(), token.prefix(), token.secretHash(),
                    token.createdAt().toEpochMilli());
            return new ApiToken(id, token.name(), token.scope(), token.environment(), token.prefix(), token.secretHash(),
                    token.createdAt());
        }

        @Override
        public boolean deleteToken(long id) {
            return update("DELETE FROM tokens WHERE id = ?", id) > 0;
        }

        @Override
        public Optional<StoredExperiment> experiment(String name) {
            return first(sql(() -> query(connection, "SELECT " + EXPERIMENT_COLUMNS + " FROM experiments WHERE name = ?",
                    List.of(name), JdbcFlagStore::experiment)));
        }

        @Override
        public long lastEventId() {
            return sql(() -> {
                lockCounting(connection);
                return JdbcFlagStore.lastEventId(connection);
            });
        }

        @Override
        public void putExperiment(StoredExperiment e) {
            update("INSERT INTO experiments (name, document, status, arms, shipped_variant, started_at, stopped_at,"
                            + " counted_after, counted_through, version, created_at, updated_at)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (name) DO UPDATE SET document = excluded.document, status = excluded.status,"
                            + " arms = excluded.arms, shipped_variant = excluded.shipped_variant,"
                            + " started_at = excluded.started_at, stopped_at = excluded.stopped_at,"
                            + " counted_after = excluded.counted_after, counted_through = excluded.counted_through,"
                            + " version = excluded.version, updated_at = excluded.updated_at",
                    e.name(), text(e.definition()), e.status().wireName(), text(e.arms()), e.shippedVariant(),
                    e.started().map(Instant::toEpochMilli).orElse(null), e.stopped().map(Instant::toEpochMilli).orElse(null),
                    e.countedAfter(), e.countedThrough(), e.version(), e.createdAt().toEpochMilli(),
                    e.updatedAt().toEpochMilli());
        }

        @Override
        public void deleteExperiment(String name) {
            // After any count in progress, in this process or another: none adds units to it once it is gone.
            sql(() -> lockCounting(connection));
            update("DELETE FROM experiment_units WHERE experiment = ?", name);
            update("DELETE FROM experiments WHERE name = ?", name);
        }

        @Override
        public Optional<StoredRoute> route(String name) {
            return first(sql(() -> query(connection,
                    "SELECT document, version, created_at, updated_at FROM routes WHERE name = ?", List.of(name),
                    JdbcFlagStore::route)));
        }

        @Override
        public void putRoute(StoredRoute route) {
            update("INSERT INTO routes (name, document, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?)"
                            + " ON CONFLICT (name) DO UPDATE SET document = excluded.document, version = excluded.version,"
                            + " updated_at = excluded.updated_at",
                    route.name(), text(route.definition()), route.version(), route.createdAt().toEpochMilli(),
                    route.updatedAt().toEpochMilli());
        }

        @Override
        public void deleteRoute(String name) {
            update("DELETE FROM routes WHERE name = ?", name);
        }

        @Override
        public Optional<StoredRelease> release(String name) {
            return first(sql(() -> query(connection, "SELECT " + RELEASE_COLUMNS + " FROM releases WHERE name = ?",
                    List.of(name), JdbcFlagStore::release)));
        }

        @Override
        public void putRelease(StoredRelease release) {
            update("INSERT INTO releases (name, definition, state, version, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)"
                            + " ON CONFLICT (name) DO UPDATE SET definition = excluded.definition, state = excluded.state,"
                            + " version = excluded.version, updated_at = excluded.updated_at",
                    release.name(), text(release.definition()), ReleaseJson.write(release.state()), release.version(),
                    release.createdAt().toEpochMilli(), release.updatedAt().toEpochMilli());
        }

        @Override
        public void deleteRelease(String name) {
            update("DELETE FROM release_timeline WHERE release = ?", name);
            update("DELETE FROM releases WHERE name = ?", name);
        }

        @Override
        public void appendTimeline(String release, List<dev.ramp.core.release.TimelineEntry> entries) {
            long last = sql(() -> query(connection, "SELECT COALESCE(MAX(seq), 0) FROM release_timeline WHERE release = ?",
                    List.of(release), rs -> rs.getLong(1))).get(0);
            for (dev.ramp.core.release.TimelineEntry entry : entries) {
                update("INSERT INTO release_timeline (release, seq, at, type, step, message, outcome, evidence)"
                                + " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                        release, ++last, entry.at().toEpochMilli(), entry.type(), entry.step(), entry.message(),
                        entry.outcome(), ReleaseJson.write(entry.evidence()));
            }
        }

        @Override
        public Change record(Change.Draft draft) {
            long id = sql(() -> query(connection, "SELECT COALESCE(MAX(id), 0) + 1 FROM changes", List.of(),
                    rs -> rs.getLong(1))).get(0);
            update("INSERT INTO changes (id, at, actor, resource_type, resource_key, action, version, before_doc, after_doc)"
                            + " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    id, draft.at().toEpochMilli(), draft.actor(), draft.type().wireName(), draft.key(), draft.action(),
                    draft.version(), draft.before(), draft.after());
            sql(() -> {
                announce(connection, id);
                return null;
            });
            return draft.withId(id);
        }

        /** Runs an INSERT with {@code RETURNING id} (SQLite 3.35+ and PostgreSQL both have it). */
        private long insertReturningId(String insert, Object... args) {
            return sql(() -> {
                try (PreparedStatement statement = connection.prepareStatement(insert + " RETURNING id")) {
                    bind(statement, args);
                    try (ResultSet rs = statement.executeQuery()) {
                        rs.next();
                        return rs.getLong(1);
                    }
                }
            });
        }

        private int update(String sql, Object... args) {
            return sql(() -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    bind(statement, args);
                    return statement.executeUpdate();
                }
            });
        }
    }

    private static final String CHANGE_COLUMNS =
            "id, at, actor, resource_type, resource_key, action, version, before_doc, after_doc";

    private static Change change(ResultSet rs) throws SQLException {
        return new Change(rs.getLong(1), instant(rs.getLong(2)), rs.getString(3),
                ResourceType.valueOf(rs.getString(4).toUpperCase(java.util.Locale.ROOT)), rs.getString(5), rs.getString(6),
                rs.getLong(7), rs.getString(8), rs.getString(9));
    }

    private static final String EXPERIMENT_COLUMNS = "document, status, arms, shipped_variant, started_at, stopped_at,"
            + " counted_after, counted_through, version, created_at, updated_at";
    private static final TypeReference<List<StoredExperiment.Arm>> ARMS = new TypeReference<>() {};

    private static StoredExperiment experiment(ResultSet rs) throws SQLException {
        long started = rs.getLong(5);
        Instant startedAt = rs.wasNull() ? null : instant(started);
        long stopped = rs.getLong(6);
        Instant stoppedAt = rs.wasNull() ? null : instant(stopped);
        String status = rs.getString(2);
        return new StoredExperiment(document(rs.getString(1), ExperimentDefinition.class),
                StoredExperiment.Status.valueOf(status.toUpperCase(java.util.Locale.ROOT)), document(rs.getString(3), ARMS),
                rs.getString(4), startedAt, stoppedAt, rs.getLong(7), rs.getLong(8), rs.getLong(9), instant(rs.getLong(10)),
                instant(rs.getLong(11)));
    }

    private static final String RELEASE_COLUMNS = "definition, state, version, created_at, updated_at";

    private static StoredRelease release(ResultSet rs) throws SQLException {
        return new StoredRelease(document(rs.getString(1), dev.ramp.core.release.ReleaseDefinition.class),
                ReleaseJson.read(rs.getString(2), ReleaseJson.STATE), rs.getLong(3), instant(rs.getLong(4)),
                instant(rs.getLong(5)));
    }

    private static StoredRoute route(ResultSet rs) throws SQLException {
        return new StoredRoute(document(rs.getString(1), dev.ramp.core.route.RouteDefinition.class), rs.getLong(2),
                instant(rs.getLong(3)), instant(rs.getLong(4)));
    }

    private static StoredFlag flag(ResultSet rs) throws SQLException {
        return new StoredFlag(document(rs.getString(1), FlagDefinition.class), rs.getBoolean(2), rs.getLong(3),
                instant(rs.getLong(4)), instant(rs.getLong(5)));
    }

    private static StoredSegment segment(ResultSet rs) throws SQLException {
        return new StoredSegment(rs.getInt(1), document(rs.getString(2), SegmentDefinition.class), rs.getLong(3),
                instant(rs.getLong(4)), instant(rs.getLong(5)));
    }

    private static Instant instant(long millis) {
        return Instant.ofEpochMilli(millis);
    }

    private static String text(Object document) {
        try {
            return JSON.writeValueAsString(document);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write " + document.getClass().getSimpleName() + " as JSON", e);
        }
    }

    private static <T> T document(String text, Class<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored " + type.getSimpleName() + " is not readable: " + e.getOriginalMessage(), e, false);
        }
    }

    private static <T> T document(String text, TypeReference<T> type) {
        try {
            return JSON.readValue(text, type);
        } catch (JsonProcessingException e) {
            throw new StoreException("a stored document is not readable: " + e.getOriginalMessage(), e, false);
        }
    }

    private static void bind(PreparedStatement statement, Object... args) throws SQLException {
        for (int i = 0; i < args.length; i++) {
            Object arg = args[i];
            if (arg == null) {
                // The only columns that may be NULL hold epoch milliseconds.
                statement.setNull(i + 1, java.sql.Types.BIGINT);
            } else if (arg instanceof Boolean b) {
                statement.setBoolean(i + 1, b);
            } else {
                statement.setObject(i + 1, arg);
            }
        }
    }

    private interface Row<T> {
        T read(ResultSet rs) throws SQLException;
    }

    private interface Sql<T> {
        T run() throws SQLException;
    }

    private interface ConnectionWork<T> {
        T run(Connection connection) throws SQLException;
    }

    private static <T> List<T> query(Connection connection, String sql, List<?> args, Row<T> row) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            bind(statement, args.toArray());
            try (ResultSet rs = statement.executeQuery()) {
                List<T> rows = new ArrayList<>();
                while (rs.next()) {
                    rows.add(row.read(rs));
                }
                return rows;
            }
        }
    }

    private static <T> Optional<T> first(List<T> rows) {
        return rows.isEmpty() ? Optional.empty() : Optional.of(rows.get(0));
    }

    private <T> T sql(Sql<T> work) {
        try {
            return work.run();
        } catch (SQLException e) {
            throw failure("query failed", e);
        }
    }

    private <T> T read(ConnectionWork<T> work) {
        try (Connection connection = pool.getConnection()) {
            return work.run(connection);
        } catch (SQLException e) {
            throw failure("read failed", e);
        }
    }

    /**
     * A short transaction outside the serialized writes of {@link #write}: metrics and registrations are upserts that
     * commute, events are appends that take a lock of their own, and counting takes the cursor's. On SQLite it still
     * queues behind the other writers of this process.
     */
    private <T> T transaction(ConnectionWork<T> work) {
        return committed(oneWriter, work);
    }

    /** Runs {@code work} in a transaction and commits it; holding {@link #writeLock} throughout when {@code queued}. */
    private <T> T committed(boolean queued, ConnectionWork<T> work) {
        if (queued) {
            writeLock.lock();
        }
        // The pool sets auto-commit back when the connection returns to it. Setting it here, in a finally, would
        // commit on SQLite, and fail when SQLite had rolled the transaction back itself (a full disk does), hiding
        // the failure that mattered behind "no transaction is active".
        try (Connection connection = pool.getConnection()) {
            connection.setAutoCommit(false);
            try {
                T result = work.run(connection);
                connection.commit();
                return result;
            } catch (SQLException | RuntimeException e) {
                rollback(connection);
                throw e;
            }
        } catch (SQLException e) {
            throw failure("write failed", e);
        } finally {
            if (queued) {
                writeLock.unlock();
            }
        }
    }

    /**
     * Rolls back; when even that fails, the connection's state is unknown (SQLite rolls back by itself on a full
     * disk, and its driver then refuses to commit or roll back for good), so the pool drops it.
     */
    private void rollback(Connection connection) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            pool.evictConnection(connection);
        }
    }

    private StoreException failure(String what, SQLException e) {
        return new StoreException(what + ": " + e.getMessage(), e, isUnavailable(e));
    }
}
