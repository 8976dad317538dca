package dev.videobackend.catalog.delivery;

/** One {@code Range: bytes=...} request against a file of known length (RFC 9110, section 14.1.2). */
record ByteRange(long first, long last, boolean satisfiable) {

    long length() {
        return last - first + 1;
    }

    /**
     * The range asked for, or {@code null} when the header is absent or not a single byte range, in which case
     * the whole file is served, as the RFC allows.
     */
    static ByteRange parse(String header, long fileLength) {
        if (header == null || !header.startsWith("bytes=") || header.indexOf(',') >= 0) {
            return null;
        }
        String spec = header.substring("bytes=".length()).strip();
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return null;
        }
        try {
            String start = spec.substring(0, dash).strip();
            String end = spec.substring(dash + 1).strip();
            if (start.isEmpty()) {
                // "bytes=-N": the last N bytes
                long suffix = Long.parseLong(end);
                if (suffix <= 0 || fileLength == 0) {
                    return new ByteRange(0, 0, false);
                }
                return new ByteRange(Math.max(0, fileLength - suffix), fileLength - 1, true);
            }
            long first = Long.parseLong(start);
            long last = end.isEmpty() ? fileLength - 1 : Math.min(Long.parseLong(end), fileLength - 1);
            if (first >= fileLength || last < first) {
                return new ByteRange(0, 0, false);
            }
            return new ByteRange(first, last, true);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
