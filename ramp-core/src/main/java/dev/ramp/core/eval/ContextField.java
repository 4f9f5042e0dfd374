package dev.ramp.core.eval;

/**
 * Reads one context field, resolved once from its name when a snapshot is compiled so that evaluation does
 * not switch on strings. Returns {@code null} when the field is absent.
 */
@FunctionalInterface
interface ContextField {
    String read(Context context);

    static ContextField of(String contextName) {
        return switch (contextName) {
            case Context.USER_ID -> context -> context.userId;
            case Context.SESSION_ID -> context -> context.sessionId;
            case Context.REMOTE_ADDRESS -> context -> context.remoteAddress;
            case Context.ENVIRONMENT -> context -> context.environment;
            case Context.APP_NAME -> context -> context.appName;
            case Context.CURRENT_TIME -> context -> context.currentTime == null ? null : context.currentTime.toString();
            default -> context -> context.properties.get(contextName);
        };
    }
}
