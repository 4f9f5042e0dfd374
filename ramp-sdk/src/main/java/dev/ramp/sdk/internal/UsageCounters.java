package dev.ramp.sdk.internal;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ramp.core.flag.Flag;
import dev.ramp.core.flag.FlagSnapshot;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Every flag's {@link FlagUsage}, kept across snapshots so that a new snapshot goes on counting where the last
 * one stopped. Memory is bounded by the flags of the snapshots plus {@link #MAX_UNKNOWN} names the snapshot
 * lacks; counters of a flag that left the snapshot go with the next report.
 */
public final class UsageCounters {
    /** Names of flags not in the snapshot that are counted; evaluations of others are not reported. */
    static final int MAX_UNKNOWN = 1_000;

    private final Map<String, FlagUsage> byFlag = new ConcurrentHashMap<>();
    private final Map<String, FlagUsage> unknown = new ConcurrentHashMap<>();
    private Set<String> live = Set.of();

    /** The counters of {@code snapshot}'s flags, for a lock-free lookup on the evaluation path. */
    public synchronized Map<String, FlagUsage> forSnapshot(FlagSnapshot snapshot) {
        Map<String, FlagUsage> counters = new HashMap<>();
        for (Flag flag : snapshot.flags()) {
            FlagUsage usage = unknown.remove(flag.name());
            counters.put(flag.name(), byFlag.computeIfAbsent(flag.name(), name -> usage == null ? new FlagUsage() : usage));
        }
        live = Set.copyOf(counters.keySet());
        return counters;
    }

    /** The counters of a flag the snapshot does not have (Unleash reports those as evaluated off); null past the bound. */
    public FlagUsage unknownFlag(String flag) {
        FlagUsage usage = unknown.get(flag);
        if (usage != null || flag == null || unknown.size() >= MAX_UNKNOWN) {
            return usage;
        }
        return unknown.computeIfAbsent(flag, name -> new FlagUsage());
    }

    /** The counts since the last report, and zeroes them: one entry per flag that was evaluated. */
    public synchronized Map<String, Counts> drain() {
        Map<String, Counts> report = new LinkedHashMap<>();
        Set<String> idle = new HashSet<>();
        drainInto(byFlag, report, idle);
        drainInto(unknown, report, idle);
        idle.removeAll(live);
        idle.forEach(name -> {
            byFlag.remove(name);
            unknown.remove(name);
        });
        return report;
    }

    /** Adds counts a report failed to deliver back, so that the next one carries them. */
    public void restore(Map<String, Counts> report) {
        report.forEach((flag, counts) -> {
            FlagUsage usage = byFlag.get(flag);
            if (usage == null) {
                usage = unknownFlag(flag);
            }
            if (usage != null) {
                usage.yes.add(counts.yes());
                usage.no.add(counts.no());
                for (Map.Entry<String, Long> variant : counts.variants().entrySet()) {
                    usage.variants.computeIfAbsent(variant.getKey(), name -> new LongAdder()).add(variant.getValue());
                }
            }
        });
    }

    /** One flag's counts in a report. */
    public record Counts(long yes, long no, Map<String, Long> variants) {
        public Counts {
            variants = Map.copyOf(variants);
        }

        long total() {
            return yes + no;
        }
    }

    /** The Unleash metrics {@code bucket.toggles} object of {@code report}. */
    public static ObjectNode toggles(Map<String, Counts> report) {
        ObjectNode toggles = JsonNodeFactory.instance.objectNode();
        report.forEach((flag, counts) -> {
            ObjectNode entry = toggles.putObject(flag);
            entry.put("yes", counts.yes());
            entry.put("no", counts.no());
            ObjectNode variants = entry.putObject("variants");
            counts.variants().forEach(variants::put);
        });
        return toggles;
    }

    /** The evaluations in {@code report}. */
    public static long evaluations(Map<String, Counts> report) {
        return report.values().stream().mapToLong(Counts::total).sum();
    }

    private static void drainInto(Map<String, FlagUsage> counters, Map<String, Counts> report, Set<String> idle) {
        counters.forEach((flag, usage) -> {
            long yes = usage.yes.sumThenReset();
            long no = usage.no.sumThenReset();
            Map<String, Long> variants = new HashMap<>();
            usage.variants.forEach((name, counter) -> {
                long n = counter.sumThenReset();
                if (n > 0) {
                    variants.put(name, n);
                }
            });
            if (yes > 0 || no > 0 || !variants.isEmpty()) {
                report.put(flag, new Counts(yes, no, variants));
            } else {
                idle.add(flag);
            }
        });
    }
}
