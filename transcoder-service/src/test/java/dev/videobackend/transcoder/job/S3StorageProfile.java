package dev.videobackend.transcoder.job;

import dev.videobackend.infra.quarkus.S3Resource;
import dev.videobackend.transcoder.TranscoderTestProfile;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The transcoder with its media in a bucket of a real S3 server (S3Proxy), nothing shared on disk. */
public class S3StorageProfile extends TranscoderTestProfile {

    @Override
    public List<TestResourceEntry> testResources() {
        List<TestResourceEntry> resources = new ArrayList<>(super.testResources());
        resources.add(new TestResourceEntry(S3Resource.class, Map.of(
                "bucket-property", "transcoder.storage.s3.bucket",
                "storage-property", "transcoder.storage.type")));
        return resources;
    }

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("transcoder.storage.scratch.directory", "target/test-scratch",
                "transcoder.storage.s3.prefix", "media/");
    }
}
