package dev.ramp.server.http;

import dev.ramp.server.auth.Principal;
import dev.ramp.server.auth.TokenRegistry;
import dev.ramp.server.store.TokenScope;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Decides who may call what. {@code /api/v1} needs an admin token, {@code /api/client} a client token,
 * {@code /ofrep} a client or frontend token, and {@code /api/gateway} a gateway or admin token. The token comes in
 * {@code Authorization} (as is, as Unleash SDKs send it, or after {@code Bearer}) or in {@code X-API-Key}. No
 * token, or one the server does not know, is 401; a known token of the wrong scope is 403. An address that sent
 * too many unknown tokens gets 429 for a while (see {@link AuthenticationFailures}). {@code OPTIONS}, a browser's
 * CORS preflight, needs no token: it carries none, and only the CORS policy answers it.
 */
final class Authentication {
    private static final Logger LOG = LoggerFactory.getLogger(Authentication.class);
    private static final Map<String, String> CHALLENGE = Map.of("WWW-Authenticate", "Bearer realm=\"ramp\"");
    private static final Set<String> PUBLIC = Set.of(AdminApi.BASE + "/openapi.json");

    private final TokenRegistry tokens;
    private final AuthenticationFailures failures;

    Authentication(TokenRegistry tokens, AuthenticationFailures failures) {
        this.tokens = tokens;
        this.failures = failures;
    }

    void check(Context ctx) {
        String path = ctx.path();
        Set<TokenScope> allowed = allowed(path);
        if (allowed.isEmpty() || ctx.method() == HandlerType.OPTIONS) {
            return;
        }
        Optional<String> secret = secret(ctx.header("Authorization"), ctx.header("X-API-Key"));
        if (secret.isEmpty()) {
            throw new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                    "send a token in the Authorization header"), CHALLENGE);
        }
        String address = ctx.ip();
        Optional<Duration> refused = failures.refusedFor(address);
        if (refused.isPresent()) {
            long seconds = Math.max(1, (refused.get().toMillis() + 999) / 1000);
            throw new ProblemException(Problem.of(429, "too-many-failed-authentications", "Too many failed authentications",
                    "this address sent " + Limits.AUTHENTICATION_FAILURES + " unknown tokens within "
                            + Limits.AUTHENTICATION_WINDOW.toSeconds() + " s; retry in " + seconds + " s"),
                    Map.of("Retry-After", Long.toString(seconds)));
        }
        Principal principal = tokens.authenticate(secret.get()).orElseThrow(() -> {
            if (failures.failed(address)) {
                LOG.warn("{} sent {} unknown tokens within {} s; its requests with a token are refused until the window"
                        + " ends", address, Limits.AUTHENTICATION_FAILURES, Limits.AUTHENTICATION_WINDOW.toSeconds());
            }
            return new ProblemException(Problem.of(401, "unauthorized", "Unauthorized",
                    "the token is not valid: unknown or revoked"), CHALLENGE);
        });
        if (!allowed.contains(principal.scope())) {
            throw new ProblemException(Problem.of(403, "forbidden", "Forbidden",
                    path + " needs " + describe(allowed) + "; token '" + principal.name() + "' has scope "
                            + principal.scope().wireName()));
        }
        ctx.attribute(Requests.PRINCIPAL, principal);
    }

    /** The scopes that may call {@code path}; empty for a public path. */
    static Set<TokenScope> allowed(String path) {
        if (path.startsWith(AdminApi.BASE + "/") && !PUBLIC.contains(path)) {
            return Set.of(TokenScope.ADMIN);
        }
        if (path.startsWith(ClientApi.BASE + "/")) {
            return Set.of(TokenScope.CLIENT);
        }
        if (path.startsWith(OfrepApi.BASE + "/")) {
            return Set.of(TokenScope.CLIENT, TokenScope.FRONTEND);
        }
        if (path.startsWith(GatewayApi.BASE + "/")) {
            return Set.of(TokenScope.GATEWAY, TokenScope.ADMIN);
        }
        return Set.of();
    }

    /** The token a request presents, from its {@code Authorization} or {@code X-API-Key} header (either may be null). */
    static Optional<String> secret(String authorization, String apiKey) {
        if (authorization != null && !authorization.isBlank()) {
            String value = authorization.trim();
            if (value.regionMatches(true, 0, "Bearer ", 0, 7)) {
                value = value.substring(7).trim();
            }
            return value.isEmpty() ? Optional.empty() : Optional.of(value);
        }
        return apiKey == null || apiKey.isBlank() ? Optional.empty() : Optional.of(apiKey.trim());
    }

    /** "a client token", "an admin or gateway token": the scopes in their declared order. */
    private static String describe(Set<TokenScope> scopes) {
        String names = String.join(" or ", java.util.Arrays.stream(TokenScope.values()).filter(scopes::contains)
                .map(TokenScope::wireName).toList());
        return (names.startsWith("a") ? "an " : "a ") + names + " token";
    }
}
