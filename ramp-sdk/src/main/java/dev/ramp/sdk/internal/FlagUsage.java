package dev.ramp.sdk.internal;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How often one flag was evaluated on and off, and which variants it served, since the last report. Counting is
 * a {@link LongAdder} increment: it stays cheap when many threads evaluate the same flag.
 */
public final class FlagUsage {
    /** Variant names counted per flag; more are counted as on or off only (the server takes 100). */
    static final int MAX_VARIANTS = 100;

    final LongAdder yes = new LongAdder();
    final LongAdder no = new LongAdder();
    final Map<String, LongAdder> variants = new ConcurrentHashMap<>();

    public void count(boolean enabled) {
        (enabled ? yes : no).increment();
    }

    /** Counts an evaluation that served {@code variant} ({@code disabled} when none). */
    public void count(boolean enabled, String variant) {
        count(enabled);
        LongAdder counter = variants.get(variant);
        if (counter == null) {
            if (variants.size() >= MAX_VARIANTS) {
                return;
            }
            counter = variants.computeIfAbsent(variant, name -> new LongAdder());
        }
        counter.increment();
    }
}
