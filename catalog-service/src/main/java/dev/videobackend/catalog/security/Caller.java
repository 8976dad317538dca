package dev.videobackend.catalog.security;

import io.quarkus.security.identity.SecurityIdentity;

/**
 * Who is asking, as the bearer token says: the principal name (the JWT {@code upn}, {@code preferred_username}
 * or {@code sub}, as SmallRye JWT picks it) is the owner of the videos the caller creates; roles come from the
 * token's {@code groups}.
 */
public record Caller(String name, boolean anonymous, boolean uploader, boolean admin) {

    public static final String UPLOADER = "uploader";
    public static final String ADMIN = "admin";
    public static final Caller ANONYMOUS = new Caller(null, true, false, false);

    public static Caller of(SecurityIdentity identity) {
        if (identity == null || identity.isAnonymous()) {
            return ANONYMOUS;
        }
        return new Caller(identity.getPrincipal().getName(), false, identity.hasRole(UPLOADER), identity.hasRole(ADMIN));
    }

    public boolean owns(String owner) {
        return !anonymous && name.equals(owner);
    }
}
