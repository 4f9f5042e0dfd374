package dev.ramp.server.store;

import java.time.Instant;

/**
 * An API token as stored: never its secret, only the secret's SHA-256 ({@code secretHash}, hex) and its first
 * characters ({@code prefix}) so that a user can tell tokens apart.
 *
 * @param environment the environment a client or frontend token reads; {@code "*"} for an admin or gateway token
 */
public record ApiToken(long id, String name, TokenScope scope, String environment, String prefix, String secretHash, Instant createdAt) {
    public static final String ALL_ENVIRONMENTS = "*";
}
