package dev.videobackend.transcoder.transcode;

import dev.videobackend.infra.media.SampleClip;
import org.bytedeco.javacpp.PointerScope;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SourceMediaTest {

    /** FFmpeg itself asks the signal while it reads (the interrupt callback), not only the pipeline between packets. */
    @Test
    void ffmpegAsksTheAbortSignalWhileItReads(@TempDir Path directory) {
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), directory.resolve("clip.mp4"));
        AtomicInteger questions = new AtomicInteger();

        try (PointerScope scope = new PointerScope();
                SourceMedia media = SourceMedia.open(source, LadderTranscoderTest.ALLOWED, LadderTranscoderTest.LIMITS,
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
            assertThatThrownBy(() -> SourceMedia.open(source, LadderTranscoderTest.ALLOWED, LadderTranscoderTest.LIMITS,
                    () -> timedOut)).isSameAs(timedOut);
        }
    }
}
