package dev.videobackend.transcoder.transcode;

import dev.videobackend.transcoder.transcode.LadderTranscoder.Audio;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVFrame;

import java.nio.file.Path;

import static dev.videobackend.transcoder.transcode.LadderTranscoder.AUDIO_CHANNELS;
import static dev.videobackend.transcoder.transcode.LadderTranscoder.AUDIO_SAMPLE_RATE;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_alloc;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_free;
import static org.bytedeco.ffmpeg.global.avutil.av_frame_unref;

/**
 * The source's audio, decoded, resampled to 48 kHz stereo and encoded once as AAC-LC; each packet goes to the shared
 * audio playlist and to the progressive MP4. Owns its decoder, graph, encoder, playlist and frames, all on this
 * (the demuxing) thread; the progressive MP4 is the caller's.
 */
final class AudioTrack implements AutoCloseable {

    private static final String CHAIN = "[in]aresample=" + AUDIO_SAMPLE_RATE
            + ",aformat=sample_fmts=fltp:sample_rates=" + AUDIO_SAMPLE_RATE + ":channel_layouts=stereo[out0]";

    private final NativeOwner owner = new NativeOwner();
    private final int streamIndex;
    private final Decoder decoder;
    private final FilterGraph graph;
    private final Encoder encoder;
    private final Muxer playlist;
    private final AVFrame decoded;
    private final AVFrame filtered;
    private final AVPacket encoded;
    private Muxer progressive;
    private int progressiveStream = -1;

    /**
     * The audio of {@code media}, into an HLS playlist in {@code outputDirectory}'s {@code audio/}, created only once
     * the decoder is accepted (a refused source leaves nothing); freed whole if any part fails.
     */
    AudioTrack(SourceMedia media, long bitrate, Path outputDirectory, double segmentSeconds, long maxPixels) {
        streamIndex = media.audioStream();
        AVStream stream = media.stream(streamIndex);
        try {
            decoded = owner.allocated(av_frame_alloc(), f -> av_frame_free(f), "an audio frame");
            filtered = owner.allocated(av_frame_alloc(), f -> av_frame_free(f), "an audio frame");
            encoded = owner.allocated(av_packet_alloc(), p -> av_packet_free(p), "an audio packet");
            decoder = owner.own(media.openDecoder(streamIndex, 1, maxPixels));
            graph = owner.own(FilterGraph.audio(decoder.context(), stream.time_base(), CHAIN));
            encoder = owner.own(Encoder.aac(AUDIO_SAMPLE_RATE, AUDIO_CHANNELS, bitrate, graph.timeBase(0)));
            graph.fixFrameSize(encoder.frameSize());
            playlist = owner.own(Muxer.hls(LadderTranscoder.directory(outputDirectory, LadderTranscoder.AUDIO_DIRECTORY),
                    segmentSeconds));
            playlist.addStream(encoder);
            playlist.start();
        } catch (RuntimeException e) {
            owner.close();
            throw e;
        }
    }

    int streamIndex() {
        return streamIndex;
    }

    /** Adds the audio to {@code progressive}, not yet started, which then gets every packet too. */
    void alsoInto(Muxer progressive) {
        this.progressive = progressive;
        this.progressiveStream = progressive.addStream(encoder);
    }

    void send(AVPacket packet) {
        decoder.send(packet);
        drainDecoder();
    }

    void flush() {
        decoder.send(null);
        drainDecoder();
        graph.push(null);
        pull();
        encoder.send(null);
        write();
    }

    /** Finishes the playlist and measures it. */
    Audio finish() {
        playlist.finish();
        MediaPlaylist written = MediaPlaylist.read(playlist.file());
        return new Audio(written.file(), AUDIO_CHANNELS, AUDIO_SAMPLE_RATE, written.peakBitrate(),
                written.averageBitrate(), written.sizeBytes(), playlist.durationSeconds());
    }

    private void drainDecoder() {
        while (decoder.receive(decoded)) {
            graph.push(decoded);
            pull();
        }
    }

    private void pull() {
        while (graph.pull(0, filtered)) {
            encoder.send(filtered);
            av_frame_unref(filtered);
            write();
        }
    }

    private void write() {
        while (encoder.receive(encoded)) {
            try {
                playlist.write(encoded, 0);
                progressive.write(encoded, progressiveStream);
            } finally {
                av_packet_unref(encoded);
            }
        }
    }

    @Override
    public void close() {
        owner.close();
    }
}
