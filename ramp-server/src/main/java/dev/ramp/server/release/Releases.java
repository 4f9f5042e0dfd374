package dev.ramp.server.release;

import dev.ramp.core.release.Action;
import dev.ramp.core.release.Decision;
import dev.ramp.core.release.Due;
import dev.ramp.core.release.Measurement;
import dev.ramp.core.release.Observation;
import dev.ramp.core.release.ReleaseCheck;
import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.release.ReleaseMachine;
import dev.ramp.core.release.ReleasePlan;
import dev.ramp.core.release.ReleaseState;
import dev.ramp.core.release.TimelineEntry;
import dev.ramp.core.route.RouteDefinition;
import dev.ramp.server.auth.Principal;
import dev.ramp.server.model.FieldError;
import dev.ramp.server.model.Json;
import dev.ramp.server.replica.Leadership;
import dev.ramp.server.route.GatewayReports;
import dev.ramp.server.route.RouteRegistry;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.Change;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.ResourceType;
import dev.ramp.server.store.StoredFlag;
import dev.ramp.server.store.StoredRelease;
import dev.ramp.server.store.StoredRoute;
import dev.ramp.server.store.TimelineRow;
import java.net.http.HttpClient;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The release controller: every release operation, and the loop that drives running releases.
 *
 * <p>Each decision is {@link ReleaseMachine}'s: this class feeds it ticks, measurements ({@link Analyst}), gate answers
 * and commands, stores each decision (the state with its pending actions, and the timeline entries) in one
 * transaction, and only then carries the actions out, in order, each removed from the state once done. A crash
 * anywhere leaves either the old state (nothing was decided) or the new one with its actions pending, which the next
 * start carries out: a weight set twice is set once, so no step or action is lost or repeated. Hook notifications
 * are sent at least once, with a delivery id receivers drop repeats by.
 *
 * <p>{@link #tick()} is one pass over the running releases; {@link #start(Duration)} runs it on a thread of its own
 * every period, and a command wakes it at once. Tests on a fake clock call {@link #tick()} themselves.
 *
 * <p>Of several server processes on one database, only the one whose {@link Leadership} says it leads decides and
 * carries out actions; a process that takes the lead reads every release as committed and goes on from there. The
 * others read releases from the database and take commands: a command is stored like any change, with the version
 * it was based on checked, and reaches the leader through the change log ({@link ControlPlane#keepUp}). A decision
 * too is stored only onto the version it was based on, so a leader that lost the lead meanwhile changes nothing.
 */
public final class Releases implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Releases.class);
    /** Rounds of measurements one release may catch up on in one tick (after a stop, say). */
    static final int MAX_ROUNDS = 100;
    /** Times in a row one pass carries out a release's action again after finding the release moved on. */
    static final int MAX_SUPERSEDED = 3;
    /** Entries one timeline read returns at most. */
    public static final int MAX_TIMELINE = 1_000;

    private final FlagStore store;
    private final ControlPlane plane;
    private final RouteRegistry routes;
    private final InstantSource clock;
    private final Analyst analyst;
    private final Hooks hooks;
    private final Object lock = new Object();
    /** Held while weights are carried out, so that two threads never set one twice. */
    private final Object carrying = new Object();
    /** Delivers notifications, one after another, in the order decided. */
    private final java.util.concurrent.ExecutorService deliveries;
    /** Delivery ids handed to {@link #deliveries} and not yet done. */
    private final java.util.Set<String> delivering = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Every release by name, as last stored; replaced under {@link #lock}. */
    private volatile Map<String, StoredRelease> releases;
    private final AtomicLong abortedByAnalysis = new AtomicLong();
    private final Object wake = new Object();
    private boolean woken;
    private volatile Thread loop;
    private volatile boolean closed;
    private final Leadership leadership;
    /** Whether this process led at the last ask; {@link #releases} is current only while it does. */
    private volatile boolean leading;
    /** The {@link Leadership#term()} in which this process last read every release. */
    private long readInTerm;

    private Releases(FlagStore store, ControlPlane plane, RouteRegistry routes, GatewayReports reports,
                     InstantSource clock, HttpClient http, Leadership leadership, List<String> webhookSecrets) {
        this.store = store;
        this.leadership = leadership;
        this.plane = plane;
        this.routes = routes;
        this.clock = clock;
        this.analyst = new Analyst(reports, routes, store, plane::current, http);
        this.hooks = new Hooks(http, clock, webhookSecrets);
        this.deliveries = java.util.concurrent.Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "ramp-release-hooks");
            thread.setDaemon(true);
            return thread;
        });
        this.releases = byName(store.releases());
        plane.keepUp(ResourceType.RELEASE, (change, lookup) -> {
            synchronized (lock) {
                reload(change.key(), lookup);
            }
            wake();
        });
    }

    /**
     * The releases {@code store} holds; running ones continue from where they were stored, driven by this process
     * while {@code leadership} says it leads. Webhooks are signed with each of {@code webhookSecrets} (none: unsigned).
     */
    public static Releases load(FlagStore store, ControlPlane plane, RouteRegistry routes, GatewayReports reports,
                                InstantSource clock, Leadership leadership, List<String> webhookSecrets) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                .followRedirects(HttpClient.Redirect.NEVER).build();
        return new Releases(store, plane, routes, reports, clock, http, leadership, webhookSecrets);
    }

    /** Runs {@link #tick()} every {@code period} on a daemon thread until {@link #close()}. */
    public void start(Duration period) {
        Thread thread = new Thread(() -> run(period), "ramp-releases");
        thread.setDaemon(true);
        loop = thread;
        thread.start();
    }

    /** Every release: as this process keeps them while it leads, else as committed. */
    public List<StoredRelease> list() {
        return leading ? List.copyOf(releases.values()) : store.releases();
    }

    public Optional<StoredRelease> release(String name) {
        return leading ? Optional.ofNullable(releases.get(name)) : store.lookUp(lookup -> lookup.release(name));
    }

    /** Whether this process drove releases at its last pass. */
    public boolean leading() {
        return leading;
    }

    /** Releases rolled back because an analysis failed, since this process started. */
    public long abortedByAnalysis() {
        return abortedByAnalysis.get();
    }

    /** Creates {@code definition}'s release and starts it. */
    public StoredRelease create(Principal actor, ReleaseDefinition definition) {
        StoredRelease created = plane.exclusively(() -> {
            synchronized (lock) {
                if (release(definition.name()).isPresent()) {
                    throw Rejection.conflict("release '" + definition.name() + "' already exists");
                }
                Decision start = startDecision(actor, definition, 1);
                Instant now = clock.instant();
                StoredRelease release = new StoredRelease(definition, start.state(), 1, now, now);
                return save(actor, Optional.empty(), release, start.timeline(), "create");
            }
        });
        wake();
        return created;
    }

    /**
     * Replaces a release's document. The same document changes nothing; a release that runs cannot change (abort it
     * first); an ended release starts again with the new document.
     */
    public StoredRelease replace(Principal actor, String name, long expectedVersion, ReleaseDefinition definition) {
        if (!definition.name().isEmpty() && !definition.name().equals(name)) {
            throw Rejection.invalid("name", "must match the release in the URL, '" + name + "': releases cannot be renamed");
        }
        ReleaseDefinition named = definition.withName(name);
        StoredRelease replaced = plane.exclusively(() -> {
            synchronized (lock) {
                StoredRelease current = require(name, expectedVersion);
                if (current.definition().equals(named)) {
                    return current;
                }
                if (!current.state().phase().ended()) {
                    throw Rejection.conflict("release '" + name + "' is " + ReleaseMachine.wire(current.state().phase())
                            + " (step " + (current.state().step() + 1) + "); abort it or let it end before changing it");
                }
                Decision start = startDecision(actor, named, current.state().attempt() + 1);
                StoredRelease next = new StoredRelease(named, start.state(), current.version() + 1, current.createdAt(),
                        clock.instant());
                return save(actor, Optional.of(current), next, start.timeline(), "update");
            }
        });
        wake();
        return replaced;
    }

    /** Deletes an ended release with its timeline. */
    public void delete(Principal actor, String name, long expectedVersion) {
        plane.exclusively(() -> {
            synchronized (lock) {
                StoredRelease current = require(name, expectedVersion);
                if (!current.state().phase().ended()) {
                    throw Rejection.conflict("release '" + name + "' is " + ReleaseMachine.wire(current.state().phase())
                            + "; abort it before deleting it");
                }
                Change change = store.write(tx -> {
                    tx.deleteRelease(name);
                    return tx.record(new Change.Draft(clock.instant(), actor.name(), ResourceType.RELEASE, name, "delete",
                            0, Json.write(current.definition()), ""));
                });
                Map<String, StoredRelease> next = new TreeMap<>(releases);
                next.remove(name);
                releases = next;
                plane.published(change);
                return null;
            }
        });
    }

    /** Promotes, aborts, pauses, resumes, retries or undoes a release, by hand. */
    public StoredRelease command(Principal actor, String name, Observation.Command.Kind kind) {
        StoredRelease done = plane.exclusively(() -> {
            synchronized (lock) {
                StoredRelease current = require(name, ControlPlane.ANY_VERSION);
                ReleaseMachine.refusal(current.state(), kind).ifPresent(reason -> {
                    throw Rejection.conflict("cannot " + kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')
                            + " release '" + name + "': " + reason);
                });
                Decision decision = ReleaseMachine.next(plan(current), current.state(),
                        new Observation.Command(kind, actor.name()), clock.instant());
                StoredRelease next = current.next(decision.state(), clock.instant());
                return save(actor, Optional.of(current), next, decision.timeline(),
                        kind.name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'));
            }
        });
        wake();
        return done;
    }

    /** Up to {@link #MAX_TIMELINE} of {@code name}'s timeline entries after {@code afterSeq}. */
    public List<TimelineRow> timeline(String name, long afterSeq, int limit) {
        require(name, ControlPlane.ANY_VERSION);
        return store.timeline(name, afterSeq, Math.max(1, Math.min(limit, MAX_TIMELINE)));
    }

    /** The release's changes (created, replaced, commands), oldest first. */
    public List<Change> history(String name) {
        require(name, ControlPlane.ANY_VERSION);
        return store.history(ResourceType.RELEASE, name);
    }

    /**
     * One pass: for each release, carries out its pending actions, then decides on everything due at the clock's
     * now (ended pauses, measurements, gates) until nothing is.
     */
    public void tick() {
        if (!lead()) {
            return;
        }
        for (String name : releases.keySet()) {
            try {
                drive(name);
            } catch (RuntimeException e) {
                // One release's trouble (a database hiccup, say) must not stop the others; the next tick tries again.
                LOG.warn("release '{}': {}", name, e.toString());
            }
        }
    }

    @Override
    public void close() {
        closed = true;
        Thread thread = loop;
        if (thread != null) {
            wake();
            thread.interrupt();
            try {
                thread.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        // Notifications not delivered yet stay pending in the database and are sent after the next start.
        deliveries.shutdownNow();
        leadership.close();
    }

    /** Asks whether this process leads; one that has just taken the lead first reads every release as committed. */
    private boolean lead() {
        boolean now = leadership.leads();
        if (now && (!leading || leadership.term() != readInTerm)) {
            synchronized (lock) {
                releases = byName(store.releases());
                readInTerm = leadership.term();
            }
            if (store.shared()) {
                LOG.info("this server now drives releases ({} stored)", releases.size());
            }
        } else if (!now && leading) {
            LOG.warn("this server no longer drives releases: another one leads");
        }
        leading = now;
        return now;
    }

    // ---- the loop

    private void run(Duration period) {
        while (!closed) {
            tick();
            synchronized (wake) {
                if (!woken && !closed) {
                    try {
                        wake.wait(Math.max(1, period.toMillis()));
                    } catch (InterruptedException e) {
                        if (closed) {
                            return;
                        }
                    }
                }
                woken = false;
            }
        }
    }

    private void wake() {
        synchronized (wake) {
            woken = true;
            wake.notifyAll();
        }
    }

    private void drive(String name) {
        carryOut(name);
        for (int round = 0; round < MAX_ROUNDS; round++) {
            StoredRelease current = releases.get(name);
            if (current == null || current.state().phase().ended()) {
                return;
            }
            Instant now = clock.instant();
            ReleasePlan plan = plan(current);
            boolean decided = decide(name, new Observation.Tick(), now);
            List<Due> due = ReleaseMachine.due(plan, releases.get(name).state(), now);
            if (due.isEmpty() && !decided) {
                return;
            }
            for (Due work : due) {
                StoredRelease before = releases.get(name);
                Observation observation = work instanceof Due.Measure measure
                        ? new Observation.Measured(measure.background(),
                                analyst.measure(before.definition(), before.state(), measure))
                        : ask(before, ((Due.AskGate) work).on());
                decide(name, observation, clock.instant());
                if (observation instanceof Observation.Measured measured) {
                    countAbort(before, measured.measurement());
                }
            }
        }
    }

    private Observation.GateAnswered ask(StoredRelease release, String on) {
        ReleaseDefinition.Hook gate = release.definition().hooks(on).get(0);
        Hooks.Answer answer = hooks.ask(gate, body(release, on, "gate", "asking " + on));
        return new Observation.GateAnswered(on, answer.ok(), answer.detail());
    }

    private void countAbort(StoredRelease before, Measurement measurement) {
        StoredRelease after = releases.get(before.name());
        if (after != null && !before.state().phase().ended()
                && after.state().phase() == ReleaseState.Phase.ROLLED_BACK
                && measurement.outcome() != Measurement.Outcome.PASS) {
            abortedByAnalysis.incrementAndGet();
        }
    }

    /** Feeds {@code observation} to the machine and stores the decision; whether anything changed. */
    private boolean decide(String name, Observation observation, Instant now) {
        boolean changed;
        synchronized (lock) {
            StoredRelease current = releases.get(name);
            if (current == null) {
                return false;
            }
            Decision decision = ReleaseMachine.next(plan(current), current.state(), observation, now);
            changed = decision.changed(current.state()) && store(current.next(decision.state(), now), decision.timeline());
        }
        if (changed) {
            carryOut(name);
        }
        return changed;
    }

    /**
     * Carries out the release's pending actions, each removed from the stored state once done. Weights come first, in
     * order, on this thread; notifications go to the delivery thread, in order, so that a slow hook receiver holds up
     * neither a rollback nor the other releases.
     */
    private void carryOut(String name) {
        synchronized (carrying) {
            int superseded = 0;
            while (true) {
                StoredRelease current = releases.get(name);
                if (current == null) {
                    return;
                }
                Optional<Action.SetWeight> weight = current.state().pending().stream()
                        .filter(Action.SetWeight.class::isInstance).map(Action.SetWeight.class::cast).findFirst();
                if (weight.isEmpty()) {
                    break;
                }
                Optional<String> failure;
                try {
                    failure = setWeight(current, weight.get().percent());
                } catch (Superseded e) {
                    synchronized (lock) {
                        reload(name);
                    }
                    // Moved on by a delivery done meanwhile, or a command: go on from the version read, while leading.
                    if (++superseded > MAX_SUPERSEDED || !leadership.leads()) {
                        break;
                    }
                    continue;
                }
                if (!done(name, weight.get(), failure)) {
                    break;
                }
            }
        }
        StoredRelease current = releases.get(name);
        for (Action action : current == null ? List.<Action>of() : current.state().pending()) {
            if (action instanceof Action.Notify notify && delivering.add(notify.delivery())) {
                try {
                    deliveries.execute(() -> deliver(name, notify));
                } catch (java.util.concurrent.RejectedExecutionException closing) {
                    delivering.remove(notify.delivery());  // left pending for the next start
                }
            }
        }
    }

    private void deliver(String name, Action.Notify notify) {
        try {
            StoredRelease release = releases.get(name);
            if (release == null) {
                return;
            }
            for (ReleaseDefinition.Hook hook : release.definition().hooks(notify.on())) {
                Hooks.Answer answer = hooks.notify(hook, notify.delivery(), body(release, notify.on(), notify.type(),
                        notify.message()));
                if (Thread.currentThread().isInterrupted()) {
                    return;  // the server is closing: left pending, sent after the next start
                }
                if (!answer.ok()) {
                    LOG.warn("release '{}': the {} hook failed: {}", name, notify.on(), answer.detail());
                }
            }
            done(name, notify, Optional.empty());
        } catch (RuntimeException e) {
            // Left pending (a database hiccup, say): the next pass hands it over again.
            LOG.warn("release '{}': delivering {} failed: {}", name, notify.delivery(), e.toString());
        } finally {
            delivering.remove(notify.delivery());
        }
    }

    /**
     * Removes {@code action} (the first pending action equal to it) from the stored state, noting a failure; whether
     * it was still pending.
     */
    private boolean done(String name, Action action, Optional<String> failure) {
        synchronized (lock) {
            StoredRelease now = releases.get(name);
            if (now == null) {
                return false;
            }
            List<Action> rest = new ArrayList<>(now.state().pending());
            if (!rest.remove(action)) {
                return false;
            }
            List<TimelineEntry> entries = failure.map(reason -> List.of(new TimelineEntry(clock.instant(), "action",
                    now.state().step(), reason, "", List.of()))).orElse(List.of());
            return store(now.next(now.state().withPending(rest), clock.instant()), entries);
        }
    }

    /**
     * Gives the new version {@code percent} of the target; a failure that retrying will not mend is returned. The
     * target is changed only while the database still holds {@code release} as it is here, in the same transaction:
     * else it throws {@link Superseded} and changes nothing, so a leader that lost the lead, or a release a command
     * has moved on, never sets a weight it no longer decides.
     */
    private Optional<String> setWeight(StoredRelease release, int percent) {
        Principal actor = new Principal(0, "release/" + release.name(), dev.ramp.server.store.TokenScope.ADMIN, "*");
        ReleaseDefinition.Target target = release.definition().target();
        FlagStore.Work<Optional<Change>> stillDeciding = tx -> {
            if (tx.release(release.name()).map(StoredRelease::version).orElse(0L) != release.version()) {
                throw new Superseded();
            }
            return Optional.empty();
        };
        try {
            if (target.isRoute() && release.definition().isBlueGreen()) {
                routes.switchTo(actor, target.route(), ControlPlane.ANY_VERSION,
                        percent == 100 ? release.state().canaryArm() : release.state().stableArm(), stillDeciding);
            } else if (target.isRoute()) {
                routes.setWeight(actor, target.route(), ControlPlane.ANY_VERSION, percent, stillDeciding);
            } else {
                StoredFlag flag = plane.current().flag(target.flag())
                        .orElseThrow(() -> Rejection.notFound("flag '" + target.flag() + "'"));
                if (FlagRollout.percent(flag.definition(), target.environment()) != percent) {
                    plane.changeFlag(actor, target.flag(), "release",
                            definition -> FlagRollout.withPercent(definition, target.environment(), percent),
                            stillDeciding);
                }
            }
            return Optional.empty();
        } catch (Rejection e) {
            return Optional.of("could not set the new version's share to " + percent + "%: " + e.getMessage());
        }
    }

    // ---- internals

    private Decision startDecision(Principal actor, ReleaseDefinition definition, int attempt) {
        List<FieldError> errors = new ArrayList<>();
        ReleaseCheck.release(definition).forEach(problem -> errors.add(new FieldError(problem.field(), problem.reason())));
        if (!errors.isEmpty()) {
            throw Rejection.invalid(errors);
        }
        ReleaseDefinition.Target target = definition.target();
        list().stream()
                .filter(other -> !other.name().equals(definition.name()) && !other.state().phase().ended())
                .filter(other -> other.definition().target().equals(target))
                .findFirst()
                .ifPresent(other -> {
                    throw Rejection.conflict("release '" + other.name() + "' is already moving this target; abort it or"
                            + " let it end first");
                });
        Instant now = clock.instant();
        ReleasePlan plan = ReleasePlan.of(definition);
        if (target.isRoute()) {
            StoredRoute route = routes.route(target.route()).orElseThrow(() -> Rejection.invalid("target.route",
                    "names route '" + target.route() + "', which does not exist"));
            RouteDefinition routed = route.definition();
            if (routed.isBlueGreen() != definition.isBlueGreen()) {
                throw Rejection.invalid(definition.isBlueGreen() ? "blueGreen" : "canary", "route '" + target.route()
                        + "' is " + routed.strategy() + "; a " + (definition.isBlueGreen() ? "blueGreen" : "canary")
                        + " release needs a " + (definition.isBlueGreen() ? "blueGreen" : "canary") + " route");
            }
            if (routed.isBlueGreen()) {
                String active = routed.activeArm();
                String other = routed.arms().stream().map(RouteDefinition.Arm::name).filter(arm -> !arm.equals(active))
                        .findFirst().orElseThrow();
                return ReleaseMachine.start(plan, 0, active, other, actor.name(), attempt, now);
            }
            return ReleaseMachine.start(plan, routed.weight(), routed.arms().get(0).name(), routed.arms().get(1).name(),
                    actor.name(), attempt, now);
        }
        StoredFlag flag = plane.current().flag(target.flag()).filter(stored -> !stored.archived())
                .orElseThrow(() -> Rejection.invalid("target.flag", "names flag '" + target.flag()
                        + "', which does not exist"));
        if (plane.current().environment(target.environment()).isEmpty()) {
            throw Rejection.invalid("target.environment", "names environment '" + target.environment()
                    + "', which does not exist");
        }
        FlagRollout.problem(flag.definition(), target.environment()).ifPresent(problem -> {
            throw Rejection.invalid("target.flag", problem);
        });
        return ReleaseMachine.start(plan, FlagRollout.percent(flag.definition(), target.environment()), "stable",
                "canary", actor.name(), attempt, now);
    }

    private StoredRelease save(Principal actor, Optional<StoredRelease> before, StoredRelease after,
                               List<TimelineEntry> entries, String action) {
        Change change = store.write(tx -> {
            long stored = tx.release(after.name()).map(StoredRelease::version).orElse(0L);
            long expected = before.map(StoredRelease::version).orElse(0L);
            if (stored != expected) {
                throw Rejection.stale("release '" + after.name() + "' in the database", expected, stored);
            }
            tx.putRelease(after);
            tx.appendTimeline(after.name(), entries);
            return tx.record(new Change.Draft(clock.instant(), actor.name(), ResourceType.RELEASE, after.name(), action,
                    after.version(), before.map(release -> Json.write(release.definition())).orElse(""),
                    Json.write(after.definition())));
        });
        Map<String, StoredRelease> next = new TreeMap<>(releases);
        next.put(after.name(), after);
        releases = next;
        plane.published(change);
        return after;
    }

    /**
     * Stores a decision the controller made by itself, onto the version it was based on; call under {@link #lock}.
     * When the database holds another version (a command through another server, or a decision of a leader that
     * took over), nothing is stored, the release is read again, and this returns false.
     */
    private boolean store(StoredRelease next, List<TimelineEntry> entries) {
        boolean stored = store.write(tx -> {
            long based = tx.release(next.name()).map(StoredRelease::version).orElse(0L);
            if (based != next.version() - 1) {
                return false;
            }
            tx.putRelease(next);
            tx.appendTimeline(next.name(), entries);
            return true;
        });
        if (!stored) {
            reload(next.name());
            return false;
        }
        Map<String, StoredRelease> all = new TreeMap<>(releases);
        all.put(next.name(), next);
        releases = all;
        return true;
    }

    /** Reads release {@code name} again from the database; call under {@link #lock}. */
    private void reload(String name) {
        store.lookUp(lookup -> {
            reload(name, lookup);
            return null;
        });
    }

    /** Reads release {@code name} again as committed; call under {@link #lock}. */
    private void reload(String name, FlagStore.Lookup lookup) {
        Map<String, StoredRelease> all = new TreeMap<>(releases);
        lookup.release(name).ifPresentOrElse(release -> all.put(name, release), () -> all.remove(name));
        releases = all;
    }

    /** The database holds another version of the release than the one whose action was being carried out. */
    private static final class Superseded extends RuntimeException {
        Superseded() {
            super("the release moved on in the database", null, false, false);
        }
    }

    private static Map<String, StoredRelease> byName(List<StoredRelease> stored) {
        Map<String, StoredRelease> byName = new TreeMap<>();
        stored.forEach(release -> byName.put(release.name(), release));
        return byName;
    }

    private StoredRelease require(String name, long expectedVersion) {
        StoredRelease current = release(name).orElseThrow(() -> Rejection.notFound("release '" + name + "'"));
        if (expectedVersion != ControlPlane.ANY_VERSION && expectedVersion != current.version()) {
            throw Rejection.stale("release '" + name + "'", expectedVersion, current.version());
        }
        return current;
    }

    private static ReleasePlan plan(StoredRelease release) {
        return ReleasePlan.of(release.definition());
    }

    private static Map<String, Object> body(StoredRelease release, String on, String type, String message) {
        ReleaseState state = release.state();
        Map<String, Object> body = new java.util.LinkedHashMap<>();
        body.put("release", release.name());
        body.put("on", on);
        body.put("type", type);
        body.put("message", message);
        body.put("phase", ReleaseMachine.wire(state.phase()));
        body.put("step", state.step());
        body.put("weight", state.weight());
        body.put("attempt", state.attempt());
        body.put("target", release.definition().target());
        return body;
    }
}
