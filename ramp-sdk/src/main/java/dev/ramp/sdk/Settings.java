package dev.ramp.sdk;

import dev.ramp.core.flag.FlagSnapshot;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.InstantSource;
import java.util.List;
import java.util.random.RandomGenerator;

/**
 * A {@link RampClientBuilder}'s checked settings; see the builder for what each means. {@code backupFile} and
 * {@code bootstrap} are null when there is none; {@code environment} is {@code ""} when unknown.
 */
record Settings(
        URI url,
        String token,
        String appName,
        String environment,
        String instanceId,
        boolean streaming,
        Duration pollInterval,
        Duration reconnectInitial,
        Duration reconnectMax,
        Duration connectTimeout,
        Duration readTimeout,
        Duration streamIdleTimeout,
        Path backupFile,
        FlagSnapshot bootstrap,
        boolean sendMetrics,
        Duration metricsInterval,
        Duration eventsInterval,
        int eventQueueCapacity,
        int eventBatchSize,
        int eventAttempts,
        boolean exposures,
        List<RampListener> listeners,
        InstantSource clock,
        RandomGenerator random) {}
