package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.FfmpegTools;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Short sources of every awkward kind, made as {@code ffmpeg} command lines say, in this process (FfmpegTools). */
final class GeneratedSources {

    private GeneratedSources() {
    }

    /** What {@code ffmpeg -y <arguments> <target>} writes; see {@link FfmpegTools#generate} for the options. */
    static Path ffmpeg(Path target, String... arguments) {
        return FfmpegTools.generate(target, arguments);
    }

    /** libavfilter's test pattern of this size, rate and length. */
    static String pattern(int width, int height, String frameRate, double seconds) {
        return "testsrc2=size=" + width + "x" + height + ":rate=" + frameRate + ":duration=" + seconds;
    }

    /** A stereo tone of this length. */
    static String tone(double seconds) {
        return "sine=frequency=440:sample_rate=44100:duration=" + seconds + ",aformat=channel_layouts=stereo";
    }

    /** H.264 (OpenH264) video with an AAC tone, in MP4. */
    static Path h264WithAudio(Path target, int width, int height, String frameRate, double seconds) {
        return ffmpeg(target, "-f", "lavfi", "-i", pattern(width, height, frameRate, seconds),
                "-f", "lavfi", "-i", tone(seconds), "-c:v", "libopenh264", "-b:v", "2M", "-c:a", "aac", "-shortest");
    }

    /**
     * The parts' bytes one after the other, as a broadcast stream switching formats: transport streams, each
     * generated with its timestamps following on from the previous one's.
     */
    static Path concatenate(Path target, Path... parts) {
        try (OutputStream out = Files.newOutputStream(target)) {
            for (Path part : parts) {
                Files.copy(part, out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + target, e);
        }
        return target;
    }

    /** H.264 (OpenH264) video in MPEG-TS, its timestamps starting {@code startSeconds} in. */
    static Path h264Ts(Path target, int width, int height, double startSeconds, double seconds) {
        return ffmpeg(target, "-f", "lavfi", "-i", pattern(width, height, "25", seconds),
                "-vf", "setpts=PTS+" + startSeconds + "/TB", "-c:v", "libopenh264", "-b:v", "1M", "-f", "mpegts");
    }
}
