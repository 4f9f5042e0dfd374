package dev.ramp.sdk;

import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.eval.Context;
import dev.ramp.core.eval.Evaluation;
import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.eval.FlagHandle;
import dev.ramp.core.eval.Reason;
import dev.ramp.core.eval.VariantResult;
import dev.ramp.core.flag.DeltaEvent;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.sdk.internal.Backoff;
import dev.ramp.sdk.internal.BackupFile;
import dev.ramp.sdk.internal.EventQueue;
import dev.ramp.sdk.internal.EventStreamReader;
import dev.ramp.sdk.internal.FlagUsage;
import dev.ramp.sdk.internal.ServerConnection;
import dev.ramp.sdk.internal.SnapshotDiff;
import dev.ramp.sdk.internal.StreamConnection;
import dev.ramp.sdk.internal.TrackedEvent;
import dev.ramp.sdk.internal.UsageCounters;
import dev.ramp.sdk.internal.UsageReporter;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link RampClient} a builder starts. Evaluations read one volatile field, the {@link Current} snapshot, and
 * evaluate it with ramp-core; the rest runs on three threads of the client's own:
 * <ul>
 *   <li>{@code ramp-sync}: fetches the flags once (conditional on the ETag), then follows the delta stream,
 *       reconnecting with back-off and resuming from the last event id; polls instead when there is no stream.
 *       Only a whole, valid document or event replaces the snapshot, and each new snapshot goes to the backup file;
 *   <li>{@code ramp-usage}: registration, usage reports and event batches;
 *   <li>{@code ramp-listeners}: calls the listeners, one event at a time.
 * </ul>
 */
final class SyncedClient implements RampClient {
    private static final Logger LOG = LoggerFactory.getLogger(SyncedClient.class);
    /** The largest event the stream may send: a hydration of a large environment fits. */
    private static final int MAX_EVENT_CHARS = ServerConnection.MAX_DOCUMENT_BYTES;
    /** Exposures remembered to send each (unit, flag, variant) once; past this the memory starts over. */
    private static final int MAX_REMEMBERED_EXPOSURES = 100_000;

    /** What evaluations use: the compiled snapshot, each flag's counters, and where it came from. */
    private record Current(Evaluator evaluator, Map<String, FlagEntry> entries, SnapshotVersion version) {}

    /**
     * A flag of the current snapshot: its handle, its usage counters (null when metrics are off), whether it reports
     * exposures, and which of the client's own context fields it reads.
     */
    private record FlagEntry(Flag flag, FlagHandle handle, FlagUsage usage, boolean exposures, boolean hasVariants, StaticFields reads) {}

    private enum StreamOutcome { ENDED, FAILED, UNSUPPORTED, CLOSED }

    private final Settings settings;
    private final ServerConnection server;
    private final UsageCounters counters = new UsageCounters();
    private final EventQueue events;
    private final UsageReporter reporter;
    private final BackupFile backup;
    private final List<RampListener> listeners = new CopyOnWriteArrayList<>();
    private final Set<String> exposed = ConcurrentHashMap.newKeySet();
    private final LongAdder eventsNoUnit = new LongAdder();
    private final CountDownLatch ready = new CountDownLatch(1);
    private final CountDownLatch closing = new CountDownLatch(1);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final ExecutorService notifier;
    private final ScheduledExecutorService usage;
    /** The threads of {@link #notifier} and {@link #usage}. */
    private final List<Thread> workers = new java.util.concurrent.CopyOnWriteArrayList<>();
    private final Thread syncThread;

    private volatile Current current;
    private volatile ClientState state = ClientState.NOT_READY;
    private volatile StreamConnection openStream;
    /** Sync-thread state: the ETag of the document the snapshot is exactly, and the stream position. */
    private String etag = "";
    private OptionalLong lastEventId = OptionalLong.empty();

    private SyncedClient(Settings settings) {
        this.settings = settings;
        this.server = new ServerConnection(settings.url(), settings.token(), settings.appName(), settings.instanceId(),
                settings.connectTimeout(), settings.readTimeout());
        this.events = new EventQueue(settings.eventQueueCapacity());
        this.reporter = new UsageReporter(server, settings.appName(), settings.instanceId(), counters, events,
                settings.clock(), settings.metricsInterval(), settings.eventBatchSize(), settings.eventAttempts());
        this.backup = settings.backupFile() == null ? null : new BackupFile(settings.backupFile());
        this.listeners.addAll(settings.listeners());
        this.current = new Current(Evaluator.of(FlagSnapshot.empty(), settings.clock(), settings.random()), Map.of(),
                SnapshotVersion.none());
        this.notifier = Executors.newSingleThreadExecutor(runnable -> worker(runnable, "ramp-listeners"));
        this.usage = Executors.newSingleThreadScheduledExecutor(runnable -> worker(runnable, "ramp-usage"));
        this.syncThread = thread(this::sync, "ramp-sync");
    }

    static SyncedClient start(Settings settings) {
        SyncedClient client = new SyncedClient(settings);
        client.startFromLocalCopy();
        client.syncThread.start();
        client.usage.execute(client.reporter::register);
        if (settings.sendMetrics()) {
            long millis = settings.metricsInterval().toMillis();
            client.usage.scheduleWithFixedDelay(client.reporter::reportMetrics, millis, millis, TimeUnit.MILLISECONDS);
        }
        long eventMillis = settings.eventsInterval().toMillis();
        client.usage.scheduleWithFixedDelay(client.reporter::sendEvents, eventMillis, eventMillis, TimeUnit.MILLISECONDS);
        return client;
    }

    // ---- evaluation: never throws, never blocks ----

    @Override
    public boolean isEnabled(String flag, Context context) {
        // Kept small so it inlines into the caller: one lookup, then the flag's own handle and counters.
        FlagEntry entry = entry(current, flag);
        if (entry == null) {
            countUnknown(flag);
            return false;
        }
        boolean enabled = entry.handle.isEnabled(contextFor(entry, context));
        counted(entry, flag, enabled, context);
        return enabled;
    }

    @Override
    public VariantResult variant(String flag, Context context) {
        FlagEntry entry = entry(current, flag);
        if (entry == null) {
            countUnknown(flag);
            return VariantResult.DISABLED;
        }
        VariantResult served = entry.handle.variant(contextFor(entry, context));
        counted(entry, flag, served.featureEnabled(), served.enabled() ? served.name() : VariantResult.DISABLED_NAME, context);
        return served;
    }

    @Override
    public Evaluation<Boolean> evaluateBoolean(String flag, Context context, boolean fallback) {
        Current now = current;
        FlagEntry entry = entry(now, flag);
        Evaluation<Boolean> result = now.evaluator.evaluateBoolean(flag, contextFor(entry, context), fallback);
        if (entry == null) {
            countUnknown(flag);
        } else {
            counted(entry, flag, result.value(), context);
        }
        return result;
    }

    @Override
    public Evaluation<VariantResult> evaluateVariant(String flag, Context context) {
        Current now = current;
        FlagEntry entry = entry(now, flag);
        Evaluation<VariantResult> result = now.evaluator.evaluateVariant(flag, contextFor(entry, context));
        countedTyped(entry, flag, result, context);
        return result;
    }

    @Override
    public Evaluation<String> evaluateString(String flag, Context context, String fallback) {
        Current now = current;
        FlagEntry entry = entry(now, flag);
        Evaluation<String> result = now.evaluator.evaluateString(flag, contextFor(entry, context), fallback);
        countedTyped(entry, flag, result, context);
        return result;
    }

    @Override
    public Evaluation<Double> evaluateNumber(String flag, Context context, double fallback) {
        Current now = current;
        FlagEntry entry = entry(now, flag);
        Evaluation<Double> result = now.evaluator.evaluateNumber(flag, contextFor(entry, context), fallback);
        countedTyped(entry, flag, result, context);
        return result;
    }

    private static FlagEntry entry(Current now, String flag) {
        return flag == null ? null : now.entries.get(flag);
    }

    /** Counts an on/off evaluation of a known flag, and its exposure when the flag has no variants. */
    private void counted(FlagEntry entry, String flag, boolean enabled, Context context) {
        try {
            if (entry.usage != null) {
                entry.usage.count(enabled);
            }
            if (entry.exposures && !entry.hasVariants) {
                expose(flag, enabled ? "on" : "off", context);
            }
        } catch (RuntimeException e) {
            // Counting is best effort; the evaluation stands.
        }
    }

    /** Counts a variant evaluation of a known flag ({@code disabled} when none was served), and its exposure. */
    private void counted(FlagEntry entry, String flag, boolean enabled, String variant, Context context) {
        try {
            if (entry.usage != null) {
                entry.usage.count(enabled, variant);
            }
            if (entry.exposures && entry.hasVariants && !variant.equals(VariantResult.DISABLED_NAME)) {
                expose(flag, variant, context);
            }
        } catch (RuntimeException e) {
            // Counting is best effort; the evaluation stands.
        }
    }

    /** Counts a typed evaluation: on when it served a variant or a strategy matched. */
    private void countedTyped(FlagEntry entry, String flag, Evaluation<?> result, Context context) {
        if (entry == null) {
            countUnknown(flag);
            return;
        }
        boolean served = !result.variant().isEmpty();
        boolean enabled = served || result.reason() == Reason.STATIC || result.reason() == Reason.TARGETING_MATCH
                || result.reason() == Reason.SPLIT;
        counted(entry, flag, enabled, served ? result.variant() : VariantResult.DISABLED_NAME, context);
    }

    @Override
    public void track(String event, Context context, double value) {
        try {
            if (!TrackedEvent.isName(event) || !(Math.abs(value) <= TrackedEvent.MAX_VALUE)) {
                events.dropped(1);
                return;
            }
            Optional<String> unit = unitOf(context);
            if (unit.isEmpty()) {
                eventsNoUnit.increment();
                return;
            }
            if (!TrackedEvent.isName(unit.get())) {
                events.dropped(1);
                return;
            }
            events.offer(TrackedEvent.metric(event, unit.get(), value, settings.clock().instant()));
        } catch (RuntimeException e) {
            events.dropped(1);
        }
    }

    /** Counts an evaluation of a flag the snapshot lacks (off, as Unleash reports it); best effort, never throws. */
    private void countUnknown(String flag) {
        try {
            if (settings.sendMetrics() && flag != null) {
                FlagUsage usage = counters.unknownFlag(flag);
                if (usage != null) {
                    usage.count(false);
                }
            }
        } catch (RuntimeException e) {
            // Counting is best effort.
        }
    }

    private void expose(String flag, String variant, Context context) {
        if (!settings.exposures()) {
            return;
        }
        Optional<String> unit = unitOf(context);
        if (unit.isEmpty() || !TrackedEvent.isName(unit.get()) || variant.length() > TrackedEvent.MAX_NAME) {
            return;
        }
        if (exposed.size() >= MAX_REMEMBERED_EXPOSURES) {
            exposed.clear();
        }
        if (exposed.add(flag + '\0' + variant + '\0' + unit.get())) {
            events.offer(TrackedEvent.exposure(flag, variant, unit.get(), settings.clock().instant()));
        }
    }

    private Context contextFor(FlagEntry entry, Context context) {
        return entry == null || !entry.reads.any() ? context : withStaticFields(entry.reads, context);
    }

    /**
     * {@code context} with the client's {@code appName} and {@code environment} where the flag reads them and the
     * context has none, as Unleash's SDKs fill them in; the caller's context itself when nothing is missing.
     */
    private Context withStaticFields(StaticFields reads, Context context) {
        Context given = context == null ? Context.empty() : context;
        boolean addApp = reads.appName() && !given.hasAppName();
        boolean addEnvironment = reads.environment() && !given.hasEnvironment() && !settings.environment().isEmpty();
        if (!addApp && !addEnvironment) {
            return given;
        }
        Context.Builder builder = given.toBuilder();
        if (addApp) {
            builder.appName(settings.appName());
        }
        if (addEnvironment) {
            builder.environment(settings.environment());
        }
        return builder.build();
    }

    private static Optional<String> unitOf(Context context) {
        if (context == null) {
            return Optional.empty();
        }
        Optional<String> user = context.userId();
        return user.isPresent() ? user : context.sessionId();
    }

    // ---- state ----

    @Override
    public boolean awaitReady(Duration timeout) {
        try {
            return ready.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ready.getCount() == 0;
        }
    }

    @Override
    public ClientState state() {
        return state;
    }

    @Override
    public SnapshotVersion version() {
        return current.version;
    }

    @Override
    public FlagSnapshot snapshot() {
        return current.evaluator.snapshot();
    }

    @Override
    public Optional<Flag> flag(String flag) {
        FlagEntry entry = flag == null ? null : current.entries.get(flag);
        return entry == null ? Optional.empty() : Optional.of(entry.flag);
    }

    @Override
    public UsageStats usage() {
        return new UsageStats(reporter.evaluations(), reporter.reports(), events.queued(), reporter.sent(),
                events.dropped(), eventsNoUnit.sum());
    }

    @Override
    public void addListener(RampListener listener) {
        Objects.requireNonNull(listener, "listener");
        listeners.add(listener);
        if (ready.getCount() == 0 && state != ClientState.NOT_READY) {
            SnapshotVersion version = current.version;
            notify(() -> listener.onReady(version), listener);
        }
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing.countDown();
        StreamConnection stream = openStream;
        if (stream != null) {
            stream.close();
        }
        syncThread.interrupt();
        join(syncThread, settings.connectTimeout().plus(settings.readTimeout()));
        // A last report of what was counted: it runs after shutdown, which cancels only the periodic tasks.
        usage.execute(() -> {
            if (settings.sendMetrics()) {
                reporter.reportMetrics();
            }
            reporter.sendEvents();
        });
        usage.shutdown();
        await(usage, settings.connectTimeout().plus(settings.readTimeout()).multipliedBy(3));
        notifier.shutdown();
        await(notifier, Duration.ofSeconds(2));
        // An executor counts as terminated a moment before its thread has ended.
        workers.forEach(worker -> join(worker, Duration.ofSeconds(2)));
    }

    // ---- sync (the ramp-sync thread) ----

    /** Installs the bootstrap, else the backup, before the first call to the server. */
    private void startFromLocalCopy() {
        if (settings.bootstrap() != null) {
            install(settings.bootstrap(), SnapshotOrigin.BOOTSTRAP, 0, "", false);
            return;
        }
        if (backup == null) {
            return;
        }
        try {
            Optional<BackupFile.Content> saved = backup.read();
            saved.ifPresent(content -> {
                etag = content.etag();
                install(content.snapshot(), SnapshotOrigin.BACKUP, content.changeId(), content.etag(), false);
            });
        } catch (IOException | RuntimeException e) {
            LOG.warn("Ramp: ignoring the backup file: {}", e.getMessage());
        }
    }

    private void sync() {
        Backoff backoff = new Backoff(settings.reconnectInitial(), settings.reconnectMax(), settings.random());
        boolean streaming = settings.streaming();
        boolean fetched = false;
        while (!isClosing()) {
            try {
                if (!streaming || !fetched) {
                    fetched = fetch();
                }
                if (isClosing()) {
                    return;
                }
                if (!streaming) {
                    pause(settings.pollInterval());
                    continue;
                }
                StreamOutcome outcome = stream(backoff);
                switch (outcome) {
                    case CLOSED -> {
                        return;
                    }
                    case UNSUPPORTED -> {
                        LOG.info("Ramp: the server has no delta stream; polling every {}", settings.pollInterval());
                        streaming = false;
                        pause(settings.pollInterval());
                    }
                    case ENDED -> pause(backoff.next());
                    case FAILED -> {
                        // Fetch before the next attempt, so a stream that keeps failing still leaves the client current.
                        fetched = false;
                        pause(backoff.next());
                    }
                }
            } catch (RuntimeException e) {
                // A defect must not end the sync for good: report it, wait, and start over.
                LOG.error("Ramp: the sync failed unexpectedly; retrying", e);
                degrade("the sync failed unexpectedly: " + e);
                fetched = false;
                pause(backoff.next());
            }
        }
    }

    /** One conditional fetch of the whole document; whether the server answered with a usable one. */
    private boolean fetch() {
        ServerConnection.Fetch result;
        try {
            result = server.fetchFeatures(etag);
        } catch (IOException e) {
            unreachable("cannot fetch the flags from " + settings.url() + ": " + e);
            return false;
        }
        if (result instanceof ServerConnection.Fetch.NotModified) {
            if (current.version.origin() == SnapshotOrigin.BACKUP) {
                // The server confirms the backup is current: it is now the fetched document.
                install(current.evaluator.snapshot(), SnapshotOrigin.FETCH, current.version.changeId(), etag, false);
            }
            healthy();
            return true;
        }
        if (result instanceof ServerConnection.Fetch.Refused refused) {
            unreachable("the server answered " + refused.status() + " to GET /api/client/features"
                    + (refused.detail().isEmpty() ? "" : ": " + refused.detail()));
            return false;
        }
        ServerConnection.Fetch.Modified modified = (ServerConnection.Fetch.Modified) result;
        FlagSnapshot snapshot;
        try {
            snapshot = UnleashCodec.decodeFeatures(modified.body()).snapshot();
        } catch (RuntimeException e) {
            ignored("the features document is not valid: " + e.getMessage());
            return false;
        }
        etag = modified.etag();
        install(snapshot, SnapshotOrigin.FETCH, 0, modified.etag(), true);
        healthy();
        return true;
    }

    /** Follows the stream until it ends, fails or the client closes. */
    private StreamOutcome stream(Backoff backoff) {
        StreamConnection stream;
        try {
            stream = server.openStream(lastEventId, settings.streamIdleTimeout());
        } catch (IOException e) {
            unreachable("cannot open the stream from " + settings.url() + ": " + e);
            return isClosing() ? StreamOutcome.CLOSED : StreamOutcome.FAILED;
        }
        openStream = stream;
        try {
            if (isClosing()) {
                return StreamOutcome.CLOSED;
            }
            int status = stream.status();
            if (status == 404 || status == 405 || status == 501 || (status == 200 && !ServerConnection.isEventStream(stream))) {
                return StreamOutcome.UNSUPPORTED;
            }
            if (status != 200) {
                String detail = ServerConnection.errorDetail(stream);
                unreachable("the server answered " + status + " to GET /api/client/streaming" + (detail.isEmpty() ? "" : ": " + detail));
                return StreamOutcome.FAILED;
            }
            try (InputStream body = stream.body()) {
                EventStreamReader reader = new EventStreamReader(body, MAX_EVENT_CHARS);
                while (true) {
                    Optional<EventStreamReader.ServerSentEvent> next = reader.next();
                    if (next.isEmpty()) {
                        return isClosing() ? StreamOutcome.CLOSED : StreamOutcome.ENDED;
                    }
                    EventStreamReader.ServerSentEvent event = next.get();
                    switch (event.event()) {
                        case "unleash-connected", "unleash-updated" -> {
                            if (!apply(event)) {
                                return StreamOutcome.FAILED;
                            }
                            if (event.event().equals("unleash-connected")) {
                                backoff.reset();
                                healthy();
                            }
                        }
                        case "fetch-mode" -> {
                            if (event.data().trim().equals("polling")) {
                                return StreamOutcome.UNSUPPORTED;
                            }
                        }
                        default -> { } // An event this client does not know changes nothing.
                    }
                }
            }
        } catch (IOException e) {
            if (isClosing()) {
                return StreamOutcome.CLOSED;
            }
            unreachable("the stream from " + settings.url() + " failed: " + e);
            return StreamOutcome.FAILED;
        } finally {
            openStream = null;
            stream.close();
        }
    }

    /** Applies one stream event; false when it was invalid, and the stream must start over from a hydration. */
    private boolean apply(EventStreamReader.ServerSentEvent event) {
        FlagSnapshot next;
        long id;
        try {
            List<DeltaEvent> deltas = UnleashCodec.decodeDelta(event.data());
            boolean hydration = deltas.stream().anyMatch(DeltaEvent.Hydration.class::isInstance);
            if (!hydration && lastEventId.isEmpty() && current.version.origin() != SnapshotOrigin.FETCH
                    && current.version.origin() != SnapshotOrigin.STREAM) {
                throw new IllegalStateException("a delta arrived before any hydration");
            }
            next = current.evaluator.snapshot().apply(deltas);
            id = eventId(event.id()).orElse(lastOf(deltas));
        } catch (RuntimeException e) {
            lastEventId = OptionalLong.empty();
            ignored("ignored an invalid '" + event.event() + "' event: " + e.getMessage());
            return false;
        }
        lastEventId = id > 0 ? OptionalLong.of(id) : OptionalLong.empty();
        etag = "";
        install(next, SnapshotOrigin.STREAM, Math.max(0, id), "", true);
        return true;
    }

    /** The stream's event id as a number; empty when it is none (a server may use other ids: they are not resumed by). */
    private static OptionalLong eventId(String id) {
        if (id.isEmpty() || id.length() > 18 || !id.chars().allMatch(Character::isDigit)) {
            return OptionalLong.empty();
        }
        return OptionalLong.of(Long.parseLong(id));
    }

    private static long lastOf(List<DeltaEvent> deltas) {
        return deltas.isEmpty() ? 0 : deltas.get(deltas.size() - 1).eventId();
    }

    /** Makes {@code snapshot} the one evaluations use, tells listeners what changed, and backs it up. */
    private void install(FlagSnapshot snapshot, SnapshotOrigin origin, long changeId, String documentEtag, boolean save) {
        Current before = current;
        FlagSnapshot previous = before.evaluator.snapshot();
        Set<String> changed = SnapshotDiff.changedFlags(previous, snapshot);
        boolean first = before.version.origin() == SnapshotOrigin.NONE;
        Evaluator evaluator;
        try {
            evaluator = Evaluator.of(snapshot, settings.clock(), settings.random());
        } catch (RuntimeException e) {
            ignored("cannot compile the flags: " + e.getMessage());
            return;
        }
        Map<String, FlagUsage> usageByFlag = settings.sendMetrics() ? counters.forSnapshot(snapshot) : Map.of();
        Map<String, FlagEntry> entries = new HashMap<>();
        Map<String, StaticFields> reads = StaticFields.of(snapshot);
        for (Flag flag : snapshot.flags()) {
            entries.put(flag.name(), new FlagEntry(flag, evaluator.handle(flag.name()).orElseThrow(), usageByFlag.get(flag.name()), flag.impressionData(),
                    flag.hasVariants(), reads.getOrDefault(flag.name(), StaticFields.NONE)));
        }
        SnapshotVersion version = new SnapshotVersion(origin, changeId, documentEtag, settings.clock().instant());
        current = new Current(evaluator, entries, version);
        if (first) {
            state = ClientState.READY;
            ready.countDown();
            fire(listener -> listener.onReady(version));
        } else if (!changed.isEmpty()) {
            Set<String> flags = Set.copyOf(changed);
            fire(listener -> listener.onChanged(version, flags));
        }
        if (save && backup != null && (!changed.isEmpty() || first || origin == SnapshotOrigin.FETCH)) {
            try {
                backup.write(new BackupFile.Content(snapshot, documentEtag, changeId));
            } catch (IOException | RuntimeException e) {
                LOG.warn("Ramp: cannot write the backup file {}: {}", backup.path(), e.toString());
            }
        }
    }

    /** The server answered: a stale or failed client is ready again. */
    private void healthy() {
        ClientState was = state;
        if ((was == ClientState.STALE || was == ClientState.ERROR) && current.version.origin() != SnapshotOrigin.NONE) {
            state = ClientState.READY;
            SnapshotVersion version = current.version;
            fire(listener -> listener.onReady(version));
        }
    }

    /** The server could not be reached or refused the client. */
    private void unreachable(String reason) {
        if (isClosing()) {
            return;
        }
        LOG.debug("Ramp: {}", reason);
        degrade(reason);
    }

    /** A payload was ignored: the snapshot stays, but may miss a change until the next hydration. */
    private void ignored(String reason) {
        LOG.warn("Ramp: {}; keeping the last good snapshot", reason);
        degrade(reason);
    }

    private void degrade(String reason) {
        ClientState was = state;
        if (was == ClientState.READY) {
            state = ClientState.STALE;
            fire(listener -> listener.onStale(reason));
        } else if (was == ClientState.NOT_READY) {
            state = ClientState.ERROR;
            fire(listener -> listener.onError(reason));
        }
    }

    private void fire(Consumer<RampListener> call) {
        for (RampListener listener : listeners) {
            notify(() -> call.accept(listener), listener);
        }
    }

    private void notify(Runnable call, RampListener listener) {
        try {
            notifier.execute(() -> {
                try {
                    call.run();
                } catch (RuntimeException e) {
                    LOG.warn("Ramp: listener {} failed", listener, e);
                }
            });
        } catch (RejectedExecutionException e) {
            // The client is closed: listeners hear nothing more.
        }
    }

    private boolean isClosing() {
        return closing.getCount() == 0;
    }

    private void pause(Duration delay) {
        try {
            closing.await(delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            // close() interrupts to end a wait early; the loop then sees it is closing.
        }
    }

    /** A thread for one of the executors, remembered so that {@link #close} can wait for it to end. */
    private Thread worker(Runnable runnable, String name) {
        Thread thread = thread(runnable, name);
        workers.add(thread);
        return thread;
    }

    private static Thread thread(Runnable runnable, String name) {
        Thread thread = new Thread(runnable, name);
        thread.setDaemon(true);
        return thread;
    }

    private static void join(Thread thread, Duration timeout) {
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void await(ExecutorService executor, Duration timeout) {
        try {
            if (!executor.awaitTermination(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }
}
