package dev.videobackend.catalog;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Key;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Map;

/**
 * A fresh RSA key pair for each test run, written as PEM under {@code target/}: the catalog verifies bearer
 * tokens with the public key, {@link Tokens} signs them with the private one. No key is ever committed.
 */
public class JwtKeysResource implements QuarkusTestResourceLifecycleManager {

    public static final String ISSUER = "https://video-backend.dev/test-issuer";
    private static final Path DIRECTORY = Path.of("target", "jwt");

    @Override
    public Map<String, String> start() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keys = generator.generateKeyPair();
            Files.createDirectories(DIRECTORY);
            Path publicKey = write(DIRECTORY.resolve("public-key.pem"), "PUBLIC KEY", keys.getPublic());
            Path privateKey = write(DIRECTORY.resolve("private-key.pem"), "PRIVATE KEY", keys.getPrivate());
            return Map.of(
                    "mp.jwt.verify.issuer", ISSUER,
                    "mp.jwt.verify.publickey.location", publicKey.toUri().toString(),
                    // read by Tokens through smallrye-jwt-build, which only the tests have
                    "smallrye.jwt.sign.key.location", privateKey.toUri().toString(),
                    "smallrye.jwt.new-token.issuer", ISSUER);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("This JVM has no RSA", e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path write(Path file, String type, Key key) throws IOException {
        String body = Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded());
        Files.writeString(file, "-----BEGIN " + type + "-----\n" + body + "\n-----END " + type + "-----\n");
        return file.toAbsolutePath();
    }

    @Override
    public void stop() {
    }
}
