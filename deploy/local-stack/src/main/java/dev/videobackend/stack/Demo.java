package dev.videobackend.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.DecodeCheck;
import dev.videobackend.infra.media.SampleClip;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The demo of the README: generates a clip, creates a video, uploads the clip, follows the transcode with a
 * progress bar and proves that the result plays by downloading its HLS presentation and decoding it.
 */
public final class Demo {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int BAR_WIDTH = 30;

    /** What the demo produced. */
    public record Outcome(String videoId, Path clip, JsonNode video, Path hlsMaster, Path progressive) {
    }

    private final CatalogClient catalog;
    private final Path workDirectory;
    private final PrintStream out;

    public Demo(CatalogClient catalog, Path workDirectory, PrintStream out) {
        this.catalog = catalog;
        this.workDirectory = workDirectory;
        this.out = out;
    }

    public Outcome run(SampleClip.Spec spec) {
        out.printf(Locale.ROOT, "Generating a %.0f s %dx%d clip with sound...%n", spec.durationSeconds(), spec.width(),
                spec.height());
        Path clip = SampleClip.write(spec, workDirectory.resolve("demo-clip.mp4"));
        String id = catalog.createVideo("Demo clip", "A test pattern with a tone, made by the local stack", "demo");
        out.println("Created video " + id + "; uploading " + clip.getFileName() + "...");
        JsonNode accepted = catalog.upload(id, clip);
        out.println("Upload stored (" + accepted.get("sizeBytes").asLong() + " bytes, sha256 "
                + accepted.get("sha256").asText().substring(0, 12) + "...), transcode queued as job "
                + accepted.get("jobId").asText());

        JsonNode video = follow(id);
        if (!"READY".equals(video.get("status").asText())) {
            throw new IllegalStateException("The transcode ended " + video.get("status").asText() + ": "
                    + video.get("failure"));
        }
        JsonNode media = video.get("media");
        out.println("HLS master playlist: " + media.get("hls").asText());
        for (JsonNode rendition : video.get("renditions")) {
            out.printf(Locale.ROOT, "  %4dx%-4d  %6.0f kbit/s peak, %6.0f average  %s%n",
                    rendition.get("width").asInt(), rendition.get("height").asInt(),
                    rendition.get("bitrate").asLong() / 1000.0, rendition.get("averageBitrate").asLong() / 1000.0,
                    rendition.get("url").asText());
        }
        out.println("Poster: " + media.get("poster").get("url").asText());
        out.println("Progressive MP4: " + media.get("progressive").get("url").asText());
        Path master = catalog.downloadHls(media.get("hls").asText(), workDirectory.resolve("hls"));
        DecodeCheck.Decoded decoded = DecodeCheck.decode(master);
        out.printf(Locale.ROOT, "Downloaded the HLS presentation and decoded it: %s %dx%d, %d frames, %.2f s. It plays.%n",
                decoded.videoCodec(), decoded.width(), decoded.height(), decoded.frames(), decoded.durationSeconds());
        Path progressive = catalog.download(media.get("progressive").get("url").asText(),
                workDirectory.resolve("progressive.mp4"));
        return new Outcome(id, clip, video, master, progressive);
    }

    /** Polls the video until its transcode ends, drawing the progress it reports. */
    private JsonNode follow(String id) {
        long deadline = System.nanoTime() + TIMEOUT.toNanos();
        String lastLine = "";
        while (System.nanoTime() < deadline) {
            JsonNode video = catalog.video(id);
            String status = video.get("status").asText();
            String line = progressLine(status, video.get("progress"));
            if (!line.equals(lastLine)) {
                out.print("\r" + line);
                out.flush();
                lastLine = line;
            }
            if (status.equals("READY") || status.equals("FAILED")) {
                out.println();
                return video;
            }
            try {
                Thread.sleep(POLL.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("Interrupted while following the transcode", e);
            }
        }
        throw new IllegalStateException("The transcode did not end within " + TIMEOUT.toMinutes() + " minutes");
    }

    static String progressLine(String status, JsonNode progress) {
        double percent = progress == null || progress.isNull() ? 0 : progress.get("percent").asDouble();
        int filled = (int) Math.round(percent / 100 * BAR_WIDTH);
        StringBuilder line = new StringBuilder("[")
                .append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ")
                .append(String.format(Locale.ROOT, "%5.1f%%  %-10s", percent, status));
        if (progress != null && !progress.isNull()) {
            line.append(String.format(Locale.ROOT, " %-9s", progress.get("stage").asText()));
            if (progress.hasNonNull("speed") && progress.get("speed").asDouble() > 0) {
                line.append(String.format(Locale.ROOT, " %5.1fx real time, %4.0f fps, ETA %3.0f s",
                        progress.get("speed").asDouble(), progress.get("framesPerSecond").asDouble(),
                        progress.get("etaSeconds").asDouble()));
            }
        }
        return line.toString();
    }
}
