package dev.videobackend.transcoder.job;

import dev.videobackend.transcoder.events.MalformedRequestException;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.IncomingKafkaRecord;
import io.smallrye.reactive.messaging.kafka.KafkaConnectorIncomingConfiguration;
import io.smallrye.reactive.messaging.kafka.KafkaConsumer;
import io.smallrye.reactive.messaging.kafka.fault.KafkaFailureHandler;
import io.vertx.mutiny.core.Vertx;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import java.util.function.BiConsumer;

/**
 * The failure strategy of the job channel ({@code failure-strategy=job-failures}). A record that is not a valid
 * request goes to the dead-letter topic, as SmallRye's {@code dead-letter-queue} strategy sends it. A job handed
 * back (stopped by a shutdown, or by the revocation of its partition), or anything else that escapes a job (an
 * interruption while it waits or retries its final event), must not be acknowledged: the record stays uncommitted
 * and is redelivered. Anything but a hand-back also reports the channel failed, so that the instance is restarted
 * rather than left with a partition whose commits cannot move on.
 */
public final class JobFailures implements KafkaFailureHandler {

    public static final String STRATEGY = "job-failures";
    private static final Logger LOG = Logger.getLogger(JobFailures.class);

    private final KafkaFailureHandler deadLetters;
    private final BiConsumer<Throwable, Boolean> reportFailure;
    private final JobMetrics metrics;

    private JobFailures(KafkaFailureHandler deadLetters, BiConsumer<Throwable, Boolean> reportFailure,
            JobMetrics metrics) {
        this.deadLetters = deadLetters;
        this.reportFailure = reportFailure;
        this.metrics = metrics;
    }

    @Override
    public <K, V> Uni<Void> handle(IncomingKafkaRecord<K, V> record, Throwable reason, Metadata metadata) {
        if (causedBy(reason, MalformedRequestException.class)) {
            metrics.requestDeadLettered();
            return deadLetters.handle(record, reason, metadata);
        }
        if (causedBy(reason, JobHandedBack.class)) {
            LOG.infof("%s (offset %d of %s-%d)", reason.getMessage(), record.getOffset(), record.getTopic(),
                    record.getPartition());
            return Uni.createFrom().voidItem();
        }
        LOG.errorf(reason, "The job of offset %d of %s-%d ended without a final event; leaving it uncommitted for"
                + " redelivery", record.getOffset(), record.getTopic(), record.getPartition());
        reportFailure.accept(reason, true);
        return Uni.createFrom().voidItem();
    }

    private static boolean causedBy(Throwable reason, Class<? extends Throwable> type) {
        for (Throwable cause = reason; cause != null; cause = cause.getCause()) {
            if (type.isInstance(cause)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void terminate() {
        deadLetters.terminate();
    }

    @ApplicationScoped
    @Identifier(STRATEGY)
    public static class Factory implements KafkaFailureHandler.Factory {

        private final KafkaFailureHandler.Factory deadLetters;
        private final JobMetrics metrics;

        Factory(@Identifier("dead-letter-queue") KafkaFailureHandler.Factory deadLetters, JobMetrics metrics) {
            this.deadLetters = deadLetters;
            this.metrics = metrics;
        }

        @Override
        public KafkaFailureHandler create(KafkaConnectorIncomingConfiguration config, Vertx vertx,
                KafkaConsumer<?, ?> consumer, BiConsumer<Throwable, Boolean> reportFailure) {
            return new JobFailures(deadLetters.create(config, vertx, consumer, reportFailure), reportFailure, metrics);
        }
    }
}
