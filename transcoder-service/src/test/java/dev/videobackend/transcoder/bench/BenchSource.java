package dev.videobackend.transcoder.bench;

import java.io.IOException;
import java.math.BigDecimal;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * The benchmark's source, generated once and kept: libavfilter's {@code testsrc2} (sharp edges, moving elements,
 * a running clock) blended half and half with animated Perlin noise (soft texture that changes every frame), the
 * whole picture slowly scrolling (global motion, as a camera pan) and mild temporal grain on top, so that neither
 * motion search nor rate control has it easy; with a 440 Hz tone over pink noise as stereo audio. Encoded as a
 * phone or camera upload would be: H.264 at 10 Mbit/s (OpenH264, the only H.264 encoder of the jar), a keyframe
 * every two seconds, AAC at 160 kbit/s, 48 kHz, in MP4.
 */
final class BenchSource {

    private BenchSource() {
    }

    /** The generating command's arguments, for {@code ffmpeg}. */
    static List<String> arguments(BenchParameters parameters, Path output) {
        int width = parameters.width();
        int height = parameters.height();
        int rate = parameters.frameRate();
        String video = String.format(Locale.ROOT,
                "testsrc2=s=%dx%d:r=%d,format=yuv420p[pattern];"
                        + "perlin=s=%dx%d:r=%d:octaves=5:persistence=0.6:xscale=8:yscale=6:tscale=0.3"
                        + ":random_mode=seed:seed=7,format=yuv420p,scale=%dx%d:flags=bicubic[texture];"
                        + "[pattern][texture]blend=all_mode=average,scroll=h=0.0015:v=0.0007,"
                        + "noise=c0s=8:c0f=t+u:c1s=3:c1f=t+u:c2s=3:c2f=t+u[v];"
                        + "sine=f=440:r=48000[tone];anoisesrc=r=48000:c=pink:a=0.05[hiss];"
                        + "[tone][hiss]amix=inputs=2,aformat=channel_layouts=stereo[a]",
                width, height, rate, even(width / 3), even(height / 3), rate, width, height);
        return List.of("-hide_banner", "-nostdin", "-loglevel", "error", "-y", "-filter_complex", video,
                "-map", "[v]", "-map", "[a]", "-t", String.format(Locale.ROOT, "%.3f", parameters.seconds()),
                "-c:v", "libopenh264", "-profile:v", "high", "-b:v", "10M", "-maxrate", "15M", "-g",
                String.valueOf(2 * rate), "-c:a", "aac", "-b:a", "160k", "-ar", "48000", "-ac", "2",
                "-movflags", "+faststart", output.toString());
    }

    /** The source for these parameters, generated the first time and reused while the file is there. */
    static Path ensure(BenchParameters parameters) {
        Path source = parameters.directory().resolve(String.format(Locale.ROOT, "source-%dx%d-%dfps-%ss.mp4",
                parameters.width(), parameters.height(), parameters.frameRate(),
                new BigDecimal(parameters.seconds()).stripTrailingZeros().toPlainString()));
        if (Files.isRegularFile(source)) {
            return source;
        }
        Path partial = source.resolveSibling(source.getFileName() + ".partial.mp4");
        System.out.println("Generating the source " + source + " (once; it is kept for later runs)");
        try {
            Files.createDirectories(source.getParent());
            FfmpegCli.run(arguments(parameters, partial));
            Files.move(partial, source, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not generate " + source, e);
        }
        return source;
    }

    private static int even(int value) {
        return value & ~1;
    }
}
