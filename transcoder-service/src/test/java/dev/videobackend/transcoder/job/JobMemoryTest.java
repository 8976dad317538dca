package dev.videobackend.transcoder.job;

import dev.videobackend.infra.media.SampleClip;
import dev.videobackend.transcoder.TranscoderTestProfile;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import org.bytedeco.javacpp.Pointer;
import org.jboss.logging.Logger;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fifty jobs in a row through the real path (Kafka in, events out, in this JVM) do not grow the process's resident
 * memory by more than 10% between the end of the warm-up (job 10) and job 50: native state is freed per job.
 */
@QuarkusTest
@TestProfile(TranscoderTestProfile.class)
class JobMemoryTest extends JobTrafficTest {

    private static final Logger LOG = Logger.getLogger(JobMemoryTest.class);
    private static final int WARM_UP = 10;
    private static final int JOBS = 50;

    @Test
    void fiftyJobsInARowDoNotGrowResidentMemoryByMoreThanTenPercent() throws IOException {
        UUID videoId = UUID.randomUUID();
        Path source = SampleClip.write(SampleClip.Spec.standard(1.0), traffic.sourcePath(videoId));
        long afterWarmUp = 0;
        for (int job = 1; job <= JOBS; job++) {
            UUID jobId = UUID.randomUUID();
            traffic.request(videoId, jobId, source);
            assertThat(traffic.awaitEvent(jobId, "TranscodeCompleted")).isNotNull();
            if (job == WARM_UP) {
                afterWarmUp = residentBytes("warm-up", job);
            }
        }
        long atEnd = residentBytes("end", JOBS);

        LOG.infof("Resident memory after job %d: %d MiB, after job %d: %d MiB (%+.1f%%)", WARM_UP,
                afterWarmUp >> 20, JOBS, atEnd >> 20, 100.0 * (atEnd - afterWarmUp) / afterWarmUp);
        assertThat(atEnd).isLessThanOrEqualTo(afterWarmUp + afterWarmUp / 10);
    }

    /**
     * VmRSS from {@code /proc/self/status}, after a collection so that JavaCPP's deallocators of unreachable
     * pointers have run; JavaCPP's own view of native memory is logged beside it.
     */
    private static long residentBytes(String when, int job) throws IOException {
        System.gc();
        long kib = Files.readAllLines(Path.of("/proc/self/status")).stream()
                .filter(line -> line.startsWith("VmRSS:"))
                .mapToLong(line -> Long.parseLong(line.replaceAll("\\D", "")))
                .findFirst().orElseThrow();
        LOG.infof("Memory at %s (job %d): VmRSS %d MiB, JavaCPP totalBytes %d KiB, physicalBytes %d MiB, heap used"
                        + " %d MiB", when, job, kib >> 10, Pointer.totalBytes() >> 10, Pointer.physicalBytes() >> 20,
                (Runtime.getRuntime().totalMemory() - Runtime.getRuntime().freeMemory()) >> 20);
        return kib << 10;
    }
}
