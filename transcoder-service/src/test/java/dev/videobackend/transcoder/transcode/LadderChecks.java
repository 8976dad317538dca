package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** What every ladder must satisfy, checked as ffprobe reads the files written ({@code FfmpegTools}). */
final class LadderChecks {

    private static final Pattern STREAM_INF = Pattern.compile(
            "#EXT-X-STREAM-INF:BANDWIDTH=(\\d+),AVERAGE-BANDWIDTH=(\\d+),RESOLUTION=(\\d+)x(\\d+),"
                    + "FRAME-RATE=([0-9.]+),CODECS=\"([^\"]+)\"(,AUDIO=\"audio\")?\\n([^\\n]+)\\n");

    private LadderChecks() {
    }

    /**
     * Each rung: H.264 yuv420p at its size, even, at the expected constant frame rate, video only, lasting as long
     * as the source within one frame.
     */
    static void assertRenditions(LadderTranscoder.Result result, double sourceDuration, double frameRate) {
        for (LadderTranscoder.Rendition rendition : result.renditions()) {
            MediaInfo info = FfmpegTools.probe(rendition.playlist());
            MediaInfo.Stream video = info.video().orElseThrow();
            assertThat(info.audioStreams()).as("audio in %s", rendition.playlist()).isEmpty();
            assertThat(video.codecName()).isEqualTo("h264");
            assertThat(video.pixelFormat()).isEqualTo("yuv420p");
            assertThat(video.width()).isEqualTo(rendition.rung().width()).isEven();
            assertThat(video.height()).isEqualTo(rendition.rung().height()).isEven();
            assertThat(rendition.frameRate()).isCloseTo(frameRate, within(0.01));
            assertThat(rendition.frameRate()).isLessThanOrEqualTo(60);
            assertThat(packetDurations(rendition.playlist())).as("constant frame rate").hasSize(1);
            assertThat(rendition.durationSeconds()).isCloseTo(sourceDuration, within(1 / frameRate + 1e-3));
            assertThat(info.format().duration()).isCloseTo(sourceDuration, within(1 / frameRate + 1e-3));
            assertThat(rendition.codecs()).matches("avc1\\.[0-9a-f]{6}");
            assertThat(rendition.peakBitrate()).isGreaterThanOrEqualTo(rendition.averageBitrate()).isPositive();
            assertThat(rendition.playlist().getParent().getFileName().toString()).isEqualTo(rendition.rung().name());
            assertThat(rendition.playlist().resolveSibling("init.mp4")).isRegularFile();
            assertThat(rendition.playlist().resolveSibling("segment-00001.m4s")).isRegularFile();
        }
    }

    /** Keyframe times, identical on every rung. */
    static List<String> assertKeyframesAligned(LadderTranscoder.Result result) {
        List<List<String>> keyframes = result.renditions().stream().map(r -> keyframeTimes(r.playlist())).toList();
        assertThat(keyframes.get(0)).isNotEmpty();
        assertThat(keyframes).allSatisfy(times -> assertThat(times).isEqualTo(keyframes.get(0)));
        return keyframes.get(0);
    }

    /**
     * The master playlist opens in ffprobe with every rung, then every AV1 variant, as a variant, and its attributes
     * are the measurements: BANDWIDTH the peak segment bitrate of the rung plus the audio's, CODECS the encoder's
     * real profile.
     */
    static void assertMasterPlaylistListsWhatWasWritten(LadderTranscoder.Result result) {
        String master = read(result.masterPlaylist());
        Matcher variant = STREAM_INF.matcher(master);
        List<String> uris = new ArrayList<>();
        List<LadderTranscoder.Rendition> variants = new ArrayList<>(result.renditions());
        variants.addAll(result.av1Renditions());
        for (LadderTranscoder.Rendition rendition : variants) {
            assertThat(variant.find()).as("a variant for %s in\n%s", rendition.rung().name(), master).isTrue();
            long audioPeak = result.audio() == null ? 0 : result.audio().peakBitrate();
            long audioAverage = result.audio() == null ? 0 : result.audio().averageBitrate();
            assertThat(Long.parseLong(variant.group(1))).isEqualTo(rendition.peakBitrate() + audioPeak);
            assertThat(Long.parseLong(variant.group(2))).isEqualTo(rendition.averageBitrate() + audioAverage);
            assertThat(Integer.parseInt(variant.group(3))).isEqualTo(rendition.rung().width());
            assertThat(Integer.parseInt(variant.group(4))).isEqualTo(rendition.rung().height());
            assertThat(variant.group(6)).isEqualTo(result.audio() == null ? rendition.codecs()
                    : rendition.codecs() + ",mp4a.40.2");
            assertThat(variant.group(7) != null).isEqualTo(result.audio() != null);
            assertThat(variant.group(8)).isEqualTo(rendition.playlist().getParent().getFileName() + "/playlist.m3u8");
            uris.add(variant.group(8));
        }
        assertThat(variant.find()).isFalse();
        assertThat(master.contains("#EXT-X-MEDIA:TYPE=AUDIO")).isEqualTo(result.audio() != null);
        assertThat(FfmpegTools.probe(result.masterPlaylist()).format().programCount()).isEqualTo(uris.size());
    }

    /** Distinct video packet durations, in the stream's time base ("N/A" when unknown): one for a constant rate. */
    static List<String> packetDurations(Path media) {
        return FfmpegTools.packets(media, "video").stream()
                .map(packet -> packet.duration() == 0 ? "N/A" : Long.toString(packet.duration()))
                .distinct().toList();
    }

    /** Times of the video keyframes, to the microsecond, as ffprobe prints {@code pts_time}. */
    static List<String> keyframeTimes(Path media) {
        return FfmpegTools.packets(media, "video").stream().filter(MediaInfo.Packet::keyframe)
                .map(packet -> packet.ptsTime() == null ? "N/A" : String.format(Locale.ROOT, "%.6f", packet.ptsTime()))
                .toList();
    }

    /** The MP4 boxes at the top of the file, in order ({@code moov} before {@code mdat}: faststart). */
    static List<String> topLevelBoxes(Path mp4) {
        List<String> boxes = new ArrayList<>();
        try (InputStream file = Files.newInputStream(mp4); DataInputStream in = new DataInputStream(file)) {
            long remaining = Files.size(mp4);
            while (remaining >= 8) {
                long size = in.readInt() & 0xffffffffL;
                byte[] type = new byte[4];
                in.readFully(type);
                long header = 8;
                if (size == 1) {
                    size = in.readLong();
                    header = 16;
                }
                boxes.add(new String(type, java.nio.charset.StandardCharsets.US_ASCII));
                in.skipNBytes(size - header);
                remaining -= size;
            }
        } catch (IOException e) {
            throw new AssertionError("Cannot read the boxes of " + mp4, e);
        }
        return boxes;
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }
}
