package dev.ramp.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.server.model.EnvironmentDefinition;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.SegmentDefinition;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** What every {@link FlagStore} must do; run against SQLite and PostgreSQL by its subclasses. */
abstract class FlagStoreContract {
    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    FlagStore store;

    /** A fresh, empty store. */
    abstract FlagStore open();

    /** The same database opened again, as after a restart. */
    abstract FlagStore reopen();

    @BeforeEach
    void openStore() {
        store = open();
    }

    @AfterEach
    void closeStore() {
        store.close();
    }

    @Test
    void newStore_isEmpty() {
        assertThat(store.flags()).isEmpty();
        assertThat(store.segments()).isEmpty();
        assertThat(store.environments()).isEmpty();
        assertThat(store.tokens()).isEmpty();
        assertThat(store.lastChangeId()).isZero();
    }

    @Test
    void write_flagWithChange_readsBackAndRecordsTheChange() {
        StoredFlag flag = new StoredFlag(FlagDefinition.named("checkout"), false, 1, T0, T0);
        Change change = store.write(tx -> {
            tx.putFlag(flag);
            return tx.record(draft("checkout", 1, "", "{\"v\":1}"));
        });

        assertThat(store.flags()).containsExactly(flag);
        assertThat(change.id()).isEqualTo(1);
        assertThat(store.lastChangeId()).isEqualTo(1);
        assertThat(store.history(ResourceType.FLAG, "checkout")).containsExactly(change);
        assertThat(store.changesAfter(0, 10)).containsExactly(change);
        assertThat(store.changesAfter(1, 10)).isEmpty();
    }

    @Test
    void write_failingWork_changesNothing() {
        assertThatThrownBy(() -> store.write(tx -> {
            tx.putFlag(new StoredFlag(FlagDefinition.named("doomed"), false, 1, T0, T0));
            tx.record(draft("doomed", 1, "", "{}"));
            throw new IllegalStateException("refused half way");
        })).hasMessage("refused half way");

        assertThat(store.flags()).isEmpty();
        assertThat(store.lastChangeId()).isZero();
    }

    @Test
    void write_concurrentReadModifyWriteFromTwoStores_losesNoUpdateAndIdsFollowCommitOrder() throws Exception {
        store.write(tx -> {
            tx.putFlag(new StoredFlag(FlagDefinition.named("counter"), false, 1, T0, T0));
            return null;
        });
        // Two stores on one database, as two processes would be: only the database's own lock serializes them.
        FlagStore other = reopen();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                FlagStore writer = w % 2 == 0 ? store : other;
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 25; i++) {
                        writer.write(tx -> {
                            StoredFlag current = tx.flag("counter").orElseThrow();
                            StoredFlag next = current.next(current.definition(), false, T0);
                            tx.putFlag(next);
                            return tx.record(draft("counter", next.version(), "", "{}"));
                        });
                    }
                }));
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
            other.close();
        }

        assertThat(store.flags().get(0).version()).isEqualTo(101);
        List<Change> changes = store.history(ResourceType.FLAG, "counter");
        assertThat(changes).extracting(Change::id).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(1, 100).boxed().toList());
        assertThat(changes).extracting(Change::version).containsExactlyElementsOf(
                java.util.stream.LongStream.rangeClosed(2, 101).boxed().toList());
    }

    @Test
    void segments_getIdsThatAreNeverReused() {
        StoredSegment first = store.write(tx -> tx.insertSegment(segment("beta")));
        StoredSegment second = store.write(tx -> tx.insertSegment(segment("staff")));
        assertThat(second.id()).isGreaterThan(first.id());

        store.write(tx -> {
            tx.deleteSegment(second.id());
            return null;
        });
        StoredSegment third = store.write(tx -> tx.insertSegment(segment("gamma")));

        assertThat(third.id()).isGreaterThan(second.id());
        assertThat(store.segments()).containsExactly(first, third);
        Optional<StoredSegment> read = store.write(tx -> tx.segment(third.id()));
        assertThat(read).contains(third);
    }

    @Test
    void tokens_getIdsThatAreNeverReused() {
        ApiToken first = store.write(tx -> tx.insertToken(token("a", "01")));
        store.write(tx -> tx.deleteToken(first.id()));
        ApiToken second = store.write(tx -> tx.insertToken(token("b", "02")));

        assertThat(second.id()).isGreaterThan(first.id());
    }

    private static StoredSegment segment(String name) {
        return new StoredSegment(0, new SegmentDefinition(name, "", List.of()), 1, T0, T0);
    }

    private static ApiToken token(String name, String hash) {
        return new ApiToken(0, name, TokenScope.CLIENT, "production", "*:production.abc", hash, T0);
    }

    @Test
    void environments_andTokens_roundTrip() {
        StoredEnvironment production = new StoredEnvironment(new EnvironmentDefinition("production", "live"), 1, T0, T0);
        ApiToken token = store.write(tx -> {
            tx.putEnvironment(production);
            return tx.insertToken(new ApiToken(0, "app", TokenScope.CLIENT, "production", "*:production.abc", "00ff", T0));
        });
        assertThat(store.environments()).containsExactly(production);
        assertThat(store.tokens()).containsExactly(token);
        assertThat(token.id()).isPositive();

        boolean deleted = store.write(tx -> tx.deleteToken(token.id()));
        boolean deletedAgain = store.write(tx -> tx.deleteToken(token.id()));
        assertThat(deleted).isTrue();
        assertThat(deletedAgain).isFalse();
        assertThat(store.tokens()).isEmpty();
    }

    @Test
    void metrics_addUpPerBucketAndFilterByEnvironment() {
        Instant minute = T0.truncatedTo(ChronoUnit.MINUTES);
        store.addMetrics(List.of(new FlagMetrics("f", "production", "shop", minute, 3, 1, Map.of("blue", 2L))));
        store.addMetrics(List.of(
                new FlagMetrics("f", "production", "shop", minute, 2, 0, Map.of("blue", 1L, "red", 4L)),
                new FlagMetrics("f", "development", "shop", minute, 7, 7, Map.of())));

        List<FlagMetrics> production = store.metrics("f", Optional.of("production"), minute, minute.plusSeconds(60));
        assertThat(production).containsExactly(
                new FlagMetrics("f", "production", "shop", minute, 5, 1, Map.of("blue", 3L, "red", 4L)));
        assertThat(store.metrics("f", Optional.empty(), minute, minute.plusSeconds(60))).hasSize(2);
        assertThat(store.metrics("f", Optional.empty(), minute.plusSeconds(60), minute.plusSeconds(120))).isEmpty();
    }

    @Test
    void register_sameInstanceTwice_keepsOneRowWithTheLatest() {
        store.register(new ClientInstance("shop", "i-1", "production", "unleash-java-sdk:11.1.1", List.of(), 60_000, T0, T0));
        ClientInstance later = new ClientInstance("shop", "i-1", "production", "unleash-java-sdk:11.1.2",
                List.of("custom"), 30_000, T0, T0.plusSeconds(60));
        store.register(later);

        assertThat(store.clients()).containsExactly(later);
    }

    @Test
    void reopen_keepsEverythingCommitted() {
        store.write(tx -> {
            tx.putFlag(new StoredFlag(FlagDefinition.named("kept"), true, 3, T0, T0));
            return tx.record(draft("kept", 3, "", "{}"));
        });
        store.close();
        store = reopen();

        assertThat(store.flags()).extracting(StoredFlag::key).containsExactly("kept");
        assertThat(store.lastChangeId()).isEqualTo(1);
    }

    private static Change.Draft draft(String key, long version, String before, String after) {
        return new Change.Draft(T0, "tester", ResourceType.FLAG, key, "update", version, before, after);
    }
}
