package dev.videobackend.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CountDownLatch;

/** Upload bodies that {@link Videos} does not make: text, and bodies that behave like slow or failing clients. */
public final class Uploads {

    private Uploads() {
    }

    public static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A body that sends {@code bytes}, then fails as a client whose connection drops would. */
    public static InputStream breakingOffAfter(byte[] bytes) {
        return new ClientBody(bytes, bytes.length, new CountDownLatch(0), true);
    }

    /** A body that sends the first {@code pauseAt} bytes, waits for {@code resume}, then sends the rest. */
    public static InputStream pausingAfter(byte[] bytes, int pauseAt, CountDownLatch resume) {
        return new ClientBody(bytes, pauseAt, resume, false);
    }

    private static final class ClientBody extends InputStream {

        private final byte[] bytes;
        private final int pauseAt;
        private final CountDownLatch resume;
        private final boolean breaksOffAtEnd;
        private int position;

        ClientBody(byte[] bytes, int pauseAt, CountDownLatch resume, boolean breaksOffAtEnd) {
            this.bytes = bytes;
            this.pauseAt = pauseAt;
            this.resume = resume;
            this.breaksOffAtEnd = breaksOffAtEnd;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            if (position == pauseAt) {
                try {
                    resume.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while paused");
                }
            }
            if (position == bytes.length) {
                if (breaksOffAtEnd) {
                    throw new IOException("connection dropped");
                }
                return -1;
            }
            int end = position < pauseAt ? pauseAt : bytes.length;
            int count = Math.min(length, end - position);
            System.arraycopy(bytes, position, buffer, offset, count);
            position += count;
            return count;
        }
    }
}
