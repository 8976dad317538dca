package dev.videobackend.catalog.security;

import io.quarkus.runtime.StartupEvent;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.util.KeyUtils;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jose4j.jwk.JsonWebKey;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.function.Supplier;

/**
 * Refuses to start without a key that verifies bearer tokens ({@code catalog.security.require-verification-key},
 * on but in dev mode): SmallRye JWT reads the key at the first request, and without one it would answer every
 * bearer request 401 while the service looked healthy. A key at an {@code http(s)} location (a JWKS endpoint) is
 * fetched and refreshed by SmallRye itself and is not checked here.
 */
@ApplicationScoped
public class VerificationKeyCheck {

    private static final Logger LOG = Logger.getLogger(VerificationKeyCheck.class);

    void onStart(@Observes StartupEvent started, Instance<JWTAuthContextInfo> jwt,
            @ConfigProperty(name = "catalog.security.require-verification-key", defaultValue = "true") boolean required) {
        if (required) {
            require(jwt::get);
        }
    }

    /** Fails with a message naming the properties when the configuration yields no usable verification key. */
    static void require(Supplier<JWTAuthContextInfo> configuration) {
        JWTAuthContextInfo info;
        try {
            info = configuration.get();
        } catch (RuntimeException e) {
            throw missing("the key could not be read (" + rootMessage(e) + ")", e);
        }
        if (info.getPublicVerificationKey() != null || info.getSecretVerificationKey() != null) {
            return;
        }
        if (info.getPublicKeyLocation() != null && info.getPublicKeyLocation().startsWith("http")) {
            LOG.infof("Bearer tokens are verified with the keys at %s, fetched when first needed", info.getPublicKeyLocation());
            return;
        }
        String content = info.getPublicKeyContent();
        if (content == null || content.isBlank()) {
            throw missing("no key is configured", null);
        }
        try {
            KeyUtils.decodePublicKey(content);
            return;
        } catch (Exception notPem) {
            List<JsonWebKey> keys = KeyUtils.loadJsonWebKeys(content);
            if (keys != null && !keys.isEmpty()) {
                return;
            }
            throw missing("the configured key is neither a PEM public key nor a JSON Web Key set", notPem);
        }
    }

    private static IllegalStateException missing(String why, Throwable cause) {
        return new IllegalStateException("Refusing to start: " + why + ", so no bearer token could be verified. Set "
                + "mp.jwt.verify.publickey.location (a PEM or JWKS file, or an https URL of the identity provider's "
                + "keys) or mp.jwt.verify.publickey", cause);
    }

    private static String rootMessage(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
