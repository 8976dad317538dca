package dev.videobackend.transcoder.job;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A job with AV1 variants on ({@code transcoder.video.av1.*}), through the real path: its completion lists them in
 * {@code av1Renditions}, published next to the H.264 rungs and in the master playlist.
 */
@QuarkusTest
@TestProfile(Av1JobTest.Av1Profile.class)
class Av1JobTest extends JobTrafficTest {

    public static class Av1Profile extends TranscoderTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            // A lookahead other than the default: the setting reaches SVT-AV1, which would refuse a bad one.
            return Map.of("transcoder.video.av1.enabled", "true", "transcoder.video.av1.largest-rung", "240",
                    "transcoder.video.av1.lookahead", "16",
                    "transcoder.ladder.rungs", "360:800000,240:400000,144:200000");
        }
    }

    @Test
    void theCompletionListsTheAv1VariantsItPublished() throws IOException {
        UUID videoId = UUID.randomUUID();
        UUID jobId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(2.0), traffic.sourcePath(videoId));

        traffic.request(videoId, jobId, source);
        JsonNode completed = traffic.awaitEvent(jobId, "TranscodeCompleted");

        assertThat(completed.get("renditions")).extracting(r -> r.get("videoCodec").asText())
                .containsExactly("h264", "h264", "h264");
        JsonNode av1 = completed.get("av1Renditions");
        assertThat(av1).extracting(r -> r.get("height").asInt()).containsExactly(240, 144);
        String master = Files.readString(mediaRoot.resolve(completed.get("masterPlaylistPath").asText()));
        for (JsonNode variant : av1) {
            assertThat(variant.get("videoCodec").asText()).isEqualTo("av1");
            assertThat(variant.get("codecs").asText()).matches("av01\\.0\\.\\d\\dM\\.08");
            String path = variant.get("path").asText();
            assertThat(path).startsWith("renditions/" + videoId + "/" + jobId + "/").endsWith("p-av1/playlist.m3u8");
            assertThat(mediaRoot.resolve(path)).isRegularFile();
            assertThat(master).contains("CODECS=\"" + variant.get("codecs").asText() + ",mp4a.40.2\"")
                    .contains(path.substring(path.indexOf(jobId.toString()) + jobId.toString().length() + 1));
        }
    }
}
