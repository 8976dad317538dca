package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodecContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** RFC 6381 codec strings, as HLS {@code CODECS} attributes and the completion event carry them. */
final class CodecStrings {

    /** AAC-LC: object type 0x40 (MPEG-4 audio), audio object type 2. */
    static final String AAC_LC = "mp4a.40.2";

    private static final int NAL_SEQUENCE_PARAMETER_SET = 7;

    private CodecStrings() {
    }

    /**
     * {@code avc1.PPCCLL} from the profile, constraint flags and level the encoder actually wrote into its sequence
     * parameter set: its global header holds either an avcC record or Annex B NAL units.
     */
    static String avc1(AVCodecContext encoder) {
        int size = encoder.extradata_size();
        byte[] data = new byte[size];
        if (size > 0) {
            encoder.extradata().get(data, 0, size);
        }
        if (size >= 4 && data[0] == 1) {
            return format(data, 1);
        }
        for (int i = 0; i + 3 < size; i++) {
            boolean startCode = data[i] == 0 && data[i + 1] == 0 && data[i + 2] == 1;
            if (startCode && (data[i + 3] & 0x1f) == NAL_SEQUENCE_PARAMETER_SET && i + 6 < size) {
                return format(data, i + 4);
            }
        }
        throw new TranscodeFailure(FailureCode.INTERNAL, "The H.264 encoder wrote no sequence parameter set");
    }

    /**
     * {@code av01.P.LLT.DD} (profile, level, tier, bit depth) from the {@code av1C} record of an AV1 track's init
     * segment, as the AV1 ISOBMFF binding defines the codec string; the optional colour fields are left out.
     */
    static String av01(Path initSegment) {
        byte[] data;
        try {
            data = Files.readAllBytes(initSegment);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read " + initSegment, e);
        }
        for (int i = 4; i + 7 <= data.length; i++) {
            // The box type, then its first byte: marker bit and version 1.
            if (data[i] == 'a' && data[i + 1] == 'v' && data[i + 2] == '1' && data[i + 3] == 'C'
                    && (data[i + 4] & 0xff) == 0x81) {
                int profile = (data[i + 5] & 0xff) >> 5;
                int level = data[i + 5] & 0x1f;
                int flags = data[i + 6] & 0xff;
                char tier = (flags & 0x80) != 0 ? 'H' : 'M';
                boolean highBitDepth = (flags & 0x40) != 0;
                boolean twelveBit = (flags & 0x20) != 0;
                int bitDepth = twelveBit ? 12 : highBitDepth ? 10 : 8;
                return String.format(Locale.ROOT, "av01.%d.%02d%c.%02d", profile, level, tier, bitDepth);
            }
        }
        throw new TranscodeFailure(FailureCode.INTERNAL, "The AV1 init segment " + initSegment + " has no av1C record");
    }

    private static String format(byte[] data, int offset) {
        return String.format(Locale.ROOT, "avc1.%02x%02x%02x", data[offset] & 0xff, data[offset + 1] & 0xff,
                data[offset + 2] & 0xff);
    }
}
