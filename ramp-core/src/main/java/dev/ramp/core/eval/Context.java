package dev.ramp.core.eval;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What is known about the unit being evaluated: the Unleash context. The well-known fields have accessors;
 * anything else is a property. Immutable and cheap to share; build one per request with {@link #builder()}.
 */
public final class Context {
    private static final Context EMPTY = new Builder().build();

    /** Context field names with their own accessor, as constraints and stickiness name them. */
    public static final String USER_ID = "userId";
    public static final String SESSION_ID = "sessionId";
    public static final String REMOTE_ADDRESS = "remoteAddress";
    public static final String ENVIRONMENT = "environment";
    public static final String APP_NAME = "appName";
    public static final String CURRENT_TIME = "currentTime";

    // Absent fields are null here and Optional at the API: the evaluator reads these directly on the hot path.
    final String userId;
    final String sessionId;
    final String remoteAddress;
    final String environment;
    final String appName;
    final Instant currentTime;
    /** Never changed after construction; {@link #properties()} hands out a read-only view. */
    final Map<String, String> properties;
    private final Map<String, String> propertiesView;

    private Context(Builder builder) {
        this.userId = builder.userId;
        this.sessionId = builder.sessionId;
        this.remoteAddress = builder.remoteAddress;
        this.environment = builder.environment;
        this.appName = builder.appName;
        this.currentTime = builder.currentTime;
        this.properties = new LinkedHashMap<>(builder.properties);
        this.propertiesView = Collections.unmodifiableMap(properties);
    }

    public static Context empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A context with only a user id: the common case. */
    public static Context ofUser(String userId) {
        return builder().userId(userId).build();
    }

    public Optional<String> userId() {
        return Optional.ofNullable(userId);
    }

    public Optional<String> sessionId() {
        return Optional.ofNullable(sessionId);
    }

    public Optional<String> remoteAddress() {
        return Optional.ofNullable(remoteAddress);
    }

    public Optional<String> environment() {
        return Optional.ofNullable(environment);
    }

    public Optional<String> appName() {
        return Optional.ofNullable(appName);
    }

    /** The time constraints compare against; when absent the evaluator's clock is used. */
    public Optional<Instant> currentTime() {
        return Optional.ofNullable(currentTime);
    }

    public Map<String, String> properties() {
        return propertiesView;
    }

    /** The value of a context field by its constraint name: a well-known field or else a property. */
    public Optional<String> value(String contextName) {
        return contextName == null ? Optional.empty() : Optional.ofNullable(ContextField.of(contextName).read(this, null));
    }

    /** Whether the context has {@code appName}; unlike {@link #appName()}, allocates nothing. */
    public boolean hasAppName() {
        return appName != null;
    }

    /** Whether the context has {@code environment}; unlike {@link #environment()}, allocates nothing. */
    public boolean hasEnvironment() {
        return environment != null;
    }

    public Builder toBuilder() {
        var builder = new Builder();
        builder.userId = userId;
        builder.sessionId = sessionId;
        builder.remoteAddress = remoteAddress;
        builder.environment = environment;
        builder.appName = appName;
        builder.currentTime = currentTime;
        builder.properties.putAll(properties);
        return builder;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof Context that
                && Objects.equals(userId, that.userId)
                && Objects.equals(sessionId, that.sessionId)
                && Objects.equals(remoteAddress, that.remoteAddress)
                && Objects.equals(environment, that.environment)
                && Objects.equals(appName, that.appName)
                && Objects.equals(currentTime, that.currentTime)
                && properties.equals(that.properties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(userId, sessionId, remoteAddress, environment, appName, currentTime, properties);
    }

    @Override
    public String toString() {
        return "Context[userId=" + userId + ", sessionId=" + sessionId + ", remoteAddress=" + remoteAddress
                + ", environment=" + environment + ", appName=" + appName + ", currentTime=" + currentTime
                + ", properties=" + properties + "]";
    }

    /** Builds a {@link Context}. A {@code null} value means the field is absent. */
    public static final class Builder {
        private String userId;
        private String sessionId;
        private String remoteAddress;
        private String environment;
        private String appName;
        private Instant currentTime;
        private final Map<String, String> properties = new LinkedHashMap<>();

        private Builder() {}

        public Builder userId(String value) {
            this.userId = value;
            return this;
        }

        public Builder sessionId(String value) {
            this.sessionId = value;
            return this;
        }

        public Builder remoteAddress(String value) {
            this.remoteAddress = value;
            return this;
        }

        public Builder environment(String value) {
            this.environment = value;
            return this;
        }

        public Builder appName(String value) {
            this.appName = value;
            return this;
        }

        public Builder currentTime(Instant value) {
            this.currentTime = value;
            return this;
        }

        /** Sets a property; a {@code null} value removes it. */
        public Builder property(String name, String value) {
            Objects.requireNonNull(name, "property name must not be null");
            if (value == null) {
                properties.remove(name);
            } else {
                properties.put(name, value);
            }
            return this;
        }

        /**
         * Sets a field by its constraint name: a well-known field when the name is one, else a property.
         * {@code currentTime} must then be an ISO-8601 instant.
         *
         * @throws IllegalArgumentException when {@code currentTime} is not an instant
         */
        public Builder set(String contextName, String value) {
            switch (contextName) {
                case USER_ID -> userId = value;
                case SESSION_ID -> sessionId = value;
                case REMOTE_ADDRESS -> remoteAddress = value;
                case ENVIRONMENT -> environment = value;
                case APP_NAME -> appName = value;
                case CURRENT_TIME -> currentTime = value == null ? null : Instants.parse(value)
                        .orElseThrow(() -> new IllegalArgumentException(
                                "currentTime '" + value + "' is not an ISO-8601 date-time"));
                default -> property(contextName, value);
            }
            return this;
        }

        public Context build() {
            return new Context(this);
        }
    }
}
