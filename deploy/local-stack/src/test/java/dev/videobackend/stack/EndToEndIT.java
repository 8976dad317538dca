package dev.videobackend.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.FreePort;
import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;
import dev.videobackend.infra.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The whole path, for real: both packaged services as separate processes, the embedded PostgreSQL and Kafka, a
 * generated clip uploaded over HTTP, transcoded in process by the transcoder, and its output (the HLS ladder, the
 * progressive MP4, the poster and the storyboard) served by the catalog and checked with ffprobe. Then a restart on the same data
 * directory, which must keep the video. Once with the media directory the services share, once with a bucket of
 * the embedded S3 server and nothing shared on disk.
 */
class EndToEndIT {

    private static final Path CATALOG = Path.of(System.getProperty("catalog.app"));
    private static final Path TRANSCODER = Path.of(System.getProperty("transcoder.app"));

    @TempDir
    Path data;

    @Test
    void anUploadBecomesAPlayableLadderThatSurvivesARestart() throws IOException {
        endToEnd(MediaStore.FILESYSTEM);
    }

    @Test
    void theSameWithMediaInABucket() throws IOException {
        endToEnd(MediaStore.S3);
    }

    private void endToEnd(MediaStore store) throws IOException {
        LocalStack.Settings settings = new LocalStack.Settings(data, FreePort.find(), FreePort.find(), CATALOG,
                TRANSCODER, false).withMediaStore(store);
        String id;
        String masterUrl;
        List<Long> services;
        try (LocalStack stack = LocalStack.start(settings)) {
            services = stack.servicePids();
            CatalogClient client = new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader());
            Demo.Outcome outcome = new Demo(client, data.resolve("demo"), System.out)
                    .run(new SampleClip.Spec(640, 360, 30, 3.0, true));
            id = outcome.videoId();
            double sourceDuration = FfmpegTools.probe(outcome.clip()).format().duration();
            JsonNode video = outcome.video();

            assertThat(video.get("status").asText()).isEqualTo("READY");
            assertThat(video.get("progress").get("percent").asDouble()).isEqualTo(100.0);
            assertThat(video.get("source").get("height").asInt()).isEqualTo(360);
            JsonNode renditions = video.get("renditions");
            assertThat(renditions).extracting(r -> r.get("height").asInt()).containsExactly(360, 240, 144);
            masterUrl = video.get("media").get("hls").asText();
            assertThat(masterUrl).startsWith(stack.catalogUrl() + "/media/" + id + "/").endsWith("/master.m3u8");

            MediaInfo ladder = FfmpegTools.probe(outcome.hlsMaster());
            assertThat(ladder.videoStreams()).extracting(MediaInfo.Stream::codecName).containsOnly("h264");
            assertThat(ladder.videoStreams()).extracting(stream -> stream.width() + "x" + stream.height())
                    .containsExactlyInAnyOrderElementsOf(sizes(renditions));
            assertThat(ladder.audio().orElseThrow().codecName()).isEqualTo("aac");
            assertThat(ladder.format().duration()).isCloseTo(sourceDuration, within(0.1));

            MediaInfo progressive = FfmpegTools.probe(outcome.progressive());
            assertThat(progressive.video().orElseThrow().codecName()).isEqualTo("h264");
            assertThat(progressive.audio().orElseThrow().codecName()).isEqualTo("aac");
            assertThat(progressive.format().duration()).isCloseTo(sourceDuration, within(0.1));

            JsonNode poster = video.get("media").get("poster");
            MediaInfo.Stream still = FfmpegTools.probe(client.download(poster.get("url").asText(),
                    data.resolve("poster.jpg"))).video().orElseThrow();
            assertThat(still.codecName()).isEqualTo("mjpeg");
            assertThat(still.width()).isEqualTo(poster.get("width").asInt());

            // 3 s, a thumbnail every 2 s: two, on one sheet, 160x90 each.
            JsonNode storyboard = video.get("media").get("storyboard");
            assertThat(storyboard.get("intervalSeconds").asDouble()).isEqualTo(2.0);
            assertThat(storyboard.get("thumbnails").asInt()).isEqualTo(2);
            String vtt = Files.readString(client.download(storyboard.get("url").asText(),
                    data.resolve("storyboard.vtt")));
            assertThat(vtt).startsWith("WEBVTT\n").contains(
                    "00:00:00.000 --> 00:00:02.000\nsprite-001.jpg#xywh=0,0,160,90\n",
                    "00:00:02.000 --> ", "sprite-001.jpg#xywh=160,0,160,90\n");
            JsonNode sprite = storyboard.get("sprites").get(0);
            MediaInfo.Stream sheet = FfmpegTools.probe(client.download(sprite.get("url").asText(),
                    data.resolve("sprite-001.jpg"))).video().orElseThrow();
            assertThat(sheet.codecName()).isEqualTo("mjpeg");
            assertThat(List.of(sheet.width(), sheet.height()))
                    .containsExactly(sprite.get("width").asInt(), sprite.get("height").asInt());
            if (store == MediaStore.S3) {
                try (Stream<Path> shared = Files.list(stack.mediaRoot())) {
                    assertThat(shared).as("nothing in the media directory").isEmpty();
                }
            }
        }
        assertThat(services).allSatisfy(pid -> assertThat(ProcessHandle.of(pid).filter(ProcessHandle::isAlive)).isEmpty());
        assertThat(ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)).isEmpty();

        try (LocalStack restarted = LocalStack.start(settings)) {
            CatalogClient client = new CatalogClient(restarted.catalogUrl(), restarted.tokens().demoUploader());
            JsonNode video = client.video(id);
            assertThat(video.get("status").asText()).isEqualTo("READY");
            assertThat(video.get("media").get("hls").asText()).isEqualTo(masterUrl);
            Path again = client.downloadHls(masterUrl, data.resolve("after-restart"));
            assertThat(FfmpegTools.probe(again).videoStreams()).hasSize(3);
        }
    }

    private static List<String> sizes(JsonNode renditions) {
        List<String> sizes = new ArrayList<>();
        renditions.forEach(r -> sizes.add(r.get("width").asInt() + "x" + r.get("height").asInt()));
        return sizes;
    }
}
