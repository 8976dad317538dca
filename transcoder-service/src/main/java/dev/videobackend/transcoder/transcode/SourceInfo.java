package dev.videobackend.transcoder.transcode;

/**
 * What probing found in a source. Sizes are the coded ones; {@link #displayWidth()} and {@link #displayHeight()}
 * apply the sample aspect ratio and the display rotation, which is what a player shows.
 *
 * @param rotation display rotation, degrees clockwise: 0, 90, 180 or 270
 * @param frameRate the average frame rate
 * @param audioCodec {@code null} without audio
 * @param audioChannelLayout e.g. {@code 5.1}; {@code null} without audio
 * @param streamCount streams of every kind in the container
 */
public record SourceInfo(
        String container,
        double durationSeconds,
        int width,
        int height,
        int sampleAspectNum,
        int sampleAspectDen,
        double frameRate,
        String videoCodec,
        String pixelFormat,
        String audioCodec,
        int rotation,
        boolean interlaced,
        boolean variableFrameRate,
        String audioChannelLayout,
        int streamCount) {

    /** The same, with the frame rate found variable while decoding (a container may not say so). */
    SourceInfo withVariableFrameRate() {
        return new SourceInfo(container, durationSeconds, width, height, sampleAspectNum, sampleAspectDen, frameRate,
                videoCodec, pixelFormat, audioCodec, rotation, interlaced, true, audioChannelLayout, streamCount);
    }

    public boolean hasAudio() {
        return audioCodec != null;
    }

    /** The picture turns a quarter: width and height swap on screen. */
    public boolean quarterTurn() {
        return rotation == 90 || rotation == 270;
    }

    /** Width on screen: non-square pixels made square, then rotated. */
    public double displayWidth() {
        return quarterTurn() ? height : squareWidth();
    }

    /** Height on screen: non-square pixels made square, then rotated. */
    public double displayHeight() {
        return quarterTurn() ? squareWidth() : height;
    }

    /** Coded width once non-square pixels are made square. */
    private double squareWidth() {
        return sampleAspectNum > 0 && sampleAspectDen > 0 ? (double) width * sampleAspectNum / sampleAspectDen : width;
    }
}
