package dev.ramp.server.release;

import dev.ramp.core.release.ReleaseDefinition;
import dev.ramp.core.route.Durations;
import dev.ramp.server.model.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Map;

/**
 * Calls a release's webhooks: a POST of a JSON body, with {@code Ramp-Hook} naming the occasion and, for
 * notifications, {@code Ramp-Delivery} the id to drop repeats by. A 2xx answer is a yes; anything else (another
 * status, a timeout, a refused connection) is a no, with the reason. Nothing here throws.
 */
final class Hooks {
    /** Attempts at one notification before it is given up (and logged). */
    static final int NOTIFY_ATTEMPTS = 3;

    private final HttpClient http;

    Hooks(HttpClient http) {
        this.http = http;
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
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(hook.url()))
                    .timeout(Durations.parse(hook.timeout()).orElseThrow())
                    .header("Content-Type", "application/json")
                    .header("Ramp-Hook", hook.on())
                    .POST(HttpRequest.BodyPublishers.ofString(Json.write(body)));
            if (!delivery.isEmpty()) {
                request.header("Ramp-Delivery", delivery);
            }
            HttpResponse<Void> response = http.send(request.build(), HttpResponse.BodyHandlers.discarding());
            return new Answer(response.statusCode() / 100 == 2, "HTTP " + response.statusCode() + " from " + hook.url());
        } catch (java.io.IOException | RuntimeException e) {
            return new Answer(false, hook.url() + ": " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(false, hook.url() + ": interrupted");
        }
    }
}
