package dev.videobackend.catalog;

import java.util.HashMap;
import java.util.Map;

/**
 * {@link S3StorageProfile} with renditions redirected (public videos to a CDN, {@value #CDN}) and direct uploads of
 * at most 4 parts of 5 MiB.
 */
public class S3DirectProfile extends S3StorageProfile {

    public static final String CDN = "https://cdn.example.test";
    public static final int PART = 5 * 1024 * 1024;

    @Override
    public Map<String, String> getConfigOverrides() {
        Map<String, String> config = new HashMap<>(super.getConfigOverrides());
        config.put("catalog.storage.delivery", "redirect");
        config.put("catalog.storage.s3.public-base-url", CDN + "/");
        config.put("catalog.storage.s3.direct-upload.part-size-bytes", String.valueOf(PART));
        config.put("catalog.storage.s3.direct-upload.max-parts", "4");
        config.put("catalog.storage.s3.direct-upload.expiry", "10m");
        return config;
    }
}
