package dev.ramp.server.state;

import dev.ramp.core.eval.Evaluator;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import dev.ramp.core.flag.Segment;
import dev.ramp.server.store.StoredEnvironment;
import dev.ramp.server.store.StoredFlag;
import dev.ramp.server.store.StoredSegment;
import java.time.InstantSource;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import java.util.random.RandomGenerator;

/**
 * Every flag, segment and environment as of one change id. Immutable: a change makes a new state. The per-environment
 * {@link EnvironmentView}s are computed lazily and kept with the state they belong to.
 */
public final class CatalogState {
    private final SortedMap<String, StoredFlag> flags;
    private final SortedMap<Integer, StoredSegment> segments;
    private final SortedMap<String, StoredEnvironment> environments;
    private final long lastChangeId;
    private final InstantSource clock;
    private final Supplier<RandomGenerator> random;
    private final Map<String, EnvironmentView> views = new ConcurrentHashMap<>();

    CatalogState(Collection<StoredFlag> flags, Collection<StoredSegment> segments, Collection<StoredEnvironment> environments,
                 long lastChangeId, InstantSource clock, Supplier<RandomGenerator> random) {
        this(frozen(index(flags, StoredFlag::key)), frozen(index(segments, StoredSegment::id)),
                frozen(index(environments, StoredEnvironment::name)), lastChangeId, clock, random);
    }

    private CatalogState(SortedMap<String, StoredFlag> flags, SortedMap<Integer, StoredSegment> segments,
                         SortedMap<String, StoredEnvironment> environments, long lastChangeId,
                         InstantSource clock, Supplier<RandomGenerator> random) {
        this.flags = flags;
        this.segments = segments;
        this.environments = environments;
        this.lastChangeId = lastChangeId;
        this.clock = clock;
        this.random = random;
    }

    /** All flags by key, archived ones included. */
    public SortedMap<String, StoredFlag> flags() {
        return flags;
    }

    public Optional<StoredFlag> flag(String key) {
        return Optional.ofNullable(flags.get(key));
    }

    public SortedMap<Integer, StoredSegment> segments() {
        return segments;
    }

    public Optional<StoredSegment> segment(int id) {
        return Optional.ofNullable(segments.get(id));
    }

    public SortedMap<String, StoredEnvironment> environments() {
        return environments;
    }

    public Optional<StoredEnvironment> environment(String name) {
        return Optional.ofNullable(environments.get(name));
    }

    public long lastChangeId() {
        return lastChangeId;
    }

    /** The view SDKs of {@code environment} get; call only for an environment that exists. */
    public EnvironmentView view(String environment) {
        return views.computeIfAbsent(environment, this::buildView);
    }

    CatalogState withFlag(StoredFlag flag, long changeId) {
        var next = new TreeMap<>(flags);
        next.put(flag.key(), flag);
        return new CatalogState(frozen(next), segments, environments, changeId, clock, random);
    }

    CatalogState withSegment(int id, Optional<StoredSegment> segment, long changeId) {
        var next = new TreeMap<>(segments);
        segment.ifPresentOrElse(s -> next.put(id, s), () -> next.remove(id));
        return new CatalogState(flags, frozen(next), environments, changeId, clock, random);
    }

    CatalogState withEnvironment(String name, Optional<StoredEnvironment> environment, long changeId) {
        var next = new TreeMap<>(environments);
        environment.ifPresentOrElse(e -> next.put(name, e), () -> next.remove(name));
        return new CatalogState(flags, segments, frozen(next), changeId, clock, random);
    }

    CatalogState withChangeId(long changeId) {
        return new CatalogState(flags, segments, environments, changeId, clock, random);
    }

    private EnvironmentView buildView(String environment) {
        List<Flag> live = flags.values().stream()
                .filter(flag -> !flag.archived())
                .map(flag -> flag.definition().inEnvironment(environment))
                .toList();
        List<Segment> allSegments = segments.values().stream().map(s -> s.definition().toSegment(s.id())).toList();
        FlagSnapshot snapshot = new FlagSnapshot(live, allSegments);
        return new EnvironmentView(environment, snapshot, Evaluator.of(snapshot, clock, random.get()), lastChangeId);
    }

    /** The maps are immutable, so a new state shares those its change leaves alone. */
    private static <K, V> SortedMap<K, V> frozen(SortedMap<K, V> map) {
        return Collections.unmodifiableSortedMap(map);
    }

    private static <K extends Comparable<K>, V> SortedMap<K, V> index(Collection<V> values, java.util.function.Function<V, K> key) {
        var map = new TreeMap<K, V>();
        for (V value : values) {
            map.put(key.apply(value), value);
        }
        return map;
    }
}
