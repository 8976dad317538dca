package dev.videobackend.transcoder.transcode;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The bit rates the master playlist advertises, as RFC 8216 defines them, on a playlist written by hand. */
class MediaPlaylistTest {

    @Test
    void measuresPeakAndAverageOverMediaSegmentsOnly(@TempDir Path directory) throws IOException {
        Files.write(directory.resolve("init.mp4"), new byte[10_000]);
        Files.write(directory.resolve("segment-00001.m4s"), new byte[250_000]);
        Files.write(directory.resolve("segment-00002.m4s"), new byte[200_000]);
        // A short, dense last segment: alone it is under half the target duration, so it only counts with the one
        // before it.
        Files.write(directory.resolve("segment-00003.m4s"), new byte[150_000]);
        Path playlist = Files.writeString(directory.resolve("playlist.m3u8"), """
                #EXTM3U
                #EXT-X-VERSION:7
                #EXT-X-TARGETDURATION:2
                #EXT-X-PLAYLIST-TYPE:VOD
                #EXT-X-MAP:URI="init.mp4"
                #EXTINF:2.000000,
                segment-00001.m4s
                #EXTINF:2.000000,
                segment-00002.m4s
                #EXTINF:0.500000,
                segment-00003.m4s
                #EXT-X-ENDLIST
                """);

        MediaPlaylist written = MediaPlaylist.read(playlist);

        assertThat(written.segments()).hasSize(3);
        assertThat(written.initBytes()).isEqualTo(10_000);
        assertThat(written.sizeBytes()).isEqualTo(610_000);
        // 600,000 media bytes over 4.5 s; the init segment is not a media segment.
        assertThat(written.averageBitrate()).isEqualTo(Math.round(600_000 * 8 / 4.5));
        // Runs of 1 to 3 s: {1} 1,000,000 b/s, {2} 800,000, {1,2} 900,000, {2,3} 350,000 B over 2.5 s = 1,120,000.
        assertThat(written.peakBitrate()).isEqualTo(1_120_000);
    }

    @Test
    void neverAdvertisesAPeakBelowTheAverage(@TempDir Path directory) throws IOException {
        // A clip shorter than half a target duration has no run of segments the peak's definition accepts.
        Files.write(directory.resolve("segment-00001.m4s"), new byte[100_000]);
        Path playlist = Files.writeString(directory.resolve("playlist.m3u8"), """
                #EXTM3U
                #EXT-X-TARGETDURATION:2
                #EXTINF:0.400000,
                segment-00001.m4s
                #EXT-X-ENDLIST
                """);

        MediaPlaylist written = MediaPlaylist.read(playlist);

        assertThat(written.averageBitrate()).isEqualTo(2_000_000);
        assertThat(written.peakBitrate()).isEqualTo(written.averageBitrate());
    }
}
