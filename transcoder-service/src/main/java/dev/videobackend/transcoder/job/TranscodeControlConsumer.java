package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import dev.videobackend.transcoder.events.TranscodeCancelRequested;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Consumes {@code video.transcode.control} in a consumer group of this instance's own, so that every instance sees
 * every cancel: the one running the job stops it, and every one remembers it for a request that arrives later.
 */
@ApplicationScoped
public class TranscodeControlConsumer {

    private static final Logger LOG = Logger.getLogger(TranscodeControlConsumer.class);

    private final RunningJobs running;

    TranscodeControlConsumer(RunningJobs running) {
        this.running = running;
    }

    @Incoming("transcode-control")
    public void consume(String payload) {
        TranscodeCancelRequested cancel = EventJson.readCancel(payload);
        LOG.infof("Cancel of job %s of video %s (%s)", cancel.jobId(), cancel.videoId(), cancel.reason());
        running.cancel(cancel.jobId());
    }
}
