package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code video.transcode.requests} on the bounded {@code transcode-jobs} worker pool; the record is
 * acknowledged, and its offset committed, only once the job's final event is on the broker. A record that is not
 * a valid request goes to the dead-letter topic.
 */
@ApplicationScoped
public class TranscodeRequestConsumer {

    private final TranscodeJobs jobs;

    TranscodeRequestConsumer(TranscodeJobs jobs) {
        this.jobs = jobs;
    }

    @Incoming("transcode-requests")
    @Blocking(value = "transcode-jobs", ordered = false)
    public void consume(String payload) {
        jobs.run(EventJson.readRequest(payload));
    }
}
