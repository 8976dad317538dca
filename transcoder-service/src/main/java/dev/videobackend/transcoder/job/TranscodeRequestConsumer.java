package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.EventJson;
import io.smallrye.reactive.messaging.annotations.Blocking;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordMetadata;
import io.smallrye.common.annotation.Identifier;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Consumes {@code video.transcode.requests} on the {@code transcode-jobs} worker pool, whose concurrency is the
 * number of jobs run at once: the connector hands over a new record only when a slot is free. The record is
 * acknowledged, and its offset committed by {@link JobOffsets}, once the job's final event is on the broker. A
 * record that is not a valid request goes to the dead-letter topic.
 */
@ApplicationScoped
public class TranscodeRequestConsumer {

    private final TranscodeJobs jobs;
    private final JobOffsets.Factory offsets;
    private final JobTracing tracing;

    TranscodeRequestConsumer(TranscodeJobs jobs, @Identifier(JobOffsets.STRATEGY) JobOffsets.Factory offsets,
            JobTracing tracing) {
        this.jobs = jobs;
        this.offsets = offsets;
        this.tracing = tracing;
    }

    @Incoming("transcode-requests")
    @Blocking(value = "transcode-jobs", ordered = false)
    public void consume(String payload, IncomingKafkaRecordMetadata<String, String> record)
            throws InterruptedException {
        offsets.started(record.getTopic(), record.getPartition(), record.getOffset());
        jobs.run(EventJson.readRequest(payload), new TopicPartition(record.getTopic(), record.getPartition()),
                tracing.requestContext(record.getHeaders()));
    }
}
