package dev.videobackend.deploy.kubernetes;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ResourceRequirements;

/**
 * The fields of CloudNativePG's {@code Cluster} (postgresql.cnpg.io/v1) these manifests use. CloudNativePG has no
 * Java model; a record fails on any field it does not declare, so a new field in the manifests needs a line here
 * and a look at the operator's API reference.
 */
record CloudNativePgCluster(String apiVersion, String kind, ObjectMeta metadata, Spec spec) {

    record Spec(int instances, String imageName, Bootstrap bootstrap, Storage storage,
                ResourceRequirements resources, Backup backup) {
    }

    record Bootstrap(InitDb initdb) {
    }

    record InitDb(String database, String owner) {
    }

    record Storage(String size, String storageClass) {
    }

    record Backup(String retentionPolicy, BarmanObjectStore barmanObjectStore) {
    }

    record BarmanObjectStore(String destinationPath, String endpointURL, S3Credentials s3Credentials,
                             Compression wal, Compression data) {
    }

    record S3Credentials(SecretKey accessKeyId, SecretKey secretAccessKey) {
    }

    record SecretKey(String name, String key) {
    }

    record Compression(String compression) {
    }
}
