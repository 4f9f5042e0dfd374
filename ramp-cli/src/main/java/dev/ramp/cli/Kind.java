package dev.ramp.cli;

import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.route.RouteDefinition;
import dev.ramp.server.model.ExperimentDefinition;
import dev.ramp.server.model.FlagDefinition;
import dev.ramp.server.model.SegmentDefinition;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * A kind of document that {@code ramp apply} reconciles, in the order it applies them: what a document of the
 * kind is keyed by, where the server keeps it and the server's model of it. Segments come before the flags whose
 * strategies use them, flags before the experiments and releases on them, routes before the releases that move them.
 */
enum Kind {
    SEGMENT("Segment", "name", "/api/v1/segments", SegmentDefinition.class, "name: ..., constraints: ...", "pro-users"),
    FLAG("Flag", "key", "/api/v1/flags", FlagDefinition.class, "key: ..., environments: ...", "checkout.v2"),
    ROUTE("Route", "name", "/api/v1/routes", RouteDefinition.class, "name: ..., arms: ...", "checkout"),
    EXPERIMENT("Experiment", "name", "/api/v1/experiments", ExperimentDefinition.class, "name: ..., flag: ...",
            "green-button"),
    RELEASE("Release", "name", "/api/v1/releases", ReleaseDefinition.class, "name: ..., target: ..., canary: ...",
            "checkout-v2");

    private final String kind;
    private final String keyField;
    private final String collection;
    private final Class<?> model;
    private final String fields;
    private final String example;

    Kind(String kind, String keyField, String collection, Class<?> model, String fields, String example) {
        this.kind = kind;
        this.keyField = keyField;
        this.collection = collection;
        this.model = model;
        this.fields = fields;
        this.example = example;
    }

    /** Its {@code kind:} value, such as {@code Flag}. */
    String kind() {
        return kind;
    }

    /** What messages and apply's lines call it, such as {@code flag}. */
    String noun() {
        return kind.toLowerCase(Locale.ROOT);
    }

    /** The field that keys a document of this kind: {@code key} for a flag, {@code name} for the others. */
    String keyField() {
        return keyField;
    }

    /** The admin API's collection of this kind, such as {@code /api/v1/flags}. */
    String collection() {
        return collection;
    }

    /** The server's model of a document of this kind, which says its fields, their defaults and the server's own. */
    Class<?> model() {
        return model;
    }

    /** The fields a message shows as an example of the mapping. */
    String fields() {
        return fields;
    }

    /** A key, for the message when it is missing. */
    String example() {
        return example;
    }

    /** Whether the server takes {@code kind:} in a body of this kind; flags and segments have no such field. */
    boolean sendsKind() {
        return this != SEGMENT && this != FLAG;
    }

    /** The kind whose {@code kind:} value is {@code value}. */
    static Optional<Kind> of(String value) {
        return Arrays.stream(values()).filter(kind -> kind.kind.equals(value)).findFirst();
    }
}
