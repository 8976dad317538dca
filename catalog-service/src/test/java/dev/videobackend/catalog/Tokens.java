package dev.videobackend.catalog;

import io.restassured.specification.RequestSpecification;
import io.smallrye.jwt.build.Jwt;
import io.smallrye.jwt.build.JwtClaimsBuilder;

import java.time.Instant;
import java.util.Set;

import static io.restassured.RestAssured.given;

/** Bearer tokens signed with the test key pair of {@link JwtKeysResource}, for the catalog's audience. */
public final class Tokens {

    /** Uploaders. */
    public static final String ALICE = "alice";
    public static final String BOB = "bob";
    /** An admin. */
    public static final String ROOT = "root";
    /** Signed in, but without any role of the catalog. */
    public static final String VIEWER = "viewer";
    /** The audience the catalog requires ({@code mp.jwt.verify.audiences}). */
    public static final String AUDIENCE = "video-backend";

    private Tokens() {
    }

    public static String of(String user) {
        return claims(user).sign();
    }

    /** A token of the user that expires at {@code expiry} (JWT times have whole seconds: it is truncated). */
    public static String expiringAt(String user, Instant expiry) {
        return claims(user).expiresAt(expiry.getEpochSecond()).sign();
    }

    /**
     * The claims of a token of {@code user}: subject {@code user}, the roles its name implies (any name but
     * {@link #ROOT} and {@link #VIEWER} is an uploader), the test issuer and the catalog's audience.
     */
    public static JwtClaimsBuilder claims(String user) {
        Set<String> groups = switch (user) {
            case ROOT -> Set.of("admin");
            case VIEWER -> Set.of();
            default -> Set.of("uploader");
        };
        return Jwt.subject(user).groups(groups).issuer(JwtKeysResource.ISSUER).audience(AUDIENCE);
    }

    /** A rest-assured request carrying the user's bearer token; {@code null} for an anonymous request. */
    public static RequestSpecification as(String user) {
        return user == null ? given() : bearer(of(user));
    }

    /** A rest-assured request carrying {@code token}. */
    public static RequestSpecification bearer(String token) {
        return given().auth().oauth2(token);
    }
}
