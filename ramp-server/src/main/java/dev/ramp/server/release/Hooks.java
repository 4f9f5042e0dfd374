package dev.ramp.server.release;

import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.release.WebhookSignature;
import dev.ramp.core.route.Durations;
import dev.ramp.server.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls a release's webhooks: a POST of a JSON body, with {@code Ramp-Hook} naming the occasion, for
 * notifications {@code Ramp-Delivery} the id to drop repeats by, and {@link WebhookSignature#HEADER} signing the
 * body with the server's webhook secrets (none without secrets, which is logged once). A 2xx answer is a yes;
 * anything else (another status, a timeout, a refused connection) is a no, with the reason. Nothing here throws.
 */
final class Hooks {
    private static final Logger LOG = LoggerFactory.getLogger(Hooks.class);
    /** Attempts at one notification before it is given up (and logged). */
    static final int NOTIFY_ATTEMPTS = 3;

    private final HttpClient http;
    private final InstantSource clock;
    private final List<String> secrets;
    private final AtomicBoolean warnedUnsigned = new AtomicBoolean();

    Hooks(HttpClient http, InstantSource clock, List<String> secrets) {
        this.http = http;
        this.clock = clock;
        this.secrets = List.copyOf(secrets);
    }

    /** How a hook answered. */
    record Answer(boolean ok, String detail) {}

    /** Asks a gate: open when it answers 2xx. */
    Answer ask(ReleaseDefinition.Hook hook, Map<String, Object> body) {
        return post(hook, "", body);
    }

    /** Sends a notification, trying up to {@link #NOTIFY_ATTEMPTS} times. */
    Answer notify(ReleaseDefinition.Hook hook, String delivery, Map<String, Object> body) {
        Answer answer = null;
        for (int attempt = 0; attempt < NOTIFY_ATTEMPTS && (answer == null || !answer.ok()); attempt++) {
            answer = post(hook, delivery, body);
        }
        return answer;
    }

    private Answer post(ReleaseDefinition.Hook hook, String delivery, Map<String, Object> body) {
        try {
            byte[] bytes = Json.write(body).getBytes(StandardCharsets.UTF_8);
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hook.url()))
                    .timeout(Durations.parse(hook.timeout()).orElseThrow())
                    .header("Content-Type", "application/json")
                    .header("Ramp-Hook", hook.on())
                    .POST(HttpRequest.BodyPublishers.ofByteArray(bytes));
            if (!delivery.isEmpty()) {
                request.header("Ramp-Delivery", delivery);
            }
            if (!secrets.isEmpty()) {
                request.header(WebhookSignature.HEADER, WebhookSignature.sign(secrets, clock.instant(), bytes));
            } else if (warnedUnsigned.compareAndSet(false, true)) {
                LOG.warn("webhooks are sent unsigned, so their receivers cannot tell them from forgeries: set"
                        + " RAMP_WEBHOOK_SECRET (see docs/security.md)");
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Answer(response.statusCode() / 100 == 2, "HTTP " + response.statusCode() + " from " + shown(hook.url()));
        } catch (java.io.IOException | RuntimeException e) {
            return new Answer(false, shown(hook.url()) + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, shown(hook.url()) + ": interrupted");
        }
    }

    /**
     * A hook's URL as answers and logs show it: its scheme, host and port only, since chat services put the hook's
     * secret in its path and some receivers put one in the user or query.
     */
    static String shown(String url) {
        try {
            URI uri = URI.create(url);
            return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() < 0 ? "" : ":" + uri.getPort());
        } catch (IllegalArgumentException e) {
            return "(a malformed URL)";
        }
    }
}
