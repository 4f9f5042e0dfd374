package dev.ramp.server.state;

import dev.ramp.server.store.FlagStore;
import java.time.InstantSource;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import java.util.random.RandomGenerator;

/**
 * Holds the current {@link CatalogState}. Readers take {@link #current()} without locking; only the
 * {@link ControlPlane}, in commit order, moves it forward.
 */
public final class Catalog {
    private volatile CatalogState current;

    private Catalog(CatalogState initial) {
        this.current = initial;
    }

    /** The catalog as {@code store} holds it now. */
    public static Catalog load(FlagStore store, InstantSource clock, Supplier<RandomGenerator> random) {
        long lastChangeId = store.lastChangeId();
        return new Catalog(new CatalogState(store.flags(), store.segments(), store.environments(), lastChangeId, clock, random));
    }

    public CatalogState current() {
        return current;
    }

    void advance(UnaryOperator<CatalogState> change) {
        current = change.apply(current);
    }
}
