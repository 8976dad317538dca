package dev.videobackend.catalog.security;

import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Instant;

/**
 * Who is asking, as the bearer token says: the principal name (the JWT {@code upn}, {@code preferred_username}
 * or {@code sub}, as SmallRye JWT picks it) is the owner of the videos the caller creates; roles come from the
 * token's {@code groups}. {@code expiresAt} is when the token expires (its {@code exp}), null without one: what
 * outlives the request that verified the token, a subscription, must end then.
 */
public record Caller(String name, boolean anonymous, boolean uploader, boolean admin, Instant expiresAt) {

    public static final String UPLOADER = "uploader";
    public static final String ADMIN = "admin";
    public static final Caller ANONYMOUS = new Caller(null, true, false, false, null);

    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        Instant expiresAt = identity.getPrincipal() instanceof JsonWebToken token && token.getExpirationTime() > 0
                ? Instant.ofEpochSecond(token.getExpirationTime()) : null;
        return new Caller(identity.getPrincipal().getName(), false, identity.hasRole(UPLOADER), identity.hasRole(ADMIN),
                expiresAt);
    }

    public boolean owns(String owner) {
        return !anonymous && name.equals(owner);
    }
}
