package dev.videobackend.infra.media;

import org.bytedeco.ffmpeg.avcodec.AVCodecDescriptor;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVChannelLayout;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVRational;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.PointerScope;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_BB;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_BT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_PROGRESSIVE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_TB;
import static org.bytedeco.ffmpeg.global.avcodec.AV_FIELD_TT;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.AV_PROFILE_UNKNOWN;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_descriptor_get;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_profile_name;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avformat.avio_size;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;
import static org.bytedeco.ffmpeg.global.avutil.AV_CHANNEL_ORDER_UNSPEC;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.AV_TIME_BASE;
import static org.bytedeco.ffmpeg.global.avutil.av_channel_layout_describe;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_free;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_set;
import static org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string;
import static org.bytedeco.ffmpeg.global.avutil.av_get_pix_fmt_name;
import static org.bytedeco.ffmpeg.global.avutil.av_q2d;

/**
 * What {@code ffprobe} reports, read through libavformat in this process, the way ffprobe reads it (open, then
 * {@code avformat_find_stream_info}; every packet for a packet listing). Only libavformat, libavcodec and libavutil
 * are loaded, none of which needs a system library; never the service's code, so that it stays an independent
 * judge of what the service writes.
 */
final class MediaProbe {

    private static final int LAYOUT_TEXT_SIZE = 128;

    private MediaProbe() {
    }

    /** {@code ffprobe -show_format -show_streams}. */
    static MediaInfo probe(Path media) {
        try (PointerScope scope = new PointerScope()) {
            AVFormatContext format = open(media);
            try {
                List<MediaInfo.Stream> streams = new ArrayList<>();
                for (int i = 0; i < format.nb_streams(); i++) {
                    streams.add(stream(format.streams(i)));
                }
                return new MediaInfo(format(format), streams);
            } finally {
                avformat_close_input(format);
            }
        }
    }

    /** {@code ffprobe -select_streams v:0 -show_packets} (or {@code a:0}): every packet of the first such stream. */
    static List<MediaInfo.Packet> packets(Path media, String codecType) {
        try (PointerScope scope = new PointerScope()) {
            AVFormatContext format = open(media);
            AVPacket packet = null;
            try {
                packet = Ffmpeg.allocated(av_packet_alloc(), "a packet");
                AVStream stream = firstOfType(format, codecType, media);
                double timeBase = av_q2d(stream.time_base());
                List<MediaInfo.Packet> packets = new ArrayList<>();
                int read;
                while ((read = av_read_frame(format, packet)) >= 0) {
                    if (packet.stream_index() == stream.index()) {
                        boolean hasPts = packet.pts() != AV_NOPTS_VALUE;
                        packets.add(new MediaInfo.Packet(hasPts ? packet.pts() : null,
                                hasPts ? packet.pts() * timeBase : null, packet.duration(), packet.size(),
                                (packet.flags() & AV_PKT_FLAG_KEY) != 0));
                    }
                    av_packet_unref(packet);
                }
                if (read != AVERROR_EOF) {
                    Ffmpeg.check(read, "read the packets of " + media);
                }
                return packets;
            } finally {
                if (packet != null) {
                    av_packet_free(packet);
                }
                avformat_close_input(format);
            }
        }
    }

    /** Opens and reads the stream parameters as ffprobe does, with every MPEG-TS program scanned. */
    private static AVFormatContext open(Path media) {
        Ffmpeg.quietLogs();
        AVFormatContext format = new AVFormatContext(null);
        AVDictionary options = new AVDictionary(null);
        av_dict_set(options, "scan_all_pmts", "1", 0);
        try {
            Ffmpeg.check(avformat_open_input(format, media.toAbsolutePath().toString(), null, options),
                    "open " + media);
        } finally {
            av_dict_free(options);
        }
        try {
            Ffmpeg.check(avformat_find_stream_info(format, (PointerPointer<?>) null), "read the streams of " + media);
            return format;
        } catch (RuntimeException e) {
            avformat_close_input(format);
            throw e;
        }
    }

    private static AVStream firstOfType(AVFormatContext format, String codecType, Path media) {
        for (int i = 0; i < format.nb_streams(); i++) {
            AVStream stream = format.streams(i);
            if (codecType.equals(string(av_get_media_type_string(stream.codecpar().codec_type())))) {
                return stream;
            }
        }
        throw new IllegalArgumentException("No " + codecType + " stream in " + media);
    }

    private static MediaInfo.Format format(AVFormatContext format) {
        long size = format.pb() == null ? -1 : avio_size(format.pb());
        return new MediaInfo.Format(format.iformat().name().getString(),
                format.duration() == AV_NOPTS_VALUE ? null : (double) format.duration() / AV_TIME_BASE,
                size < 0 ? null : size, format.bit_rate() > 0 ? format.bit_rate() : null, format.nb_streams(),
                format.nb_programs());
    }

    private static MediaInfo.Stream stream(AVStream stream) {
        AVCodecParameters parameters = stream.codecpar();
        boolean video = parameters.codec_type() == AVMEDIA_TYPE_VIDEO;
        boolean audio = parameters.codec_type() == AVMEDIA_TYPE_AUDIO;
        AVRational frameRate = stream.avg_frame_rate();
        return new MediaInfo.Stream(stream.index(), string(av_get_media_type_string(parameters.codec_type())),
                codecName(parameters.codec_id()), profile(parameters),
                video ? parameters.width() : null, video ? parameters.height() : null,
                video ? string(av_get_pix_fmt_name(parameters.format())) : null,
                frameRate.num() + "/" + frameRate.den(),
                stream.duration() == AV_NOPTS_VALUE ? null : stream.duration() * av_q2d(stream.time_base()),
                stream.nb_frames() == 0 ? null : stream.nb_frames(),
                parameters.bit_rate() > 0 ? parameters.bit_rate() : null,
                audio ? parameters.sample_rate() : null,
                audio ? parameters.ch_layout().nb_channels() : null,
                audio ? channelLayout(parameters.ch_layout()) : null,
                video ? fieldOrder(parameters.field_order()) : null);
    }

    private static String codecName(int codecId) {
        AVCodecDescriptor descriptor = avcodec_descriptor_get(codecId);
        return descriptor == null ? "unknown" : descriptor.name().getString();
    }

    /** The profile's name, else its number, as ffprobe prints it; {@code null} when unknown. */
    private static String profile(AVCodecParameters parameters) {
        String name = string(avcodec_profile_name(parameters.codec_id(), parameters.profile()));
        if (name != null) {
            return name;
        }
        return parameters.profile() == AV_PROFILE_UNKNOWN ? null : Integer.toString(parameters.profile());
    }

    private static String channelLayout(AVChannelLayout layout) {
        if (layout.order() == AV_CHANNEL_ORDER_UNSPEC) {
            return null;
        }
        byte[] text = new byte[LAYOUT_TEXT_SIZE];
        Ffmpeg.check(av_channel_layout_describe(layout, text, text.length), "describe a channel layout");
        return Ffmpeg.cString(text);
    }

    /** ffprobe's names of {@code AVFieldOrder}. */
    private static String fieldOrder(int order) {
        return switch (order) {
            case AV_FIELD_PROGRESSIVE -> "progressive";
            case AV_FIELD_TT -> "tt";
            case AV_FIELD_BB -> "bb";
            case AV_FIELD_TB -> "tb";
            case AV_FIELD_BT -> "bt";
            default -> "unknown";
        };
    }

    private static String string(BytePointer text) {
        return text == null || text.isNull() ? null : text.getString();
    }
}
