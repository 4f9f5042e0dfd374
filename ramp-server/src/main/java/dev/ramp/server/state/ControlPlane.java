package dev.ramp.server.state;

import dev.ramp.server.auth.Principal;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.model.EnvironmentDefinition;
import dev.ramp.server.model.FieldError;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.FlagEnvironment;
import dev.ramp.server.model.Json;
import dev.ramp.server.model.SegmentDefinition;
import dev.ramp.server.model.StrategyDefinition;
import dev.ramp.server.model.Validation;
import dev.ramp.server.model.VariantDefinition;
import dev.ramp.server.store.ApiToken;
import dev.ramp.server.store.Change;
import dev.ramp.server.store.ChangeDocuments;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.ResourceType;
import dev.ramp.server.store.StoredEnvironment;
import dev.ramp.server.store.StoredFlag;
import dev.ramp.server.store.StoredSegment;
import dev.ramp.server.store.TokenScope;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.random.RandomGenerator;

/**
 * Every change to flags, segments, environments and tokens. Each operation validates, checks the version the caller
 * read ({@code expectedVersion}, from {@code If-Match}), commits the new state with its audit entry in one
 * transaction, and only then moves the {@link Catalog} forward and passes the {@link Update} on, all under one lock,
 * so that readers and streams see changes in commit order and a failed commit changes nothing.
 *
 * <p>Several server processes may share the database (PostgreSQL). Each operation then runs in this process's turn
 * ({@link FlagStore#inTurn}), after catching up on the changes the others committed, and {@link #catchUp()} applies
 * theirs in between: memory follows commit order in every process.
 */
public final class ControlPlane {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ControlPlane.class);

    private final FlagStore store;
    private final Catalog catalog;
    private final TokenRegistry tokens;
    private final InstantSource clock;
    private final RandomGenerator random;
    private final Consumer<Update> updates;
    private final ReentrantLock lock = new ReentrantLock(true);
    /** Who keep routes, experiments and releases up with other processes' changes; set before the server starts. */
    private final java.util.Map<ResourceType, java.util.function.BiConsumer<Change, FlagStore.Lookup>> keepers =
            new java.util.concurrent.ConcurrentHashMap<>();
    /** {@link System#nanoTime()} when this process last finished catching up; written under {@link #lock}. */
    private volatile long caughtUpAt = System.nanoTime();
    /** Changes one read of a catch-up takes. */
    private static final int CATCH_UP_BATCH = 500;

    public ControlPlane(FlagStore store, Catalog catalog, TokenRegistry tokens, InstantSource clock, RandomGenerator random,
                        Consumer<Update> updates) {
        this.store = store;
        this.catalog = catalog;
        this.tokens = tokens;
        this.clock = clock;
        this.random = random;
        this.updates = updates;
    }

    public CatalogState current() {
        return catalog.current();
    }

    // ---- environments

    /** Creates {@code development} and {@code production} when no environment exists yet. */
    public void createDefaultEnvironments() {
        commit(() -> {
            if (current().environments().isEmpty()) {
                for (String name : List.of(EnvironmentDefinition.DEVELOPMENT, EnvironmentDefinition.PRODUCTION)) {
                    createEnvironment(Principal.SYSTEM, new EnvironmentDefinition(name, ""));
                }
            }
            return null;
        });
    }

    public StoredEnvironment createEnvironment(Principal actor, EnvironmentDefinition definition) {
        Validation validation = validation().key("name", definition.name()).text("description", definition.description());
        check(validation);
        return commit(() -> {
            if (current().environment(definition.name()).isPresent()) {
                throw Rejection.conflict("environment '" + definition.name() + "' already exists");
            }
            Instant now = clock.instant();
            StoredEnvironment created = new StoredEnvironment(definition, 1, now, now);
            Change change = store.write(tx -> {
                tx.putEnvironment(created);
                return tx.record(draft(actor, ResourceType.ENVIRONMENT, created.name(), "create", 1, "", Json.write(created)));
            });
            advanceOwn(change.id(), state -> state.withEnvironment(created.name(), Optional.of(created), change.id()),
                    Update.unseen(change.id()));
            return created;
        });
    }

    public StoredEnvironment updateEnvironment(Principal actor, String name, long expectedVersion, EnvironmentDefinition definition) {
        if (!definition.name().isEmpty() && !definition.name().equals(name)) {
            throw Rejection.invalid("name", "must match the environment in the URL, '" + name + "': environments cannot be renamed");
        }
        EnvironmentDefinition named = new EnvironmentDefinition(name, definition.description());
        check(validation().text("description", named.description()));
        return commit(() -> {
            StoredEnvironment current = requireEnvironment(name);
            requireVersion("environment '" + name + "'", expectedVersion, current.version());
            StoredEnvironment next = current.next(named, clock.instant());
            Change change = store.write(tx -> {
                requireStored("environment '" + name + "'", current.version(),
                        tx.environment(name).map(StoredEnvironment::version).orElse(0L));
                tx.putEnvironment(next);
                return tx.record(draft(actor, ResourceType.ENVIRONMENT, name, "update", next.version(), Json.write(current), Json.write(next)));
            });
            advanceOwn(change.id(), state -> state.withEnvironment(name, Optional.of(next), change.id()), Update.unseen(change.id()));
            return next;
        });
    }

    /** Deletes an environment that no token reads and no flag has settings in. */
    public void deleteEnvironment(Principal actor, String name, long expectedVersion) {
        commit(() -> {
            StoredEnvironment current = requireEnvironment(name);
            requireVersion("environment '" + name + "'", expectedVersion, current.version());
            if (tokens.usesEnvironment(name)) {
                throw Rejection.conflict("tokens read environment '" + name + "': revoke them first");
            }
            List<String> configured = current().flags().values().stream()
                    .filter(flag -> flag.definition().environments().containsKey(name)).map(StoredFlag::key).limit(5).toList();
            if (!configured.isEmpty()) {
                throw Rejection.conflict("flags have settings in environment '" + name + "', for example " + configured);
            }
            Change change = store.write(tx -> {
                requireStored("environment '" + name + "'", current.version(),
                        tx.environment(name).map(StoredEnvironment::version).orElse(0L));
                tx.deleteEnvironment(name);
                return tx.record(draft(actor, ResourceType.ENVIRONMENT, name, "delete", 0, Json.write(current), ""));
            });
            advanceOwn(change.id(), state -> state.withEnvironment(name, Optional.empty(), change.id()), Update.unseen(change.id()));
            return null;
        });
    }

    // ---- flags

    public StoredFlag createFlag(Principal actor, FlagDefinition definition) {
        return commit(() -> {
            checkFlag(withStrategyIds(definition));
            if (current().flag(definition.key()).isPresent()) {
                throw Rejection.conflict("flag '" + definition.key() + "' already exists"
                        + (current().flag(definition.key()).get().archived() ? " (archived: revive it)" : ""));
            }
            Instant now = clock.instant();
            StoredFlag created = new StoredFlag(withStrategyIds(definition), false, 1, now, now);
            return saveFlag(actor, null, created, "create");
        });
    }

    /** Replaces a flag's whole definition, its settings in every environment included. */
    public StoredFlag replaceFlag(Principal actor, String key, long expectedVersion, FlagDefinition definition) {
        if (!definition.key().isEmpty() && !definition.key().equals(key)) {
            throw Rejection.invalid("key", "must match the flag in the URL, '" + key + "': flags cannot be renamed");
        }
        FlagDefinition keyed = new FlagDefinition(key, definition.description(), definition.type(), definition.project(),
                definition.stale(), definition.impressionData(), definition.dependencies(), definition.environments());
        return changeFlag(actor, key, expectedVersion, "update", current -> keyed);
    }

    public StoredFlag archiveFlag(Principal actor, String key, long expectedVersion) {
        return commit(() -> {
            StoredFlag current = requireFlag(key);
            requireVersion("flag '" + key + "'", expectedVersion, current.version());
            if (current.archived()) {
                throw Rejection.conflict("flag '" + key + "' is already archived");
            }
            requireNoChildren(key);
            return saveFlag(actor, current, current.next(current.definition(), true, clock.instant()), "archive");
        });
    }

    public StoredFlag reviveFlag(Principal actor, String key, long expectedVersion) {
        return commit(() -> {
            StoredFlag current = requireFlag(key);
            requireVersion("flag '" + key + "'", expectedVersion, current.version());
            if (!current.archived()) {
                throw Rejection.conflict("flag '" + key + "' is not archived");
            }
            checkFlag(current.definition());
            return saveFlag(actor, current, current.next(current.definition(), false, clock.instant()), "revive");
        });
    }

    public StoredFlag setEnabled(Principal actor, String key, String environment, long expectedVersion, boolean enabled) {
        requireEnvironment(environment);
        return changeFlag(actor, key, expectedVersion, enabled ? "enable" : "disable", current -> current.withEnvironment(
                environment, current.environment(environment).withEnabled(enabled)));
    }

    /** Appends a strategy (the server assigns its id); returns the flag and the new strategy's id. */
    public StrategyAdded addStrategy(Principal actor, String key, String environment, long expectedVersion, StrategyDefinition strategy) {
        requireEnvironment(environment);
        if (!strategy.id().isEmpty()) {
            throw Rejection.invalid("id", "is assigned by the server; leave it out");
        }
        check(validation().strategy("", strategy));
        String id = newId();
        StoredFlag flag = changeFlag(actor, key, expectedVersion, "add-strategy", current -> {
            FlagEnvironment settings = current.environment(environment);
            List<StrategyDefinition> strategies = new ArrayList<>(settings.strategies());
            strategies.add(strategy.withId(id));
            return current.withEnvironment(environment, settings.withStrategies(strategies));
        });
        return new StrategyAdded(flag, id);
    }

    /** A flag and the id of the strategy just added to it. */
    public record StrategyAdded(StoredFlag flag, String strategyId) {}

    public StoredFlag replaceStrategy(Principal actor, String key, String environment, String id, long expectedVersion,
                                      StrategyDefinition strategy) {
        requireEnvironment(environment);
        if (!strategy.id().isEmpty() && !strategy.id().equals(id)) {
            throw Rejection.invalid("id", "must match the strategy in the URL, '" + id + "'");
        }
        check(validation().strategy("", strategy));
        return changeFlag(actor, key, expectedVersion, "update-strategy", current -> {
            FlagEnvironment settings = current.environment(environment);
            int index = strategyIndex(settings, key, environment, id);
            List<StrategyDefinition> strategies = new ArrayList<>(settings.strategies());
            strategies.set(index, strategy.withId(id));
            return current.withEnvironment(environment, settings.withStrategies(strategies));
        });
    }

    public StoredFlag deleteStrategy(Principal actor, String key, String environment, String id, long expectedVersion) {
        requireEnvironment(environment);
        return changeFlag(actor, key, expectedVersion, "delete-strategy", current -> {
            FlagEnvironment settings = current.environment(environment);
            int index = strategyIndex(settings, key, environment, id);
            List<StrategyDefinition> strategies = new ArrayList<>(settings.strategies());
            strategies.remove(index);
            return current.withEnvironment(environment, settings.withStrategies(strategies));
        });
    }

    public StoredFlag setVariants(Principal actor, String key, String environment, long expectedVersion, List<VariantDefinition> variants) {
        requireEnvironment(environment);
        check(validation().variants("variants", variants));
        return changeFlag(actor, key, expectedVersion, "set-variants", current -> current.withEnvironment(
                environment, current.environment(environment).withVariants(variants)));
    }

    /** Restores the definition (and archived state) the flag had at {@code version}, as a new change. */
    public StoredFlag revertFlag(Principal actor, String key, long expectedVersion, long version) {
        return commit(() -> {
            StoredFlag current = requireFlag(key);
            requireVersion("flag '" + key + "'", expectedVersion, current.version());
            Change target = store.history(ResourceType.FLAG, key).stream()
                    .filter(change -> change.version() == version && !change.after().isEmpty())
                    .findFirst()
                    .orElseThrow(() -> Rejection.invalid("version", "flag '" + key + "' never had version " + version
                            + "; its versions run from 1 to " + current.version()));
            StoredFlag recorded = ChangeDocuments.flag(target);
            FlagDefinition restored = recorded.definition();
            boolean archived = recorded.archived();
            if (archived) {
                requireNoChildren(key);
            } else {
                checkFlag(restored);
            }
            return saveFlag(actor, current, current.next(restored, archived, clock.instant()), "revert");
        });
    }

    // ---- segments

    public StoredSegment createSegment(Principal actor, SegmentDefinition definition) {
        return commit(() -> {
            check(validation().segment(definition));
            requireUniqueSegmentName(definition.name(), -1);
            Instant now = clock.instant();
            StoredSegment[] created = new StoredSegment[1];
            Change change = store.write(tx -> {
                created[0] = tx.insertSegment(new StoredSegment(0, definition, 1, now, now));
                return tx.record(draft(actor, ResourceType.SEGMENT, Integer.toString(created[0].id()), "create", 1, "",
                        Json.write(created[0])));
            });
            return publishSegment(change, null, created[0]);
        });
    }

    public StoredSegment updateSegment(Principal actor, int id, long expectedVersion, SegmentDefinition definition) {
        return commit(() -> {
            StoredSegment current = requireSegment(id);
            requireVersion("segment " + id, expectedVersion, current.version());
            check(validation().segment(definition));
            requireUniqueSegmentName(definition.name(), id);
            StoredSegment next = current.next(definition, clock.instant());
            Change change = store.write(tx -> {
                requireStored("segment " + id, current.version(), tx.segment(id).map(StoredSegment::version).orElse(0L));
                tx.putSegment(next);
                return tx.record(draft(actor, ResourceType.SEGMENT, Integer.toString(id), "update", next.version(),
                        Json.write(current), Json.write(next)));
            });
            return publishSegment(change, current, next);
        });
    }

    /** Deletes a segment that no strategy of a live flag uses. */
    public void deleteSegment(Principal actor, int id, long expectedVersion) {
        commit(() -> {
            StoredSegment current = requireSegment(id);
            requireVersion("segment " + id, expectedVersion, current.version());
            List<String> users = current().flags().values().stream()
                    .filter(flag -> flag.definition().environments().values().stream()
                            .flatMap(settings -> settings.strategies().stream())
                            .anyMatch(strategy -> strategy.segments().contains(id)))
                    .map(StoredFlag::key).limit(5).toList();
            if (!users.isEmpty()) {
                throw Rejection.conflict("segment " + id + " is used by flags " + users + ": remove it from their strategies first");
            }
            Change change = store.write(tx -> {
                requireStored("segment " + id, current.version(), tx.segment(id).map(StoredSegment::version).orElse(0L));
                tx.deleteSegment(id);
                return tx.record(draft(actor, ResourceType.SEGMENT, Integer.toString(id), "delete", 0, Json.write(current), ""));
            });
            return publishSegment(change, current, null);
        });
    }

    // ---- tokens

    /** A new token and its secret, which is shown this once and never again. */
    public record IssuedToken(ApiToken token, String secret) {}

    public IssuedToken createToken(Principal actor, String name, TokenScope scope, String environment) {
        return createToken(actor, name, scope, environment, TokenRegistry.newSecret(scope, environment));
    }

    /** Creates a token with a given secret, as for the bootstrap token from {@code RAMP_ADMIN_TOKEN}. */
    public IssuedToken createToken(Principal actor, String name, TokenScope scope, String environment, String secret) {
        return commit(() -> {
            Validation validation = validation();
            if (name.isBlank()) {
                validation.fail("name", "is required");
            } else if (name.chars().anyMatch(Character::isISOControl)) {
                validation.fail("name", "must not contain control characters");
            }
            validation.text("name", name);
            if (scope.perEnvironment() && current().environment(environment).isEmpty()) {
                validation.fail("environment", environment.isEmpty()
                        ? "is required for a " + scope.wireName() + " token"
                        : "no environment '" + environment + "' exists; there are " + current().environments().keySet());
            }
            if (secret.length() < 16) {
                validation.fail("secret", "must be at least 16 characters");
            }
            check(validation);
            String where = scope.perEnvironment() ? environment : ApiToken.ALL_ENVIRONMENTS;
            ApiToken draftToken = new ApiToken(0, name, scope, where, TokenRegistry.prefixOf(secret),
                    TokenRegistry.hash(secret), clock.instant());
            ApiToken[] stored = new ApiToken[1];
            Change change = store.write(tx -> {
                stored[0] = tx.insertToken(draftToken);
                return tx.record(draft(actor, ResourceType.TOKEN, Long.toString(stored[0].id()), "create", 1, "",
                        Json.write(tokenView(stored[0]))));
            });
            tokens.add(stored[0]);
            published(change);
            return new IssuedToken(stored[0], secret);
        });
    }

    /**
     * Creates an admin token named {@code name} with {@code secret} when no admin token exists (a first start), and
     * returns it; empty when one exists, here or made by another replica starting at the same time.
     */
    public Optional<IssuedToken> createFirstAdminToken(String name, String secret) {
        return commit(() -> tokens.hasAdmin() ? Optional.<IssuedToken>empty()
                : Optional.of(createToken(Principal.SYSTEM, name, TokenScope.ADMIN, "", secret)));
    }

    public void revokeToken(Principal actor, long id) {
        commit(() -> {
            ApiToken token = tokens.tokens().stream().filter(t -> t.id() == id).findFirst()
                    .orElseThrow(() -> Rejection.notFound("token " + id));
            if (token.scope() == TokenScope.ADMIN
                    && tokens.tokens().stream().filter(t -> t.scope() == TokenScope.ADMIN).count() == 1) {
                throw Rejection.conflict("token " + id + " is the last admin token: create another admin token first");
            }
            Change change = store.write(tx -> {
                tx.deleteToken(id);
                return tx.record(draft(actor, ResourceType.TOKEN, Long.toString(id), "revoke", 0, Json.write(tokenView(token)), ""));
            });
            tokens.remove(id);
            published(change);
            return null;
        });
    }

    /** A token as listings and the audit log show it: never its hash. */
    public record TokenView(long id, String name, String scope, String environment, String prefix, Instant createdAt) {}

    public static TokenView tokenView(ApiToken token) {
        return new TokenView(token.id(), token.name(), token.scope().wireName(), token.environment(), token.prefix(), token.createdAt());
    }

    // ---- for resources kept outside the catalog (experiments)

    /**
     * Runs {@code operation} under the lock that orders every change, so that what it reads stays current while it
     * writes, and the changes it records reach the streams in commit order (see {@link #published}).
     */
    public <T> T exclusively(java.util.function.Supplier<T> operation) {
        return commit(operation::get);
    }

    /** Tells the catalog and the streams about {@code change}, a change SDKs do not see; call it inside {@link #exclusively}. */
    public void published(Change change) {
        advanceOwn(change.id(), state -> state.withChangeId(change.id()), Update.unseen(change.id()));
    }

    // ---- replicas

    /**
     * Has {@code apply} keep its copy of resources of {@code type} (routes, experiments, releases) up with the changes
     * other processes commit. It runs under this lock, in commit order, with the change and a lookup of the
     * committed state.
     */
    public void keepUp(ResourceType type, java.util.function.BiConsumer<Change, FlagStore.Lookup> apply) {
        if (type == ResourceType.FLAG || type == ResourceType.SEGMENT || type == ResourceType.ENVIRONMENT
                || type == ResourceType.TOKEN) {
            throw new IllegalArgumentException("the control plane keeps " + type + " up itself");
        }
        keepers.put(type, apply);
    }

    /**
     * Applies every change another process committed after the last one this process knows, in commit order: to the
     * catalog, the tokens and each keeper, and on to the streams. What a replica calls when it is told of a change,
     * and now and then in case it was not; every change this process makes catches up first, in its turn.
     */
    public void catchUp() {
        locked(() -> {
            catchUpAll();
            return null;
        });
    }

    /** {@link System#nanoTime()} when this process last finished catching up, or of its start. */
    public long caughtUpAt() {
        return caughtUpAt;
    }

    /** Call under {@link #lock}. */
    private void catchUpAll() {
        catchUpBefore(Long.MAX_VALUE);
        caughtUpAt = System.nanoTime();
    }

    /** Applies the changes after the last one known and before {@code id}; call under {@link #lock}. */
    private void catchUpBefore(long id) {
        store.lookUp(lookup -> {
            while (true) {
                List<Change> changes = lookup.changesAfter(current().lastChangeId(), CATCH_UP_BATCH);
                for (Change change : changes) {
                    if (change.id() >= id) {
                        return null;
                    }
                    applyCommitted(change, lookup);
                }
                if (changes.size() < CATCH_UP_BATCH) {
                    return null;
                }
            }
        });
    }

    /**
     * One change another process committed, applied as that change left the resource. A document this version
     * cannot read (one written by a newer server, say) is logged, and the resource read from its table instead.
     */
    private void applyCommitted(Change change, FlagStore.Lookup lookup) {
        long id = change.id();
        String key = change.key();
        boolean gone = change.after().isEmpty();
        switch (change.type()) {
            case FLAG -> {
                StoredFlag before = current().flag(key).orElse(null);
                Optional<StoredFlag> after = recorded(change, ChangeDocuments::flag, () -> lookup.flag(key));
                advance(id, state -> after.map(flag -> state.withFlag(flag, id)).orElse(state.withChangeId(id)),
                        after.map(flag -> Update.ofFlag(id, before, flag)).orElse(Update.unseen(id)));
            }
            case SEGMENT -> {
                int segment = Integer.parseInt(key);
                StoredSegment before = current().segment(segment).orElse(null);
                Optional<StoredSegment> after = gone ? Optional.empty()
                        : recorded(change, ChangeDocuments::segment, () -> lookup.segment(segment));
                advance(id, state -> state.withSegment(segment, after, id),
                        before == null && after.isEmpty() ? Update.unseen(id) : Update.ofSegment(id, before, after.orElse(null)));
            }
            case ENVIRONMENT -> {
                Optional<StoredEnvironment> after = gone ? Optional.empty()
                        : recorded(change, ChangeDocuments::environment, () -> lookup.environment(key));
                advance(id, state -> state.withEnvironment(key, after, id), Update.unseen(id));
            }
            case TOKEN -> {
                tokens.replaceAll(lookup.tokens());
                advance(id, state -> state.withChangeId(id), Update.unseen(id));
            }
            default -> {
                java.util.function.BiConsumer<Change, FlagStore.Lookup> keeper = keepers.get(change.type());
                if (keeper != null) {
                    keeper.accept(change, lookup);
                }
                advance(id, state -> state.withChangeId(id), Update.unseen(id));
            }
        }
    }

    /** The resource as {@code change} recorded it, or when that cannot be read, as its table holds it now. */
    private static <T> Optional<T> recorded(Change change, java.util.function.Function<Change, T> read,
                                            java.util.function.Supplier<Optional<T>> stored) {
        try {
            return Optional.of(read.apply(change));
        } catch (dev.ramp.server.store.StoreException e) {
            LOG.warn("{}; reading it from its table instead", e.getMessage());
            return stored.get();
        }
    }

    /**
     * Change {@code id}, just committed in this process's turn, reaches the catalog and the streams: the next id,
     * unless the turn ended early (its session was lost) and another process committed meanwhile, whose changes then
     * come first.
     */
    private void advanceOwn(long id, java.util.function.UnaryOperator<CatalogState> edit, Update update) {
        if (id > current().lastChangeId() + 1) {
            LOG.warn("change {} follows changes this server has not applied yet; applying them first", id);
            catchUpBefore(id);
        }
        advance(id, edit, update);
    }

    /** Change {@code id}, the next in commit order, reaches the catalog and the streams. */
    private void advance(long id, java.util.function.UnaryOperator<CatalogState> edit, Update update) {
        catalog.advance(edit);
        updates.accept(update);
    }

    /**
     * Edits a flag as the other flag operations do (validated, versioned, audited as {@code action}) and runs
     * {@code alongside} in the same transaction, after the flag is written; the change {@code alongside} records,
     * if any, is published after the flag's.
     */
    public StoredFlag changeFlag(Principal actor, String key, String action,
                                 java.util.function.UnaryOperator<FlagDefinition> edit,
                                 FlagStore.Work<Optional<Change>> alongside) {
        return changeFlag(actor, key, ANY_VERSION, action, edit, alongside);
    }

    /** A validation that looks environments, segments and flags up in the current catalog. */
    public Validation validation() {
        CatalogState state = current();
        return Validation.against(
                name -> state.environment(name).isPresent(),
                id -> state.segment(id).isPresent(),
                key -> state.flag(key).filter(flag -> !flag.archived()).isPresent());
    }

    // ---- internals

    private interface Operation<T> {
        T run();
    }

    /**
     * Runs a change under this process's lock and in its turn on the database, having caught up on what other
     * processes committed: what it checks against memory is then exact, and the changes it records take the next ids,
     * so they reach memory and streams in commit order. A nested call runs within the outer one's turn.
     */
    private <T> T commit(Operation<T> operation) {
        if (lock.isHeldByCurrentThread() || !store.shared()) {
            return locked(operation);
        }
        // The turn first: a writer waiting for it must not hold up catching up on the changes of the one in its turn.
        return store.inTurn(() -> locked(() -> {
            catchUpAll();
            return operation.run();
        }));
    }

    private <T> T locked(Operation<T> operation) {
        lock.lock();
        try {
            return operation.run();
        } finally {
            lock.unlock();
        }
    }

    private StoredFlag changeFlag(Principal actor, String key, long expectedVersion, String action,
                                  java.util.function.UnaryOperator<FlagDefinition> edit) {
        return changeFlag(actor, key, expectedVersion, action, edit, tx -> Optional.empty());
    }

    /** Edits a live flag at {@code expectedVersion}; strategies the edit adds without an id get one. */
    private StoredFlag changeFlag(Principal actor, String key, long expectedVersion, String action,
                                  java.util.function.UnaryOperator<FlagDefinition> edit,
                                  FlagStore.Work<Optional<Change>> alongside) {
        return commit(() -> {
            StoredFlag current = requireFlag(key);
            requireVersion("flag '" + key + "'", expectedVersion, current.version());
            if (current.archived()) {
                throw Rejection.conflict("flag '" + key + "' is archived: revive it before changing it");
            }
            FlagDefinition next = withStrategyIds(edit.apply(current.definition()));
            checkFlag(next);
            return saveFlag(actor, current, current.next(next, false, clock.instant()), action, alongside);
        });
    }

    private StoredFlag saveFlag(Principal actor, StoredFlag before, StoredFlag after, String action) {
        return saveFlag(actor, before, after, action, tx -> Optional.empty());
    }

    private StoredFlag saveFlag(Principal actor, StoredFlag before, StoredFlag after, String action,
                                FlagStore.Work<Optional<Change>> alongside) {
        Change[] other = new Change[1];
        Change change = store.write(tx -> {
            // The database is the judge of versions: a change another process committed is never overwritten.
            long stored = tx.flag(after.key()).map(StoredFlag::version).orElse(0L);
            long expected = before == null ? 0 : before.version();
            if (before == null && stored != 0) {
                throw Rejection.conflict("flag '" + after.key() + "' already exists");
            }
            if (stored != expected) {
                throw Rejection.stale("flag '" + after.key() + "' in the database", expected, stored);
            }
            tx.putFlag(after);
            Change recorded = tx.record(draft(actor, ResourceType.FLAG, after.key(), action, after.version(),
                    before == null ? "" : Json.write(before), Json.write(after)));
            other[0] = alongside.run(tx).orElse(null);
            return recorded;
        });
        advanceOwn(change.id(), state -> state.withFlag(after, change.id()), Update.ofFlag(change.id(), before, after));
        if (other[0] != null) {
            published(other[0]);
        }
        return after;
    }

    private StoredSegment publishSegment(Change change, StoredSegment before, StoredSegment after) {
        int id = after != null ? after.id() : before.id();
        advanceOwn(change.id(), state -> state.withSegment(id, Optional.ofNullable(after), change.id()),
                Update.ofSegment(change.id(), before, after));
        return after;
    }

    private void requireNoChildren(String key) {
        List<String> children = current().flags().values().stream()
                .filter(flag -> !flag.archived())
                .filter(flag -> flag.definition().dependencies().stream().anyMatch(d -> d.feature().equals(key)))
                .map(StoredFlag::key).toList();
        if (!children.isEmpty()) {
            throw Rejection.conflict("flags " + children + " depend on '" + key + "': remove those dependencies first");
        }
    }

    private FlagDefinition withStrategyIds(FlagDefinition definition) {
        var environments = new java.util.LinkedHashMap<String, FlagEnvironment>();
        definition.environments().forEach((name, settings) -> environments.put(name, settings == null ? null
                : settings.withStrategies(settings.strategies().stream()
                        .map(s -> s == null || !s.id().isEmpty() ? s : s.withId(newId())).toList())));
        return new FlagDefinition(definition.key(), definition.description(), definition.type(), definition.project(),
                definition.stale(), definition.impressionData(), definition.dependencies(), environments);
    }

    private static int strategyIndex(FlagEnvironment settings, String key, String environment, String id) {
        for (int i = 0; i < settings.strategies().size(); i++) {
            if (settings.strategies().get(i).id().equals(id)) {
                return i;
            }
        }
        throw Rejection.notFound("strategy '" + id + "' of flag '" + key + "' in environment '" + environment + "'");
    }

    private void requireUniqueSegmentName(String name, int exceptId) {
        if (current().segments().values().stream().anyMatch(s -> s.id() != exceptId && s.definition().name().equals(name))) {
            throw Rejection.conflict("a segment named '" + name + "' already exists");
        }
    }

    private StoredFlag requireFlag(String key) {
        return current().flag(key).orElseThrow(() -> Rejection.notFound("flag '" + key + "'"));
    }

    private StoredSegment requireSegment(int id) {
        return current().segment(id).orElseThrow(() -> Rejection.notFound("segment " + id));
    }

    private StoredEnvironment requireEnvironment(String name) {
        return current().environment(name).orElseThrow(() -> Rejection.notFound("environment '" + name + "'"));
    }

    /** Inside a write: the database must still hold the version this process based the change on. */
    private static void requireStored(String what, long based, long stored) {
        if (stored != based) {
            throw Rejection.stale(what + " in the database", based, stored);
        }
    }

    /** What {@code If-Match: *} asks for: the change applies to whatever version is current. */
    public static final long ANY_VERSION = -1;

    private static void requireVersion(String what, long expected, long current) {
        if (expected != ANY_VERSION && expected != current) {
            throw Rejection.stale(what, expected, current);
        }
    }

    /** Validates a flag, then builds what SDKs would get, so that nothing the model refuses is ever stored. */
    private void checkFlag(FlagDefinition flag) {
        check(validation().flag(flag));
        for (String environment : current().environments().keySet()) {
            try {
                flag.inEnvironment(environment);
            } catch (IllegalArgumentException | NullPointerException e) {
                throw Rejection.invalid("environments." + environment, e.getMessage());
            }
        }
    }

    private static void check(Validation validation) {
        if (!validation.passed()) {
            List<FieldError> errors = validation.errors();
            throw Rejection.invalid(errors);
        }
    }

    private synchronized String newId() {
        byte[] bytes = new byte[6];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    private Change.Draft draft(Principal actor, ResourceType type, String key, String action, long version, String before, String after) {
        return new Change.Draft(clock.instant(), actor.name(), type, key, action, version, before, after);
    }
}
