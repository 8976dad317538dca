package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * The storyboard, from the filter graph's sheet output ({@link VideoFilters}): each sprite sheet the graph's
 * {@code tile} filter completes is taken during the lockstep rounds, as the poster is (so that no more than one
 * waits in the graph), encoded to JPEG and written; at the end, the last sheet and the WebVTT track. Owns the sheet
 * frame, the JPEG packet and the JPEG encoder, which all sheets share as they are all the same size.
 */
final class StoryboardCapture implements AutoCloseable {

    static final String VTT = "storyboard.vtt";

    private final Path directory;
    private final StoryboardPlan plan;
    private final int output;
    private final AVFrame sheet;
    private final AVPacket jpegPacket;
    private final List<Path> sprites = new ArrayList<>();
    /** Opened with the first sheet. */
    private Encoder jpeg;

    StoryboardCapture(Path directory, VideoFilters filters) {
        this.directory = directory;
        this.plan = filters.storyboard();
        this.output = filters.storyboardOutput();
        try {
            sheet = Ffmpeg.allocated(av_frame_alloc(), "a storyboard frame");
            jpegPacket = Ffmpeg.allocated(av_packet_alloc(), "the storyboard's packet");
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Writes the sheets the graph has completed, without running it further for them. */
    void take(FilterGraph graph) {
        while (graph.take(output, sheet)) {
            write();
        }
    }

    /**
     * Once the source has ended and every rung has its last picture: runs the graph for what the storyboard
     * output still lacks (the tile filter sends the last, partial sheet only once it sees the end), then writes
     * the WebVTT track. {@code pictures} is how many pictures each
     * rung had, {@code durationSeconds} how long they last.
     */
    Storyboard finish(FilterGraph graph, long pictures, double durationSeconds) {
        while (graph.pull(output, sheet)) {
            write();
        }
        int thumbnails = (int) ((pictures + plan.framesPerThumbnail() - 1) / plan.framesPerThumbnail());
        int sheets = (thumbnails + plan.tilesPerSheet() - 1) / plan.tilesPerSheet();
        if (sheets != sprites.size()) {
            throw new TranscodeFailure(FailureCode.INTERNAL, "The storyboard has " + sprites.size()
                    + " sprite sheets for " + thumbnails + " thumbnails; " + sheets + " expected");
        }
        Path vtt = directory.resolve(VTT);
        try {
            Files.writeString(vtt, webVtt(thumbnails, durationSeconds), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + vtt, e);
        }
        return new Storyboard(vtt, List.copyOf(sprites), plan.intervalSeconds(), plan.tileWidth(),
                plan.tileHeight(), plan.columns(), plan.rows(), thumbnails);
    }

    /** One cue per thumbnail, from its time to the next one's, the last one to the end. */
    private String webVtt(int thumbnails, double durationSeconds) {
        StringBuilder vtt = new StringBuilder("WEBVTT\n");
        for (int i = 0; i < thumbnails; i++) {
            double end = i + 1 < thumbnails ? plan.secondsOf(i + 1) : Math.max(durationSeconds, plan.secondsOf(i));
            int tile = i % plan.tilesPerSheet();
            vtt.append('\n').append(timestamp(plan.secondsOf(i))).append(" --> ").append(timestamp(end)).append('\n')
                    .append(spriteName(i / plan.tilesPerSheet() + 1))
                    .append(String.format(Locale.ROOT, "#xywh=%d,%d,%d,%d\n",
                            tile % plan.columns() * plan.tileWidth(), tile / plan.columns() * plan.tileHeight(),
                            plan.tileWidth(), plan.tileHeight()));
        }
        return vtt.toString();
    }

    private static String timestamp(double seconds) {
        long millis = Math.round(seconds * 1000);
        return String.format(Locale.ROOT, "%02d:%02d:%02d.%03d", millis / 3_600_000, millis / 60_000 % 60,
                millis / 1000 % 60, millis % 1000);
    }

    static String spriteName(int number) {
        return String.format(Locale.ROOT, "sprite-%03d.jpg", number);
    }

    private void write() {
        Path file = directory.resolve(spriteName(sprites.size() + 1));
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            if (jpeg == null) {
                jpeg = Encoder.jpeg(sheet.width(), sheet.height());
            }
            jpeg.send(sheet);
            if (!jpeg.receive(jpegPacket)) {
                throw new TranscodeFailure(FailureCode.INTERNAL, "The JPEG encoder gave no sprite sheet");
            }
            ByteBuffer bytes = jpegPacket.data().capacity(jpegPacket.size()).asByteBuffer();
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        } finally {
            av_packet_unref(jpegPacket);
            av_frame_unref(sheet);
        }
        sprites.add(file);
    }

    @Override
    public void close() {
        if (jpeg != null) {
            jpeg.close();
        }
        av_frame_free(sheet);
        av_packet_free(jpegPacket);
    }
}
