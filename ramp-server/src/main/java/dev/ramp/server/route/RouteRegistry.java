package dev.ramp.server.route;

import dev.ramp.core.route.RouteCheck;
import dev.ramp.core.route.RouteDefinition;
import dev.ramp.server.auth.Principal;
import dev.ramp.server.model.FieldError;
import dev.ramp.server.model.Json;
import dev.ramp.server.state.ControlPlane;
import dev.ramp.server.state.Rejection;
import dev.ramp.server.store.Change;
import dev.ramp.server.store.ChangeDocuments;
import dev.ramp.server.store.FlagStore;
import dev.ramp.server.store.ResourceType;
import dev.ramp.server.store.StoredRoute;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Every route operation: create, replace and delete; a canary's weight and a blue/green route's active arm, which a
 * release moves; and the history of each. Each change is checked ({@link RouteCheck}, and no two routes may match
 * the same requests), versioned ({@code If-Match}), audited, and made under the control plane's lock, so that it
 * reaches the audit log and the gateways in commit order; the same document, weight or arm again changes nothing.
 * After each change the new {@link RouteConfig} goes to the listener (the gateways' stream), its version the change's
 * id.
 *
 * <p>Like the flag catalog, the routes are held in memory, read from the database at start and kept up with the
 * changes other server processes on the same database commit ({@link ControlPlane#keepUp}).
 */
public final class RouteRegistry {
    /** Work alongside a change that does nothing. */
    private static final FlagStore.Work<Void> NOTHING = tx -> null;

    private final FlagStore store;
    private final ControlPlane plane;
    private final InstantSource clock;
    private final Consumer<RouteConfig> published;
    /** Every route by name; replaced whole after each committed change, read without a lock. */
    private volatile Map<String, StoredRoute> routes;
    private volatile RouteConfig config;

    private RouteRegistry(FlagStore store, ControlPlane plane, InstantSource clock, Consumer<RouteConfig> published,
                          List<StoredRoute> stored, long version) {
        this.store = store;
        this.plane = plane;
        this.clock = clock;
        this.published = published;
        Map<String, StoredRoute> byName = new TreeMap<>();
        stored.forEach(route -> byName.put(route.name(), route));
        publish(byName, version);
        plane.keepUp(ResourceType.ROUTE, this::keptUp);
    }

    /** The routes {@code store} holds; {@code published} gets them now, and again after every change. */
    public static RouteRegistry load(FlagStore store, ControlPlane plane, InstantSource clock, Consumer<RouteConfig> published) {
        return new RouteRegistry(store, plane, clock, published, store.routes(), store.lastChangeId(ResourceType.ROUTE));
    }

    /** Every route, by name. */
    public List<StoredRoute> list() {
        return List.copyOf(routes.values());
    }

    public Optional<StoredRoute> route(String name) {
        return Optional.ofNullable(routes.get(name));
    }

    /** What gateways serve now. */
    public RouteConfig config() {
        return config;
    }

    public StoredRoute create(Principal actor, RouteDefinition definition) {
        return plane.exclusively(() -> {
            check(definition);
            if (routes.containsKey(definition.name())) {
                throw Rejection.conflict("route '" + definition.name() + "' already exists");
            }
            return save(actor, Optional.empty(), StoredRoute.created(definition, clock.instant()), "create", NOTHING);
        });
    }

    /** Replaces a route's whole document; the name cannot change. */
    public StoredRoute replace(Principal actor, String name, long expectedVersion, RouteDefinition definition) {
        if (!definition.name().isEmpty() && !definition.name().equals(name)) {
            throw Rejection.invalid("name", "must match the route in the URL, '" + name + "': routes cannot be renamed");
        }
        RouteDefinition named = definition.withName(name);
        return plane.exclusively(() -> change(actor, name, expectedVersion, "update", current -> named, NOTHING));
    }

    public void delete(Principal actor, String name, long expectedVersion) {
        plane.exclusively(() -> {
            StoredRoute current = require(name, expectedVersion);
            Change change = store.write(tx -> {
                requireStored(tx, current);
                tx.deleteRoute(name);
                return tx.record(draft(actor, name, "delete", 0, Json.write(current), ""));
            });
            Map<String, StoredRoute> next = new TreeMap<>(routes);
            next.remove(name);
            published(change, next);
            return null;
        });
    }

    /** Sends {@code percent} of a canary route's units to its candidate arm. */
    public StoredRoute setWeight(Principal actor, String name, long expectedVersion, int percent) {
        return setWeight(actor, name, expectedVersion, percent, NOTHING);
    }

    /**
     * As {@link #setWeight(Principal, String, long, int)}, running {@code alongside} in the same transaction, before
     * the route is written: what it throws leaves the route as it was.
     */
    public StoredRoute setWeight(Principal actor, String name, long expectedVersion, int percent,
                                 FlagStore.Work<?> alongside) {
        return plane.exclusively(() -> change(actor, name, expectedVersion, "weight", current -> {
            if (current.isBlueGreen()) {
                throw Rejection.conflict("route '" + name + "' is blueGreen: it moves by switching its active arm"
                        + " (POST /api/v1/routes/" + name + "/switch), not by weight");
            }
            return current.withWeight(percent);
        }, alongside));
    }

    /** Makes {@code arm} the arm a blue/green route serves. */
    public StoredRoute switchTo(Principal actor, String name, long expectedVersion, String arm) {
        return switchTo(actor, name, expectedVersion, arm, NOTHING);
    }

    /** As {@link #switchTo(Principal, String, long, String)}, running {@code alongside} in the same transaction first. */
    public StoredRoute switchTo(Principal actor, String name, long expectedVersion, String arm, FlagStore.Work<?> alongside) {
        return plane.exclusively(() -> change(actor, name, expectedVersion, "switch", current -> {
            if (!current.isBlueGreen()) {
                throw Rejection.conflict("route '" + name + "' is a canary: it moves by weight"
                        + " (POST /api/v1/routes/" + name + "/weight), not by switching");
            }
            if (current.arm(arm).isEmpty()) {
                throw Rejection.invalid("active", "must name one of the route's arms "
                        + current.arms().stream().map(RouteDefinition.Arm::name).toList() + ", got '" + arm + "'");
            }
            return current.withActive(arm);
        }, alongside));
    }

    /** The route's changes, oldest first. */
    public List<Change> history(String name) {
        route(name).orElseThrow(() -> Rejection.notFound("route '" + name + "'"));
        return store.history(ResourceType.ROUTE, name);
    }

    // ---- internals

    private StoredRoute change(Principal actor, String name, long expectedVersion, String action,
                               java.util.function.UnaryOperator<RouteDefinition> edit, FlagStore.Work<?> alongside) {
        StoredRoute current = require(name, expectedVersion);
        RouteDefinition next = edit.apply(current.definition());
        check(next);
        if (next.equals(current.definition())) {
            return current;
        }
        return save(actor, Optional.of(current), current.next(next, clock.instant()), action, alongside);
    }

    /** Everything wrong with {@code definition}, and a match another route already takes. */
    private void check(RouteDefinition definition) {
        List<FieldError> errors = new ArrayList<>();
        RouteCheck.route(definition).forEach(problem -> errors.add(new FieldError(problem.field(), problem.reason())));
        routes.values().stream()
                .filter(other -> !other.name().equals(definition.name()))
                .filter(other -> other.definition().match().equals(definition.match()))
                .findFirst()
                .ifPresent(other -> errors.add(new FieldError("match", "route '" + other.name()
                        + "' already matches the same requests; one of the two would never be used")));
        if (!errors.isEmpty()) {
            throw Rejection.invalid(errors);
        }
    }

    private StoredRoute require(String name, long expectedVersion) {
        StoredRoute current = route(name).orElseThrow(() -> Rejection.notFound("route '" + name + "'"));
        if (expectedVersion != ControlPlane.ANY_VERSION && expectedVersion != current.version()) {
            throw Rejection.stale("route '" + name + "'", expectedVersion, current.version());
        }
        return current;
    }

    /** Inside a write: the database must still hold the version this process based the change on. */
    private static void requireStored(FlagStore.Transaction tx, StoredRoute based) {
        long stored = tx.route(based.name()).map(StoredRoute::version).orElse(0L);
        if (stored != based.version()) {
            throw Rejection.stale("route '" + based.name() + "' in the database", based.version(), stored);
        }
    }

    private StoredRoute save(Principal actor, Optional<StoredRoute> before, StoredRoute after, String action,
                             FlagStore.Work<?> alongside) {
        Change change = store.write(tx -> {
            alongside.run(tx);
            if (before.isPresent()) {
                requireStored(tx, before.get());
            } else if (tx.route(after.name()).isPresent()) {
                throw Rejection.conflict("route '" + after.name() + "' already exists");
            }
            tx.putRoute(after);
            return tx.record(draft(actor, after.name(), action, after.version(), before.map(Json::write).orElse(""),
                    Json.write(after)));
        });
        Map<String, StoredRoute> next = new TreeMap<>(routes);
        next.put(after.name(), after);
        published(change, next);
        return after;
    }

    /** After a commit, inside the control plane's lock: the catalog, the change streams and the gateways hear of it. */
    private void published(Change change, Map<String, StoredRoute> next) {
        publish(next, change.id());
        plane.published(change);
    }

    /** Another process changed route {@code change.key()}: it is served as that change left it. */
    private void keptUp(Change change, FlagStore.Lookup lookup) {
        Map<String, StoredRoute> next = new TreeMap<>(routes);
        if (change.after().isEmpty()) {
            next.remove(change.key());
        } else {
            StoredRoute route = ChangeDocuments.route(change);
            next.put(route.name(), route);
        }
        publish(next, change.id());
    }

    private void publish(Map<String, StoredRoute> byName, long version) {
        this.routes = Collections.unmodifiableMap(new TreeMap<>(byName));
        this.config = new RouteConfig(version, byName.values().stream().map(StoredRoute::definition).toList());
        published.accept(config);
    }

    private Change.Draft draft(Principal actor, String name, String action, long version, String before, String after) {
        return new Change.Draft(clock.instant(), actor.name(), ResourceType.ROUTE, name, action, version, before, after);
    }
}
