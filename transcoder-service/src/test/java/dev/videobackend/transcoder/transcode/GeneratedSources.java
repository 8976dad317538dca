package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.FfmpegTools;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Short sources of every awkward kind, made by the {@code ffmpeg} executable shipped in the FFmpeg jar. */
final class GeneratedSources {

    private GeneratedSources() {
    }

    /** {@code ffmpeg -y <arguments> <target>}, quiet unless it fails. */
    static Path ffmpeg(Path target, String... arguments) {
        List<String> command = new ArrayList<>(List.of("-hide_banner", "-loglevel", "error", "-y"));
        command.addAll(List.of(arguments));
        command.add(target.toString());
        FfmpegTools.run(FfmpegTools.ffmpeg(), command.toArray(String[]::new));
        return target;
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
