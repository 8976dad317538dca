package dev.videobackend.transcoder.transcode;

import org.eclipse.microprofile.config.spi.Converter;

/** One rung of the configured ladder: a height and the video bitrate for it at up to 30 frames a second. */
public record RungSpec(int height, long videoBitrate) {

    public RungSpec {
        if (height < 16 || height % 2 != 0) {
            throw new IllegalArgumentException("A rung height must be even and at least 16, got " + height);
        }
        if (videoBitrate < 10_000) {
            throw new IllegalArgumentException("A rung bitrate must be at least 10000 bit/s, got " + videoBitrate);
        }
    }

    /** Reads {@code height:bitrate}, e.g. {@code 720:2800000}. */
    public static RungSpec parse(String text) {
        String[] parts = text.strip().split(":");
        if (parts.length != 2) {
            throw new IllegalArgumentException("A rung is height:bitrate, e.g. 720:2800000; got " + text);
        }
        try {
            return new RungSpec(Integer.parseInt(parts[0].strip()), Long.parseLong(parts[1].strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("A rung is height:bitrate in whole numbers; got " + text, e);
        }
    }

    /** Lets {@code @ConfigMapping} read rungs, so that a bad ladder stops the service at start-up. */
    public static final class ConfigConverter implements Converter<RungSpec> {
        @Override
        public RungSpec convert(String value) {
            return parse(value);
        }
    }
}
