package dev.videobackend.transcoder.transcode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An HLS media playlist as written, measured from the files it lists: what the master playlist and the completion
 * event report, so that they describe what is on disk rather than what the encoder was asked for.
 *
 * @param peakBitrate bits per second of the densest segment (a last segment shorter than half the longest is left
 *                    out: its few frames say nothing of the stream)
 * @param sizeBytes the init segment and every media segment
 */
record MediaPlaylist(Path file, List<Segment> segments, long initBytes, long peakBitrate, long sizeBytes) {

    record Segment(String uri, double durationSeconds, long sizeBytes) {

        long bitrate() {
            return MediaPlaylist.bitrate(sizeBytes, durationSeconds);
        }
    }

    private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),");
    private static final Pattern MAP = Pattern.compile("^#EXT-X-MAP:URI=\"([^\"]+)\"");

    static MediaPlaylist read(Path file) {
        Path directory = file.getParent();
        List<Segment> segments = new ArrayList<>();
        long initBytes = 0;
        double pendingDuration = -1;
        for (String line : lines(file)) {
            Matcher map = MAP.matcher(line);
            Matcher extinf = EXTINF.matcher(line);
            if (map.find()) {
                initBytes = size(directory.resolve(map.group(1)));
            } else if (extinf.find()) {
                pendingDuration = Double.parseDouble(extinf.group(1));
            } else if (!line.isBlank() && !line.startsWith("#") && pendingDuration >= 0) {
                segments.add(new Segment(line.strip(), pendingDuration, size(directory.resolve(line.strip()))));
                pendingDuration = -1;
            }
        }
        if (segments.isEmpty()) {
            throw new TranscodeFailure(FailureCode.INTERNAL, "The media playlist " + file + " lists no segment");
        }
        double longest = segments.stream().mapToDouble(Segment::durationSeconds).max().orElse(0);
        long peak = segments.stream().filter(s -> s.durationSeconds() >= longest / 2)
                .mapToLong(Segment::bitrate).max().orElse(0);
        long size = initBytes + segments.stream().mapToLong(Segment::sizeBytes).sum();
        return new MediaPlaylist(file, List.copyOf(segments), initBytes, peak, size);
    }

    /** Bits per second over the whole rendition, init segment included. */
    long averageBitrate(double durationSeconds) {
        return bitrate(sizeBytes, durationSeconds);
    }

    /** Bits per second of {@code sizeBytes} over {@code durationSeconds}; 0 for no duration. */
    static long bitrate(long sizeBytes, double durationSeconds) {
        return durationSeconds <= 0 ? 0 : Math.round(sizeBytes * 8 / durationSeconds);
    }

    private static List<String> lines(Path file) {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the playlist " + file, e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("A file the playlist lists is missing: " + file, e);
        }
    }
}
