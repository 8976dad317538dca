package dev.videobackend.infra.media;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * An {@code ffmpeg} command line, of the part of ffmpeg's vocabulary that tests use to make media, parsed for
 * {@link MediaWriter}: what {@code ffmpeg -y ARGUMENTS TARGET} means, without the executable. Anything outside that
 * part is refused by name rather than guessed at.
 *
 * @param inputs the {@code -i} inputs, in order
 * @param output what the options after the last input say of the output
 */
record FfmpegCommand(List<Input> inputs, Output output) {

    /** Options that take no value. */
    private static final Set<String> FLAGS = Set.of("y", "hide_banner", "nostdin", "shortest", "an");
    /** Options that change nothing in the result. */
    private static final Set<String> IGNORED = Set.of("y", "hide_banner", "nostdin", "loglevel", "v");

    /**
     * One input: a libavfilter source graph ({@code -f lavfi -i testsrc2=...}) or a media file.
     *
     * @param displayRotation {@code -display_rotation:v}: degrees counter-clockwise a player turns the video by; for a
     *                        file copied with {@code -c copy}
     */
    record Input(String source, boolean filterGraph, Double displayRotation) {
    }

    /**
     * @param format        {@code -f}; {@code null}: guessed from the target's name
     * @param videoCodec    {@code -c:v} (or {@code -c}); {@code null}: the muxer's default; {@code copy}
     * @param audioCodec    {@code -c:a} (or {@code -c}); as {@code videoCodec}
     * @param videoFilters  {@code -vf} graphs, {@code -s} and {@code -r}, applied in that order
     * @param audioFilters  {@code -af} graphs
     * @param pixelFormat   {@code -pix_fmt}
     * @param sampleRate    {@code -ar}
     * @param channels      {@code -ac}
     * @param duration      {@code -t}, seconds
     * @param videoFrames   {@code -frames:v}
     * @param noAudio       {@code -an}
     * @param shortest      {@code -shortest}: the output ends with its shortest stream
     * @param videoOptions  other options with {@code :v}, for the video encoder ({@code -b:v 2M}: {@code b=2M})
     * @param audioOptions  other options with {@code :a}, for the audio encoder
     * @param sharedOptions other options without a stream specifier, for every encoder and the muxer, each taking the
     *                      ones it knows ({@code -flags +ilme}, {@code -movflags +faststart}, {@code -deadline
     *                      realtime})
     */
    record Output(String format, String videoCodec, String audioCodec, List<String> videoFilters,
            List<String> audioFilters, String pixelFormat, Integer sampleRate, Integer channels, Double duration,
            Long videoFrames, boolean noAudio, boolean shortest, Map<String, String> videoOptions,
            Map<String, String> audioOptions, Map<String, String> sharedOptions) {

        /** Whether the streams are copied rather than encoded ({@code -c copy}): all of them, or none. */
        boolean copies() {
            boolean video = "copy".equals(videoCodec);
            if (video != "copy".equals(audioCodec)) {
                throw new IllegalArgumentException("Copying one stream and encoding another is not supported:"
                        + " use -c copy");
            }
            return video;
        }
    }

    /** Parses {@code ffmpeg}'s arguments without the target (the last argument of a real command line). */
    static FfmpegCommand parse(List<String> arguments) {
        List<Input> inputs = new ArrayList<>();
        Map<String, String> pending = new LinkedHashMap<>();
        for (int i = 0; i < arguments.size(); i++) {
            String argument = arguments.get(i);
            if (!argument.startsWith("-") || argument.length() < 2) {
                throw new IllegalArgumentException("Unexpected argument '" + argument + "': the target is passed"
                        + " separately, and every option starts with '-'");
            }
            String name = argument.substring(1);
            if (FLAGS.contains(name)) {
                pending.put(name, "");
                continue;
            }
            if (i + 1 == arguments.size()) {
                throw new IllegalArgumentException("Option " + argument + " has no value");
            }
            String value = arguments.get(++i);
            if (name.equals("i")) {
                inputs.add(input(value, pending));
                pending = new LinkedHashMap<>();
            } else {
                pending.put(name, value);
            }
        }
        if (inputs.isEmpty()) {
            throw new IllegalArgumentException("No input (-i)");
        }
        return new FfmpegCommand(inputs, output(pending));
    }

    private static Input input(String source, Map<String, String> options) {
        IGNORED.forEach(options::remove);
        String format = options.remove("f");
        String rotation = options.remove("display_rotation:v");
        if (rotation == null) {
            rotation = options.remove("display_rotation");
        }
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("Unsupported input options " + options.keySet() + " for " + source);
        }
        if (format != null && !format.equals("lavfi")) {
            throw new IllegalArgumentException("Unsupported input format " + format + ": only lavfi, or a file whose"
                    + " format is probed");
        }
        return new Input(source, format != null, rotation == null ? null : Double.parseDouble(rotation));
    }

    private static Output output(Map<String, String> options) {
        IGNORED.forEach(options::remove);
        String codec = options.remove("c");
        String videoCodec = firstOf(options, "c:v", "vcodec");
        String audioCodec = firstOf(options, "c:a", "acodec");
        List<String> videoFilters = new ArrayList<>();
        add(videoFilters, firstOf(options, "vf", "filter:v"));
        String size = options.remove("s");
        if (size != null) {
            videoFilters.add("scale=" + size.replace('x', ':'));
        }
        String rate = options.remove("r");
        if (rate != null) {
            videoFilters.add("fps=" + rate);
        }
        List<String> audioFilters = new ArrayList<>();
        add(audioFilters, firstOf(options, "af", "filter:a"));
        String fpsMode = firstOf(options, "fps_mode", "vsync");
        if (fpsMode != null && !fpsMode.equals("vfr") && !fpsMode.equals("passthrough")) {
            throw new IllegalArgumentException("Unsupported -fps_mode " + fpsMode + ": frames are encoded as the"
                    + " filters deliver them (vfr, passthrough); make the rate constant with -r");
        }
        String pixelFormat = options.remove("pix_fmt");
        String sampleRate = options.remove("ar");
        String channels = options.remove("ac");
        String duration = options.remove("t");
        String frames = firstOf(options, "frames:v", "vframes");
        boolean noAudio = options.remove("an") != null;
        boolean shortest = options.remove("shortest") != null;
        String format = options.remove("f");
        Map<String, String> video = new LinkedHashMap<>();
        Map<String, String> audio = new LinkedHashMap<>();
        Map<String, String> shared = new LinkedHashMap<>();
        options.forEach((name, value) -> {
            if (name.endsWith(":v")) {
                video.put(name.substring(0, name.length() - 2), value);
            } else if (name.endsWith(":a")) {
                audio.put(name.substring(0, name.length() - 2), value);
            } else if (name.contains(":")) {
                throw new IllegalArgumentException("Unsupported stream specifier in -" + name + ": only :v and :a");
            } else {
                shared.put(name, value);
            }
        });
        return new Output(format, videoCodec != null ? videoCodec : codec, audioCodec != null ? audioCodec : codec,
                videoFilters, audioFilters, pixelFormat, sampleRate == null ? null : Integer.valueOf(sampleRate),
                channels == null ? null : Integer.valueOf(channels), duration == null ? null : Double.valueOf(duration),
                frames == null ? null : Long.valueOf(frames), noAudio, shortest, video, audio, shared);
    }

    private static String firstOf(Map<String, String> options, String name, String alias) {
        String value = options.remove(name);
        String aliased = options.remove(alias);
        return value != null ? value : aliased;
    }

    private static void add(List<String> filters, String graph) {
        if (graph != null) {
            filters.add(graph);
        }
    }
}
