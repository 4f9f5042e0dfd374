package dev.ramp.server.store;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Where the server keeps flags, segments, environments, tokens, experiments, routes, the audit log, usage metrics, SDK
 * registrations, the exposure and metric events SDKs send, with what they add to running experiments, and the
 * traffic reports of gateways.
 * Reads outside {@link #write} see committed state; every change goes through {@link #write}, which runs its work
 * in one transaction, alone. Failures are {@link StoreException}s.
 */
public interface FlagStore extends AutoCloseable {

    List<StoredEnvironment> environments();

    List<StoredFlag> flags();

    List<StoredSegment> segments();

    List<ApiToken> tokens();

    List<StoredExperiment> experiments();

    List<StoredRoute> routes();

    /** Changes with an id above {@code afterId}, oldest first, at most {@code limit}. */
    List<Change> changesAfter(long afterId, int limit);

    /** The changes to one resource, oldest first. */
    List<Change> history(ResourceType type, String key);

    /** The id of the last committed change, {@code 0} when there is none. */
    long lastChangeId();

    /** The id of the last committed change to a resource of {@code type}, {@code 0} when there is none. */
    long lastChangeId(ResourceType type);

    /** Runs {@code work} in one transaction, serialized with every other write to this database, and commits it. */
    <T> T write(Work<T> work);

    /** Adds usage counts, summing them with counts already stored for the same bucket. */
    void addMetrics(List<FlagMetrics> metrics);

    /** Usage of {@code flag} in buckets starting from {@code from} (inclusive) to {@code to} (exclusive), oldest first. */
    List<FlagMetrics> metrics(String flag, Optional<String> environment, Instant from, Instant to);

    /** Records or refreshes an SDK instance's registration. */
    void register(ClientInstance instance);

    List<ClientInstance> clients();

    /**
     * Stores {@code events} (their ids are ignored) in one transaction; each gets an id above every id committed
     * before, so a reader going on after the last id it saw misses none. Returns the id of the first (0 when there
     * were none): the events have the ids from it on, one each, in order, since no other writer of events runs
     * meanwhile.
     */
    long addEvents(List<ClientEvent> events);

    /**
     * Counts stored events for experiments: in one transaction, takes up to {@code limit} events after the counting
     * cursor, in id order, passes them and every experiment to {@code tally}, adds what it returns and moves the cursor
     * past them. The events are {@code known.apply(cursor)} when that is not empty (the caller's copy of the events
     * from id {@code cursor + 1} on, consecutive), else read from the database. When no experiment counts events past
     * the cursor, it moves the cursor to the last event without reading any. Returns how many events it counted: fewer
     * than {@code limit} once it has caught up. Counting runs one at a time, across processes too.
     */
    int countEvents(int limit, java.util.function.LongFunction<List<ExperimentTally.Event>> known,
                    java.util.function.BiFunction<List<ExperimentTally.Event>, List<StoredExperiment>, ExperimentTally> tally);

    /**
     * For each of {@code events}, the sums of each arm of {@code experiment} that has units (see {@link ArmTotals}),
     * in variant order.
     */
    java.util.Map<String, List<ArmTotals>> armTotals(String experiment, java.util.Set<String> events);

    /** How many units of {@code experiment} were exposed to more than one arm. */
    long unitsInSeveralArms(String experiment);

    /**
     * Events of {@code environment} (only those named {@code name}, when given) with an id above {@code afterId},
     * in id order, at most {@code limit}.
     */
    List<ClientEvent> events(String environment, Optional<String> name, long afterId, int limit);

    /**
     * Stores a gateway's report, received at {@code receivedAt}: a row per arm, keyed by route, interval start, arm and
     * gateway (a report sent again for the same interval replaces the first), and the gateway's last report. A short
     * transaction outside {@link #write}, so that many gateways reporting every second do not queue behind changes.
     */
    void addReport(dev.ramp.core.route.GatewayReport report, Instant receivedAt);

    /**
     * The traffic of {@code route}'s arms per second, summed over gateways, from reports whose interval starts from
     * {@code since} (inclusive) to {@code until} (exclusive); in time order, then by arm.
     */
    List<TrafficPoint> traffic(String route, Instant since, Instant until);

    /** The gateways whose last report arrived at {@code since} or later, by id. */
    List<GatewaySeen> gateways(Instant since);

    /**
     * Deletes up to {@code limit} report rows whose interval started before {@code before}, oldest first, and the
     * gateways last seen before it; returns how many report rows it deleted (fewer than {@code limit}: none are left).
     */
    int pruneReports(Instant before, int limit);

    /**
     * Up to {@code limit} metric events named {@code name} that {@code environment}'s SDKs sent, received from
     * {@code since} (inclusive) to {@code until} (exclusive), in id order.
     */
    List<ClientEvent> metricEvents(String environment, String name, Instant since, Instant until, int limit);

    /** Every release, by name. */
    List<StoredRelease> releases();

    /** Up to {@code limit} of {@code release}'s timeline entries after {@code afterSeq}, in order. */
    List<TimelineRow> timeline(String release, long afterSeq, int limit);

    @Override
    void close();

    /**
     * Runs {@code work} on one connection, outside any write: each lookup sees what is committed when it runs. How a
     * replica reads what another committed.
     */
    <T> T lookUp(java.util.function.Function<Lookup, T> work);

    /** Whether other processes may write to this database too: replicas on PostgreSQL; never a SQLite file. */
    boolean shared();

    /**
     * Runs {@code work} in this process's turn: while it runs, no other process on the database runs work of its own
     * this way. A server makes each of its changes in its turn, having first caught up on the others' changes, so
     * that what it checks in memory before a write is exact, and its changes take the next ids. Within one process,
     * the caller serializes its work. Fails with {@link StoreException} when the database cannot be reached.
     */
    <T> T inTurn(java.util.function.Supplier<T> work);

    /** A unit of work inside {@link #write}. */
    @FunctionalInterface
    interface Work<T> {
        T run(Transaction transaction);
    }

    /** One resource each, as committed (or, inside a write, as the write has it so far). */
    interface Lookup {
        /** Changes with an id above {@code afterId}, oldest first, at most {@code limit}. */
        List<Change> changesAfter(long afterId, int limit);

        List<ApiToken> tokens();

        Optional<StoredFlag> flag(String key);

        Optional<StoredSegment> segment(int id);

        Optional<StoredEnvironment> environment(String name);

        Optional<StoredExperiment> experiment(String name);

        Optional<StoredRoute> route(String name);

        Optional<StoredRelease> release(String name);
    }

    /** What a write may read and change; all of it commits together or not at all. */
    interface Transaction extends Lookup {

        void putFlag(StoredFlag flag);

        /** Stores a new segment (its {@code id} is ignored) and returns it with the id the database gave it, never reused. */
        StoredSegment insertSegment(StoredSegment segment);

        /** Stores a new version of an existing segment. */
        void putSegment(StoredSegment segment);

        void deleteSegment(int id);

        void putEnvironment(StoredEnvironment environment);

        void deleteEnvironment(String name);

        /** Stores a new token (its {@code id} is ignored) and returns it with its id, never reused. */
        ApiToken insertToken(ApiToken token);

        boolean deleteToken(long id);

        /**
         * The id of the last stored event, where an experiment that starts or stops now begins or ends counting. It
         * waits for a count in progress, so that counting sees this transaction's experiment or none of the events
         * stored after this id.
         */
        long lastEventId();

        void putExperiment(StoredExperiment experiment);

        /** Deletes an experiment with the units and events counted for it, once a count under way in any process ends. */
        void deleteExperiment(String name);

        void putRoute(StoredRoute route);

        void deleteRoute(String name);

        void putRelease(StoredRelease release);

        /** Deletes a release with its timeline. */
        void deleteRelease(String name);

        /** Adds {@code entries} to the end of {@code release}'s timeline. */
        void appendTimeline(String release, List<dev.ramp.core.release.TimelineEntry> entries);

        /** Appends {@code draft} to the audit log and returns it with its id. */
        Change record(Change.Draft draft);
    }
}
