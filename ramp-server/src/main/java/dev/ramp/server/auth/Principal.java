package dev.ramp.server.auth;

import dev.ramp.server.store.ApiToken;
import dev.ramp.server.store.TokenScope;

/** Who made a request: the token's name (the actor in the audit log), its scope and its environment. */
public record Principal(long tokenId, String name, TokenScope scope, String environment) {

    static Principal of(ApiToken token) {
        return new Principal(token.id(), token.name(), token.scope(), token.environment());
    }

    /** The actor of changes the server makes by itself, such as creating the default environments. */
    public static final Principal SYSTEM = new Principal(0, "system", TokenScope.ADMIN, ApiToken.ALL_ENVIRONMENTS);
}
