package dev.videobackend.transcoder.bench;

import dev.videobackend.transcoder.transcode.Rung;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import dev.videobackend.transcoder.transcode.VideoEncoding;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;

/**
 * The same ladder made with the {@code ffmpeg} executable, encoded as the service encodes (its H.264 encoder, High
 * profile, CABAC, the rung's bitrate with a 1.5 times peak, no B-frames, a keyframe at every interval and nowhere
 * else, the same thread counts, bicubic scaling, AAC once at the same bitrate) into the same HLS layout: fMP4
 * segments cut at the keyframes, {@code {rung}p/playlist.m3u8}.
 */
final class CliLadder {

    /** What the CLI copies of the service's settings; {@code encoderThreads} 0 lets FFmpeg decide, as the service. */
    record Settings(List<Rung> rungs, int frameRate, double keyframeIntervalSeconds, long audioBitrate,
            int decoderThreads, int encoderThreads, VideoEncoding video) {

        Settings {
            if (video.rateControl() != VideoEncoding.RateControl.FIXED) {
                throw new IllegalArgumentException("The CLI ways copy fixed bitrates only, not " + video);
            }
        }
    }

    private final Settings settings;

    CliLadder(Settings settings) {
        this.settings = settings;
    }

    /** One process: decode once, {@code split} to every rung's scaler and encoder, AAC once in a shared group. */
    List<String> splitArguments(Path source, Path output) {
        List<Rung> rungs = settings.rungs();
        StringJoiner graph = new StringJoiner(";");
        StringBuilder split = new StringBuilder("[0:v]fps=" + settings.frameRate() + ",split=" + rungs.size());
        for (int i = 0; i < rungs.size(); i++) {
            split.append("[s").append(i).append(']');
        }
        graph.add(split);
        for (int i = 0; i < rungs.size(); i++) {
            graph.add("[s" + i + "]" + scale(rungs.get(i)) + "[v" + i + "]");
        }
        List<String> arguments = input(source);
        arguments.addAll(List.of("-filter_complex", graph.toString()));
        StringJoiner streamMap = new StringJoiner(" ");
        streamMap.add("a:0,agroup:audio,name:audio");
        for (int i = 0; i < rungs.size(); i++) {
            arguments.addAll(List.of("-map", "[v" + i + "]"));
            streamMap.add("v:" + i + ",agroup:audio,name:" + rungs.get(i).name());
        }
        arguments.addAll(List.of("-map", "0:a"));
        arguments.addAll(h264Options());
        for (int i = 0; i < rungs.size(); i++) {
            arguments.addAll(rateOptions("v:" + i, rungs.get(i)));
        }
        arguments.addAll(aacOptions());
        arguments.addAll(hls(output.resolve("%v")));
        arguments.addAll(List.of("-master_pl_name", "master.m3u8", "-var_stream_map", streamMap.toString(),
                output.resolve("%v").resolve("playlist.m3u8").toString()));
        return arguments;
    }

    /** One process per rung, as the stack the service replaces ran them: its own decode, scale, H.264 and AAC. */
    List<List<String>> perRungArguments(Path source, Path output) {
        List<List<String>> commands = new ArrayList<>();
        for (Rung rung : settings.rungs()) {
            Path directory = output.resolve(rung.name());
            List<String> arguments = input(source);
            arguments.addAll(List.of("-vf", "fps=" + settings.frameRate() + "," + scale(rung), "-map", "0:v",
                    "-map", "0:a"));
            arguments.addAll(h264Options());
            arguments.addAll(rateOptions("v", rung));
            arguments.addAll(aacOptions());
            arguments.addAll(hls(directory));
            arguments.add(directory.resolve("playlist.m3u8").toString());
            commands.add(arguments);
        }
        return commands;
    }

    Measurement run(Way way, Path source, Path output) {
        createDirectories(output);
        return switch (way) {
            case CLI_SPLIT -> {
                settings.rungs().forEach(rung -> createDirectories(output.resolve(rung.name())));
                createDirectories(output.resolve("audio"));
                yield FfmpegCli.measure(splitArguments(source, output));
            }
            case CLI_PER_RUNG -> perRungArguments(source, output).stream()
                    .peek(arguments -> createDirectories(Path.of(arguments.get(arguments.size() - 1)).getParent()))
                    .map(FfmpegCli::measure)
                    .reduce(Measurement::then).orElseThrow();
            case OURS -> throw new IllegalArgumentException("The CLI does not run " + way);
        };
    }

    private List<String> input(Path source) {
        // -benchmark prints its figures at the info level.
        return new ArrayList<>(List.of("-hide_banner", "-nostdin", "-nostats", "-y", "-loglevel", "info",
                "-threads", String.valueOf(settings.decoderThreads()), "-i", source.toString()));
    }

    /** As {@code VideoFilters}: bicubic, 4:2:0, square pixels. */
    private static String scale(Rung rung) {
        return String.format(Locale.ROOT, "scale=w=%d:h=%d:flags=bicubic,format=yuv420p,setsar=1", rung.width(),
                rung.height());
    }

    /** As {@code Encoder.h264} and the keyframes {@code RungEncoder} forces. */
    private List<String> h264Options() {
        int gopFrames = (int) Math.max(1, Math.round(settings.keyframeIntervalSeconds() * settings.frameRate()));
        List<String> options = new ArrayList<>(List.of("-c:v", settings.video().encoder().codecName(),
                "-profile:v", "high", "-bf:v", "0",
                "-g:v", String.valueOf(gopFrames), "-threads:v", String.valueOf(settings.encoderThreads()),
                "-force_key_frames:v", String.format(Locale.ROOT, "expr:gte(t,n_forced*%s)",
                        seconds(settings.keyframeIntervalSeconds()))));
        switch (settings.video().encoder()) {
            case OPENH264 -> options.addAll(List.of("-coder:v", "cabac"));
            // x264's CABAC is its default; the rest as Encoder.h264: its preset, IDR keyframes, no scene cuts.
            case X264 -> options.addAll(List.of("-preset:v", settings.video().x264Preset().name()
                    .toLowerCase(Locale.ROOT), "-forced-idr:v", "1", "-sc_threshold:v", "0"));
        }
        return options;
    }

    /** The rung's bitrate, its 1.5 times peak, and for x264 the two-second buffer without which it ignores a peak. */
    private List<String> rateOptions(String stream, Rung rung) {
        long bitrate = rung.videoBitrate();
        List<String> options = new ArrayList<>(List.of("-b:" + stream, String.valueOf(bitrate),
                "-maxrate:" + stream, String.valueOf(bitrate * 3 / 2)));
        if (settings.video().encoder() == VideoEncoder.X264) {
            options.addAll(List.of("-bufsize:" + stream, String.valueOf(bitrate * 2)));
        }
        return options;
    }

    private List<String> aacOptions() {
        return List.of("-c:a", "aac", "-b:a", String.valueOf(settings.audioBitrate()), "-ar", "48000", "-ac", "2");
    }

    /** The same files as {@code Muxer.hls}, which runs FFmpeg as a live window and writes the VOD playlist itself. */
    private List<String> hls(Path directory) {
        return List.of("-f", "hls", "-hls_time", seconds(settings.keyframeIntervalSeconds()),
                "-hls_playlist_type", "vod", "-hls_segment_type", "fmp4", "-hls_fmp4_init_filename", "init.mp4",
                "-hls_segment_filename", directory.resolve("segment-%05d.m4s").toString(), "-start_number", "1",
                "-hls_flags", "independent_segments");
    }

    private static String seconds(double value) {
        return String.format(Locale.ROOT, "%.3f", value);
    }

    private static void createDirectories(Path directory) {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not create " + directory, e);
        }
    }
}
