package dev.videobackend.stack;

import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The local stack's stand-in for an identity provider: an RSA key pair made on first start in the data directory
 * (the catalog verifies with the public half), and RS256 bearer tokens signed with the private half.
 */
public final class StackTokens {

    public static final String ISSUER = "https://video-backend.dev/local-stack";
    /** The audience the catalog requires by default ({@code mp.jwt.verify.audiences}). */
    public static final String AUDIENCE = "video-backend";
    public static final String DEMO_USER = "demo";
    public static final String ADMIN_USER = "admin";
    private static final Duration LIFETIME = Duration.ofDays(30);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path publicKey;
    private final PrivateKey privateKey;

    private StackTokens(Path publicKey, PrivateKey privateKey) {
        this.publicKey = publicKey;
        this.privateKey = privateKey;
    }

    /** Loads the key pair from {@code directory}, or makes one there on the first start. */
    public static StackTokens loadOrCreate(Path directory) {
        Path publicPem = directory.resolve("public-key.pem");
        Path privatePem = directory.resolve("private-key.pem");
        try {
            if (!Files.exists(publicPem) || !Files.exists(privatePem)) {
                Files.createDirectories(directory);
                KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
                generator.initialize(2048);
                KeyPair keys = generator.generateKeyPair();
                writePem(privatePem, "PRIVATE KEY", keys.getPrivate().getEncoded());
                restrictToOwner(privatePem);
                writePem(publicPem, "PUBLIC KEY", keys.getPublic().getEncoded());
            }
            byte[] encoded = readPem(privatePem);
            PrivateKey key = KeyFactory.getInstance("RSA").generatePrivate(new PKCS8EncodedKeySpec(encoded));
            return new StackTokens(publicPem.toAbsolutePath(), key);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read or write the stack's JWT keys in " + directory, e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot load the stack's JWT keys from " + directory, e);
        }
    }

    /** Where the catalog finds the public key. */
    public Path publicKey() {
        return publicKey;
    }

    /** A token of the demo uploader. */
    public String demoUploader() {
        return sign(DEMO_USER, List.of("uploader"));
    }

    public String admin() {
        return sign(ADMIN_USER, List.of("admin"));
    }

    /** A signed JWT for {@code subject} with the given catalog roles ({@code groups}). */
    public String sign(String subject, List<String> groups) {
        Instant now = Instant.now();
        Map<String, Object> claims = new LinkedHashMap<>();
        claims.put("iss", ISSUER);
        claims.put("aud", AUDIENCE);
        claims.put("sub", subject);
        claims.put("upn", subject);
        claims.put("groups", groups);
        claims.put("iat", now.getEpochSecond());
        claims.put("exp", now.plus(LIFETIME).getEpochSecond());
        try {
            String signingInput = base64(JSON.writeValueAsBytes(Map.of("alg", "RS256", "typ", "JWT"))) + "."
                    + base64(JSON.writeValueAsBytes(claims));
            Signature signature = Signature.getInstance("SHA256withRSA");
            signature.initSign(privateKey);
            signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
            return signingInput + "." + base64(signature.sign());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("Cannot sign a token", e);
        }
    }

    private static String base64(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    private static void writePem(Path file, String type, byte[] der) throws IOException {
        String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
    }

    private static byte[] readPem(Path file) throws IOException {
        String base64 = Files.readString(file).replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return Base64.getDecoder().decode(base64);
    }

    private static void restrictToOwner(Path file) throws IOException {
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: the data directory's own permissions apply
        }
    }
}
