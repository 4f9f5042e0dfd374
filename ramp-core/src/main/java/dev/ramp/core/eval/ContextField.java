package dev.ramp.core.eval;

/**
 * Reads one context field, resolved once from its name when a snapshot is compiled so that evaluation does
 * not compare strings. One final class with a switch rather than a lambda per field: the call stays
 * monomorphic and inlines on the hot path. Returns {@code null} when the field is absent.
 */
final class ContextField {
    private static final int USER_ID = 0;
    private static final int SESSION_ID = 1;
    private static final int REMOTE_ADDRESS = 2;
    private static final int ENVIRONMENT = 3;
    private static final int APP_NAME = 4;
    private static final int CURRENT_TIME = 5;
    private static final int PROPERTY = 6;

    private final int kind;
    private final String name;

    private ContextField(int kind, String name) {
        this.kind = kind;
        this.name = name;
    }

    static ContextField of(String contextName) {
        int kind = switch (contextName) {
            case Context.USER_ID -> USER_ID;
            case Context.SESSION_ID -> SESSION_ID;
            case Context.REMOTE_ADDRESS -> REMOTE_ADDRESS;
            case Context.ENVIRONMENT -> ENVIRONMENT;
            case Context.APP_NAME -> APP_NAME;
            case Context.CURRENT_TIME -> CURRENT_TIME;
            default -> PROPERTY;
        };
        return new ContextField(kind, contextName);
    }

    /**
     * The field's value, or null. With {@code sources}, an absent {@code currentTime} reads as now (the clock,
     * truncated to seconds), as constraints see it in Unleash's engine; without (null), it is absent, as
     * overrides and stickiness see it. One method, one switch: it sits under every constraint on the hot path.
     */
    String read(Context context, Sources sources) {
        return switch (kind) {
            case USER_ID -> context.userId;
            case SESSION_ID -> context.sessionId;
            case REMOTE_ADDRESS -> context.remoteAddress;
            case ENVIRONMENT -> context.environment;
            case APP_NAME -> context.appName;
            case CURRENT_TIME -> context.currentTime != null ? context.currentTime.toString()
                    : sources == null ? null
                    : sources.clock().instant().truncatedTo(java.time.temporal.ChronoUnit.SECONDS).toString();
            default -> context.properties.get(name);
        };
    }
}
