package dev.videobackend.infra.s3;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class S3ServerTest {

    private static final int PART = 5 * 1024 * 1024;

    @Test
    void servesTheS3ApiWithSignaturesAndKeepsObjectsAcrossRestarts(@TempDir Path dataDirectory) throws Exception {
        byte[] first = filled(PART, (byte) 1);
        byte[] second = filled(1000, (byte) 2);
        try (S3Server server = S3Server.start(dataDirectory, 0, "media"); S3Client s3 = client(server)) {
            s3.putObject(b -> b.bucket("media").key("a/small"), RequestBody.fromString("hello"));

            String uploadId = s3.createMultipartUpload(b -> b.bucket("media").key("a/big")).uploadId();
            String etag1 = s3.uploadPart(b -> b.bucket("media").key("a/big").uploadId(uploadId).partNumber(1),
                    RequestBody.fromBytes(first)).eTag();
            String etag2 = s3.uploadPart(b -> b.bucket("media").key("a/big").uploadId(uploadId).partNumber(2),
                    RequestBody.fromBytes(second)).eTag();
            s3.completeMultipartUpload(b -> b.bucket("media").key("a/big").uploadId(uploadId)
                    .multipartUpload(m -> m.parts(CompletedPart.builder().partNumber(1).eTag(etag1).build(),
                            CompletedPart.builder().partNumber(2).eTag(etag2).build())));
            assertThat(s3.headObject(b -> b.bucket("media").key("a/big")).contentLength()).isEqualTo(PART + 1000L);
            assertThat(s3.getObjectAsBytes(b -> b.bucket("media").key("a/big").range("bytes=" + PART + "-" + (PART + 2)))
                    .asByteArray()).containsExactly(2, 2, 2);

            try (S3Presigner presigner = presigner(server)) {
                URI url = presigner.presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(1))
                        .getObjectRequest(g -> g.bucket("media").key("a/small"))).url().toURI();
                HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hello");
            }
        }

        try (S3Server restarted = S3Server.start(dataDirectory, 0, "media"); S3Client s3 = client(restarted)) {
            assertThat(s3.getObjectAsBytes(b -> b.bucket("media").key("a/small")).asUtf8String()).isEqualTo("hello");
            s3.deleteObjects(b -> b.bucket("media").delete(d -> d.objects(
                    ObjectIdentifier.builder().key("a/small").build(), ObjectIdentifier.builder().key("a/big").build())));
            assertThatThrownBy(() -> s3.headObject(b -> b.bucket("media").key("a/big")))
                    .isInstanceOf(NoSuchKeyException.class);
        }
    }

    @Test
    void refusesAWrongSignature() {
        try (S3Server server = S3Server.start(null, 0, "media");
                S3Client s3 = S3Client.builder()
                        .endpointOverride(URI.create(server.endpoint()))
                        .forcePathStyle(true)
                        .region(Region.of(server.region()))
                        .credentialsProvider(StaticCredentialsProvider.create(
                                AwsBasicCredentials.create(server.accessKey(), "wrong")))
                        .httpClient(UrlConnectionHttpClient.create())
                        .build()) {
            assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("media")))
                    .isInstanceOfSatisfying(S3Exception.class, e -> assertThat(e.statusCode()).isEqualTo(403));
        }
    }

    @Test
    void usesAnExistingServiceNamedByTheEnvironment() {
        try (S3Server existing = S3Server.startOrConnect(Map.of(
                S3Server.EXISTING_ENDPOINT_VARIABLE, "https://s3.example.test",
                S3Server.EXISTING_BUCKET_VARIABLE, "videos"), null, 0)) {
            assertThat(existing.isEmbedded()).isFalse();
            assertThat(existing.endpoint()).isEqualTo("https://s3.example.test");
            assertThat(existing.bucket()).isEqualTo("videos");
        }
    }

    static S3Client client(S3Server server) {
        return S3Client.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .forcePathStyle(true)
                .region(Region.of(server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .httpClient(UrlConnectionHttpClient.create())
                .build();
    }

    private static S3Presigner presigner(S3Server server) {
        return S3Presigner.builder()
                .endpointOverride(URI.create(server.endpoint()))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .region(Region.of(server.region()))
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(server.accessKey(), server.secretKey())))
                .build();
    }

    private static byte[] filled(int size, byte value) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, value);
        return bytes;
    }
}
