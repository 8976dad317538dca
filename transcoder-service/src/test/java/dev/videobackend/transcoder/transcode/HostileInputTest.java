package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.SampleClip;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.videobackend.transcoder.transcode.GeneratedSources.ffmpeg;
import static dev.videobackend.transcoder.transcode.GeneratedSources.pattern;
import static dev.videobackend.transcoder.transcode.GeneratedSources.tone;
import static dev.videobackend.transcoder.transcode.LadderTranscoderTest.mkdir;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Sources that must be refused with the right code and a message a person understands, and writing nothing. */
class HostileInputTest {

    private static final LadderTranscoder TRANSCODER = LadderTranscoderTest.transcoder(
            List.of("360:800000", "144:200000"));

    @Test
    void refusesWhatIsNotMedia(@TempDir Path directory) throws IOException {
        byte[] noise = new byte[64 * 1024];
        new Random(7).nextBytes(noise);
        Path random = Files.write(directory.resolve("random.mp4"), noise);
        Path empty = Files.write(directory.resolve("empty.mp4"), new byte[0]);
        // Written by the ffmpeg executable, the index goes at the end: half the file has none.
        Path whole = GeneratedSources.h264WithAudio(directory.resolve("whole.mp4"), 320, 240, "25", 1.0);
        byte[] bytes = Files.readAllBytes(whole);
        Path truncated = Files.write(directory.resolve("truncated.mp4"), Arrays.copyOf(bytes, bytes.length / 2));
        // With the index at the front, the file still opens, and its media ends halfway.
        Path faststart = SampleClip.write(SampleClip.Spec.standard(4.0), directory.resolve("faststart.mp4"));
        byte[] indexFirst = Files.readAllBytes(faststart);
        Path cutShort = Files.write(directory.resolve("cut-short.mp4"), Arrays.copyOf(indexFirst, indexFirst.length / 2));

        assertFailure(random, directory, FailureCode.CORRUPT_INPUT,
                "Could not open the source as media: Invalid data found when processing input");
        assertFailure(empty, directory, FailureCode.CORRUPT_INPUT,
                "Could not open the source as media: Invalid data found when processing input");
        assertFailure(truncated, directory, FailureCode.CORRUPT_INPUT, "Could not open the source as media");
        // Found once decoded: the job, not the pipeline, discards what was written by then.
        assertThatThrownBy(() -> TRANSCODER.transcode(cutShort, mkdir(directory.resolve("out-cut")), progress -> { }))
                .isInstanceOfSatisfying(TranscodeFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo(FailureCode.CORRUPT_INPUT);
                    assertThat(failure.getMessage()).contains("of the 4.0 s it announces: the file is truncated");
                });
        assertFailure(directory.resolve("missing.mp4"), directory, FailureCode.SOURCE_NOT_FOUND, "missing.mp4");
    }

    @Test
    void refusesAudioWithoutVideo(@TempDir Path directory) {
        Path audio = ffmpeg(directory.resolve("song.m4a"), "-f", "lavfi", "-i", tone(1.0), "-c:a", "aac");

        assertFailure(audio, directory, FailureCode.NO_VIDEO_STREAM, "The source has no video stream");
    }

    /**
     * FFmpeg decodes nearly everything, so the unknown codec is made by hand: a Matroska file whose video track's
     * codec id is renamed to one of the same length that no decoder claims.
     */
    @Test
    void refusesAVideoCodecWithoutADecoder(@TempDir Path directory) throws IOException {
        Path known = ffmpeg(directory.resolve("known.mkv"), "-f", "lavfi", "-i", pattern(320, 240, "25", 1.0),
                "-c:v", "mpeg4");
        String latin1 = new String(Files.readAllBytes(known), StandardCharsets.ISO_8859_1);
        assertThat(latin1).contains("V_MPEG4/ISO/ASP");
        Path unknown = Files.write(directory.resolve("unknown.mkv"),
                latin1.replace("V_MPEG4/ISO/ASP", "V_MPEG4/ISO/ZZZ").getBytes(StandardCharsets.ISO_8859_1));

        assertFailure(unknown, directory, FailureCode.UNSUPPORTED_CODEC, "No decoder for the codec");
    }

    /** Codecs FFmpeg decodes but a video platform does not need: attack surface, refused before any decoding. */
    @Test
    void refusesVideoCodecsOffTheDecoderAllowList(@TempDir Path directory) {
        Path video1 = ffmpeg(directory.resolve("video1.avi"), "-f", "lavfi", "-i", pattern(160, 120, "10", 1.0),
                "-pix_fmt", "rgb555le", "-c:v", "msvideo1");
        Path cinepak = ffmpeg(directory.resolve("cinepak.mov"), "-f", "lavfi", "-i", pattern(160, 120, "10", 1.0),
                "-pix_fmt", "rgb24", "-c:v", "cinepak");

        assertFailure(video1, directory, FailureCode.UNSUPPORTED_CODEC, "The source's video codec Microsoft Video 1 "
                + "(msvideo1) is not on the decoder allow-list (transcoder.input.allowed-decoders)");
        assertFailure(cinepak, directory, FailureCode.UNSUPPORTED_CODEC, "The source's video codec Cinepak (cinepak) "
                + "is not on the decoder allow-list (transcoder.input.allowed-decoders)");
    }

    /** An allowed video with a sound no allowed decoder takes fails too: dropping the sound would go unnoticed. */
    @Test
    void refusesAnAudioCodecOffTheDecoderAllowList(@TempDir Path directory) {
        Path source = ffmpeg(directory.resolve("adpcm.avi"), "-f", "lavfi", "-i", pattern(320, 240, "25", 1.0),
                "-f", "lavfi", "-i", tone(1.0), "-c:v", "mpeg4", "-af", "aformat=sample_fmts=s16", "-c:a", "adpcm_ms");

        assertFailure(source, directory, FailureCode.UNSUPPORTED_CODEC, "The source's audio codec ADPCM Microsoft "
                + "(adpcm_ms) is not on the decoder allow-list (transcoder.input.allowed-decoders)");
    }

    /**
     * A playlist named like a video points at a FIFO and at a local port: had FFmpeg opened the FIFO, the writer
     * blocked on its other end would have got through; had it fetched the URL, the server would have seen it.
     */
    @Test
    void neverFollowsAPlaylistDisguisedAsAVideo(@TempDir Path directory) throws Exception {
        Path fifo = directory.resolve("secret.ts");
        new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start().waitFor();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> openForWriting(fifo));
            String playlist = "#EXTM3U\n#EXT-X-TARGETDURATION:10\n#EXTINF:10,\nfile:" + fifo + "\n#EXTINF:10,\n"
                    + "http://127.0.0.1:" + server.getLocalPort() + "/segment.ts\n#EXT-X-ENDLIST\n";
            Path asMp4 = Files.writeString(directory.resolve("holiday.mp4"), playlist);
            Path asAvi = Files.writeString(directory.resolve("holiday.avi"), "\uFEFF" + playlist);

            assertFailure(asMp4, directory, FailureCode.INPUT_NOT_ALLOWED, "an HLS or M3U playlist");
            assertFailure(asAvi, directory, FailureCode.INPUT_NOT_ALLOWED, "an HLS or M3U playlist");

            assertThat(writer).isNotDone();
            server.setSoTimeout(1);
            assertThatThrownBy(server::accept).isInstanceOf(SocketTimeoutException.class);
            // Let the writer through, so that no thread is left blocked.
            try (var reader = Files.newInputStream(fifo)) {
                writer.get(10, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void refusesContainersOffTheAllowList(@TempDir Path directory) throws IOException {
        Path concat = Files.writeString(directory.resolve("list.mp4"), "ffconcat version 1.0\nfile /etc/passwd\n");
        Path image = ffmpeg(directory.resolve("still.mp4"), "-f", "lavfi", "-i", pattern(64, 64, "1", 1.0),
                "-frames:v", "1", "-c:v", "png", "-f", "image2pipe");
        Path flac = ffmpeg(directory.resolve("music.mkv"), "-f", "lavfi", "-i", tone(1.0), "-c:a", "flac", "-f", "flac");

        assertFailure(concat, directory, FailureCode.INPUT_NOT_ALLOWED, "an FFmpeg concat script");
        assertFailure(image, directory, FailureCode.INPUT_NOT_ALLOWED, "(FFmpeg format png_pipe)");
        assertFailure(flac, directory, FailureCode.INPUT_NOT_ALLOWED, "(FFmpeg format flac)");
    }

    @Test
    void refusesSourcesOverTheLimitsNamingTheLimit(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(2.0), directory.resolve("clip.mp4"));
        SourceLimits defaults = LadderTranscoderTest.LIMITS;

        assertFailure(with(new SourceLimits(320, 7680, defaults.maxPixels(), defaults.maxDuration(), 16,
                defaults.probeSizeBytes(), defaults.analyzeDuration(), 8)), source, directory, FailureCode.TOO_LARGE,
                "The source's width of 640 pixels is over the limit of 320 (transcoder.limits.max-width)");
        assertFailure(with(new SourceLimits(7680, 7680, 100_000, defaults.maxDuration(), 16,
                defaults.probeSizeBytes(), defaults.analyzeDuration(), 8)), source, directory, FailureCode.TOO_LARGE,
                "(transcoder.limits.max-pixels)");
        assertFailure(with(new SourceLimits(7680, 7680, defaults.maxPixels(), Duration.ofSeconds(1), 16,
                defaults.probeSizeBytes(), defaults.analyzeDuration(), 8)), source, directory, FailureCode.TOO_LARGE,
                "The source's duration of 2 seconds is over the limit of 1 (transcoder.limits.max-duration)");
        assertFailure(with(new SourceLimits(7680, 7680, defaults.maxPixels(), defaults.maxDuration(), 1,
                defaults.probeSizeBytes(), defaults.analyzeDuration(), 8)), source, directory, FailureCode.TOO_LARGE,
                "stream count of 2 streams is over the limit of 1 (transcoder.limits.max-streams)");
    }

    /** The header says 320x240; the pictures after 2 s are larger than the limit allows: refused once they come. */
    @Test
    void refusesAStreamThatGrowsPastThePixelLimitNamingTheSizeAndTime(@TempDir Path directory) {
        Path growing = GeneratedSources.concatenate(directory.resolve("growing.ts"),
                GeneratedSources.h264Ts(directory.resolve("small.ts"), 320, 240, 0, 2.0),
                GeneratedSources.h264Ts(directory.resolve("large.ts"), 1280, 720, 2.0, 1.0));
        SourceLimits defaults = LadderTranscoderTest.LIMITS;
        LadderTranscoder limited = with(new SourceLimits(7680, 7680, 320 * 240 * 2, defaults.maxDuration(), 16,
                defaults.probeSizeBytes(), defaults.analyzeDuration(), 8));

        assertThatThrownBy(() -> limited.transcode(growing, mkdir(directory.resolve("out")), progress -> { }))
                .isInstanceOfSatisfying(TranscodeFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo(FailureCode.TOO_LARGE);
                    assertThat(failure.getMessage()).isEqualTo("The source's picture size of 921600 pixels (a 1280x720"
                            + " picture at 2.0 s) is over the limit of 153600 (transcoder.limits.max-pixels)");
                });
    }

    @Test
    void refusesAnOutputPathTheHlsMuxerWouldMisread(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), directory.resolve("clip.mp4"));

        assertThatThrownBy(() -> TRANSCODER.transcode(source, mkdir(directory.resolve("out%d")), progress -> { }))
                .isInstanceOfSatisfying(TranscodeFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo(FailureCode.INTERNAL);
                    assertThat(failure.getMessage()).contains("contains a '%'");
                });
    }

    /** The abort signal stops the decoding and every encoder thread, and its reason is what the caller sees. */
    @Test
    void stopsWithTheAbortReasonAndLeavesNoEncoderRunning(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(3.0), directory.resolve("clip.mp4"));
        TranscodeFailure cancelled = new TranscodeFailure(FailureCode.CANCELLED, "Cancelled by the test");
        AtomicReference<TranscodeFailure> abort = new AtomicReference<>();

        assertThatThrownBy(() -> TRANSCODER.transcode(source, mkdir(directory.resolve("out")), progress -> {
            if (progress.stage() == LadderTranscoder.Stage.ENCODING && progress.percent() > 0) {
                abort.set(cancelled);
            }
        }, abort::get)).isSameAs(cancelled);
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().startsWith("encode-"));
    }

    private static LadderTranscoder with(SourceLimits limits) {
        return new LadderTranscoder(new LadderTranscoder.Settings(new Ladder(List.of(RungSpec.parse("360:800000"))),
                LadderTranscoderTest.ALLOWED, LadderTranscoderTest.DECODERS, 1.0, 128_000, 0, limits,
                VideoEncoding.OPENH264, StoryboardSpec.DEFAULT));
    }

    private static void assertFailure(Path source, Path directory, FailureCode code, String message) {
        assertFailure(TRANSCODER, source, directory, code, message);
    }

    private static void assertFailure(LadderTranscoder transcoder, Path source, Path directory, FailureCode code,
            String message) {
        Path out = mkdir(directory.resolve("out-" + source.getFileName()));
        assertThatThrownBy(() -> transcoder.transcode(source, out, progress -> { }))
                .isInstanceOfSatisfying(TranscodeFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo(code);
                    assertThat(failure.getMessage()).contains(message);
                });
        assertThat(out).isEmptyDirectory();
    }

    private static void openForWriting(Path fifo) {
        try (OutputStream out = Files.newOutputStream(fifo)) {
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
