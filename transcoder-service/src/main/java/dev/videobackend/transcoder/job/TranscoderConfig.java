package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.transcode.Av1Ladder;
import dev.videobackend.transcoder.transcode.DecoderAllowList;
import dev.videobackend.transcoder.transcode.LadderTranscoder;
import dev.videobackend.transcoder.transcode.RungSpec;
import dev.videobackend.transcoder.transcode.SourceLimits;
import dev.videobackend.transcoder.transcode.StoryboardSpec;
import dev.videobackend.transcoder.transcode.VideoEncoder;
import dev.videobackend.transcoder.transcode.VideoEncoding;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithConverter;
import io.smallrye.config.WithDefault;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotEmpty;
import org.hibernate.validator.constraints.time.DurationMin;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** Everything an operator can tune in the transcoder; see the README's configuration table. */
@ConfigMapping(prefix = "transcoder")
public interface TranscoderConfig {

    Media media();

    Ladder ladder();

    Video video();

    Storyboard storyboard();

    Input input();

    Limits limits();

    Jobs jobs();

    /** Threads per decoder and per encoder; 0 lets FFmpeg choose from the core count. */
    @WithDefault("0")
    @Min(0)
    @Max(64)
    int encoderThreads();

    /** How much FFmpeg itself writes to standard error: quiet, panic, fatal, error, warning, info, verbose, debug. */
    @WithDefault("error")
    FfmpegLogLevel ffmpegLogLevel();

    /** Shortest gap between two progress events of a job. */
    @WithDefault("500ms")
    Duration progressInterval();

    /** How each job transcodes, from this configuration; the ladder benchmark runs with the same settings. */
    default LadderTranscoder.Settings transcodeSettings() {
        return new LadderTranscoder.Settings(
                new dev.videobackend.transcoder.transcode.Ladder(ladder().rungs()), input().allowedFormats(),
                input().allowedDecoders(), ladder().keyframeIntervalSeconds(), ladder().audioBitrate(), encoderThreads(),
                limits().toSourceLimits(), video().encoding(), video().av1().ladder(), storyboard().spec());
    }

    interface Media {
        /** The media directory shared with the catalog: sources are read from it, renditions written to it. */
        @WithDefault("media")
        Path root();
    }

    interface Ladder {
        /** {@code height:bitrate} pairs, bits per second for up to 30 frames per second; see docs/ladder.md. */
        @WithDefault("2160:16000000,1440:9000000,1080:5000000,720:2800000,480:1400000,360:800000,240:400000,144:200000")
        @WithConverter(RungSpec.ConfigConverter.class)
        @NotEmpty
        List<RungSpec> rungs();

        /** Seconds between forced keyframes, the same on every rung. */
        @WithDefault("2")
        @DecimalMin("0.5")
        @DecimalMax("10")
        double keyframeIntervalSeconds();

        /** AAC-LC stereo bitrate, bits per second. */
        @WithDefault("128000")
        @Min(32000)
        @Max(320000)
        long audioBitrate();
    }

    interface Video {
        /**
         * The H.264 encoder: {@code openh264}, or {@code x264}, which only the GPL natives have (built with
         * {@code -Pgpl}); the service does not start if the natives lack it. See docs/ladder.md.
         */
        @WithDefault("openh264")
        VideoEncoder encoder();

        /** x264's preset, ultrafast to veryslow: slower compresses better; OpenH264 ignores it. */
        @WithDefault("veryfast")
        VideoEncoding.X264Preset x264Preset();

        /**
         * {@code fixed}: the rungs' bitrates are targets; {@code capped-crf} (x264 only): constant quality
         * ({@code crf}) with the rung's bitrate as the cap. See docs/ladder.md.
         */
        @WithDefault("fixed")
        VideoEncoding.RateControl rateControl();

        /** x264's constant rate factor in {@code capped-crf}: 0 (lossless) to 51; lower is better and bigger. */
        @WithDefault("23")
        @DecimalMin("0")
        @DecimalMax("51")
        double crf();

        /** The encoding these settings describe; refuses capped-crf without x264. */
        default VideoEncoding encoding() {
            return new VideoEncoding(encoder(), x264Preset(), rateControl(), crf());
        }

        /** Optional AV1 variants of the rungs, by SVT-AV1 (both builds have it). See docs/ladder.md. */
        Av1 av1();
    }

    interface Av1 {
        /** Whether rungs get an AV1 variant besides their H.264 one; off by default, for its cost (docs/ladder.md). */
        @WithDefault("false")
        boolean enabled();

        /** The largest rung (its shorter side) that gets an AV1 variant; every rung at or below it gets one. */
        @WithDefault("720")
        @Min(16)
        int largestRung();

        /** SVT-AV1's preset, 0 (slowest, smallest) to 10 (fastest in SVT-AV1 3.x). */
        @WithDefault("10")
        @Min(0)
        @Max(Av1Ladder.MAX_PRESET)
        int preset();

        /** An AV1 variant's bitrate as a share of its H.264 rung's. */
        @WithDefault("0.6")
        @DecimalMin(value = "0", inclusive = false)
        @DecimalMax("1")
        double bitrateRatio();

        /**
         * SVT-AV1's level of parallelism ({@code lp}): 1 to 6 sets its threads and picture buffers, 0 lets it pick
         * from the cores. 1 halves its memory (docs/ladder.md); the rungs' encoders run in parallel anyway.
         */
        @WithDefault("" + Av1Ladder.DEFAULT_LEVEL_OF_PARALLELISM)
        @Min(0)
        @Max(Av1Ladder.MAX_LEVEL_OF_PARALLELISM)
        int levelOfParallelism();

        /** SVT-AV1's lookahead in frames, 0 to 120, or -1 for SVT-AV1's own; 0 saves memory (docs/ladder.md). */
        @WithDefault("" + Av1Ladder.DEFAULT_LOOKAHEAD)
        @Min(Av1Ladder.SVT_DEFAULT)
        @Max(Av1Ladder.MAX_LOOKAHEAD)
        int lookahead();

        default Av1Ladder ladder() {
            return new Av1Ladder(enabled(), largestRung(), preset(), bitrateRatio(), levelOfParallelism(),
                    lookahead());
        }
    }

    /** Scrubbing thumbnails: JPEG sprite sheets and a WebVTT track pointing into them; see docs/ladder.md. */
    interface Storyboard {
        /** Whether jobs write a storyboard. */
        @WithDefault("true")
        boolean enabled();

        /** Seconds between two thumbnails, as a whole number of the renditions' frames. */
        @WithDefault("2")
        @DecimalMin("0.5")
        @DecimalMax("60")
        double intervalSeconds();

        /** Most thumbnails of one video: a longer source gets a longer interval (6 h: one every 21.6 s). */
        @WithDefault("1000")
        @Min(10)
        @Max(10000)
        int maxThumbnails();

        /** Thumbnail width in pixels; the height follows the picture's aspect ratio, rounded to even. */
        @WithDefault("160")
        @Min(16)
        @Max(640)
        int tileWidth();

        /** Thumbnails per row of a sprite sheet. */
        @WithDefault("10")
        @Min(1)
        @Max(20)
        int columns();

        /** Rows of thumbnails per sprite sheet. */
        @WithDefault("10")
        @Min(1)
        @Max(20)
        int rows();

        default StoryboardSpec spec() {
            return new StoryboardSpec(enabled(), intervalSeconds(), maxThumbnails(), tileWidth(), columns(), rows());
        }
    }

    interface Input {
        /**
         * Demuxers the transcoder may open sources with. No playlist, concat or image-sequence demuxer belongs
         * here: they open further files or URLs named inside the upload.
         */
        @WithDefault("mov,matroska,webm,avi,mpegts,mpeg,flv,asf,ogg,mp3,wav,mxf")
        @NotEmpty
        List<String> allowedFormats();

        /**
         * Decoders (FFmpeg's names) the streams of a source may be decoded with, in order of preference; a trailing
         * {@code *} takes every decoder whose name starts so, and names this FFmpeg build lacks are skipped. A source
         * whose video or audio codec has no decoder here fails {@code UNSUPPORTED_CODEC}; see docs/ladder.md.
         */
        @WithDefault(DecoderAllowList.DEFAULT)
        @NotEmpty
        List<String> allowedDecoders();
    }

    /** What a source may be, and how much FFmpeg may read to find out; over a limit: {@code TOO_LARGE}. */
    interface Limits {
        /** Widest coded picture accepted (8K UHD). */
        @WithDefault("7680")
        @Min(16)
        int maxWidth();

        /** Tallest coded picture accepted; a portrait 8K video is 4320 wide and 7680 tall. */
        @WithDefault("7680")
        @Min(16)
        int maxHeight();

        /** Most pixels in one coded picture accepted (8K UHD). */
        @WithDefault("33177600")
        @Min(256)
        long maxPixels();

        /** Longest source accepted. */
        @WithDefault("6h")
        Duration maxDuration();

        /** Most streams of any kind in one container. */
        @WithDefault("16")
        @Min(1)
        int maxStreams();

        /** Bytes FFmpeg may read to identify the container and its streams. */
        @WithDefault("5000000")
        @Min(32)
        long probeSizeBytes();

        /** Media time FFmpeg may read to learn the streams' parameters. */
        @WithDefault("5s")
        Duration analyzeDuration();

        /** Most threads one decoder may use, whatever {@code transcoder.encoder-threads} says. */
        @WithDefault("8")
        @Min(1)
        @Max(64)
        int maxDecoderThreads();

        default SourceLimits toSourceLimits() {
            return new SourceLimits(maxWidth(), maxHeight(), maxPixels(), maxDuration(), maxStreams(), probeSizeBytes(),
                    analyzeDuration(), maxDecoderThreads());
        }
    }

    interface Jobs {
        /**
         * Attempts at one job, counted across restarts in the media directory, before it is reported as
         * {@code POISON_INPUT} without decoding it again.
         */
        @WithDefault("3")
        @Min(1)
        @Max(100)
        int maxAttempts();

        /** The least time budget of any job, and a job's budget until its source is probed. */
        @WithDefault("5m")
        @DurationMin(seconds = 1)
        Duration timeBudgetFloor();

        /**
         * The slowest pace a job may encode at, in megapixels per second over all its rungs: its time budget is the
         * pixels it is asked to encode (frames per rung, from the probed duration and the renditions' frame rate,
         * times the rungs' picture sizes) at this pace, and at least the floor. See docs/ladder.md.
         */
        @WithDefault("20")
        @DecimalMin("0.1")
        @DecimalMax("100000")
        double timeBudgetMegapixelsPerSecond();

        /**
         * How long a job may go on after it was told to stop (time budget spent, or cancelled) before the process
         * halts: a thread stuck in native code cannot be interrupted, and a restart plus the attempt count is the
         * only way out.
         */
        @WithDefault("1m")
        Duration haltGrace();

        /**
         * How long a graceful stop (a deployment, a scale-in) waits for the running jobs to finish and send their
         * final events, taking no new ones meanwhile; jobs still running then are stopped and redelivered. 0 stops
         * them at once. The orchestrator's grace period must be longer, or it kills the process mid-drain: that
         * loses the work just the same and, unlike a stop, counts an attempt.
         */
        @WithDefault("0s")
        @DurationMin(seconds = 0)
        Duration drainTimeout();

        /** Cancelled job ids remembered, so that their requests are skipped if they arrive later. */
        @WithDefault("10000")
        @Min(1)
        int cancelledJobsRemembered();
    }
}
