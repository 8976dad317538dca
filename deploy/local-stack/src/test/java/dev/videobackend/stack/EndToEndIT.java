package dev.videobackend.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;
import dev.videobackend.infra.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole path, for real: both packaged services as separate processes, the embedded PostgreSQL and Kafka, a
 * generated clip uploaded over HTTP, transcoded in process by the transcoder, and its renditions served by the
 * catalog and checked with ffprobe. Then a restart on the same data directory, which must keep the video.
 */
class EndToEndIT {

    private static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    private static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));

    @TempDir
    Path data;

    @Test
    void anUploadBecomesPlayableRenditionsThatSurviveARestart() {
        LocalStack.Settings settings = new LocalStack.Settings(data, FreePort.find(), FreePort.find(), CATALOG,
                TRANSCODER, false);
        String id;
        List<String> urls = new ArrayList<>();
        List<Long> services;
        try (LocalStack stack = LocalStack.start(settings)) {
            services = stack.servicePids();
            CatalogClient client = new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader());
            Demo.Outcome outcome = new Demo(client, data.resolve("demo"), System.out)
                    .run(new SampleClip.Spec(640, 360, 30, 3.0, true));
            id = outcome.videoId();
            MediaInfo source = FfmpegTools.probe(outcome.clip());
            JsonNode video = outcome.video();

            assertThat(video.get("status").asText()).isEqualTo("READY");
            assertThat(video.get("progress").get("percent").asDouble()).isEqualTo(100.0);
            assertThat(video.get("source").get("height").asInt()).isEqualTo(360);
            JsonNode renditions = video.get("renditions");
            assertThat(renditions).extracting(r -> r.get("height").asInt()).containsExactly(360, 240, 144);
            for (JsonNode rendition : renditions) {
                urls.add(rendition.get("url").asText());
                Path download = client.download(rendition.get("url").asText(),
                        data.resolve("check-" + rendition.get("height").asInt() + "p.mp4"));
                MediaInfo info = FfmpegTools.probe(download);
                MediaInfo.Stream stream = info.video().orElseThrow();
                assertThat(stream.codecName()).isEqualTo("h264");
                assertThat(stream.width()).isEqualTo(rendition.get("width").asInt());
                assertThat(stream.height()).isEqualTo(rendition.get("height").asInt());
                assertThat(info.format().duration()).isCloseTo(source.format().duration(), within(0.1));
                assertThat(info.audio().orElseThrow().codecName()).isEqualTo("aac");
                assertThat(rendition.get("bitrate").asLong()).isPositive();
                assertThat(rendition.get("url").asText()).startsWith(stack.catalogUrl() + "/media/" + id + "/");
            }
        }
        assertThat(services).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();

        try (LocalStack restarted = LocalStack.start(settings)) {
            CatalogClient client = new CatalogClient(restarted.catalogUrl(), restarted.tokens().demoUploader());
            JsonNode video = client.video(id);
            assertThat(video.get("status").asText()).isEqualTo("READY");
            assertThat(video.get("renditions")).extracting(r -> r.get("url").asText()).containsExactlyElementsOf(urls);
            Path again = client.download(urls.get(0), data.resolve("after-restart.mp4"));
            assertThat(FfmpegTools.probe(again).video().orElseThrow().codecName()).isEqualTo("h264");
        }
    }
}
