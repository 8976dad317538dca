package dev.videobackend.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Upload bodies that {@link Videos} does not make: text, and a body whose connection drops. */
public final class Uploads {

    private Uploads() {
    }

    public static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    /** A body that sends {@code bytes}, then fails as a client whose connection drops would. */
    public static InputStream breakingOffAfter(byte[] bytes) {
        return new InputStream() {
            private int position;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                if (position == bytes.length) {
                    throw new IOException("connection dropped");
                }
                int count = Math.min(length, bytes.length - position);
                System.arraycopy(bytes, position, buffer, offset, count);
                position += count;
                return count;
            }
        };
    }
}
