package dev.videobackend.catalog.security;

import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.config.JWTAuthContextInfoProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPairGenerator;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The start-up check that keeps a catalog without a verification key from running: SmallRye JWT's own configuration
 * provider reads the key as the service does, and every way of having none stops the start with a clear message.
 */
class VerificationKeyCheckTest {

    private static final String ISSUER = "https://issuer.example";

    @TempDir
    Path directory;

    @Test
    void aMissingKeyFileStopsTheStart() {
        String location = directory.resolve("nowhere.pem").toUri().toString();
        assertThatThrownBy(() -> VerificationKeyCheck.require(
                () -> JWTAuthContextInfoProvider.createWithKeyLocation(location, ISSUER).getContextInfo()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Refusing to start: the key could not be read")
                .hasMessageContaining("mp.jwt.verify.publickey.location");
    }

    @Test
    void noKeyAtAllStopsTheStart() {
        assertThatThrownBy(() -> VerificationKeyCheck.require(JWTAuthContextInfo::new))
                .hasMessageStartingWith("Refusing to start: no key is configured");
    }

    @Test
    void aFileThatIsNoKeyStopsTheStart() throws Exception {
        Path garbage = Files.writeString(directory.resolve("garbage.pem"), "not a key");
        assertThatThrownBy(() -> VerificationKeyCheck.require(() -> JWTAuthContextInfoProvider
                .createWithKeyLocation(garbage.toUri().toString(), ISSUER).getContextInfo()))
                .hasMessageStartingWith("Refusing to start:");
    }

    @Test
    void aPemPublicKeyOrARemoteKeySetLetsItStart() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder().encodeToString(generator.generateKeyPair().getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        Path key = Files.writeString(directory.resolve("public-key.pem"), pem);
        assertThatCode(() -> VerificationKeyCheck.require(() -> JWTAuthContextInfoProvider
                .createWithKeyLocation(key.toUri().toString(), ISSUER).getContextInfo())).doesNotThrowAnyException();

        JWTAuthContextInfo remote = new JWTAuthContextInfo();
        remote.setPublicKeyLocation("https://issuer.example/keys");
        assertThatCode(() -> VerificationKeyCheck.require(() -> remote)).doesNotThrowAnyException();
    }
}
