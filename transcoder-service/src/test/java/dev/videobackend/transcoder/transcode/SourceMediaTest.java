package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.SampleClip;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceMediaTest {

    /** FFmpeg itself asks the signal while it reads (the interrupt callback), not only the pipeline between packets. */
    @Test
    void ffmpegAsksTheAbortSignalWhileItReads(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), directory.resolve("clip.mp4"));
        AtomicInteger questions = new AtomicInteger();

        try (PointerScope scope = new PointerScope();
                SourceMedia media = SourceMedia.open(source, LadderTranscoderTest.ALLOWED, LadderTranscoderTest.DECODERS,
                        LadderTranscoderTest.LIMITS,
                        () -> {
                            questions.incrementAndGet();
                            return null;
                        })) {
            assertThat(media.info().width()).isEqualTo(640);
        }

        // SourceMedia asks twice itself, after opening and after reading the stream information.
        assertThat(questions.get()).isGreaterThan(2);
    }

    @Test
    void anAbortStopsTheOpeningWithItsReason(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), directory.resolve("clip.mp4"));
        TranscodeFailure timedOut = new TranscodeFailure(FailureCode.TIMED_OUT, "Over the time budget");

        try (PointerScope scope = new PointerScope()) {
            assertThatThrownBy(() -> SourceMedia.open(source, LadderTranscoderTest.ALLOWED, LadderTranscoderTest.DECODERS,
                        LadderTranscoderTest.LIMITS,
                    () -> timedOut)).isSameAs(timedOut);
        }
    }

    /**
     * A job cancelled at any moment of the opening, inside FFmpeg (its interrupt callback) or between its calls,
     * fails with the cancel and leaves no file descriptor on the source open: the cancel comes at the first question
     * of the signal, then at the second, and so on, up to the last the opening asks.
     */
    @Test
    void aCancelAtAnyMomentOfTheOpeningLeavesNoFileOpen(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), directory.resolve("clip.mp4"));
        AtomicInteger questions = new AtomicInteger();
        try (PointerScope scope = new PointerScope();
                SourceMedia media = open(source, () -> {
                    questions.incrementAndGet();
                    return null;
                })) {
            assertThat(openDescriptors(source)).isEqualTo(1);
        }
        assertThat(openDescriptors(source)).isZero();
        TranscodeFailure cancelled = new TranscodeFailure(FailureCode.CANCELLED, "Cancelled by the test");

        for (int question = 1; question <= questions.get(); question++) {
            AtomicInteger untilCancel = new AtomicInteger(question);
            try (PointerScope scope = new PointerScope()) {
                assertThatThrownBy(() -> open(source, () -> untilCancel.decrementAndGet() <= 0 ? cancelled : null))
                        .as("cancelled at question %d of %d", question, questions.get()).isSameAs(cancelled);
            }
            assertThat(openDescriptors(source)).as("cancelled at question %d of %d", question, questions.get())
                    .isZero();
        }
    }

    private static SourceMedia open(Path source, AbortSignal abort) {
        return SourceMedia.open(source, LadderTranscoderTest.ALLOWED, LadderTranscoderTest.DECODERS,
                LadderTranscoderTest.LIMITS, abort);
    }

    /** This process's file descriptors open on {@code file}, as /proc/self/fd lists them. */
    private static long openDescriptors(Path file) {
        Path target = file.toAbsolutePath();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc/self/fd"))) {
            return descriptors.filter(descriptor -> {
                try {
                    return Files.readSymbolicLink(descriptor).equals(target);
                } catch (IOException e) {
                    // Closed while listed, such as the directory stream's own descriptor.
                    return false;
                }
            }).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * FFmpeg enforces the decoder allow-list itself, already while it probes the streams: only a decoder tells the
     * pixel format of MS Video 1, and off the list none runs.
     */
    @Test
    void ffmpegRunsNoDecoderOffTheAllowListEvenWhileProbing(@TempDir Path directory) {
        Path source = GeneratedSources.ffmpeg(directory.resolve("video1.avi"), "-f", "lavfi", "-i",
                GeneratedSources.pattern(160, 120, "10", 1.0), "-pix_fmt", "rgb555le", "-c:v", "msvideo1");
        List<String> withVideo1 = new ArrayList<>(LadderTranscoderTest.DECODERS);
        withVideo1.add("msvideo1");

        assertThat(probedPixelFormat(source, withVideo1)).isEqualTo("rgb555le");
        assertThat(probedPixelFormat(source, LadderTranscoderTest.DECODERS)).isNull();
    }

    private static String probedPixelFormat(Path source, List<String> decoders) {
        try (PointerScope scope = new PointerScope();
                SourceMedia media = SourceMedia.open(source, LadderTranscoderTest.ALLOWED, decoders,
                        LadderTranscoderTest.LIMITS, AbortSignal.NEVER)) {
            return media.info().pixelFormat();
        }
    }
}
