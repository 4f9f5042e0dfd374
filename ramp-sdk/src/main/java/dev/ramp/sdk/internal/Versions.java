package dev.ramp.sdk.internal;

/** The SDK's name and version as it reports them to servers. */
final class Versions {
    static final String VERSION = "0.1.0";
    static final String SDK = "ramp-java:" + VERSION;
    static final String USER_AGENT = "ramp-java-sdk/" + VERSION;

    private Versions() {}
}
