package dev.videobackend.catalog.media;

import io.vertx.core.Vertx;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * A request body read on a worker thread that gives up, with a {@link BodyIdleException}, when no byte arrives for
 * {@code idle}: a client that stops sending must not hold a worker thread until the connection's own read timeout
 * closes it without an answer. A Vert.x timer interrupts the blocked read; the interrupt can only land while a read
 * is in progress, and one that lands as data arrives is cleared, so nothing after a read ever sees it.
 */
public final class IdleTimeoutBody extends InputStream {

    private final InputStream body;
    private final Duration idle;
    private final Thread reader;
    private final Vertx vertx;
    private final long timer;
    private boolean reading;
    private boolean timedOut;
    private long lastProgress = System.nanoTime();

    /** Guards {@code body}, read by the current thread, until {@link #close}. */
    public IdleTimeoutBody(InputStream body, Duration idle, Vertx vertx) {
        this.body = body;
        this.idle = idle;
        this.reader = Thread.currentThread();
        this.vertx = vertx;
        this.timer = vertx.setPeriodic(Math.max(100, Math.min(1000, idle.toMillis() / 4)), id -> check());
    }

    private synchronized void check() {
        if (reading && !timedOut && System.nanoTime() - lastProgress > idle.toNanos()) {
            timedOut = true;
            reader.interrupt();
        }
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        synchronized (this) {
            reading = true;
        }
        try {
            return body.read(buffer, offset, length);
        } catch (InterruptedIOException e) {
            if (timedOutAndCleared()) {
                throw new BodyIdleException(idle);
            }
            throw e;
        } finally {
            synchronized (this) {
                reading = false;
                lastProgress = System.nanoTime();
                if (timedOut) {
                    // Data won the race against the timer: forget the interrupt, go on reading.
                    Thread.interrupted();
                    timedOut = false;
                }
            }
        }
    }

    private synchronized boolean timedOutAndCleared() {
        boolean was = timedOut;
        timedOut = false;
        Thread.interrupted();
        return was;
    }

    /** Stops watching; the body itself is the server's to close (closing it reads what is left of it). */
    @Override
    public void close() {
        vertx.cancelTimer(timer);
    }
}
