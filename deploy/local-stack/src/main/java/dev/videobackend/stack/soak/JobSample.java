package dev.videobackend.stack.soak;

import java.util.Locale;

/**
 * The transcoder's state right after one job's final event (job 0: after start-up, before any job).
 *
 * @param outcome {@code COMPLETED}, {@code FAILED <code>}, or {@code STARTED} for job 0
 * @param seconds from sending the request to receiving the final event
 */
record JobSample(int job, String jobId, String outcome, double seconds, ProcessStatus process, JavaCppMemory javacpp) {

    static final String CSV_HEADER = "job,job_id,outcome,seconds,rss_kib,peak_rss_kib,open_fds,threads,"
            + "javacpp_total_bytes,javacpp_physical_bytes";

    boolean completed() {
        return "COMPLETED".equals(outcome);
    }

    String csvRow() {
        return String.format(Locale.ROOT, "%d,%s,%s,%.2f,%d,%d,%d,%d,%d,%d", job, jobId, outcome, seconds,
                process.residentKib(), process.peakResidentKib(), process.openFiles(), process.threads(),
                javacpp.totalBytes(), javacpp.physicalBytes());
    }
}
