package dev.videobackend.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.videobackend.infra.media.DecodeCheck;
import dev.videobackend.infra.media.SampleClip;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The demo of the README: generates a clip, creates a video, uploads the clip, follows the transcode with a
 * progress bar and proves that a rendition plays by downloading and decoding it.
 */
public final class Demo {

    private static final Duration POLL = Duration.ofMillis(250);
    private static final Duration TIMEOUT = Duration.ofMinutes(10);
    private static final int BAR_WIDTH = 30;

    /** What the demo produced. */
    public record Outcome(String videoId, Path clip, JsonNode video, List<Path> downloads) {
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
        out.println("Renditions:");
        List<Path> downloads = new ArrayList<>();
        for (JsonNode rendition : video.get("renditions")) {
            out.printf(Locale.ROOT, "  %5dp  %4dx%-4d  %6.0f kbit/s  %s%n", rendition.get("height").asInt(),
                    rendition.get("width").asInt(), rendition.get("height").asInt(),
                    rendition.get("bitrate").asLong() / 1000.0, rendition.get("url").asText());
        }
        JsonNode smallest = video.get("renditions").get(video.get("renditions").size() - 1);
        Path download = catalog.download(smallest.get("url").asText(),
                workDirectory.resolve("demo-" + smallest.get("height").asInt() + "p.mp4"));
        downloads.add(download);
        DecodeCheck.Decoded decoded = DecodeCheck.decode(download);
        out.printf(Locale.ROOT, "Downloaded and decoded %s: %s %dx%d, %d frames, %.2f s. It plays.%n",
                download.getFileName(), decoded.videoCodec(), decoded.width(), decoded.height(), decoded.frames(),
                decoded.durationSeconds());
        return new Outcome(id, clip, video, downloads);
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
