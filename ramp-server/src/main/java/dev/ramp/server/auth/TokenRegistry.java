package dev.ramp.server.auth;

import dev.ramp.server.store.ApiToken;
import dev.ramp.server.store.TokenScope;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live tokens, by the SHA-256 of their secret. A presented secret is hashed and looked up; the stored hash is
 * then compared with {@link MessageDigest#isEqual}, which takes the same time wherever the first difference is.
 */
public final class TokenRegistry {
    private static final SecureRandom SECRETS = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();
    /** Characters of the secret's random part shown in listings. */
    public static final int PREFIX_LENGTH = 6;
    /** The shape of the secrets {@link #newSecret} makes. */
    private static final java.util.regex.Pattern GENERATED = java.util.regex.Pattern.compile("\\*:[^.]+\\.[0-9a-f]{48}");

    private final Map<String, ApiToken> byHash = new ConcurrentHashMap<>();

    public TokenRegistry(List<ApiToken> tokens) {
        tokens.forEach(this::add);
    }

    /** The principal {@code secret} identifies, or empty for an unknown or revoked token. */
    public Optional<Principal> authenticate(String secret) {
        if (secret == null || secret.isEmpty() || secret.length() > 512) {
            return Optional.empty();
        }
        String hash = hash(secret);
        ApiToken token = byHash.get(hash);
        if (token == null || !MessageDigest.isEqual(
                token.secretHash().getBytes(StandardCharsets.US_ASCII), hash.getBytes(StandardCharsets.US_ASCII))) {
            return Optional.empty();
        }
        return Optional.of(Principal.of(token));
    }

    /** Whether the token with {@code id} is still live (not revoked). */
    public boolean isLive(long id) {
        return byHash.values().stream().anyMatch(token -> token.id() == id);
    }

    public boolean hasAdmin() {
        return byHash.values().stream().anyMatch(token -> token.scope() == TokenScope.ADMIN);
    }

    public boolean usesEnvironment(String environment) {
        return byHash.values().stream().anyMatch(token -> token.environment().equals(environment));
    }

    public List<ApiToken> tokens() {
        return byHash.values().stream().sorted(java.util.Comparator.comparingLong(ApiToken::id)).toList();
    }

    public void add(ApiToken token) {
        byHash.put(token.secretHash(), token);
    }

    /** Makes {@code current} the live tokens, as another process's change left them. */
    public void replaceAll(List<ApiToken> current) {
        java.util.Set<String> live = new java.util.HashSet<>();
        current.forEach(token -> {
            live.add(token.secretHash());
            add(token);
        });
        byHash.keySet().retainAll(live);
    }

    public void remove(long id) {
        byHash.values().removeIf(token -> token.id() == id);
    }

    /**
     * A new random secret for a token of {@code scope} in {@code environment}, in Unleash's shape
     * ({@code project:environment.random}), so that Unleash tooling that parses tokens accepts it.
     */
    public static String newSecret(TokenScope scope, String environment) {
        byte[] random = new byte[24];
        SECRETS.nextBytes(random);
        String where = scope.perEnvironment() ? environment : ApiToken.ALL_ENVIRONMENTS;
        return "*:" + where + "." + HEX.formatHex(random);
    }

    /**
     * The part of {@code secret} shown in listings: for a secret {@link #newSecret} made, its environment and the first
     * characters of its random part; for one chosen by a person (a {@code RAMP_ADMIN_TOKEN}), only its first four
     * characters, so that the listing never gives a chosen secret away.
     */
    public static String prefixOf(String secret) {
        if (GENERATED.matcher(secret).matches()) {
            int dot = secret.lastIndexOf('.');
            return secret.substring(0, dot + 1 + PREFIX_LENGTH);
        }
        return secret.substring(0, Math.min(4, secret.length() / 4));
    }


    public static String hash(String secret) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }
}
