package dev.ramp.sdk;

import dev.ramp.core.codec.ClientFeatures;
import dev.ramp.core.codec.UnleashCodec;
import dev.ramp.core.flag.FlagSnapshot;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.random.RandomGenerator;

/**
 * The settings of a {@link RampClient} synced with a server. {@link #url}, {@link #token} and {@link #appName}
 * are required; every other setting has the default its method states. {@link #build()} checks every setting
 * and reports all that are wrong in one {@link IllegalArgumentException}; a setter never repairs a bad value.
 */
public final class RampClientBuilder {
    private String url;
    private String token;
    private String appName;
    private String instanceId;
    private String environment;
    private boolean streaming = true;
    private Duration pollInterval = Duration.ofSeconds(15);
    private Duration reconnectInitial = Duration.ofMillis(500);
    private Duration reconnectMax = Duration.ofSeconds(30);
    private Duration connectTimeout = Duration.ofSeconds(5);
    private Duration readTimeout = Duration.ofSeconds(10);
    private Duration streamIdleTimeout = Duration.ofSeconds(60);
    private Path backupFile;
    private boolean backup = true;
    private String bootstrapJson;
    private Path bootstrapFile;
    private boolean sendMetrics = true;
    private Duration metricsInterval = Duration.ofSeconds(60);
    private Duration eventsInterval = Duration.ofSeconds(1);
    private int eventQueueCapacity = 10_000;
    private int eventBatchSize = 1_000;
    private int eventAttempts = 5;
    private boolean exposures = true;
    private final List<RampListener> listeners = new ArrayList<>();
    private InstantSource clock = InstantSource.system();
    private RandomGenerator random;

    RampClientBuilder() {}

    /** The server's base URL, such as {@code http://127.0.0.1:4242}; the SDK calls {@code /api/client/...} under it. */
    public RampClientBuilder url(String value) {
        this.url = value;
        return this;
    }

    /** A client token of the environment to evaluate ({@code ramp tokens create --scope client}). */
    public RampClientBuilder token(String value) {
        this.token = value;
        return this;
    }

    /** The application's name, as usage reports and SDK instances show it. */
    public RampClientBuilder appName(String value) {
        this.appName = value;
        return this;
    }

    /** This process's name among the application's instances; default {@code <appName>-<pid>-<random>}. */
    public RampClientBuilder instanceId(String value) {
        this.instanceId = value;
        return this;
    }

    /**
     * The environment's name, put in every context that has none, for constraints on {@code environment}. Default:
     * the environment a Ramp or Unleash token names ({@code project:environment.secret}), else none.
     */
    public RampClientBuilder environment(String value) {
        this.environment = value;
        return this;
    }

    /**
     * Whether to follow the server's delta stream (default) or only poll. The client polls anyway when the server
     * has no stream (it answers {@code 404}, {@code 405} or {@code 501}, or with something other than events).
     */
    public RampClientBuilder streaming(boolean value) {
        this.streaming = value;
        return this;
    }

    /** How often to fetch the flags when polling; default 15 s, at least 100 ms. */
    public RampClientBuilder pollInterval(Duration value) {
        this.pollInterval = value;
        return this;
    }

    /**
     * The delay before reconnecting a dropped stream: {@code initial} (default 500 ms), doubling per failed
     * attempt up to {@code max} (default 30 s), each with random jitter.
     */
    public RampClientBuilder reconnectBackoff(Duration initial, Duration max) {
        this.reconnectInitial = initial;
        this.reconnectMax = max;
        return this;
    }

    /** Connection timeout of every call (default 5 s) and read timeout of fetches and reports (default 10 s). */
    public RampClientBuilder timeouts(Duration connect, Duration read) {
        this.connectTimeout = connect;
        this.readTimeout = read;
        return this;
    }

    /** How long a stream may stay silent before the client reconnects; default 60 s (the server's keep-alive is 15 s). */
    public RampClientBuilder streamIdleTimeout(Duration value) {
        this.streamIdleTimeout = value;
        return this;
    }

    /**
     * Where to keep the last good snapshot, read at start when the server cannot be reached. Default: a file named
     * after the application and the server in {@code java.io.tmpdir}/ramp-sdk.
     */
    public RampClientBuilder backupFile(Path value) {
        this.backupFile = value;
        this.backup = true;
        return this;
    }

    /** Keep no backup file. */
    public RampClientBuilder noBackupFile() {
        this.backupFile = null;
        this.backup = false;
        return this;
    }

    /**
     * Flags to evaluate from the start, before (or instead of) the server's: an Unleash client features document,
     * as {@code GET /api/client/features} returns it. It takes precedence over the backup file.
     */
    public RampClientBuilder bootstrap(String featuresJson) {
        this.bootstrapJson = featuresJson;
        this.bootstrapFile = null;
        return this;
    }

    /** {@link #bootstrap(String)}, read from a file when the client is built. */
    public RampClientBuilder bootstrap(Path featuresFile) {
        this.bootstrapFile = featuresFile;
        this.bootstrapJson = null;
        return this;
    }

    /** Whether to report per-flag usage counts (default true), and how often (default 60 s, at least 100 ms). */
    public RampClientBuilder metrics(boolean send, Duration interval) {
        this.sendMetrics = send;
        this.metricsInterval = interval;
        return this;
    }

    /**
     * How metric events and exposures are sent: at most {@code capacity} wait in memory (default 10,000; more are dropped and
     * counted), in batches of up to {@code batchSize} (default 1,000, at most 10,000) every {@code interval}
     * (default 1 s), each batch tried up to {@code attempts} times (default 5).
     */
    public RampClientBuilder events(int capacity, int batchSize, Duration interval, int attempts) {
        this.eventQueueCapacity = capacity;
        this.eventBatchSize = batchSize;
        this.eventsInterval = interval;
        this.eventAttempts = attempts;
        return this;
    }

    /**
     * Whether evaluating a flag with impression data on sends an exposure event (default true): the unit, the
     * flag and the variant, once per unit and variant while the client runs.
     */
    public RampClientBuilder exposures(boolean value) {
        this.exposures = value;
        return this;
    }

    /** A listener registered before the client starts, so it sees the very first {@link RampListener#onReady}. */
    public RampClientBuilder listener(RampListener value) {
        this.listeners.add(Objects.requireNonNull(value, "listener"));
        return this;
    }

    /** The clock of {@code DATE_*} constraints, event times and usage buckets; default the system clock. */
    public RampClientBuilder clock(InstantSource value) {
        this.clock = value;
        return this;
    }

    /** Randomness for {@code random} stickiness and reconnection jitter; must be thread-safe. Default {@link ThreadLocalRandom}. */
    public RampClientBuilder random(RandomGenerator value) {
        this.random = value;
        return this;
    }

    /**
     * Checks the settings and starts the client: it installs the bootstrap (or the backup) at once and begins to
     * sync in the background. It does not wait for the server: see {@link RampClient#awaitReady}.
     *
     * @throws IllegalArgumentException naming every setting that is missing or wrong
     */
    public RampClient build() {
        List<String> errors = new ArrayList<>();
        URI base = null;
        if (url == null || url.isBlank()) {
            errors.add("url is required (the server's base URL, such as http://127.0.0.1:4242)");
        } else {
            try {
                base = URI.create(url.trim());
                if (!("http".equalsIgnoreCase(base.getScheme()) || "https".equalsIgnoreCase(base.getScheme()))
                        || base.getHost() == null || base.getQuery() != null || base.getFragment() != null) {
                    errors.add("url must be an http or https URL with a host and no query, was '" + url + "'");
                }
            } catch (IllegalArgumentException e) {
                errors.add("url is not a URL: '" + url + "' (" + e.getMessage() + ")");
            }
        }
        if (token == null || token.isBlank()) {
            errors.add("token is required (a client token: ramp tokens create --scope client)");
        } else if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
            errors.add("token must be printable ASCII without spaces");
        }
        if (appName == null || appName.isBlank() || appName.length() > 256) {
            errors.add("appName is required: 1 to 256 characters");
        }
        if (environment != null && (environment.isBlank() || environment.length() > 256)) {
            errors.add("environment must be 1 to 256 characters, was '" + environment + "'");
        }
        if (instanceId != null && (instanceId.isBlank() || instanceId.length() > 256)) {
            errors.add("instanceId must be 1 to 256 characters, was '" + instanceId + "'");
        }
        atLeast(errors, "pollInterval", pollInterval, Duration.ofMillis(100));
        atLeast(errors, "reconnectBackoff initial", reconnectInitial, Duration.ofMillis(1));
        atLeast(errors, "reconnectBackoff max", reconnectMax, Duration.ofMillis(1));
        if (reconnectInitial != null && reconnectMax != null && reconnectMax.compareTo(reconnectInitial) < 0) {
            errors.add("reconnectBackoff max (" + reconnectMax + ") must not be less than initial (" + reconnectInitial + ")");
        }
        atLeast(errors, "timeouts connect", connectTimeout, Duration.ofMillis(1));
        atLeast(errors, "timeouts read", readTimeout, Duration.ofMillis(1));
        atLeast(errors, "streamIdleTimeout", streamIdleTimeout, Duration.ofMillis(1));
        atLeast(errors, "metrics interval", metricsInterval, Duration.ofMillis(100));
        atLeast(errors, "events interval", eventsInterval, Duration.ofMillis(10));
        if (eventQueueCapacity < 1 || eventQueueCapacity > 10_000_000) {
            errors.add("events capacity must be 1 to 10,000,000, was " + eventQueueCapacity);
        }
        if (eventBatchSize < 1 || eventBatchSize > 10_000) {
            errors.add("events batchSize must be 1 to 10,000 (the server's bound), was " + eventBatchSize);
        }
        if (eventAttempts < 1 || eventAttempts > 100) {
            errors.add("events attempts must be 1 to 100, was " + eventAttempts);
        }
        if (clock == null) {
            errors.add("clock must not be null");
        }
        Optional<FlagSnapshot> bootstrap = bootstrap(errors);
        if (!errors.isEmpty()) {
            throw new IllegalArgumentException("invalid Ramp client settings: " + String.join("; ", errors));
        }
        String instance = instanceId != null ? instanceId
                : appName + "-" + ProcessHandle.current().pid() + "-" + HexFormat.of().toHexDigits((short) ThreadLocalRandom.current().nextInt());
        Path backupPath = !backup ? null : backupFile != null ? backupFile : defaultBackupFile(base);
        // ThreadLocalRandom of whichever thread asks; capturing current() once would share one thread's generator.
        RandomGenerator randomness = random != null ? random : () -> ThreadLocalRandom.current().nextLong();
        String environmentName = environment != null ? environment : environmentOf(token);
        Settings settings = new Settings(base, token, appName, environmentName, instance, streaming, pollInterval, reconnectInitial,
                reconnectMax, connectTimeout, readTimeout, streamIdleTimeout, backupPath, bootstrap.orElse(null),
                sendMetrics, metricsInterval, eventsInterval, eventQueueCapacity, eventBatchSize, eventAttempts, exposures,
                List.copyOf(listeners), clock, randomness);
        return SyncedClient.start(settings);
    }

    private Optional<FlagSnapshot> bootstrap(List<String> errors) {
        String json = bootstrapJson;
        if (bootstrapFile != null) {
            try {
                json = Files.readString(bootstrapFile, StandardCharsets.UTF_8);
            } catch (IOException e) {
                errors.add("bootstrap file " + bootstrapFile + " cannot be read: " + e);
                return Optional.empty();
            }
        }
        if (json == null) {
            return Optional.empty();
        }
        try {
            ClientFeatures features = UnleashCodec.decodeFeatures(json);
            return Optional.of(features.snapshot());
        } catch (RuntimeException e) {
            errors.add("bootstrap is not a valid client features document: " + e.getMessage());
            return Optional.empty();
        }
    }

    /** The environment of a {@code project:environment.secret} token; {@code ""} for any other token. */
    private static String environmentOf(String token) {
        int colon = token.indexOf(':');
        int dot = token.indexOf('.', colon + 1);
        return colon >= 0 && dot > colon + 1 ? token.substring(colon + 1, dot) : "";
    }

    private Path defaultBackupFile(URI base) {
        // One file per application, server and environment: the environment is the token's prefix, not its secret.
        int dot = token.indexOf('.');
        String scope = dot > 0 ? token.substring(0, dot) : "";
        String safeName = appName.replaceAll("[^A-Za-z0-9._-]", "_");
        return Path.of(System.getProperty("java.io.tmpdir"), "ramp-sdk",
                safeName + "-" + shortHash(base + " " + scope) + ".json");
    }

    private static String shortHash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 6);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }

    private static void atLeast(List<String> errors, String name, Duration value, Duration minimum) {
        if (value == null) {
            errors.add(name + " must not be null");
        } else if (value.compareTo(minimum) < 0) {
            errors.add(name + " must be at least " + minimum.toMillis() + " ms, was " + value.toMillis() + " ms");
        }
    }
}
