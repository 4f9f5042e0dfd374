package dev.ramp.server.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Asks a Prometheus server for one number: the value of a PromQL expression at an instant, through the HTTP API's
 * instant query ({@code GET /api/v1/query}).
 *
 * <p>{@link #query} returns a number or throws one of two unchecked exceptions, and nothing else: {@link NoData} when
 * there is nothing to judge yet (an empty vector, or NaN, such as an error ratio {@code 0/0} with no traffic), and
 * {@link QueryFailed} when the query or Prometheus is wrong (more than one series, an infinite value, an error answer,
 * no answer within the timeout, a refused connection, an answer that is not Prometheus JSON or is larger than
 * 1 MiB). Messages name the query, and for failures the URL asked.
 *
 * <p>The timeout bounds the whole call, from connecting to the answer's last byte. Instances are thread-safe.
 */
public final class PrometheusClient {
    /** The largest answer read, in bytes (1 MiB): an instant query for one series is a few hundred. */
    private static final int MAX_BODY_BYTES = 1 << 20;
    /** How much of a query, a label set or an error body a message shows. */
    private static final int SHOWN_CHARS = 200;
    /** How many series a message about too many lists. */
    private static final int SHOWN_SERIES = 3;
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{\\{(.*?)}}");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final URI endpoint;
    private final Duration timeout;
    private final HttpClient http;

    /**
     * A client for the Prometheus at {@code baseUrl} (such as {@code http://127.0.0.1:9090}, or one with a path
     * prefix, {@code http://metrics.internal/prometheus}), giving each query {@code timeout}.
     *
     * @throws IllegalArgumentException when {@code baseUrl} is not an absolute http or https URL without query or
     *     fragment, or {@code timeout} is not positive
     */
    public PrometheusClient(URI baseUrl, Duration timeout) {
        Objects.requireNonNull(baseUrl, "baseUrl");
        Objects.requireNonNull(timeout, "timeout");
        if (!("http".equalsIgnoreCase(baseUrl.getScheme()) || "https".equalsIgnoreCase(baseUrl.getScheme()))
                || baseUrl.getHost() == null || baseUrl.getRawQuery() != null || baseUrl.getRawFragment() != null) {
            throw new IllegalArgumentException("the Prometheus URL must be http:// or https:// with a host and no query or fragment, got '" + baseUrl + "'");
        }
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("the Prometheus timeout must be positive, got " + timeout);
        }
        String base = baseUrl.toString();
        this.endpoint = URI.create((base.endsWith("/") ? base.substring(0, base.length() - 1) : base) + "/api/v1/query");
        this.timeout = timeout;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout).build();
    }

    /**
     * The value of {@code promql} at {@code at}: a scalar, or the one sample of an instant vector.
     *
     * @throws NoData when the result is an empty vector or NaN
     * @throws QueryFailed when the result has more than one series, is infinite or is not an instant vector or a
     *     scalar, and when Prometheus answers an error, answers nothing within the timeout, cannot be reached, or
     *     answers what is not Prometheus JSON or more than 1 MiB; when the wait is interrupted, the thread's
     *     interrupt status is kept
     */
    public double query(String promql, Instant at) {
        Objects.requireNonNull(promql, "promql");
        Objects.requireNonNull(at, "at");
        URI uri = URI.create(endpoint + "?query=" + URLEncoder.encode(promql, StandardCharsets.UTF_8) + "&time=" + epochSeconds(at));
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(timeout).header("Accept", "application/json").GET().build();
        try {
            return valueOf(promql, at, send(promql, request));
        } catch (NoData | QueryFailed expected) {
            throw expected;
        } catch (RuntimeException unexpected) {
            throw failed(promql, "cannot read the answer: " + unexpected, unexpected);
        }
    }

    /**
     * {@code template} with each {@code {{name}}} replaced by {@code values.get(name)}, escaped for a double-quoted
     * PromQL string: backslash, double quote and newline become {@code \\}, {@code \"} and {@code \n}. So a
     * placeholder for a label value belongs between double quotes, as in {@code arm="{{arm}}"}; one outside quotes,
     * as in a range {@code [{{interval}}]}, needs a value without those characters.
     *
     * @throws IllegalArgumentException naming the first placeholder {@code values} has no value for
     */
    public static String expand(String template, Map<String, String> values) {
        Objects.requireNonNull(template, "template");
        Objects.requireNonNull(values, "values");
        Matcher placeholder = PLACEHOLDER.matcher(template);
        var expanded = new StringBuilder();
        while (placeholder.find()) {
            String name = placeholder.group(1);
            String value = values.get(name);
            if (value == null) {
                throw new IllegalArgumentException("unknown placeholder {{" + name + "}} in '" + template + "'; known: "
                        + String.join(", ", new TreeSet<>(values.keySet())));
            }
            placeholder.appendReplacement(expanded, Matcher.quoteReplacement(escaped(value)));
        }
        placeholder.appendTail(expanded);
        return expanded.toString();
    }

    /** Unchecked: the query has no value to judge at that instant, its result being an empty vector or NaN. */
    public static final class NoData extends RuntimeException {
        NoData(String message) {
            super(message);
        }
    }

    /** Unchecked: the query cannot be answered as asked (see {@link #query}); the message names the query and the URL. */
    public static final class QueryFailed extends RuntimeException {
        QueryFailed(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private HttpResponse<byte[]> send(String promql, HttpRequest request) {
        CompletableFuture<HttpResponse<byte[]>> answer = http.sendAsync(request, info -> new BoundedBody());
        try {
            return answer.get(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            answer.cancel(true);
            throw failed(promql, "no answer within " + timeout, e);
        } catch (InterruptedException e) {
            answer.cancel(true);
            Thread.currentThread().interrupt();
            throw failed(promql, "interrupted while waiting for the answer", e);
        } catch (ExecutionException e) {
            throw failed(promql, reason(e.getCause()), e.getCause());
        }
    }

    private String reason(Throwable failure) {
        if (causedBy(failure, BodyTooLarge.class)) {
            return "the answer is larger than " + MAX_BODY_BYTES + " bytes (1 MiB), the most read";
        }
        if (causedBy(failure, HttpTimeoutException.class)) {
            return "no answer within " + timeout;
        }
        Throwable cause = deepestWithMessage(failure);
        if (causedBy(failure, ConnectException.class)) {
            // The JDK's client throws a ConnectException without a message when the connection is refused.
            return "cannot connect: " + (cause.getMessage() == null ? "connection refused" : describe(cause));
        }
        return describe(cause);
    }

    private double valueOf(String promql, Instant at, HttpResponse<byte[]> response) {
        String text = new String(response.body(), StandardCharsets.UTF_8);
        JsonNode body;
        try {
            body = JSON.readTree(text);
        } catch (IOException e) {
            body = null;
        }
        boolean error = body != null && "error".equals(body.path("status").asText());
        String errorText = body == null ? "" : body.path("errorType").asText() + ": " + body.path("error").asText();
        if (response.statusCode() / 100 != 2) {
            throw failed(promql, "HTTP " + response.statusCode() + ": " + (error ? errorText : shown(text.strip())), null);
        }
        if (body == null || !body.isObject()) {
            throw failed(promql, "the answer is not Prometheus JSON: " + shown(text.strip()), null);
        }
        if (error) {
            throw failed(promql, errorText, null);
        }
        JsonNode status = body.path("status");
        if (!"success".equals(status.asText())) {
            throw failed(promql, "the answer's status is " + (status.isMissingNode() ? "missing" : shown(status.toString()))
                    + ", not \"success\"", null);
        }
        JsonNode data = body.path("data");
        JsonNode result = data.path("result");
        String type = data.path("resultType").asText();
        return switch (type) {
            case "scalar" -> sample(promql, at, result);
            case "vector" -> {
                if (!result.isArray()) {
                    throw failed(promql, "the answer's vector is not an array: " + shown(result.toString()), null);
                }
                if (result.isEmpty()) {
                    throw new NoData("query '" + shown(promql) + "' has no data at " + at + ": the result is an empty vector");
                }
                if (result.size() > 1) {
                    throw failed(promql, "it must return one series, got " + result.size() + ": " + labelSets(result), null);
                }
                yield sample(promql, at, result.get(0).path("value"));
            }
            default -> throw failed(promql, "the result is " + (type.isEmpty() ? "missing" : "a " + shown(type))
                    + "; it must be an instant vector or a scalar", null);
        };
    }

    /** The value of a {@code [time, "value"]} pair. */
    private double sample(String promql, Instant at, JsonNode pair) {
        JsonNode value = pair.path(1);
        if (!pair.isArray() || pair.size() != 2 || !value.isTextual()) {
            throw failed(promql, "the answer's sample is not [time, \"value\"]: " + shown(pair.toString()), null);
        }
        double number;
        try {
            number = switch (value.asText()) {
                case "+Inf" -> Double.POSITIVE_INFINITY;
                case "-Inf" -> Double.NEGATIVE_INFINITY;
                default -> Double.parseDouble(value.asText());
            };
        } catch (NumberFormatException e) {
            throw failed(promql, "the answer's value is not a number: " + shown(value.toString()), e);
        }
        if (Double.isNaN(number)) {
            throw new NoData("query '" + shown(promql) + "' has no data at " + at + ": the value is NaN");
        }
        if (Double.isInfinite(number)) {
            throw failed(promql, "the value is " + value.asText(), null);
        }
        return number;
    }

    private static String labelSets(JsonNode series) {
        var shown = new ArrayList<String>();
        for (int i = 0; i < Math.min(series.size(), SHOWN_SERIES); i++) {
            var labels = new ArrayList<String>();
            for (var label : series.get(i).path("metric").properties()) {
                labels.add(label.getKey() + "=" + label.getValue());
            }
            shown.add(shown("{" + String.join(", ", labels) + "}"));
        }
        int more = series.size() - shown.size();
        return String.join(", ", shown) + (more > 0 ? " and " + more + " more" : "");
    }

    private QueryFailed failed(String promql, String reason, Throwable cause) {
        return new QueryFailed("query '" + shown(promql) + "' to " + endpoint + " failed: " + reason, cause);
    }

    /** {@code at} as the API's {@code time}: seconds since the epoch, to the millisecond. */
    private static String epochSeconds(Instant at) {
        return BigDecimal.valueOf(at.getEpochSecond()).add(BigDecimal.valueOf(at.getNano() / 1_000_000, 3)).toPlainString();
    }

    private static String escaped(String value) {
        return value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    /** {@code text} on one line, cut to {@value #SHOWN_CHARS} characters. */
    private static String shown(String text) {
        String line = text.replaceAll("\\s+", " ");
        return line.length() <= SHOWN_CHARS ? line : line.substring(0, SHOWN_CHARS) + "…";
    }

    private static boolean causedBy(Throwable failure, Class<? extends Throwable> type) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return true;
            }
        }
        return false;
    }

    /** The deepest cause with a message, what actually went wrong; {@code failure} when none has one. */
    private static Throwable deepestWithMessage(Throwable failure) {
        Throwable deepest = failure;
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t.getMessage() != null) {
                deepest = t;
            }
        }
        return deepest;
    }

    private static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + (failure.getMessage() == null ? "" : ": " + failure.getMessage());
    }

    /** Collects an answer's body, failing once it passes {@link #MAX_BODY_BYTES}. */
    private static final class BoundedBody implements HttpResponse.BodySubscriber<byte[]> {
        private final CompletableFuture<byte[]> body = new CompletableFuture<>();
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        private Flow.Subscription subscription;

        @Override
        public CompletionStage<byte[]> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription subscription) {
            this.subscription = subscription;
            subscription.request(Long.MAX_VALUE);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                if (body.isDone()) {
                    return;
                }
                if (bytes.size() + buffer.remaining() > MAX_BODY_BYTES) {
                    subscription.cancel();
                    body.completeExceptionally(new BodyTooLarge());
                    return;
                }
                byte[] chunk = new byte[buffer.remaining()];
                buffer.get(chunk);
                bytes.write(chunk, 0, chunk.length);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete(bytes.toByteArray());
        }
    }

    private static final class BodyTooLarge extends IOException {
        BodyTooLarge() {
            super("the answer is larger than " + MAX_BODY_BYTES + " bytes");
        }
    }
}
