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

    /** {@code audio} is {@code null} for a source without audio, {@code storyboard} when storyboards are off. */
    Result write(SourceInfo source, FrameRate frameRate, List<RungEncoder> rungs, AudioTrack audio,
            Muxer progressive, Rung progressiveRung, Poster poster, Storyboard storyboard) {
        List<Rendition> renditions = new ArrayList<>();
        for (RungEncoder rung : rungs) {
            progress.packaging(renditions.size());
            renditions.add(rendition(rung, frameRate));
        }
        Audio audioOutput = audio == null ? null : audio.finish();
        progressive.finish();
        long progressiveSize = size(progressive.file());
        double progressiveDuration = progressive.durationSeconds();
        Progressive progressiveOutput = new Progressive(progressive.file(), progressiveRung.width(),
                progressiveRung.height(), audioOutput != null,
                MediaPlaylist.bitrate(progressiveSize, progressiveDuration), progressiveSize, progressiveDuration);
        Path master = MasterPlaylist.write(outputDirectory, renditions.stream()
                .map(rendition -> new MasterPlaylist.Variant(relative(rendition.playlist()),
                        rendition.rung().width(), rendition.rung().height(), rendition.frameRate(),
                        rendition.codecs(), rendition.peakBitrate(), rendition.averageBitrate()))
                .toList(),
                audioOutput == null ? null : new MasterPlaylist.Audio(relative(audioOutput.playlist()),
                        audioOutput.channels(), audioOutput.peakBitrate(), audioOutput.averageBitrate()));
        progress.packaging(rungs.size());
        return new Result(source, master, renditions, audioOutput, poster, progressiveOutput, storyboard);
    }

    private static Rendition rendition(RungEncoder rung, FrameRate frameRate) {
        rung.playlist().finish();
        MediaPlaylist written = MediaPlaylist.read(rung.playlist().file());
        double duration = rung.playlist().durationSeconds();
        return new Rendition(rung.rung(), written.file(), CodecStrings.avc1(rung.encoder().context()),
                frameRate.value(), written.peakBitrate(), written.averageBitrate(), written.sizeBytes(), duration);
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
