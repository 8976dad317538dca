package dev.videobackend.infra.media;

import com.fasterxml.jackson.annotation.JsonProperty;

import java.util.List;
import java.util.Optional;

/** What {@code ffprobe -show_format -show_streams} says of a file. */
public record MediaInfo(Format format, List<Stream> streams) {

    public MediaInfo {
        streams = streams == null ? List.of() : List.copyOf(streams);
    }

    public record Format(
            @JsonProperty("format_name") String formatName,
            @JsonProperty("duration") Double duration,
            @JsonProperty("size") Long size,
            @JsonProperty("bit_rate") Long bitRate,
            @JsonProperty("nb_streams") Integer streamCount) {
    }

    public record Stream(
            @JsonProperty("index") int index,
            @JsonProperty("codec_type") String codecType,
            @JsonProperty("codec_name") String codecName,
            @JsonProperty("profile") String profile,
            @JsonProperty("width") Integer width,
            @JsonProperty("height") Integer height,
            @JsonProperty("pix_fmt") String pixelFormat,
            @JsonProperty("avg_frame_rate") String averageFrameRate,
            @JsonProperty("duration") Double duration,
            @JsonProperty("nb_frames") Long frameCount,
            @JsonProperty("bit_rate") Long bitRate,
            @JsonProperty("sample_rate") Integer sampleRate,
            @JsonProperty("channels") Integer channels,
            @JsonProperty("channel_layout") String channelLayout) {

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
