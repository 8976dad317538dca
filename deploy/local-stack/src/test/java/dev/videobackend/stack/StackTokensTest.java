package dev.videobackend.stack;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

/** The stack's key pair survives restarts, and its tokens verify with the public key the catalog is given. */
class StackTokensTest {

    @TempDir
    Path data;

    @Test
    void signsTokensThatTheStoredPublicKeyVerifies() throws Exception {
        StackTokens tokens = StackTokens.loadOrCreate(data.resolve("jwt"));
        String publicPem = Files.readString(tokens.publicKey());
        String token = tokens.demoUploader();

        String[] parts = token.split("\\.");
        assertThat(parts).hasSize(3);
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initVerify(publicKey(publicPem));
        signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
        assertThat(signature.verify(Base64.getUrlDecoder().decode(parts[2]))).isTrue();

        JsonNode claims = new ObjectMapper().readTree(Base64.getUrlDecoder().decode(parts[1]));
        assertThat(claims.get("iss").asText()).isEqualTo(StackTokens.ISSUER);
        assertThat(claims.get("sub").asText()).isEqualTo(StackTokens.DEMO_USER);
        assertThat(claims.get("aud").asText()).isEqualTo(StackTokens.AUDIENCE);
        assertThat(claims.get("groups").get(0).asText()).isEqualTo("uploader");
        assertThat(claims.get("exp").asLong()).isGreaterThan(claims.get("iat").asLong());

        // A restart reuses the pair, so tokens printed earlier stay valid.
        assertThat(Files.readString(StackTokens.loadOrCreate(data.resolve("jwt")).publicKey())).isEqualTo(publicPem);
    }

    private static PublicKey publicKey(String pem) throws Exception {
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        return KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(Base64.getDecoder().decode(base64)));
    }
}
