package dev.videobackend.catalog;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;

import static org.hamcrest.Matchers.nullValue;

/** Videos to upload to, and bodies the upload endpoints accept as video. */
public final class Uploads {

    private static final byte[] FTYP_BOX = {0, 0, 0, 0x18, 'f', 't', 'y', 'p', 'i', 's', 'o', 'm', 0, 0, 2, 0,
            'i', 's', 'o', 'm', 'm', 'p', '4', '1'};

    private Uploads() {
    }

    /** A new video of {@code owner}, with the given visibility ({@code PUBLIC}, {@code UNLISTED}, {@code PRIVATE}). */
    public static String createVideo(String owner, String title, String visibility) {
        return GraphQl.postAs(owner, "mutation($input: CreateVideoInput!) { createVideo(input: $input) { id } }",
                        Map.of("input", Map.of("title", title, "category", "test", "visibility", visibility)))
                .body("errors", nullValue())
                .extract().path("data.createVideo.id");
    }

    /**
     * {@code size} bytes that start like an MP4 file (an {@code ftyp} box) and go on with noise: enough for the
     * catalog, which only recognises the container; the transcoder would refuse them as corrupt.
     */
    public static byte[] mp4Like(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        System.arraycopy(FTYP_BOX, 0, bytes, 0, Math.min(FTYP_BOX.length, size));
        return bytes;
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
