package dev.ramp.core.flag;

/**
 * The value a {@link Variant} carries to the application.
 *
 * @param type  {@code string}, {@code json}, {@code csv} or {@code number} in Unleash; other types are kept as
 *              they are. Empty only for {@link #NONE}.
 * @param value the payload as text, as Unleash sends it (a JSON payload is a string holding JSON)
 */
public record Payload(String type, String value) {
    /** No payload. */
    public static final Payload NONE = new Payload("", "");

    public Payload {
        Checks.text(type, "payload.type");
        Checks.text(value, "payload.value");
        if (type.isBlank() && !value.isEmpty()) {
            throw new IllegalArgumentException("payload.type must not be blank when payload.value is set");
        }
    }

    public static Payload of(String type, String value) {
        return new Payload(Checks.name(type, "payload.type"), value);
    }

    public boolean isPresent() {
        return !type.isEmpty();
    }
}
