package dev.videobackend.catalog;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalog with its media in a bucket of a real S3 server (S3Proxy), behind a forwarder the tests can switch off
 * ({@link SwitchableS3Resource}): parts of 5 MiB, uploads up to 64 MiB.
 */
public class S3StorageProfile extends CatalogTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
        resources.add(new TestResourceEntry(SwitchableS3Resource.class, Map.of(
                "bucket-property", "catalog.storage.s3.bucket",
                "storage-property", "catalog.storage.type")));
        return resources;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("catalog.storage.s3.prefix", "media/",
                "catalog.storage.s3.part-size-bytes", "5242880",
                "catalog.media.max-upload-bytes", "67108864");
    }
}
