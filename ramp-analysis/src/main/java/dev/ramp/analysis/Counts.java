package dev.ramp.analysis;

/**
 * Events among trials: errors among requests, slow requests among requests, conversions among units.
 *
 * @param events how many trials had the event, at most {@code trials}
 * @param trials how many trials there were
 */
public record Counts(long events, long trials) implements Summary {

    /** No trials. */
    public static final Counts EMPTY = new Counts(0, 0);

    public Counts {
        if (events < 0 || trials < 0 || events > trials) {
            throw new IllegalArgumentException(
                    "counts need 0 <= events <= trials, got events " + events + " of trials " + trials);
        }
    }

    public static Counts of(long events, long trials) {
        return new Counts(events, trials);
    }

    public Counts plus(Counts other) {
        return new Counts(Math.addExact(events, other.events), Math.addExact(trials, other.trials));
    }

    @Override
    public long samples() {
        return trials;
    }

    /** The share of trials with the event; NaN without trials. */
    @Override
    public double value() {
        return trials == 0 ? Double.NaN : (double) events / trials;
    }
}
