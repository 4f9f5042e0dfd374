package dev.ramp.core.codec;

/** A document that is not valid Unleash client API JSON; the message names the JSON path and the reason. */
public final class CodecException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String path;

    CodecException(String path, String reason) {
        super(path.isEmpty() ? reason : path + ": " + reason);
        this.path = path;
    }

    CodecException(String path, String reason, Throwable cause) {
        super(path.isEmpty() ? reason : path + ": " + reason, cause);
        this.path = path;
    }

    /** Where in the document the problem is, for example {@code features[2].strategies[0].parameters}. */
    public String path() {
        return path;
    }
}
