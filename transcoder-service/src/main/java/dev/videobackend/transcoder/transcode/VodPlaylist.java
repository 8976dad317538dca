package dev.videobackend.transcoder.transcode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The VOD media playlist of an HLS muxer run as a sliding window. FFmpeg's HLS muxer keeps every segment of a VOD
 * playlist in memory until the end, about 13 KB each (three 4 KB path buffers): 140 MB per playlist for 6 hours of
 * 2 s segments, whatever the pictures' size. Run live, it keeps the last {@link #WINDOW} and rewrites the playlist
 * file with them at every segment; this reads each window, keeps every entry (two short lines), and writes the
 * whole playlist at the end, as FFmpeg writes a VOD one.
 */
final class VodPlaylist {

    /** Segments FFmpeg keeps; the playlist is read at least once per segment, so none is ever missed. */
    static final int WINDOW = 8;
    private static final String VERSION = "#EXT-X-VERSION:";
    private static final String SEGMENT = "#EXTINF:";
    private static final String TARGET_DURATION = "#EXT-X-TARGETDURATION:";
    private static final String MEDIA_SEQUENCE = "#EXT-X-MEDIA-SEQUENCE:";
    private static final String INDEPENDENT_SEGMENTS = "#EXT-X-INDEPENDENT-SEGMENTS";
    private static final String MAP = "#EXT-X-MAP:";
    /** Reading a little before FFmpeg may cut costs a read; reading after it cut is what must never be missed. */
    private static final double EARLY_SECONDS = 0.001;

    private final Path file;
    private final double segmentSeconds;
    private final List<String> entries = new ArrayList<>();
    private String version = VERSION + 7;
    private int targetDuration;
    private boolean independentSegments;
    private String map;

    /** {@code segmentSeconds}: the muxer's {@code hls_time}, as it parsed it. */
    VodPlaylist(Path file, double segmentSeconds) {
        this.file = file;
        this.segmentSeconds = segmentSeconds;
    }

    /**
     * Called after each packet the muxer took, {@code seconds} after the first one: once the packet may have ended a
     * segment (a keyframe, or any audio packet, at or past the next multiple of the segment length), reads the window
     * for the segments it does not have yet.
     */
    void afterPacket(boolean key, double seconds) {
        if (key && seconds >= (collected() + 1) * segmentSeconds - EARLY_SECONDS) {
            collect();
        }
    }

    /** After the muxer's trailer, which wrote the last segment into the window: the whole playlist, over it. */
    void write() {
        collect();
        StringBuilder playlist = new StringBuilder("#EXTM3U\n").append(version).append('\n')
                .append(TARGET_DURATION).append(targetDuration).append('\n')
                .append("#EXT-X-MEDIA-SEQUENCE:1\n#EXT-X-PLAYLIST-TYPE:VOD\n");
        if (independentSegments) {
            playlist.append(INDEPENDENT_SEGMENTS).append('\n');
        }
        if (map != null) {
            playlist.append(map).append('\n');
        }
        entries.forEach(line -> playlist.append(line).append('\n'));
        playlist.append("#EXT-X-ENDLIST\n");
        try {
            Files.writeString(file, playlist);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
    }

    private int collected() {
        return entries.size() / 2;
    }

    private void collect() {
        if (!Files.exists(file)) {
            return;
        }
        List<String> lines = lines();
        long sequence = 1;
        List<String> window = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith(VERSION)) {
                version = line;
            } else if (line.startsWith(TARGET_DURATION)) {
                targetDuration = Math.max(targetDuration, Integer.parseInt(line.substring(TARGET_DURATION.length())));
            } else if (line.startsWith(MEDIA_SEQUENCE)) {
                sequence = Long.parseLong(line.substring(MEDIA_SEQUENCE.length()));
            } else if (line.equals(INDEPENDENT_SEGMENTS)) {
                independentSegments = true;
            } else if (line.startsWith(MAP)) {
                map = line;
            } else if (line.startsWith(SEGMENT) && i + 1 < lines.size()) {
                window.add(line);
                window.add(lines.get(++i).strip());
            }
        }
        // Segments are numbered from 1; the window starts at its media sequence number.
        long known = collected() + 1 - sequence;
        if (known < 0) {
            throw new TranscodeFailure(FailureCode.INTERNAL, String.format(Locale.ROOT,
                    "The HLS muxer's window in %s starts at segment %d, after the %d read: segments were missed",
                    file, sequence, collected()));
        }
        if (known * 2 < window.size()) {
            entries.addAll(window.subList((int) known * 2, window.size()));
        }
    }

    private List<String> lines() {
        try {
            return Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read " + file, e);
        }
    }
}
