package dev.videobackend.transcoder.transcode;

import dev.videobackend.transcoder.transcode.LadderTranscoder.Audio;
import dev.videobackend.transcoder.transcode.LadderTranscoder.Poster;
import dev.videobackend.transcoder.transcode.LadderTranscoder.Progressive;
import dev.videobackend.transcoder.transcode.LadderTranscoder.Rendition;
import dev.videobackend.transcoder.transcode.LadderTranscoder.Result;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The last step of a transcode: finishes every playlist and the progressive MP4, measures what was written, and
 * writes the master playlist from those measurements.
 */
record Packager(Path outputDirectory, ProgressMeter progress) {

    /**
     * {@code audio} is {@code null} for a source without audio, {@code storyboard} when storyboards are off;
     * {@code av1} the AV1 variants, maybe none.
     */
    Result write(SourceInfo source, FrameRate frameRate, List<RungEncoder> rungs, List<RungEncoder> av1,
            AudioTrack audio, Muxer progressive, Rung progressiveRung, Poster poster, Storyboard storyboard) {
        List<Rendition> renditions = new ArrayList<>();
        for (RungEncoder rung : rungs) {
            progress.packaging(renditions.size());
            renditions.add(rendition(rung, frameRate, false));
        }
        List<Rendition> av1Renditions = new ArrayList<>();
        for (RungEncoder variant : av1) {
            progress.packaging(renditions.size() + av1Renditions.size());
            av1Renditions.add(rendition(variant, frameRate, true));
        }
        Audio audioOutput = audio == null ? null : audio.finish();
        progressive.finish();
        long progressiveSize = size(progressive.file());
        double progressiveDuration = progressive.durationSeconds();
        Progressive progressiveOutput = new Progressive(progressive.file(), progressiveRung.width(),
                progressiveRung.height(), audioOutput != null,
                MediaPlaylist.bitrate(progressiveSize, progressiveDuration), progressiveSize, progressiveDuration);
        // H.264 first: players that pick the first variant they can play start with the one every player decodes.
        List<Rendition> variants = new ArrayList<>(renditions);
        variants.addAll(av1Renditions);
        Path master = MasterPlaylist.write(outputDirectory, variants.stream()
                .map(rendition -> new MasterPlaylist.Variant(relative(rendition.playlist()),
                        rendition.rung().width(), rendition.rung().height(), rendition.frameRate(),
                        rendition.codecs(), rendition.peakBitrate(), rendition.averageBitrate()))
                .toList(),
                audioOutput == null ? null : new MasterPlaylist.Audio(relative(audioOutput.playlist()),
                        audioOutput.channels(), audioOutput.peakBitrate(), audioOutput.averageBitrate()));
        progress.packaging(variants.size());
        return new Result(source, master, renditions, audioOutput, poster, progressiveOutput, storyboard,
                av1Renditions);
    }

    /** Finishes the rung's playlist and measures it; {@code av1} for an AV1 variant. */
    private static Rendition rendition(RungEncoder rung, FrameRate frameRate, boolean av1) {
        rung.playlist().finish();
        MediaPlaylist written = MediaPlaylist.read(rung.playlist().file());
        // AV1: the av1C record the muxer wrote into the init segment from the encoder's sequence header, which is
        // what players read too.
        String codecs = av1 ? CodecStrings.av01(written.file().resolveSibling(Muxer.INIT_SEGMENT))
                : CodecStrings.avc1(rung.encoder().context());
        double duration = rung.playlist().durationSeconds();
        return new Rendition(rung.rung(), written.file(), codecs, frameRate.value(), written.peakBitrate(),
                written.averageBitrate(), written.sizeBytes(), duration);
    }

    private String relative(Path file) {
        return outputDirectory.relativize(file).toString();
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read the size of " + file, e);
        }
    }
}
