package dev.videobackend.infra.media;

import java.util.List;
import java.util.Optional;

/**
 * What {@code ffprobe -show_format -show_streams} says of a file, field for field (the names in the comments are
 * ffprobe's), as {@link FfmpegTools#probe} reads it in this process. A value ffprobe prints as {@code N/A} is
 * {@code null}.
 */
public record MediaInfo(Format format, List<Stream> streams) {

    public MediaInfo {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    /**
     * @param formatName  {@code format_name}, e.g. {@code mov,mp4,m4a,3gp,3g2,mj2} or {@code hls}
     * @param duration    {@code duration}, seconds
     * @param size        {@code size}, bytes of the file itself (of the playlist, for HLS)
     * @param bitRate     {@code bit_rate}
     * @param streamCount {@code nb_streams}
     * @param programCount {@code nb_programs}: one per variant in an HLS master playlist
     */
    public record Format(String formatName, Double duration, Long size, Long bitRate, Integer streamCount,
            Integer programCount) {
    }

    /**
     * @param codecType        {@code codec_type}: {@code video}, {@code audio}, {@code subtitle}, {@code data}
     * @param codecName        {@code codec_name}, e.g. {@code h264}, {@code aac}, {@code mjpeg}
     * @param profile          {@code profile}, e.g. {@code High} or {@code LC}
     * @param pixelFormat      {@code pix_fmt}
     * @param averageFrameRate {@code avg_frame_rate}, a fraction such as {@code 30000/1001}
     * @param duration         {@code duration}, seconds
     * @param frameCount       {@code nb_frames}, as the container declares it
     * @param fieldOrder       {@code field_order}: {@code progressive}, {@code tt}, {@code bb}, {@code tb},
     *                         {@code bt} or {@code unknown}; {@code null} for other than video
     */
    public record Stream(int index, String codecType, String codecName, String profile, Integer width, Integer height,
            String pixelFormat, String averageFrameRate, Double duration, Long frameCount, Long bitRate,
            Integer sampleRate, Integer channels, String channelLayout, String fieldOrder) {

        /** The average frame rate as a number ({@code avg_frame_rate} is a fraction such as {@code 30000/1001}). */
        public double frameRate() {
            if (averageFrameRate == null || !averageFrameRate.contains("/")) {
                return 0;
            }
            String[] parts = averageFrameRate.split("/");
            double denominator = Double.parseDouble(parts[1]);
            return denominator == 0 ? 0 : Double.parseDouble(parts[0]) / denominator;
        }
    }

    /**
     * One packet of a stream, as {@code ffprobe -show_packets} lists it.
     *
     * @param pts      {@code pts}, in the stream's time base; {@code null} when the packet has none
     * @param ptsTime  {@code pts_time}, seconds; {@code null} when the packet has no pts
     * @param duration {@code duration}, in the stream's time base; 0 when unknown (ffprobe prints {@code N/A})
     * @param size     {@code size}, bytes
     * @param keyframe the {@code K} of {@code flags}
     */
    public record Packet(Long pts, Double ptsTime, long duration, int size, boolean keyframe) {
    }

    public List<Stream> videoStreams() {
        return streams.stream().filter(stream -> "video".equals(stream.codecType())).toList();
    }

    public List<Stream> audioStreams() {
        return streams.stream().filter(stream -> "audio".equals(stream.codecType())).toList();
    }

    public Optional<Stream> video() {
        return videoStreams().stream().findFirst();
    }

    public Optional<Stream> audio() {
        return audioStreams().stream().findFirst();
    }
}
