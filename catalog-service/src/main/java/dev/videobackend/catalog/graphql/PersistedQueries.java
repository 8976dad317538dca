package dev.videobackend.catalog.graphql;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import jakarta.enterprise.context.ApplicationScoped;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * Automatic persisted queries, as Apollo's clients send them ({@code extensions.persistedQuery}: version 1 and the
 * SHA-256 of the document in hex): a client sends the hash alone, and the document with it the first time, when
 * told {@code PERSISTED_QUERY_NOT_FOUND}. A document is remembered only under its own hash, so nobody can make a
 * hash stand for another document; the least used are forgotten beyond the configured size.
 */
@ApplicationScoped
class PersistedQueries {

    static final int VERSION = 1;

    private final Cache<String, String> documents;

    PersistedQueries(GraphQlConfig config) {
        this.documents = Caffeine.newBuilder()
                .maximumWeight(config.persistedQueriesMaxBytes())
                .weigher((String hash, String document) -> hash.length() + document.length() * 2)
                .build();
    }

    /** Remembers the document under the hash; false, remembering nothing, when it is not the document's hash. */
    boolean register(String hash, String document) {
        String own = sha256(document);
        if (!own.equals(hash.toLowerCase(Locale.ROOT))) {
            return false;
        }
        documents.put(own, document);
        return true;
    }

    Optional<String> find(String hash) {
        return Optional.ofNullable(documents.getIfPresent(hash.toLowerCase(Locale.ROOT)));
    }

    static String sha256(String document) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(document.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no SHA-256", e);
        }
    }
}
