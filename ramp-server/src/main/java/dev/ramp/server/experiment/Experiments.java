package dev.ramp.server.experiment;

import dev.ramp.server.auth.Principal;
import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.model.FieldError;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.FlagEnvironment;
import dev.ramp.server.model.Json;
import dev.ramp.server.model.MetricDefinition;
import dev.ramp.server.model.StrategyDefinition;
import dev.ramp.server.model.Validation;
import dev.ramp.server.model.VariantDefinition;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.Change;
import dev.ramp.server.store.ClientEvent;
import dev.ramp.server.store.ExperimentTally;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.ResourceType;
import dev.ramp.server.store.StoredExperiment;
import dev.ramp.server.store.StoredFlag;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Every experiment operation: create, replace and delete a draft; start, stop and ship; the results; and the counting
 * of the exposures and metric events SDKs send.
 *
 * <p>An experiment counts the events stored while it runs: those with an id above the last one when it started, up
 * to the last one when it stopped. Starting it also records the flag's variants and weights as its arms, so the
 * sample-ratio check knows what split was asked for. Stopping it freezes its results and leaves the flag as it is;
 * shipping it also sets the flag, in the same transaction, to serve the chosen variant to every unit. Each operation
 * is audited, and runs under the control plane's lock so that its change reaches the audit log and the streams in
 * order with every other change.
 *
 * <p>Counting runs apart from the requests that store events, so that taking a batch stays an append: every
 * {@link #COUNT_EVERY} a thread reads the events stored since (by this process or any other on the database) after a
 * cursor, in chunks of up to {@link #CHUNK}, adds them per unit to the experiments that count them and moves the
 * cursor, all in one transaction ({@link FlagStore#countEvents}), so each event counts exactly once, across restarts
 * too. Counting a second's events at once makes one commit serve many batches: per unit and event name there is
 * one upsert per chunk, not one per batch. The events this process stored are held in memory until counted (up to
 * {@link #HELD}), so counting reads back only what others stored or what a restart left. {@link #results} counts
 * what is left first, so results always include every event stored before they were asked for.
 */
public final class Experiments implements AutoCloseable {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Experiments.class);
    /** The most events one counting transaction reads. */
    static final int CHUNK = 50_000;
    /** The most events kept in memory for counting; beyond, counting reads them back from the database. */
    static final int HELD = 200_000;
    /** How often the counting thread counts what was stored since. */
    static final java.time.Duration COUNT_EVERY = java.time.Duration.ofSeconds(1);

    private final FlagStore store;
    private final ControlPlane plane;
    private final InstantSource clock;
    /** Every experiment by name; replaced whole after each committed change, read without a lock. */
    private volatile Map<String, StoredExperiment> experiments;
    /** Held while counting: one count at a time in this process (the database orders counts across processes). */
    private final java.util.concurrent.locks.ReentrantLock counting = new java.util.concurrent.locks.ReentrantLock();
    private final java.util.concurrent.ScheduledExecutorService counter;
    /** Batches this process stored, by the id of their first event, kept for counting so it need not read them back. */
    private final java.util.concurrent.ConcurrentSkipListMap<Long, List<ExperimentTally.Event>> held =
            new java.util.concurrent.ConcurrentSkipListMap<>();
    private final java.util.concurrent.atomic.AtomicLong heldEvents = new java.util.concurrent.atomic.AtomicLong();

    private Experiments(FlagStore store, ControlPlane plane, InstantSource clock, List<StoredExperiment> stored) {
        this.store = store;
        this.plane = plane;
        this.clock = clock;
        Map<String, StoredExperiment> byName = new TreeMap<>();
        stored.forEach(experiment -> byName.put(experiment.name(), experiment));
        publish(byName);
        plane.keepUp(ResourceType.EXPERIMENT, (change, lookup) -> {
            Map<String, StoredExperiment> next = new TreeMap<>(experiments);
            lookup.experiment(change.key()).ifPresentOrElse(experiment -> next.put(experiment.name(), experiment),
                    () -> next.remove(change.key()));
            publish(next);
        });
        this.counter = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ramp-experiments");
            thread.setDaemon(true);
            return thread;
        });
        counter.scheduleWithFixedDelay(this::countQuietly, COUNT_EVERY.toMillis(), COUNT_EVERY.toMillis(),
                java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The experiments {@code store} holds; counting starts at once and stops at {@link #close}. */
    public static Experiments load(FlagStore store, ControlPlane plane, InstantSource clock) {
        return new Experiments(store, plane, clock, store.experiments());
    }

    /** Stops counting; events stored meanwhile are counted at the next start. */
    @Override
    public void close() {
        counter.shutdownNow();
        try {
            if (!counter.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS)) {
                LOG.warn("experiment counting did not stop within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Keeps a copy of {@code events} (of one environment), just stored with the ids from {@code firstId} on, for the
     * next count, when an experiment runs there; the count reads them from the database when the copy is not there
     * (after a restart, or beyond {@link #HELD}).
     */
    public void stored(long firstId, List<ClientEvent> events) {
        if (firstId <= 0 || events.isEmpty() || heldEvents.get() + events.size() > HELD
                || experiments.values().stream().noneMatch(experiment -> experiment.status() == StoredExperiment.Status.RUNNING
                        && experiment.definition().environment().equals(events.get(0).environment()))) {
            return;
        }
        List<ExperimentTally.Event> copy = new ArrayList<>(events.size());
        for (int i = 0; i < events.size(); i++) {
            ClientEvent e = events.get(i);
            copy.add(new ExperimentTally.Event(firstId + i, e.environment(), e.type(), e.name(), e.variant(), e.unit(),
                    e.value(), e.occurredAt()));
        }
        heldEvents.addAndGet(copy.size());
        held.put(firstId, copy);
    }

    /**
     * The held events from id {@code cursor + 1} on, as long as their ids run on without a gap; empty when the event
     * after the cursor is not held. Batches the cursor has passed are dropped.
     */
    private List<ExperimentTally.Event> heldAfter(long cursor) {
        for (var oldest = held.firstEntry(); oldest != null; oldest = held.firstEntry()) {
            List<ExperimentTally.Event> batch = oldest.getValue();
            if (batch.get(batch.size() - 1).id() > cursor) {
                break;
            }
            if (held.remove(oldest.getKey(), batch)) {
                heldEvents.addAndGet(-batch.size());
            }
        }
        List<ExperimentTally.Event> run = new ArrayList<>();
        long next = cursor + 1;
        // Every batch left ends past the cursor, so the first either holds the event after it or starts past it.
        for (List<ExperimentTally.Event> batch : held.values()) {
            long first = batch.get(0).id();
            if (first > next || run.size() >= CHUNK) {
                break;
            }
            run.addAll(batch.subList((int) (next - first), batch.size()));
            next = batch.get(batch.size() - 1).id() + 1;
        }
        return run;
    }

    /** Counts every event stored so far; returns how many it counted. */
    public long countAll() {
        counting.lock();
        try {
            long counted = 0;
            int read;
            do {
                read = store.countEvents(CHUNK, this::heldAfter, Experiments::tally);
                counted += read;
            } while (read == CHUNK);
            return counted;
        } finally {
            counting.unlock();
        }
    }

    private void countQuietly() {
        try {
            countAll();
        } catch (RuntimeException e) {
            // The database is away, or the process is stopping: the events stay after the cursor for the next count.
            LOG.warn("counting events for experiments failed; will retry: {}", e.getMessage());
        }
    }

    /** An experiment that counts events: its name and window, the flag and arms of its exposures, its metric events. */
    private record Counting(StoredExperiment experiment, String flag, Set<String> variants, Set<String> events) {
        static Counting of(StoredExperiment experiment) {
            return new Counting(experiment, experiment.definition().flag(),
                    experiment.arms().stream().map(StoredExperiment.Arm::variant).collect(Collectors.toUnmodifiableSet()),
                    experiment.definition().metrics().stream().map(MetricDefinition::event)
                            .collect(Collectors.toUnmodifiableSet()));
        }
    }

    public List<StoredExperiment> list() {
        return List.copyOf(experiments.values());
    }

    public Optional<StoredExperiment> experiment(String name) {
        return Optional.ofNullable(experiments.get(name));
    }

    public StoredExperiment create(Principal actor, ExperimentDefinition definition) {
        return plane.exclusively(() -> {
            check(definition);
            if (experiments.containsKey(definition.name())) {
                throw Rejection.conflict("experiment '" + definition.name() + "' already exists");
            }
            StoredExperiment created = StoredExperiment.draft(definition, clock.instant());
            save(actor, Optional.empty(), tx -> created, "create");
            return created;
        });
    }

    /**
     * Replaces a draft's definition. Once an experiment has started, only its description and hypothesis may change:
     * its flag, arms and metrics decided what was counted. The same definition again changes nothing (no new version,
     * no audit entry), so applying one document twice is a no-op.
     */
    public StoredExperiment replace(Principal actor, String name, long expectedVersion, ExperimentDefinition definition) {
        if (!definition.name().isEmpty() && !definition.name().equals(name)) {
            throw Rejection.invalid("name", "must match the experiment in the URL, '" + name + "': experiments cannot be renamed");
        }
        ExperimentDefinition named = new ExperimentDefinition(name, definition.description(), definition.hypothesis(),
                definition.flag(), definition.environment(), definition.control(), definition.primaryMetric(),
                definition.guardrailMetrics(), definition.minimumDetectableEffect(), definition.alpha(), definition.power());
        return plane.exclusively(() -> {
            StoredExperiment current = require(name, expectedVersion);
            ExperimentDefinition next = named;
            if (current.status() != StoredExperiment.Status.DRAFT) {
                ExperimentDefinition fixed = current.definition();
                next = new ExperimentDefinition(name, named.description(), named.hypothesis(), fixed.flag(),
                        fixed.environment(), fixed.control(), fixed.primaryMetric(), fixed.guardrailMetrics(),
                        fixed.minimumDetectableEffect(), fixed.alpha(), fixed.power());
                if (!next.equals(named.control().isEmpty() ? named.withControl(fixed.control()) : named)) {
                    throw Rejection.conflict("experiment '" + name + "' is " + current.status().wireName()
                            + ": only its description and hypothesis may change; create a new experiment to change the rest");
                }
            }
            check(next);
            if (next.equals(current.definition())) {
                return current;
            }
            ExperimentDefinition replaced = next;
            return save(actor, Optional.of(current), tx -> current.withDefinition(replaced, clock.instant()), "update");
        });
    }

    /** Deletes an experiment that is not running, with everything counted for it. */
    public void delete(Principal actor, String name, long expectedVersion) {
        plane.exclusively(() -> {
            StoredExperiment current = require(name, expectedVersion);
            if (current.status() == StoredExperiment.Status.RUNNING) {
                throw Rejection.conflict("experiment '" + name + "' is running: stop it before deleting it");
            }
            // The delete waits for a count under way, in this process or another, inside the database.
            Change change = store.write(tx -> {
                requireStored(tx, current);
                tx.deleteExperiment(name);
                return tx.record(draft(actor, name, "delete", 0, Json.write(current), ""));
            });
            Map<String, StoredExperiment> next = new TreeMap<>(experiments);
            next.remove(name);
            publish(next);
            plane.published(change);
            return null;
        });
    }

    /**
     * Starts counting. The flag must serve its units one split of at least two variants in the experiment's
     * environment, and have impression data on, so that SDKs send exposures.
     */
    public StoredExperiment start(Principal actor, String name, long expectedVersion) {
        return plane.exclusively(() -> {
            StoredExperiment current = require(name, expectedVersion);
            if (current.status() != StoredExperiment.Status.DRAFT) {
                throw Rejection.conflict("experiment '" + name + "' is " + current.status().wireName()
                        + ": only a draft can start; create a new experiment to run it again");
            }
            ExperimentDefinition definition = current.definition();
            check(definition);
            StoredFlag flag = plane.current().flag(definition.flag()).filter(f -> !f.archived())
                    .orElseThrow(() -> Rejection.invalid("flag", "no flag '" + definition.flag() + "' exists (or it is archived)"));
            List<StoredExperiment.Arm> arms = arms(flag, definition.environment());
            String control = definition.control().isEmpty() ? arms.get(0).variant() : definition.control();
            if (arms.stream().noneMatch(arm -> arm.variant().equals(control))) {
                throw Rejection.invalid("control", "'" + control + "' is not one of the variants flag '" + flag.key()
                        + "' serves in environment '" + definition.environment() + "': "
                        + arms.stream().map(StoredExperiment.Arm::variant).toList());
            }
            return save(actor, Optional.of(current),
                    tx -> current.start(definition.withControl(control), arms, clock.instant(), tx.lastEventId()), "start");
        });
    }

    /** Stops counting and leaves the flag as it is. */
    public StoredExperiment stop(Principal actor, String name, long expectedVersion) {
        return plane.exclusively(() -> {
            StoredExperiment current = require(name, expectedVersion);
            requireRunning(current, "stop");
            return save(actor, Optional.of(current), tx -> current.stop(clock.instant(), tx.lastEventId()), "stop");
        });
    }

    /**
     * Stops counting (when still running) and sets the flag to serve {@code variant} to every unit in the
     * experiment's environment: on, one rollout of 100%, and {@code variant} as its only variant. The flag's earlier
     * state stays in its history, from which it can be reverted.
     */
    public StoredExperiment ship(Principal actor, String name, long expectedVersion, String variant) {
        return plane.exclusively(() -> {
            StoredExperiment current = require(name, expectedVersion);
            if (current.status() != StoredExperiment.Status.RUNNING && current.status() != StoredExperiment.Status.STOPPED) {
                throw Rejection.conflict("experiment '" + name + "' is " + current.status().wireName()
                        + ": only a running or stopped experiment can ship");
            }
            if (current.arms().stream().noneMatch(arm -> arm.variant().equals(variant))) {
                throw Rejection.invalid("variant", variant.isEmpty() ? "is required: the variant to serve to everyone"
                        : "'" + variant + "' is not an arm of experiment '" + name + "': "
                                + current.arms().stream().map(StoredExperiment.Arm::variant).toList());
            }
            String environment = current.definition().environment();
            StoredExperiment[] shipped = new StoredExperiment[1];
            plane.changeFlag(actor, current.definition().flag(), "ship-experiment",
                    flag -> servingToEveryone(flag, environment, variant),
                    tx -> {
                        requireStored(tx, current);
                        shipped[0] = current.ship(variant, clock.instant(), tx.lastEventId());
                        tx.putExperiment(shipped[0]);
                        return Optional.of(tx.record(draft(actor, name, "ship", shipped[0].version(), Json.write(current),
                                Json.write(shipped[0]))));
                    });
            Map<String, StoredExperiment> next = new TreeMap<>(experiments);
            next.put(name, shipped[0]);
            publish(next);
            return shipped[0];
        });
    }

    /** The experiment's results now. */
    public ExperimentResults results(String name) {
        StoredExperiment experiment = experiment(name).orElseThrow(() -> Rejection.notFound("experiment '" + name + "'"));
        if (experiment.status() == StoredExperiment.Status.DRAFT) {
            return Scorecard.score(experiment, Map.of(), 0, clock.instant());
        }
        countAll();
        Set<String> events = experiment.definition().metrics().stream().map(MetricDefinition::event)
                .collect(Collectors.toCollection(LinkedHashSet::new));
        return Scorecard.score(experiment, store.armTotals(name, events), store.unitsInSeveralArms(name), clock.instant());
    }

    /** The experiment's changes, oldest first. */
    public List<Change> history(String name) {
        experiment(name).orElseThrow(() -> Rejection.notFound("experiment '" + name + "'"));
        return store.history(ResourceType.EXPERIMENT, name);
    }

    /**
     * What {@code events} (in id order) add to {@code experiments}: for each experiment that counts an event (it
     * was stored while the experiment ran, in its environment), the earliest exposure per unit to one of its arms, and
     * per unit the count and sum of each metric event it reads.
     */
    static ExperimentTally tally(List<ExperimentTally.Event> events, List<StoredExperiment> experiments) {
        long first = events.get(0).id();
        Map<String, List<Counting>> byEnvironment = new HashMap<>();
        for (StoredExperiment experiment : experiments) {
            if (experiment.status() != StoredExperiment.Status.DRAFT && experiment.countedThrough() >= first) {
                byEnvironment.computeIfAbsent(experiment.definition().environment(), e -> new ArrayList<>())
                        .add(Counting.of(experiment));
            }
        }
        if (byEnvironment.isEmpty()) {
            return ExperimentTally.NONE;
        }
        Map<List<String>, ExperimentTally.Exposure> exposures = new java.util.LinkedHashMap<>();
        Map<List<String>, double[]> sums = new java.util.LinkedHashMap<>();
        for (ExperimentTally.Event event : events) {
            for (Counting counting : byEnvironment.getOrDefault(event.environment(), List.of())) {
                String name = counting.experiment().name();
                if (!counting.experiment().counts(event.id())) {
                    continue;
                }
                if (event.type() == ClientEvent.Type.EXPOSURE) {
                    if (event.name().equals(counting.flag()) && counting.variants().contains(event.variant())) {
                        exposures.merge(List.of(name, event.unit()), new ExperimentTally.Exposure(name, event.unit(),
                                event.variant(), event.occurredAt(), false), Experiments::earlier);
                    }
                } else if (counting.events().contains(event.name())) {
                    double[] sum = sums.computeIfAbsent(List.of(name, event.name(), event.unit()), key -> new double[2]);
                    sum[0] += 1;
                    sum[1] += event.value();
                }
            }
        }
        List<ExperimentTally.UnitEvents> unitEvents = new ArrayList<>(sums.size());
        sums.forEach((key, sum) -> unitEvents.add(
                new ExperimentTally.UnitEvents(key.get(0), key.get(1), key.get(2), (long) sum[0], sum[1])));
        return new ExperimentTally(List.copyOf(exposures.values()), unitEvents);
    }

    /** The earlier of two exposures of one unit (the first on a tie), noting when they were to different arms. */
    private static ExperimentTally.Exposure earlier(ExperimentTally.Exposure seen, ExperimentTally.Exposure next) {
        boolean several = seen.severalArms() || next.severalArms() || !seen.variant().equals(next.variant());
        ExperimentTally.Exposure first = next.at().isBefore(seen.at()) ? next : seen;
        return new ExperimentTally.Exposure(first.experiment(), first.unit(), first.variant(), first.at(), several);
    }

    // ---- internals

    /**
     * The one split {@code flag} serves in {@code environment}: its flag-level variants and those of its strategies,
     * which must agree, as variants with a weight above 0.
     */
    private static List<StoredExperiment.Arm> arms(StoredFlag flag, String environment) {
        FlagEnvironment settings = flag.definition().environment(environment);
        String where = "flag '" + flag.key() + "' in environment '" + environment + "'";
        if (!flag.definition().impressionData()) {
            throw Rejection.invalid("flag", where + " has impressionData off, so SDKs send no exposures: turn it on first");
        }
        if (!settings.enabled()) {
            throw Rejection.invalid("flag", where + " is off, so no unit would be exposed: turn it on first");
        }
        List<List<VariantDefinition>> splits = new ArrayList<>();
        if (!settings.variants().isEmpty()) {
            splits.add(settings.variants());
        }
        settings.strategies().stream().map(StrategyDefinition::variants).filter(v -> !v.isEmpty()).forEach(splits::add);
        if (splits.isEmpty()) {
            throw Rejection.invalid("flag", where + " has no variants: an experiment compares at least two");
        }
        Map<String, Integer> first = weights(splits.get(0));
        for (List<VariantDefinition> split : splits) {
            if (!weights(split).equals(first)) {
                throw Rejection.invalid("flag", where + " serves different variants or weights to different strategies ("
                        + first + " and " + weights(split) + "): an experiment needs one split");
            }
        }
        int total = first.values().stream().mapToInt(Integer::intValue).sum();
        List<StoredExperiment.Arm> arms = first.entrySet().stream().filter(entry -> entry.getValue() > 0)
                .map(entry -> new StoredExperiment.Arm(entry.getKey(), entry.getValue() / (double) total)).toList();
        if (arms.size() < 2) {
            throw Rejection.invalid("flag", where + " serves only " + arms.stream().map(StoredExperiment.Arm::variant).toList()
                    + ": an experiment compares at least two variants with a weight above 0");
        }
        return arms;
    }

    /** Variant names to weights, in the split's order. */
    private static Map<String, Integer> weights(List<VariantDefinition> split) {
        Map<String, Integer> weights = new java.util.LinkedHashMap<>();
        split.forEach(variant -> weights.put(variant.name(), variant.weight()));
        return weights;
    }

    /** {@code flag} on in {@code environment}, with one 100% rollout serving {@code variant} alone. */
    private static FlagDefinition servingToEveryone(FlagDefinition flag, String environment, String variant) {
        FlagEnvironment settings = flag.environment(environment);
        VariantDefinition chosen = java.util.stream.Stream.concat(settings.variants().stream(),
                        settings.strategies().stream().flatMap(strategy -> strategy.variants().stream()))
                .filter(v -> v.name().equals(variant)).findFirst()
                .orElse(new VariantDefinition(variant, 0, null, "default", List.of()));
        VariantDefinition everyone = new VariantDefinition(chosen.name(), Validation.TOTAL_WEIGHT, chosen.payload(),
                chosen.stickiness(), List.of());
        StrategyDefinition rollout = new StrategyDefinition("", "flexibleRollout",
                Map.of("rollout", "100", "stickiness", "default", "groupId", flag.key()), List.of(), List.of(),
                List.of(everyone));
        return flag.withEnvironment(environment, new FlagEnvironment(true, List.of(rollout), List.of(everyone)));
    }

    private StoredExperiment require(String name, long expectedVersion) {
        StoredExperiment current = experiment(name).orElseThrow(() -> Rejection.notFound("experiment '" + name + "'"));
        if (expectedVersion != ControlPlane.ANY_VERSION && expectedVersion != current.version()) {
            throw Rejection.stale("experiment '" + name + "'", expectedVersion, current.version());
        }
        return current;
    }

    private static void requireRunning(StoredExperiment current, String what) {
        if (current.status() != StoredExperiment.Status.RUNNING) {
            throw Rejection.conflict("experiment '" + current.name() + "' is " + current.status().wireName()
                    + ": only a running experiment can " + what);
        }
    }

    /** Inside a write: the database must still hold the version this process based the change on. */
    private static void requireStored(FlagStore.Transaction tx, StoredExperiment based) {
        long stored = tx.experiment(based.name()).map(StoredExperiment::version).orElse(0L);
        if (stored != based.version()) {
            throw Rejection.stale("experiment '" + based.name() + "' in the database", based.version(), stored);
        }
    }

    private void check(ExperimentDefinition definition) {
        Validation validation = plane.validation().experiment(definition);
        if (!validation.passed()) {
            List<FieldError> errors = validation.errors();
            throw Rejection.invalid(errors);
        }
    }

    /** Writes the experiment {@code next} makes inside the transaction (it may read the last event id there). */
    private StoredExperiment save(Principal actor, Optional<StoredExperiment> before,
                                  java.util.function.Function<FlagStore.Transaction, StoredExperiment> next, String action) {
        StoredExperiment[] after = new StoredExperiment[1];
        Change change = store.write(tx -> {
            after[0] = next.apply(tx);
            if (before.isPresent()) {
                requireStored(tx, before.get());
            } else if (tx.experiment(after[0].name()).isPresent()) {
                throw Rejection.conflict("experiment '" + after[0].name() + "' already exists");
            }
            tx.putExperiment(after[0]);
            return tx.record(draft(actor, after[0].name(), action, after[0].version(),
                    before.map(Json::write).orElse(""), Json.write(after[0])));
        });
        Map<String, StoredExperiment> published = new TreeMap<>(experiments);
        published.put(after[0].name(), after[0]);
        publish(published);
        plane.published(change);
        return after[0];
    }

    private void publish(Map<String, StoredExperiment> byName) {
        this.experiments = java.util.Collections.unmodifiableMap(new TreeMap<>(byName));
    }

    private Change.Draft draft(Principal actor, String name, String action, long version, String before, String after) {
        return new Change.Draft(clock.instant(), actor.name(), ResourceType.EXPERIMENT, name, action, version, before, after);
    }
}
