package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avformat.AVInputFormat;
import org.bytedeco.ffmpeg.avformat.AVProbeData;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_PADDING_SIZE;
import static org.bytedeco.ffmpeg.global.avformat.AVPROBE_SCORE_RETRY;
import static org.bytedeco.ffmpeg.global.avformat.av_probe_input_format3;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_INVALIDDATA;

/**
 * Decides from the first bytes of a source, before any demuxer opens it, which container it is, and refuses the
 * ones not on the allow-list. The file's name plays no part: an upload's name is the uploader's choice.
 */
final class FormatProbe {

    /** FFmpeg needs no more than this to recognise any container it knows with certainty. */
    private static final int MAX_PROBE_BYTES = 1 << 20;
    /**
     * Text formats that name other files or URLs. FFmpeg's own HLS probe declines a playlist whose name does not
     * end in {@code .m3u8}, so it would merely fail to open; these are refused by name instead.
     */
    private static final List<String[]> REFERENCING_TEXT = List.of(
            new String[] {"#EXTM3U", "an HLS or M3U playlist"},
            new String[] {"ffconcat version", "an FFmpeg concat script"},
            new String[] {"<?xml", "an XML document (such as a DASH manifest)"},
            new String[] {"<MPD", "a DASH manifest"},
            new String[] {"[playlist]", "a PLS playlist"});

    private FormatProbe() {
    }

    /** The demuxer to open {@code file} with; refuses a container not in {@code allowedFormats}. */
    static AVInputFormat identify(Path file, List<String> allowedFormats, long probeSizeBytes) {
        byte[] head = readHead(file, (int) Math.min(MAX_PROBE_BYTES, probeSizeBytes));
        refuseReferencingText(head);
        try (BytePointer buffer = new BytePointer(head.length + (long) AVPROBE_PADDING_SIZE);
                BytePointer noName = new BytePointer("");
                IntPointer score = new IntPointer(1);
                AVProbeData probe = new AVProbeData()) {
            buffer.fill(0);
            buffer.put(head, 0, head.length);
            probe.buf(buffer).buf_size(head.length).filename(noName);
            AVInputFormat format = av_probe_input_format3(probe, 1, score);
            if (format == null) {
                Ffmpeg.check(AVERROR_INVALIDDATA, FailureCode.CORRUPT_INPUT, "open the source as media");
            }
            String names = format.name().getString();
            if (isAllowed(names, allowedFormats)) {
                return format;
            }
            if (score.get() < AVPROBE_SCORE_RETRY) {
                // A weak guess at a format we do not take: the file is more likely damaged than hostile.
                Ffmpeg.check(AVERROR_INVALIDDATA, FailureCode.CORRUPT_INPUT, "open the source as media");
            }
            throw new TranscodeFailure(FailureCode.INPUT_NOT_ALLOWED, "The source is " + describe(format)
                    + ", which the transcoder does not accept; allowed containers: " + String.join(", ", allowedFormats));
        }
    }

    /** {@code names} is FFmpeg's comma-separated list, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2}. */
    static boolean isAllowed(String names, List<String> allowedFormats) {
        return Arrays.stream(names.split(",")).anyMatch(allowedFormats::contains);
    }

    private static void refuseReferencingText(byte[] head) {
        String start = new String(head, 0, Math.min(head.length, 64), StandardCharsets.ISO_8859_1)
                .replace("\uFEFF", "").replace("\u00EF\u00BB\u00BF", "").stripLeading();
        for (String[] text : REFERENCING_TEXT) {
            if (start.regionMatches(true, 0, text[0], 0, text[0].length())) {
                throw new TranscodeFailure(FailureCode.INPUT_NOT_ALLOWED, "The source is " + text[1]
                        + ", not a video: the transcoder never opens the files or URLs such a text names");
            }
        }
    }

    private static String describe(AVInputFormat format) {
        String name = format.name().getString();
        String longName = format.long_name() == null ? name : format.long_name().getString();
        return String.format(Locale.ROOT, "%s (FFmpeg format %s)", longName, name);
    }

    private static byte[] readHead(Path file, int maxBytes) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(maxBytes);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not read the start of the source " + file.getFileName(), e);
        }
    }
}
