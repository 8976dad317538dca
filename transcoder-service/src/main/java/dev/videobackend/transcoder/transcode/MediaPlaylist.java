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
 * event report, so that they describe what is on disk rather than what the encoder was asked for. The bit rates
 * follow RFC 8216 (section 4.3.4.2): they count media segments, not the init segment.
 *
 * @param peakBitrate the peak segment bit rate: the highest rate of any run of consecutive segments lasting 0.5 to
 *                    1.5 times the target duration, and never below the average (the master's {@code BANDWIDTH}
 *                    must cover both)
 * @param averageBitrate every media segment's bits over the playlist's duration
 * @param sizeBytes the init segment and every media segment
 */
record MediaPlaylist(Path file, List<Segment> segments, long initBytes, long peakBitrate, long averageBitrate,
        long sizeBytes) {

    record Segment(String uri, double durationSeconds, long sizeBytes) {
    }

    private static final Pattern EXTINF = Pattern.compile("^#EXTINF:([0-9.]+),");
    private static final Pattern TARGET_DURATION = Pattern.compile("^#EXT-X-TARGETDURATION:([0-9]+)");
    private static final Pattern MAP = Pattern.compile("^#EXT-X-MAP:URI=\"([^\"]+)\"");

    static MediaPlaylist read(Path file) {
        Path directory = file.getParent();
        List<Segment> segments = new ArrayList<>();
        long initBytes = 0;
        double pendingDuration = -1;
        double targetDuration = 0;
        for (String line : lines(file)) {
            Matcher map = MAP.matcher(line);
            Matcher extinf = EXTINF.matcher(line);
            Matcher target = TARGET_DURATION.matcher(line);
            if (target.find()) {
                targetDuration = Integer.parseInt(target.group(1));
            } else if (map.find()) {
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
        long mediaBytes = segments.stream().mapToLong(Segment::sizeBytes).sum();
        long average = bitrate(mediaBytes, segments.stream().mapToDouble(Segment::durationSeconds).sum());
        long peak = Math.max(average, peakSegmentBitrate(segments, targetDuration));
        return new MediaPlaylist(file, List.copyOf(segments), initBytes, peak, average, initBytes + mediaBytes);
    }

    /** The highest rate of a run of consecutive segments lasting between half and one and a half target durations. */
    static long peakSegmentBitrate(List<Segment> segments, double targetDuration) {
        long peak = 0;
        for (int first = 0; first < segments.size(); first++) {
            long bytes = 0;
            double seconds = 0;
            for (int last = first; last < segments.size() && seconds <= 1.5 * targetDuration; last++) {
                bytes += segments.get(last).sizeBytes();
                seconds += segments.get(last).durationSeconds();
                if (seconds >= 0.5 * targetDuration && seconds <= 1.5 * targetDuration) {
                    peak = Math.max(peak, bitrate(bytes, seconds));
                }
            }
        }
        return peak;
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
