package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.FfmpegTools;

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
}
