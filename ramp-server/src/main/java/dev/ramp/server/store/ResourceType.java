package dev.ramp.server.store;

/** The kinds of resource a {@link Change} records. */
public enum ResourceType {
    FLAG, SEGMENT, ENVIRONMENT, TOKEN, EXPERIMENT, ROUTE, RELEASE;

    public String wireName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
