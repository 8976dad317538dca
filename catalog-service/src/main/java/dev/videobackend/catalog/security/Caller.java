package dev.videobackend.catalog.security;

import dev.videobackend.catalog.error.ValidationException;
import io.quarkus.security.identity.SecurityIdentity;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.time.Duration;
import java.time.Instant;

/**
 * Who is asking, as the bearer token says. {@code id} (issuer and subject) is who owns what the caller creates;
 * {@code name}, the principal name ({@code upn}, {@code preferred_username} or {@code sub}, as SmallRye JWT picks
 * it), is only shown. Roles come from the token's {@code groups}. {@code acceptedUntil} is the token's expiry plus
 * the clock-skew leeway the verification allows, null without a token: what outlives the request that verified the
 * token (a subscription, a WebSocket) must stop then.
 */
public record Caller(UserId id, String name, boolean uploader, boolean admin, Instant acceptedUntil) {

    public static final String UPLOADER = "uploader";
    public static final String ADMIN = "admin";
    public static final Caller ANONYMOUS = new Caller(null, null, false, false, null);
    /** The columns that store a user: {@code owner}, {@code owner_subject}, {@code created_by}... */
    static final int MAX_NAME = 255;
    static final int MAX_ISSUER = 512;

    static Caller of(SecurityIdentity identity, Duration leeway) {
        if (identity == null || identity.isAnonymous() || !(identity.getPrincipal() instanceof JsonWebToken token)) {
            return ANONYMOUS;
        }
        Instant acceptedUntil = token.getExpirationTime() > 0
                ? Instant.ofEpochSecond(token.getExpirationTime()).plus(leeway) : null;
        return new Caller(new UserId(token.getIssuer(), token.getSubject()), token.getName(),
                identity.hasRole(UPLOADER), identity.hasRole(ADMIN), acceptedUntil);
    }

    public boolean anonymous() {
        return id == null;
    }

    /** Whether the caller is the user {@code owner}: same issuer, same subject. */
    public boolean owns(UserId owner) {
        return id != null && id.equals(owner);
    }

    /** Refuses an identity the catalog cannot store as an owner, before anything is written. */
    void requireStorable() {
        if (name == null || name.isEmpty() || name.length() > MAX_NAME) {
            throw new ValidationException("The token's user name (upn, preferred_username or sub) must have 1 to "
                    + MAX_NAME + " characters");
        }
        if (id.subject() == null || id.subject().isEmpty() || id.subject().length() > MAX_NAME) {
            throw new ValidationException("The token's subject (sub) must have 1 to " + MAX_NAME + " characters");
        }
        if (id.issuer() == null || id.issuer().length() > MAX_ISSUER) {
            throw new ValidationException("The token's issuer (iss) must have at most " + MAX_ISSUER + " characters");
        }
    }
}
