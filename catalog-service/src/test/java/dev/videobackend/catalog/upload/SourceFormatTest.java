package dev.videobackend.catalog.upload;

import dev.videobackend.infra.media.FfmpegTools;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/** Real files written by FFmpeg are recognised from their first bytes; everything that is not video is not. */
class SourceFormatTest {

    @TempDir
    Path directory;

    @ParameterizedTest(name = "{0} with {1} is {3}")
    @CsvSource({
            "mp4,  mpeg4,      mp4,      ISO_BMFF",
            "mov,  mpeg4,      mov,      ISO_BMFF",
            "3gp,  mpeg4,      3gp,      ISO_BMFF",
            "mkv,  mpeg4,      matroska, MATROSKA",
            "webm, libvpx,     webm,     MATROSKA",
            "avi,  mpeg4,      avi,      AVI",
            "ts,   mpeg2video, mpegts,   MPEG_TS",
            "m2ts, mpeg2video, mpegts,   MPEG_TS",
            "mpg,  mpeg2video, vob,      MPEG_PS",
            "flv,  flv,        flv,      FLV",
            "ogv,  libvpx,     ogg,      OGG",
            "wmv,  wmv2,       asf,      ASF",
            "mxf,  mpeg2video, mxf,      MXF",
    })
    void recognisesVideoContainersFfmpegWrites(String extension, String codec, String muxer, SourceFormat expected) {
        List<String> arguments = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc=size=64x64:rate=25",
                "-t", "0.4", "-c:v", codec, "-pix_fmt", "yuv420p", "-f", muxer));
        if (extension.equals("m2ts")) {
            arguments.addAll(List.of("-mpegts_m2ts_mode", "1"));
        }
        Path file = FfmpegTools.generate(directory.resolve("clip." + extension), arguments.toArray(String[]::new));

        assertThat(sniff(file)).contains(expected);
    }

    @ParameterizedTest(name = "audio only: {0}")
    @CsvSource({"mp3, libmp3lame, mp3", "wav, pcm_s16le, wav", "flac, flac, flac", "aac, aac, adts"})
    void refusesAudioOnlyFormats(String extension, String codec, String muxer) {
        Path file = FfmpegTools.generate(directory.resolve("tone." + extension), "-f", "lavfi",
                "-i", "sine=frequency=440", "-t", "0.4", "-c:a", codec, "-f", muxer);

        assertThat(sniff(file)).isEmpty();
    }

    @Test
    void refusesAStillImage() {
        Path file = FfmpegTools.generate(directory.resolve("still.jpg"), "-f", "lavfi", "-i", "testsrc=size=64x64",
                "-frames:v", "1");

        assertThat(sniff(file)).isEmpty();
    }

    @Test
    void refusesTextAndArchives() throws IOException {
        assertThat(sniff("#EXTM3U\n#EXT-X-VERSION:3\n#EXTINF:10,\nfile:///etc/passwd\n")).isEmpty();
        assertThat(sniff("<!DOCTYPE html><html><body><video src=x.mp4></video></body></html>")).isEmpty();
        assertThat(sniff("ffconcat version 1.0\nfile 'a.mp4'\n")).isEmpty();
        ByteArrayOutputStream zip = new ByteArrayOutputStream();
        try (ZipOutputStream entries = new ZipOutputStream(zip)) {
            entries.putNextEntry(new ZipEntry("clip.mp4"));
            entries.write(new byte[4096]);
        }
        assertThat(SourceFormat.sniff(zip.toByteArray(), zip.size())).isEmpty();
    }

    @Test
    void refusesRandomBytesAndTooLittleData() {
        Random random = new Random(42);
        for (int i = 0; i < 1000; i++) {
            byte[] noise = new byte[SourceFormat.SNIFF_BYTES];
            random.nextBytes(noise);
            assertThat(SourceFormat.sniff(noise, noise.length)).as("random head %d", i).isEmpty();
        }
        assertThat(SourceFormat.sniff(new byte[0], 0)).isEmpty();
        // One sync byte, a box type cut short, or a box too small to hold its own header, proves nothing.
        assertThat(SourceFormat.sniff(new byte[] {0x47, 0, 0}, 3)).isEmpty();
        assertThat(SourceFormat.sniff("\0\0\0\30fty".getBytes(StandardCharsets.US_ASCII), 7)).isEmpty();
        assertThat(SourceFormat.sniff("\0\0\0\4ftypisom".getBytes(StandardCharsets.US_ASCII), 12)).isEmpty();
    }

    private static Optional<SourceFormat> sniff(Path file) {
        try {
            byte[] bytes = Files.readAllBytes(file);
            return SourceFormat.sniff(bytes, Math.min(bytes.length, SourceFormat.SNIFF_BYTES));
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Optional<SourceFormat> sniff(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return SourceFormat.sniff(bytes, bytes.length);
    }
}
