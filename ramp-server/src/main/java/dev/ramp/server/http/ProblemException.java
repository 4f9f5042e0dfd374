package dev.ramp.server.http;

/** Ends a request with a {@link Problem}; thrown by handlers and turned into the response by the server. */
final class ProblemException extends RuntimeException {
    private final Problem problem;
    private final java.util.Map<String, String> headers;

    ProblemException(Problem problem) {
        this(problem, java.util.Map.of());
    }

    ProblemException(Problem problem, java.util.Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = headers;
    }

    Problem problem() {
        return problem;
    }

    java.util.Map<String, String> headers() {
        return headers;
    }
}
