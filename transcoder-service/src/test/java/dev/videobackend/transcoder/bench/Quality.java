package dev.videobackend.transcoder.bench;

import dev.videobackend.infra.media.FfmpegTools;
import dev.videobackend.infra.media.MediaInfo;
import dev.videobackend.transcoder.transcode.Rung;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How close one rung is to the source, the same way for every way: the rung's media playlist is decoded, scaled
 * back to the source's size with lanczos and compared frame by frame with the decoded source (both from their
 * first frame, at the output frame rate) by libavfilter's {@code psnr} and {@code ssim}; the bitrate is the
 * rung's video packets' bytes over the source's duration.
 */
record Quality(Rung rung, double psnrAverage, double psnrLuma, double ssimAll, long videoBitrate) {

    private static final Pattern PSNR = Pattern.compile("PSNR y:([0-9.]+|inf) .* average:([0-9.]+|inf)");
    private static final Pattern SSIM = Pattern.compile("SSIM Y:.* All:([0-9.]+)");

    /** The command that compares {@code playlist} with {@code source}, for the report. */
    static List<String> arguments(Path playlist, Path source, BenchParameters parameters) {
        String graph = String.format(Locale.ROOT,
                "[0:v]setpts=PTS-STARTPTS,scale=w=%d:h=%d:flags=lanczos,format=yuv420p,setsar=1,split[d1][d2];"
                        + "[1:v]fps=%d,setpts=PTS-STARTPTS,format=yuv420p,setsar=1,split[r1][r2];"
                        + "[d1][r1]psnr[p];[d2][r2]ssim[s]",
                parameters.width(), parameters.height(), parameters.frameRate());
        return List.of("-hide_banner", "-nostdin", "-loglevel", "info", "-i", playlist.toString(),
                "-i", source.toString(), "-filter_complex", graph, "-map", "[p]", "-map", "[s]", "-f", "null", "-");
    }

    static Quality measure(Rung rung, Path playlist, Path source, BenchParameters parameters) {
        String log = FfmpegCli.run(arguments(playlist, source, parameters));
        Matcher psnr = PSNR.matcher(log);
        Matcher ssim = SSIM.matcher(log);
        if (!psnr.find() || !ssim.find()) {
            throw new IllegalStateException("The psnr and ssim filters printed no summary for " + playlist + ": "
                    + log);
        }
        return new Quality(rung, decibels(psnr.group(2)), decibels(psnr.group(1)), Double.parseDouble(ssim.group(1)),
                videoBitrate(playlist, parameters.seconds()));
    }

    private static double decibels(String value) {
        return "inf".equals(value) ? Double.POSITIVE_INFINITY : Double.parseDouble(value);
    }

    /** Bits of the playlist's video packets per second of source. */
    private static long videoBitrate(Path playlist, double seconds) {
        long bytes = FfmpegTools.packets(playlist, "video").stream().mapToLong(MediaInfo.Packet::size).sum();
        return Math.round(bytes * 8 / seconds);
    }
}
