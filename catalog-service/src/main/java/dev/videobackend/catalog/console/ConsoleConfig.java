package dev.videobackend.catalog.console;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.net.URI;
import java.util.Optional;

/** The web console served under {@code /}: how people sign in to it. */
@ConfigMapping(prefix = "catalog.console")
public interface ConsoleConfig {

    /**
     * Offers a sign-in that takes a bearer token pasted by hand, for the tokens the local stack prints. Only the local
     * stack turns it on; in production people sign in through the identity provider ({@link #oidc()}).
     */
    @WithDefault("false")
    boolean devSignIn();

    /**
     * Bytes per tus PATCH request of the console's uploads: smaller chunks lose less to a dropped connection and pass
     * proxies with a body limit; larger ones need fewer requests.
     */
    @WithDefault("8388608")
    @Min(16384)
    @Max(1073741824)
    int uploadChunkBytes();

    /** The OpenID Connect provider the console signs people in with (authorization code with PKCE). */
    Oidc oidc();

    interface Oidc {

        /**
         * The provider's issuer URL; its {@code /.well-known/openid-configuration} names the endpoints. Without it the
         * console offers no OpenID Connect sign-in.
         */
        Optional<URI> issuer();

        /** The public client registered for the console at the provider (no secret: PKCE protects the code). */
        Optional<String> clientId();

        /** The scopes asked for; the access token they yield is what the catalog verifies. */
        @WithDefault("openid")
        String scope();
    }
}
