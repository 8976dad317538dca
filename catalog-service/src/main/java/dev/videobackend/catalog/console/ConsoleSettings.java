package dev.videobackend.catalog.console;

import dev.videobackend.catalog.media.MediaConfig;
import io.quarkus.runtime.annotations.RegisterForReflection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.net.URI;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the console's page needs to know at start (how to sign in, how large its upload chunks are), and the origins its Content-Security-Policy must
 * let it reach besides its own: the identity provider, and the media's public base URL when it is elsewhere.
 */
@ApplicationScoped
public class ConsoleSettings {

    /** The console's view of the configuration, served as JSON. */
    @RegisterForReflection
    public record PublicSettings(boolean devSignIn, Oidc oidc, int uploadChunkBytes) {
    }

    @RegisterForReflection
    public record Oidc(String issuer, String clientId, String scope) {
    }

    private final PublicSettings settings;
    private final List<String> otherOrigins;

    @Inject
    ConsoleSettings(ConsoleConfig console, MediaConfig media) {
        this(console.devSignIn(), console.oidc().issuer(), console.oidc().clientId(), console.oidc().scope(),
                console.uploadChunkBytes(), media.publicBaseUrl());
    }

    ConsoleSettings(boolean devSignIn, Optional<URI> issuer, Optional<String> clientId, String scope,
            int uploadChunkBytes, Optional<String> mediaBaseUrl) {
        if (issuer.isPresent() && clientId.filter(id -> !id.isBlank()).isEmpty()) {
            throw new IllegalStateException("catalog.console.oidc.issuer is set, so catalog.console.oidc.client-id must be");
        }
        Set<String> origins = new LinkedHashSet<>();
        issuer.ifPresent(uri -> origins.add(origin(uri, "catalog.console.oidc.issuer")));
        mediaBaseUrl.ifPresent(url -> origins.add(origin(URI.create(url), "catalog.media.public-base-url")));
        this.otherOrigins = List.copyOf(origins);
        this.settings = new PublicSettings(devSignIn, issuer
                .map(uri -> new Oidc(uri.toString().replaceAll("/+$", ""), clientId.orElseThrow(), scope))
                .orElse(null), uploadChunkBytes);
    }

    public PublicSettings publicSettings() {
        return settings;
    }

    /** Origins other than the console's own that it fetches from (the provider's endpoints, media). */
    public List<String> otherOrigins() {
        return otherOrigins;
    }

    private static String origin(URI uri, String property) {
        if (uri.getScheme() == null || uri.getHost() == null
                || !(uri.getScheme().equals("https") || uri.getScheme().equals("http"))) {
            throw new IllegalStateException(property + " must be an absolute http(s) URL, got " + uri);
        }
        return uri.getScheme() + "://" + uri.getHost() + (uri.getPort() == -1 ? "" : ":" + uri.getPort());
    }
}
