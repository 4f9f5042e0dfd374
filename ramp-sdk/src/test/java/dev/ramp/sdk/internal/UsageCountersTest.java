package dev.ramp.sdk.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class UsageCountersTest {
    private final UsageCounters counters = new UsageCounters();

    @Test
    void drain_reportsWhatWasCountedOnce_andStartsOverFromZero() {
        Map<String, FlagUsage> usage = counters.forSnapshot(FlagSnapshot.of(List.of(Flag.of("checkout", true, List.of()))));
        usage.get("checkout").count(true);
        usage.get("checkout").count(true);
        usage.get("checkout").count(false, "disabled");

        assertThat(counters.drain()).containsExactly(Map.entry("checkout",
                new UsageCounters.Counts(2, 1, Map.of("disabled", 1L))));
        assertThat(counters.drain()).isEmpty();
    }

    @Test
    void forSnapshot_keepsCountingAcrossSnapshots() {
        FlagUsage before = counters.forSnapshot(FlagSnapshot.of(List.of(Flag.of("checkout", true, List.of())))).get("checkout");
        before.count(true);

        FlagUsage after = counters.forSnapshot(FlagSnapshot.of(List.of(Flag.of("checkout", false, List.of())))).get("checkout");
        after.count(false);

        assertThat(after).isSameAs(before);
        assertThat(counters.drain().get("checkout")).isEqualTo(new UsageCounters.Counts(1, 1, Map.of()));
    }

    @Test
    void restore_putsAFailedReportBackIntoTheNextOne() {
        counters.forSnapshot(FlagSnapshot.of(List.of(Flag.of("checkout", true, List.of())))).get("checkout").count(true, "blue");
        Map<String, UsageCounters.Counts> failed = counters.drain();

        counters.restore(failed);

        assertThat(counters.drain()).isEqualTo(failed);
    }

    @Test
    void unknownFlags_areCountedUpToTheBound() {
        for (int i = 0; i < UsageCounters.MAX_UNKNOWN + 50; i++) {
            FlagUsage usage = counters.unknownFlag("unknown-" + i);
            if (usage != null) {
                usage.count(false);
            }
        }

        assertThat(counters.drain()).hasSize(UsageCounters.MAX_UNKNOWN);
        assertThat(counters.unknownFlag("another")).as("past the bound").isNull();
        assertThat(counters.drain()).as("a report with nothing to say forgets the idle names").isEmpty();
        assertThat(counters.unknownFlag("another")).isNotNull();
    }

    @Test
    void variantsPerFlag_areBounded() {
        FlagUsage usage = counters.forSnapshot(FlagSnapshot.of(List.of(Flag.of("checkout", true, List.of())))).get("checkout");
        for (int i = 0; i < FlagUsage.MAX_VARIANTS + 10; i++) {
            usage.count(true, "v" + i);
        }

        UsageCounters.Counts counts = counters.drain().get("checkout");
        assertThat(counts.yes()).isEqualTo(FlagUsage.MAX_VARIANTS + 10);
        assertThat(counts.variants()).hasSize(FlagUsage.MAX_VARIANTS);
    }
}
