package dev.ramp.core.eval;

import java.time.InstantSource;
import java.util.random.RandomGenerator;

/** The clock and the randomness an evaluation may need, injected so that evaluation stays pure. */
record Sources(InstantSource clock, RandomGenerator random) {}
