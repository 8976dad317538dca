package dev.videobackend.stack.faults;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;

/**
 * A request body that sends its first {@code limit} bytes, then waits until released and breaks off, as a client
 * whose connection drops does (released at once: it breaks off right away).
 */
final class BrokenOffBody extends InputStream {

    private final byte[] bytes;
    private final int limit;
    private final CountDownLatch release;
    private int position;

    BrokenOffBody(byte[] bytes, int limit, CountDownLatch release) {
        this.bytes = bytes;
        this.limit = limit;
        this.release = release;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
        if (position < limit) {
            int n = Math.min(length, limit - position);
            System.arraycopy(bytes, position, buffer, offset, n);
            position += n;
            return n;
        }
        try {
            release.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        throw new IOException("the client broke off");
    }
}
