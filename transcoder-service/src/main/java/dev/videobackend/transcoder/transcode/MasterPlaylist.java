package dev.videobackend.transcoder.transcode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * Writes the HLS master playlist from what was measured of the written media playlists: one variant per rung, all
 * sharing the one audio rendition group. {@code BANDWIDTH} is the rung's peak segment bitrate plus the audio's,
 * {@code AVERAGE-BANDWIDTH} the averages' sum.
 */
final class MasterPlaylist {

    static final String FILE = "master.m3u8";
    private static final String AUDIO_GROUP = "audio";

    /** One variant: its media playlist relative to the master, and what players choose it by. */
    record Variant(String uri, int width, int height, double frameRate, String codecs, long peakBitrate,
            long averageBitrate) {
    }

    /** The shared audio rendition; {@code null} for a source without audio. */
    record Audio(String uri, int channels, long peakBitrate, long averageBitrate) {
    }

    private MasterPlaylist() {
    }

    static Path write(Path directory, List<Variant> variants, Audio audio) {
        StringBuilder text = new StringBuilder("#EXTM3U\n#EXT-X-VERSION:7\n#EXT-X-INDEPENDENT-SEGMENTS\n");
        if (audio != null) {
            text.append(String.format(Locale.ROOT, "#EXT-X-MEDIA:TYPE=AUDIO,GROUP-ID=\"%s\",NAME=\"Main\","
                    + "DEFAULT=YES,AUTOSELECT=YES,CHANNELS=\"%d\",URI=\"%s\"\n", AUDIO_GROUP, audio.channels(), audio.uri()));
        }
        for (Variant variant : variants) {
            long peak = variant.peakBitrate() + (audio == null ? 0 : audio.peakBitrate());
            long average = variant.averageBitrate() + (audio == null ? 0 : audio.averageBitrate());
            String codecs = audio == null ? variant.codecs() : variant.codecs() + "," + CodecStrings.AAC_LC;
            text.append(String.format(Locale.ROOT, "#EXT-X-STREAM-INF:BANDWIDTH=%d,AVERAGE-BANDWIDTH=%d,"
                    + "RESOLUTION=%dx%d,FRAME-RATE=%.3f,CODECS=\"%s\"", peak, average, variant.width(), variant.height(),
                    variant.frameRate(), codecs));
            if (audio != null) {
                text.append(",AUDIO=\"").append(AUDIO_GROUP).append('"');
            }
            text.append('\n').append(variant.uri()).append('\n');
        }
        Path file = directory.resolve(FILE);
        try {
            Files.writeString(file, text);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not write " + file, e);
        }
        return file;
    }
}
