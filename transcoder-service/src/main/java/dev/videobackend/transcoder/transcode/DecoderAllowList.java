package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodec;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import static org.bytedeco.ffmpeg.global.avcodec.av_codec_is_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.av_codec_iterate;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_find_decoder_by_name;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

/**
 * The decoders a source may be decoded with. Each decoder FFmpeg carries parses untrusted bytes in a process that
 * holds the media volume and the broker's credentials, so only those a video platform needs are opened. FFmpeg
 * enforces the list itself ({@code codec_whitelist}, also on the decoders it opens while probing the streams), and
 * {@link #decoderFor} refuses any other codec before a decoder is opened.
 * <p>
 * Names are FFmpeg's decoder names; a trailing {@code *} takes every decoder whose name starts so ({@code pcm_*}).
 * When several allowed decoders take one codec, the first in the list is used. Names this FFmpeg build lacks are
 * skipped, so the default can prefer {@code libdav1d} where a build has it.
 */
public final class DecoderAllowList {

    /** The default of {@code transcoder.input.allowed-decoders}; docs/ladder.md says why each is there. */
    public static final String DEFAULT = "h264,hevc,vp8,vp9,libdav1d,libaom-av1,av1,mpeg4,mpeg2video,mpeg1video,mjpeg,"
            + "prores,dnxhd,theora,vc1,wmv3,ffv1,"
            + "aac,aac_latm,mp3float,mp3,opus,vorbis,ac3,eac3,flac,alac,mp2float,mp2,pcm_*,wmav1,wmav2";
    static final String PROPERTY = "transcoder.input.allowed-decoders";

    private static List<String> buildDecoders;

    private final List<String> names;
    private final List<String> unmatched;

    /** {@code configured}: decoder names and {@code prefix*} patterns, in order of preference. */
    DecoderAllowList(List<String> configured) {
        Set<String> expanded = new LinkedHashSet<>();
        List<String> none = new ArrayList<>();
        List<String> present = buildDecoders();
        for (String entry : configured) {
            String name = entry.strip();
            List<String> matched = name.endsWith("*")
                    ? present.stream().filter(decoder -> decoder.startsWith(name.substring(0, name.length() - 1)))
                            .toList()
                    : present.stream().filter(name::equals).toList();
            if (matched.isEmpty()) {
                none.add(name);
            }
            expanded.addAll(matched);
        }
        this.names = List.copyOf(expanded);
        this.unmatched = List.copyOf(none);
    }

    /**
     * The entries of {@code configured} this FFmpeg build has no decoder for: a name it lacks (or mistyped), a
     * pattern that takes none. Checked when the service starts.
     */
    public static List<String> unmatched(List<String> configured) {
        return new DecoderAllowList(configured).unmatched;
    }

    /** The allowed decoders of this build, as FFmpeg's {@code codec_whitelist} option takes them. */
    String whitelist() {
        return String.join(",", names);
    }

    /** The decoder for {@code stream}: the first allowed one that takes its codec; else {@code UNSUPPORTED_CODEC}. */
    AVCodec decoderFor(AVCodecParameters stream) {
        int codecId = stream.codec_id();
        for (String name : names) {
            AVCodec decoder = avcodec_find_decoder_by_name(name);
            if (decoder != null && decoder.id() == codecId) {
                return decoder;
            }
        }
        AVCodec any = avcodec_find_decoder(codecId);
        if (any == null) {
            throw new TranscodeFailure(FailureCode.UNSUPPORTED_CODEC,
                    "No decoder for the codec " + avcodec_get_name(codecId).getString());
        }
        String longName = any.long_name() == null ? any.name().getString() : any.long_name().getString();
        throw new TranscodeFailure(FailureCode.UNSUPPORTED_CODEC, "The source's " + kind(stream) + " "
                + longName + " (" + avcodec_get_name(codecId).getString() + ") is not on the decoder allow-list ("
                + PROPERTY + ")");
    }

    private static String kind(AVCodecParameters stream) {
        return switch (stream.codec_type()) {
            case AVMEDIA_TYPE_VIDEO -> "video codec";
            case AVMEDIA_TYPE_AUDIO -> "audio codec";
            default -> "codec";
        };
    }

    /** Every decoder this FFmpeg build has, in FFmpeg's order; read once, as it never changes. */
    private static synchronized List<String> buildDecoders() {
        if (buildDecoders == null) {
            List<String> decoders = new ArrayList<>();
            try (PointerPointer<Pointer> iterator = new PointerPointer<>(1)) {
                iterator.put(0, (Pointer) null);
                for (AVCodec codec = av_codec_iterate(iterator); codec != null; codec = av_codec_iterate(iterator)) {
                    if (av_codec_is_decoder(codec) != 0) {
                        decoders.add(codec.name().getString());
                    }
                }
            }
            buildDecoders = List.copyOf(decoders);
        }
        return buildDecoders;
    }
}
