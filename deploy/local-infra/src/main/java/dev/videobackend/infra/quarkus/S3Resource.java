package dev.videobackend.infra.quarkus;

import dev.videobackend.infra.s3.S3Server;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Gives a {@code @QuarkusTest} a real S3 server (the embedded S3Proxy, or the existing service named by
 * {@value S3Server#EXISTING_ENDPOINT_VARIABLE}) through the Quarkus Amazon S3 client's settings: endpoint,
 * path-style access, region and static credentials. Init argument {@code bucket-property} names the service's
 * setting that takes the bucket; {@code storage-property} (optional) the one that selects the S3 backend.
 */
public class S3Resource implements QuarkusTestResourceLifecycleManager {

    private String bucketProperty;
    private String storageProperty;
    private S3Server server;

    @Override
    public void init(Map<String, String> initArgs) {
        bucketProperty = initArgs.get("bucket-property");
        storageProperty = initArgs.get("storage-property");
    }

    @Override
    public Map<String, String> start() {
        server = S3Server.startOrConnect(null, 0);
        Map<String, String> config = new HashMap<>(configFor(server));
        if (bucketProperty != null) {
            config.put(bucketProperty, server.bucket());
        }
        if (storageProperty != null) {
            config.put(storageProperty, "s3");
        }
        return config;
    }

    /** The Quarkus Amazon S3 client's settings that reach {@code server}. */
    public static Map<String, String> configFor(S3Server server) {
        Map<String, String> config = new HashMap<>(Map.of(
                "quarkus.s3.endpoint-override", server.endpoint(),
                "quarkus.s3.path-style-access", "true",
                "quarkus.s3.aws.region", server.region()));
        if (server.accessKey() != null) {
            config.put("quarkus.s3.aws.credentials.type", "static");
            config.put("quarkus.s3.aws.credentials.static-provider.access-key-id", server.accessKey());
            config.put("quarkus.s3.aws.credentials.static-provider.secret-access-key", server.secretKey());
        }
        return config;
    }

    @Override
    public void stop() {
        if (server != null) {
            server.close();
        }
    }
}
