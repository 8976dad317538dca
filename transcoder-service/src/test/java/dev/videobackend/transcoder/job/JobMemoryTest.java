package dev.videobackend.transcoder.job;

import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import dev.videobackend.transcoder.memory.NativeMemory;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fifty jobs in a row through the real path (Kafka in, events out, in this JVM) leave nothing behind: what JavaCPP
 * holds and the open file descriptors are no more after job 50 than after the warm-up (job 10), so every job frees
 * its native state and closes its files. Resident memory is only logged here: it depends on the test JVM's heap,
 * and its target lives in the soak benchmark, which runs the packaged service with its deployed JVM options
 * (docs/benchmarks.md).
 */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class JobMemoryTest extends JobTrafficTest {

    private static final Logger LOG = Logger.getLogger(JobMemoryTest.class);
    private static final int WARM_UP = 10;
    private static final int JOBS = 50;
    /** Kafka's clients may open a connection or two meanwhile; a leak of one per job would be forty. */
    private static final long DESCRIPTORS_TOLERATED = 4;

    @Test
    void fiftyJobsInARowLeaveNoNativeMemoryOrFilesBehind() throws IOException {
        UUID videoId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), traffic.sourcePath(videoId));
        NativeMemory afterWarmUp = null;
        for (int job = 1; job <= JOBS; job++) {
            UUID jobId = UUID.randomUUID();
            traffic.request(videoId, jobId, source);
            assertThat(traffic.awaitEvent(jobId, "TranscodeCompleted")).isNotNull();
            if (job == WARM_UP) {
                afterWarmUp = measure("warm-up", job);
            }
        }
        NativeMemory atEnd = measure("end", JOBS);

        assertThat(atEnd.javacppTotalBytes()).isLessThanOrEqualTo(afterWarmUp.javacppTotalBytes());
        assertThat(atEnd.openFileDescriptors()).isPresent();
        assertThat(atEnd.openFileDescriptors().getAsLong())
                .isLessThanOrEqualTo(afterWarmUp.openFileDescriptors().getAsLong() + DESCRIPTORS_TOLERATED);
    }

    /** After a collection, so that JavaCPP's deallocators of unreachable pointers have run. */
    private static NativeMemory measure(String when, int job) {
        System.gc();
        NativeMemory memory = NativeMemory.now();
        LOG.infof("After job %d (%s): %s; heap used %d MiB", job, when, memory.summary(),
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        return memory;
    }
}
