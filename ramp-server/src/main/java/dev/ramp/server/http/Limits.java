package dev.ramp.server.http;

/** Every limit the server puts on what a client sends, in one place. */
public final class Limits {
    /** The largest admin API body: a flag with a thousand strategies fits. */
    public static final int ADMIN_BODY_BYTES = 1 << 20;
    /** The largest metrics or registration body from an SDK. */
    public static final int CLIENT_BODY_BYTES = 1 << 20;
    /** The largest OFREP evaluation context. */
    public static final int OFREP_BODY_BYTES = 64 << 10;
    /** Flags in one metrics report. */
    public static final int METRICS_FLAGS = 10_000;
    /** Variants of one flag in one metrics report. */
    public static final int METRICS_VARIANTS = 100;
    /** The largest count a metrics report may carry for one flag. */
    public static final long METRICS_COUNT = 1_000_000_000_000L;
    /** Names in metrics, registrations and events (flag, app, instance, variant, event name, unit, property). */
    public static final int NAME_LENGTH = 256;
    /** The largest events body from an SDK: a full batch of events of about 800 bytes each. */
    public static final int EVENTS_BODY_BYTES = 8 << 20;
    /** Events in one batch. */
    public static final int EVENTS_BATCH = 10_000;
    /** The largest magnitude of a metric event's value, so that sums over units and their squares stay finite. */
    public static final double METRIC_VALUE = 1e12;
    /** Properties of one metric event. */
    public static final int EVENT_PROPERTIES = 32;
    /** Field errors one refused batch of events lists; checking stops once it has found this many. */
    public static final int FIELD_ERRORS = 1_000;
    /** Attributes in one OFREP context. */
    public static final int CONTEXT_ATTRIBUTES = 256;
    /**
     * The largest gateway report: a thousand arm reports fit. What a report may hold (arms, counts, interval) and the
     * longest window of a route's metrics are bounded in {@link dev.ramp.server.route.GatewayReports}.
     */
    public static final int REPORT_BODY_BYTES = 1 << 20;
    /**
     * Requests with an unknown token one client address may send in {@link #AUTHENTICATION_WINDOW}; the next ones get
     * 429 until the window ends.
     */
    public static final int AUTHENTICATION_FAILURES = 20;
    public static final java.time.Duration AUTHENTICATION_WINDOW = java.time.Duration.ofMinutes(1);
    /** The largest page of a listing. */
    public static final int PAGE_SIZE = 500;

    /** The earliest and latest instants a client may name (metrics buckets, registrations, admin queries). */
    public static final java.time.Instant EARLIEST = java.time.Instant.parse("1970-01-01T00:00:00Z");
    public static final java.time.Instant LATEST = java.time.Instant.parse("9999-12-31T23:59:59Z");

    private Limits() {}
}
