package dev.videobackend.catalog.upload;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The video containers a source may be, recognised from their first bytes (their "magic"). Only containers the
 * transcoder's demuxer allow-list opens are accepted; audio-only formats (MP3, WAV, FLAC, AAC) are refused, since a
 * catalog video needs a picture. A text playlist, HTML, an image, an archive or random bytes matches nothing.
 */
public enum SourceFormat {

    /** ISO base media (MP4, MOV, 3GP, M4V): a {@code ftyp} box first, or an old QuickTime top-level atom. */
    ISO_BMFF,
    /** Matroska and WebM: an EBML header. */
    MATROSKA,
    /** AVI: a RIFF file of form {@code AVI }. */
    AVI,
    /** MPEG transport stream: a 0x47 sync byte every 188 bytes, or every 192 bytes after a 4-byte timecode (M2TS). */
    MPEG_TS,
    /** MPEG program stream (VOB, MPG): a pack header. */
    MPEG_PS,
    /** Flash video. */
    FLV,
    /** Ogg (Theora). */
    OGG,
    /** ASF (WMV): the header object's GUID. */
    ASF,
    /** MXF: a SMPTE universal label, the partition pack key. */
    MXF;

    /** Bytes to read from the start of a file to recognise it. */
    public static final int SNIFF_BYTES = 1024;

    private static final int TS_PACKET = 188;
    private static final int M2TS_PACKET = 192;
    /** A transport stream must show this many consecutive sync bytes (or all that its head holds, if fewer). */
    private static final int TS_PACKETS_TO_CHECK = 4;
    private static final byte TS_SYNC = 0x47;

    private static final byte[] EBML = {0x1A, 0x45, (byte) 0xDF, (byte) 0xA3};
    private static final byte[] MPEG_PACK = {0x00, 0x00, 0x01, (byte) 0xBA};
    private static final byte[] FLV_SIGNATURE = {'F', 'L', 'V', 0x01};
    private static final byte[] OGG_PAGE = ascii("OggS");
    private static final byte[] RIFF = ascii("RIFF");
    private static final byte[] AVI_FORM = ascii("AVI ");
    private static final byte[] ASF_HEADER = {0x30, 0x26, (byte) 0xB2, 0x75, (byte) 0x8E, 0x66, (byte) 0xCF, 0x11,
            (byte) 0xA6, (byte) 0xD9, 0x00, (byte) 0xAA, 0x00, 0x62, (byte) 0xCE, 0x6C};
    private static final byte[] MXF_PARTITION_KEY = {0x06, 0x0E, 0x2B, 0x34, 0x02, 0x05, 0x01, 0x01, 0x0D, 0x01,
            0x02, 0x01, 0x01};
    /** The box types an ISO/QuickTime file may start with, read at offset 4 after the box size. */
    private static final byte[][] ISO_FIRST_BOXES = {ascii("ftyp"), ascii("moov"), ascii("mdat"), ascii("wide"),
            ascii("free"), ascii("skip")};

    /**
     * The container the given first bytes of a file belong to.
     *
     * @param head   the file's first bytes
     * @param length how many of them are valid; at most {@link #SNIFF_BYTES} are looked at
     */
    public static Optional<SourceFormat> sniff(byte[] head, int length) {
        int available = Math.min(length, head.length);
        if (startsWith(head, available, EBML)) {
            return Optional.of(MATROSKA);
        }
        if (startsWith(head, available, RIFF) && regionMatches(head, available, 8, AVI_FORM)) {
            return Optional.of(AVI);
        }
        if (startsWith(head, available, MPEG_PACK)) {
            return Optional.of(MPEG_PS);
        }
        if (startsWith(head, available, FLV_SIGNATURE)) {
            return Optional.of(FLV);
        }
        if (startsWith(head, available, OGG_PAGE)) {
            return Optional.of(OGG);
        }
        if (startsWith(head, available, ASF_HEADER)) {
            return Optional.of(ASF);
        }
        if (startsWith(head, available, MXF_PARTITION_KEY)) {
            return Optional.of(MXF);
        }
        if (isIsoBaseMedia(head, available)) {
            return Optional.of(ISO_BMFF);
        }
        if (hasSyncBytes(head, available, 0, TS_PACKET) || hasSyncBytes(head, available, 4, M2TS_PACKET)) {
            return Optional.of(MPEG_TS);
        }
        return Optional.empty();
    }

    private static boolean isIsoBaseMedia(byte[] head, int available) {
        if (available < 8) {
            return false;
        }
        long boxSize = ((head[0] & 0xFFL) << 24) | ((head[1] & 0xFFL) << 16) | ((head[2] & 0xFFL) << 8) | (head[3] & 0xFFL);
        // 0 means "to the end of the file", 1 means a 64-bit size follows; anything else covers at least its header.
        if (boxSize != 0 && boxSize != 1 && boxSize < 8) {
            return false;
        }
        return Arrays.stream(ISO_FIRST_BOXES).anyMatch(type -> regionMatches(head, available, 4, type));
    }

    private static boolean hasSyncBytes(byte[] head, int available, int firstSync, int packetSize) {
        int packets = Math.min(TS_PACKETS_TO_CHECK, (Math.min(available, SNIFF_BYTES) - firstSync + packetSize - 1) / packetSize);
        // Two packets at least: one 0x47 byte alone says nothing.
        if (packets < 2) {
            return false;
        }
        for (int packet = 0; packet < packets; packet++) {
            if (head[firstSync + packet * packetSize] != TS_SYNC) {
                return false;
            }
        }
        return true;
    }

    private static boolean startsWith(byte[] head, int available, byte[] signature) {
        return regionMatches(head, available, 0, signature);
    }

    private static boolean regionMatches(byte[] head, int available, int offset, byte[] signature) {
        return available >= offset + signature.length
                && Arrays.equals(head, offset, offset + signature.length, signature, 0, signature.length);
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }
}
