package dev.ramp.server.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ramp.server.model.EnvironmentDefinition;
import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.MetricDefinition;
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
    private static final java.util.function.LongFunction<List<ExperimentTally.Event>> NOTHING_HELD = cursor -> List.of();

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
    void events_readBackInIdOrder_byEnvironmentAndName() {
        ClientEvent exposure = exposure("production", "checkout", "blue", "user-7", T0);
        ClientEvent purchase = new ClientEvent(0, "production", "shop", "host-1", ClientEvent.Type.METRIC, "purchase", "",
                "user-7", 12.5, Map.of("plan", "pro", "country", "nl"), T0.plusMillis(1_001), T0.plusSeconds(2));
        ClientEvent elsewhere = exposure("development", "checkout", "", "user-8", T0);
        store.addEvents(List.of(exposure, purchase, elsewhere));
        store.addEvents(List.of());

        List<ClientEvent> production = store.events("production", Optional.empty(), 0, 10);
        assertThat(production).usingRecursiveFieldByFieldElementComparatorIgnoringFields("id")
                .containsExactly(exposure, purchase);
        assertThat(production.get(0).id()).isPositive();
        assertThat(production.get(1).id()).isGreaterThan(production.get(0).id());
        assertThat(store.events("production", Optional.of("purchase"), 0, 10)).extracting(ClientEvent::name)
                .containsExactly("purchase");
        assertThat(store.events("production", Optional.empty(), production.get(0).id(), 10)).containsExactly(production.get(1));
        assertThat(store.events("production", Optional.empty(), 0, 1)).containsExactly(production.get(0));
        assertThat(store.events("development", Optional.of("checkout"), 0, 10)).extracting(ClientEvent::unit)
                .containsExactly("user-8");
        assertThat(store.events("staging", Optional.empty(), 0, 10)).isEmpty();
    }

    @Test
    void experiment_putThroughItsLife_readsBackEachTime() {
        ExperimentDefinition definition = new ExperimentDefinition("green-button", "", "green sells more", "checkout",
                "production", "", new MetricDefinition("purchase", "conversion", "increase"),
                List.of(new MetricDefinition("latency_ms", "average", "decrease")), 0.1, null, null);
        StoredExperiment draft = StoredExperiment.draft(definition, T0);
        store.write(tx -> {
            tx.putExperiment(draft);
            return null;
        });
        assertThat(store.experiments()).containsExactly(draft);

        StoredExperiment running = draft.start(definition.withControl("blue"),
                List.of(new StoredExperiment.Arm("blue", 0.5), new StoredExperiment.Arm("green", 0.5)), T0.plusSeconds(1), 7);
        StoredExperiment shipped = running.ship("green", T0.plusSeconds(2), 12);
        for (StoredExperiment next : List.of(running, shipped)) {
            store.write(tx -> {
                tx.putExperiment(next);
                return null;
            });
            assertThat(store.experiments()).containsExactly(next);
            Optional<StoredExperiment> read = store.write(tx -> tx.experiment("green-button"));
            assertThat(read).contains(next);
        }
        assertThat(shipped.stoppedAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(List.of(shipped.countedAfter(), shipped.countedThrough())).containsExactly(7L, 12L);
        assertThat(shipped.counts(7)).isFalse();
        assertThat(shipped.counts(8)).isTrue();
        assertThat(shipped.counts(12)).isTrue();
        assertThat(shipped.counts(13)).isFalse();
    }

    @Test
    void countEvents_readsPastTheCursorInChunks_passesTheExperiments_andCountsEachEventOnce() {
        StoredExperiment running = runningExperiment("x");
        store.write(tx -> {
            tx.putExperiment(running);
            return null;
        });
        List<ClientEvent> batch = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            batch.add(exposure("production", "checkout", "blue", "u" + i, T0));
        }
        store.addEvents(batch);
        List<List<String>> seen = new ArrayList<>();

        int first = store.countEvents(3, NOTHING_HELD, (events, experiments) -> {
            seen.add(events.stream().map(ExperimentTally.Event::unit).toList());
            assertThat(experiments).containsExactly(running);
            return new ExperimentTally(events.stream().map(e -> new ExperimentTally.Exposure("x", e.unit(), "blue", T0, false))
                    .toList(), List.of());
        });
        int second = store.countEvents(3, NOTHING_HELD, (events, experiments) -> {
            seen.add(events.stream().map(ExperimentTally.Event::unit).toList());
            return ExperimentTally.NONE;
        });
        int third = store.countEvents(3, NOTHING_HELD, (events, experiments) -> {
            throw new AssertionError("nothing is left to count");
        });

        assertThat(List.of(first, second, third)).containsExactly(3, 2, 0);
        assertThat(seen).containsExactly(List.of("u0", "u1", "u2"), List.of("u3", "u4"));
        assertThat(store.armTotals("x", java.util.Set.of("purchase")).get("purchase"))
                .containsExactly(new ArmTotals("blue", 3, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void addEvents_returnsTheFirstOfConsecutiveIds() {
        long first = store.addEvents(List.of(exposure("production", "checkout", "blue", "u1", T0),
                exposure("production", "checkout", "blue", "u2", T0)));
        long next = store.addEvents(List.of(exposure("production", "checkout", "blue", "u3", T0)));

        assertThat(store.events("production", Optional.empty(), 0, 10)).extracting(ClientEvent::id)
                .containsExactly(first, first + 1, next);
        assertThat(next).isEqualTo(first + 2);
        assertThat(store.addEvents(List.of())).isZero();
    }

    @Test
    void countEvents_usesTheEventsTheCallerHolds_fromTheOneAfterTheCursor() {
        putRunning("x");
        long first = store.addEvents(List.of(exposure("production", "checkout", "blue", "stored", T0)));
        List<Long> askedAfter = new ArrayList<>();
        ExperimentTally.Event held = new ExperimentTally.Event(first, "production", ClientEvent.Type.EXPOSURE, "checkout",
                "blue", "held", 1, T0);

        int counted = store.countEvents(10, cursor -> {
            askedAfter.add(cursor);
            return List.of(held);
        }, (events, experiments) -> {
            assertThat(events).containsExactly(held);
            return ExperimentTally.NONE;
        });

        assertThat(counted).isEqualTo(1);
        assertThat(askedAfter).containsExactly(first - 1);
        assertThat(store.countEvents(10, NOTHING_HELD, (events, experiments) -> {
            throw new AssertionError("the cursor is past the held event");
        })).isZero();
    }

    @Test
    void countEvents_aFailedCount_leavesItsEventsForTheNext() {
        putRunning("x");
        store.addEvents(List.of(exposure("production", "checkout", "blue", "u1", T0)));

        assertThatThrownBy(() -> store.countEvents(10, NOTHING_HELD, (events, experiments) -> {
            throw new IllegalStateException("the tally failed");
        })).hasMessage("the tally failed");

        assertThat(store.countEvents(10, NOTHING_HELD, (events, experiments) -> ExperimentTally.NONE)).isEqualTo(1);
    }

    @Test
    void lastEventId_isTheIdOfTheLastStoredEvent() {
        assertThat(store.write(FlagStore.Transaction::lastEventId)).isZero();
        store.addEvents(List.of(exposure("production", "checkout", "blue", "u1", T0),
                exposure("production", "checkout", "blue", "u2", T0)));

        long last = store.write(FlagStore.Transaction::lastEventId);

        assertThat(last).isEqualTo(store.events("production", Optional.empty(), 0, 10).get(1).id());
    }

    @Test
    void exposures_theEarliestDecidesTheArm_andAUnitSeenInTwoArmsIsCounted() {
        count(new ExperimentTally(List.of(
                new ExperimentTally.Exposure("x", "u1", "green", T0.plusSeconds(5), false),
                new ExperimentTally.Exposure("x", "u2", "blue", T0, false),
                new ExperimentTally.Exposure("x", "u3", "blue", T0, true),
                new ExperimentTally.Exposure("other", "u1", "blue", T0, false)), List.of()));
        // u1 was exposed to blue earlier, by the SDK's clock, but that exposure is counted later; u2 again to blue.
        count(new ExperimentTally(List.of(
                new ExperimentTally.Exposure("x", "u1", "blue", T0.plusSeconds(2), false),
                new ExperimentTally.Exposure("x", "u2", "blue", T0.plusSeconds(1), false)), List.of()));

        Map<String, List<ArmTotals>> totals = store.armTotals("x", java.util.Set.of("purchase"));

        assertThat(totals.get("purchase")).containsExactly(new ArmTotals("blue", 3, 0, 0, 0, 0, 0, 0));
        assertThat(store.unitsInSeveralArms("x")).as("u1, and u3 as its count said").isEqualTo(2);
        assertThat(store.unitsInSeveralArms("other")).isZero();
        assertThat(store.armTotals("other", java.util.Set.of("purchase")).get("purchase"))
                .containsExactly(new ArmTotals("blue", 1, 0, 0, 0, 0, 0, 0));
    }

    @Test
    void unitEvents_addUpAcrossCounts_andArmTotalsSumOverExposedUnitsOnly() {
        count(new ExperimentTally(List.of(
                new ExperimentTally.Exposure("x", "u1", "blue", T0, false),
                new ExperimentTally.Exposure("x", "u2", "blue", T0, false),
                new ExperimentTally.Exposure("x", "u3", "green", T0, false)), List.of(
                new ExperimentTally.UnitEvents("x", "purchase", "u1", 2, 30),
                new ExperimentTally.UnitEvents("x", "purchase", "u3", 1, 5),
                new ExperimentTally.UnitEvents("x", "purchase", "never-exposed", 1, 1000),
                new ExperimentTally.UnitEvents("x", "latency", "u1", 1, 120))));
        count(new ExperimentTally(List.of(), List.of(new ExperimentTally.UnitEvents("x", "purchase", "u1", 1, 10))));

        Map<String, List<ArmTotals>> totals = store.armTotals("x", java.util.Set.of("purchase", "latency", "refund"));

        // blue: u1 sent 3 purchases worth 40, u2 none; green: u3 sent 1 worth 5.
        assertThat(totals.get("purchase")).containsExactly(
                new ArmTotals("blue", 2, 1, 40, 1600, 3, 9, 120),
                new ArmTotals("green", 1, 1, 5, 25, 1, 1, 5));
        assertThat(totals.get("latency")).containsExactly(
                new ArmTotals("blue", 2, 1, 120, 14_400, 1, 1, 120),
                new ArmTotals("green", 1, 0, 0, 0, 0, 0, 0));
        assertThat(totals.get("refund")).extracting(ArmTotals::converted).containsExactly(0L, 0L);
    }

    @Test
    void countEvents_withNoExperimentCounting_movesTheCursorWithoutReadingTheEvents() {
        store.addEvents(List.of(exposure("production", "checkout", "blue", "u1", T0)));

        assertThat(store.countEvents(10, NOTHING_HELD, (events, experiments) -> {
            throw new AssertionError("no experiment counts these events");
        })).isZero();
        putRunning("x");

        assertThat(store.countEvents(10, NOTHING_HELD, (events, experiments) -> {
            throw new AssertionError("the cursor is past the event stored before the experiment");
        })).isZero();
    }

    /** Stores one event and counts it as {@code tally}, with an experiment running. */
    private void count(ExperimentTally tally) {
        if (store.experiments().stream().noneMatch(e -> e.status() == StoredExperiment.Status.RUNNING)) {
            putRunning("counter");
        }
        store.addEvents(List.of(exposure("production", "checkout", "blue", "any", T0)));
        assertThat(store.countEvents(10, NOTHING_HELD, (events, experiments) -> tally)).isEqualTo(1);
    }

    private void putRunning(String name) {
        store.write(tx -> {
            tx.putExperiment(runningExperiment(name));
            return null;
        });
    }

    private static StoredExperiment runningExperiment(String name) {
        ExperimentDefinition definition = new ExperimentDefinition(name, "", "", "checkout", "production", "blue",
                new MetricDefinition("purchase", "conversion", ""), List.of(), null, null, null);
        return StoredExperiment.draft(definition, T0).start(definition,
                List.of(new StoredExperiment.Arm("blue", 0.5), new StoredExperiment.Arm("green", 0.5)), T0, 0);
    }

    @Test
    void deleteExperiment_removesItWithItsUnitsAndEvents() {
        StoredExperiment draft = StoredExperiment.draft(new ExperimentDefinition("gone", "", "", "checkout", "production",
                "", new MetricDefinition("purchase", "conversion", ""), List.of(), null, null, null), T0);
        store.write(tx -> {
            tx.putExperiment(draft);
            return null;
        });
        count(new ExperimentTally(List.of(new ExperimentTally.Exposure("gone", "u1", "blue", T0, false)),
                List.of(new ExperimentTally.UnitEvents("gone", "purchase", "u1", 1, 1))));

        store.write(tx -> {
            tx.deleteExperiment("gone");
            return null;
        });

        assertThat(store.experiments()).extracting(StoredExperiment::name).containsExactly("counter");
        assertThat(store.armTotals("gone", java.util.Set.of("purchase")).get("purchase")).isEmpty();
    }

    @Test
    void events_tenThousandInOneBatch_arePagedThroughByAfterId() {
        List<ClientEvent> batch = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            batch.add(exposure("production", "checkout", i % 2 == 0 ? "blue" : "green", "user-" + i, T0));
        }
        store.addEvents(batch);

        List<String> units = new ArrayList<>();
        long after = 0;
        for (List<ClientEvent> page = store.events("production", Optional.of("checkout"), after, 500); !page.isEmpty();
             page = store.events("production", Optional.of("checkout"), after, 500)) {
            page.forEach(event -> units.add(event.unit()));
            after = page.get(page.size() - 1).id();
        }
        assertThat(units).containsExactlyElementsOf(batch.stream().map(ClientEvent::unit).toList());
    }

    @Test
    void events_concurrentBatchesFromTwoStores_aReaderGoingOnAfterTheLastIdSeenMissesNone() throws Exception {
        // Two stores on one database, as two processes would be; the reader tails while they write.
        FlagStore other = reopen();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 4; w++) {
                FlagStore writer = w % 2 == 0 ? store : other;
                String prefix = "w" + w + "-";
                writers.add(pool.submit(() -> {
                    for (int b = 0; b < 25; b++) {
                        List<ClientEvent> batch = new ArrayList<>();
                        for (int i = 0; i < 20; i++) {
                            batch.add(exposure("production", "checkout", "", prefix + (b * 20 + i), T0));
                        }
                        writer.addEvents(batch);
                    }
                }));
            }
            List<Long> seen = new ArrayList<>();
            long after = 0;
            boolean writing = true;
            while (writing || seen.size() < 2_000) {
                writing = writers.stream().anyMatch(writer -> !writer.isDone());
                List<ClientEvent> page = store.events("production", Optional.empty(), after, 500);
                if (page.isEmpty() && !writing) {
                    break;
                }
                for (ClientEvent event : page) {
                    seen.add(event.id());
                    after = event.id();
                }
            }
            for (Future<?> writer : writers) {
                writer.get();
            }
            assertThat(seen).hasSize(2_000).isSorted().doesNotHaveDuplicates();
        } finally {
            pool.shutdownNow();
            other.close();
        }
    }

    private static ClientEvent exposure(String environment, String flag, String variant, String unit, Instant at) {
        return new ClientEvent(0, environment, "shop", "host-1", ClientEvent.Type.EXPOSURE, flag, variant, unit, 1,
                Map.of(), at, at.plusSeconds(1));
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

    @Test
    void route_putReplacedAndDeleted_readsBackEachTime_andTheLastRouteChangeIsKnownByType() {
        var definition = new dev.ramp.core.route.RouteDefinition("checkout", null, null, List.of(
                new dev.ramp.core.route.RouteDefinition.Arm("stable", List.of("127.0.0.1:9101"), null),
                new dev.ramp.core.route.RouteDefinition.Arm("canary", List.of("127.0.0.1:9102"), null)),
                5, null, null, null, null, null, null, null, null, null);
        StoredRoute created = StoredRoute.created(definition, T0);
        Change first = store.write(tx -> {
            tx.putRoute(created);
            return tx.record(new Change.Draft(T0, "tester", ResourceType.ROUTE, "checkout", "create", 1, "", "{}"));
        });
        store.write(tx -> tx.record(draft("unrelated", 1, "", "{}")));
        assertThat(store.routes()).containsExactly(created);
        assertThat(store.lastChangeId(ResourceType.ROUTE)).isEqualTo(first.id());
        assertThat(store.lastChangeId(ResourceType.EXPERIMENT)).isZero();

        StoredRoute moved = created.next(definition.withWeight(50), T0.plusSeconds(1));
        store.write(tx -> {
            assertThat(tx.route("checkout")).contains(created);
            tx.putRoute(moved);
            return null;
        });
        assertThat(store.routes()).containsExactly(moved);
        assertThat(store.routes().get(0).definition().weight()).isEqualTo(50);

        store.write(tx -> {
            tx.deleteRoute("checkout");
            return null;
        });
        assertThat(store.routes()).isEmpty();
    }

    @Test
    void reports_addUpPerSecondAndArmAcrossGateways_andASecondReportOfAnIntervalReplacesTheFirst() {
        store.addReport(report("gw-1", T0, armReport("stable", 100, 120), armReport("canary", 10, 300)), T0);
        store.addReport(report("gw-2", T0, armReport("stable", 50, 80)), T0);
        store.addReport(report("gw-2", T0, armReport("stable", 60, 90)), T0.plusSeconds(1));
        store.addReport(report("gw-1", T0.plusSeconds(1), armReport("stable", 7, 10)), T0.plusSeconds(1));
        store.addReport(report("gw-1", T0.plusSeconds(5), armReport("stable", 1, 1)), T0.plusSeconds(5));

        List<TrafficPoint> points = store.traffic("checkout", T0, T0.plusSeconds(5));

        assertThat(points).extracting(p -> p.at() + " " + p.traffic().arm() + " " + p.traffic().requests()).containsExactly(
                T0 + " canary 10", T0 + " stable 160", T0.plusSeconds(1) + " stable 7");
        ArmTraffic stable = points.get(1).traffic();
        assertThat(stable.p99MillisAtMost()).isEqualTo(120);
        assertThat(stable.maxMillis()).isEqualTo(240);
        assertThat(stable.logLatencySum()).isEqualTo(-160);
        assertThat(points.get(1).requestedPercent()).isEqualTo(90);
        assertThat(store.traffic("other", T0, T0.plusSeconds(5))).isEmpty();
        assertThat(store.gateways(T0)).extracting(GatewaySeen::gateway, GatewaySeen::lastReportAt).containsExactly(
                org.assertj.core.groups.Tuple.tuple("gw-1", T0.plusSeconds(5)), org.assertj.core.groups.Tuple.tuple("gw-2", T0.plusSeconds(1)));
        assertThat(store.gateways(T0.plusSeconds(2))).extracting(GatewaySeen::routes).containsExactly(List.of("checkout"));
    }

    @Test
    void pruneReports_deletesTheOldestRowsInBatches_andGatewaysNotSeenSince() {
        for (int i = 0; i < 5; i++) {
            store.addReport(report("gw-" + i, T0.plusSeconds(i), armReport("stable", 1, 1), armReport("canary", 1, 1)),
                    T0.plusSeconds(i));
        }

        assertThat(store.pruneReports(T0.plusSeconds(3), 4)).isEqualTo(4);
        assertThat(store.traffic("checkout", T0, T0.plusSeconds(10))).extracting(TrafficPoint::at)
                .containsExactly(T0.plusSeconds(2), T0.plusSeconds(2), T0.plusSeconds(3), T0.plusSeconds(3),
                        T0.plusSeconds(4), T0.plusSeconds(4));
        assertThat(store.pruneReports(T0.plusSeconds(3), 4)).as("fewer than the limit: none left").isEqualTo(2);
        assertThat(store.gateways(T0)).extracting(GatewaySeen::gateway).containsExactly("gw-3", "gw-4");
        assertThat(store.pruneReports(T0.plusSeconds(3), 4)).isZero();
    }

    private static dev.ramp.core.route.GatewayReport report(String gateway, Instant from,
                                                             dev.ramp.core.route.ArmReport... arms) {
        return new dev.ramp.core.route.GatewayReport(gateway, from, from.plusSeconds(1), List.of(arms));
    }

    /** {@code requests} 2xx answers of route checkout, each with a log-latency of -1; p99 as given, the slowest twice it. */
    private static dev.ramp.core.route.ArmReport armReport(String arm, long requests, double p99) {
        return new dev.ramp.core.route.ArmReport("checkout", arm, arm.equals("stable") ? 90 : 10, requests, 0, requests, 0,
                0, 0, 0, requests, -requests, requests, p99 / 2, p99, p99, p99 * 2);
    }

    private static Change.Draft draft(String key, long version, String before, String after) {
        return new Change.Draft(T0, "tester", ResourceType.FLAG, key, "update", version, before, after);
    }
}
