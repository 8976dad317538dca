package dev.videobackend.catalog.graphql;

import dev.videobackend.catalog.error.Problem;
import dev.videobackend.catalog.error.RouteProblems;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Load shedding for the GraphQL endpoint: at most {@code max-concurrent-requests} requests are worked on at once;
 * the others wait their turn in arrival order, and one that has waited {@code max-queue-wait} is refused with 503,
 * {@code Retry-After} and a problem body whose code is {@code OVERLOADED}, instead of being worked on for a client
 * that has probably given up while the requests behind it wait too. A client that disconnects while waiting loses
 * its place. Answers from the cache of anonymous reads come before this and are never held back.
 */
@ApplicationScoped
class GraphQlAdmission {

    static final String OVERLOADED = "OVERLOADED";
    private static final int ORDER = GraphQlBodyLimit.ORDER + 30;

    private final Vertx vertx;
    private final int limit;
    private final long maxWaitMillis;
    private final String retryAfterSeconds;
    private final Deque<Waiting> waiting = new ArrayDeque<>();
    private int working;

    GraphQlAdmission(Vertx vertx, GraphQlConfig config) {
        this.vertx = vertx;
        this.limit = config.maxConcurrentRequests();
        this.maxWaitMillis = config.maxQueueWait().toMillis();
        this.retryAfterSeconds = Long.toString(config.retryAfter().toSeconds());
    }

    void install(@Observes Router router) {
        router.route(GraphQlHttp.PATH).order(ORDER).handler(this::admit);
    }

    /** A request waiting for its turn; whichever comes first, its turn or its deadline, claims it. */
    private final class Waiting {
        final RoutingContext request;
        final Context context = Vertx.currentContext();
        final AtomicBoolean claimed = new AtomicBoolean();
        /** Set just after the request is queued: -1 if its turn came first, and then its timer finds it claimed. */
        volatile long timer = -1;

        Waiting(RoutingContext request) {
            this.request = request;
        }
    }

    private void admit(RoutingContext request) {
        if (!GraphQlHttp.isGraphQlRequest(request)) {
            request.next();
            return;
        }
        Waiting queued = null;
        synchronized (this) {
            if (working < limit) {
                working++;
            } else {
                queued = new Waiting(request);
                waiting.addLast(queued);
            }
        }
        if (queued == null) {
            proceed(request);
            return;
        }
        Waiting mine = queued;
        mine.timer = vertx.setTimer(maxWaitMillis, fired -> {
            if (mine.claimed.compareAndSet(false, true)) {
                synchronized (this) {
                    waiting.remove(mine);
                }
                refuse(mine.request);
            }
        });
    }

    private void proceed(RoutingContext request) {
        // When its answer starts: SmallRye replaces the response's end and close handlers, which addEndHandler uses.
        request.addHeadersEndHandler(answered -> release());
        request.next();
    }

    /** A request ended: the next live one in line takes its turn, else the turn is given back. */
    private void release() {
        while (true) {
            Waiting next;
            synchronized (this) {
                next = waiting.pollFirst();
                if (next == null) {
                    working--;
                    return;
                }
            }
            if (!next.claimed.compareAndSet(false, true)) {
                continue;
            }
            if (next.timer >= 0) {
                vertx.cancelTimer(next.timer);
            }
            if (next.request.response().closed()) {
                continue;
            }
            Waiting admitted = next;
            admitted.context.runOnContext(ignored -> proceed(admitted.request));
            return;
        }
    }

    private void refuse(RoutingContext request) {
        if (request.response().closed()) {
            return;
        }
        request.response().putHeader("Retry-After", retryAfterSeconds);
        RouteProblems.send(request, Problem.of(503, OVERLOADED, "Service Unavailable",
                "The catalog is overloaded: this request waited " + maxWaitMillis + " ms for its turn; try again later"));
    }
}
