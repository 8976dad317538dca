package dev.videobackend.deploy.kubernetes;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The source-tree reader the consistency tests rely on finds what the services really declare. */
class ServiceConfigTest {

    @Test
    void readsApplicationPropertiesAndConfigMappingsWithTheirDefaults() {
        ServiceConfig catalog = ServiceConfig.of("catalog-service");
        assertThat(catalog.value("quarkus.http.port")).isEqualTo("8080");
        assertThat(catalog.mappedProperties)
                .containsEntry("catalog.media.root", Optional.of("media"))
                .containsEntry("catalog.media.public-base-url", Optional.empty())
                .containsEntry("catalog.media.max-upload-bytes", Optional.of("10737418240"))
                .containsEntry("catalog.outbox.catalog-events-topic", Optional.of("video.catalog.events"));

        ServiceConfig transcoder = ServiceConfig.of("transcoder-service");
        assertThat(transcoder.mappedProperties)
                .containsEntry("transcoder.jobs.halt-grace", Optional.of("1m"))
                .containsEntry("transcoder.limits.max-width", Optional.of("7680"))
                .containsEntry("transcoder.media.root", Optional.of("media"))
                .doesNotContainKey("transcoder.limits.to-source-limits");
        assertThat(transcoder.reads("transcoder.media.root")).isTrue();
        assertThat(transcoder.reads("transcoder.media.rooot")).isFalse();
        assertThat(transcoder.reads("catalog.media.root")).isFalse();
    }

    @Test
    void mapsPropertiesToEnvironmentNamesAsMicroProfileConfigDoes() {
        assertThat(ServiceConfig.environmentName("quarkus.datasource.username")).isEqualTo("QUARKUS_DATASOURCE_USERNAME");
        assertThat(ServiceConfig.environmentName("kafka.sasl.jaas.config")).isEqualTo("KAFKA_SASL_JAAS_CONFIG");
    }
}
