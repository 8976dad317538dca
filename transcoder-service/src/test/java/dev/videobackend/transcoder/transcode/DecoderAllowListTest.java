package dev.videobackend.transcoder.transcode;

import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_AV1;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_MP3;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_PCM_S24LE;
import static org.bytedeco.ffmpeg.global.avcodec.AV_CODEC_ID_WMAVOICE;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_parameters_free;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_AUDIO;
import static org.bytedeco.ffmpeg.global.avutil.AVMEDIA_TYPE_VIDEO;

class DecoderAllowListTest {

    @Test
    void expandsPatternsAndSkipsWhatTheBuildLacks() {
        List<String> names = Arrays.asList(new DecoderAllowList(List.of("libdav1d", "h264", "pcm_*")).whitelist()
                .split(","));

        // The bundled FFmpeg has no dav1d.
        assertThat(names).doesNotContain("libdav1d").startsWith("h264").contains("pcm_s16le", "pcm_s24le", "pcm_f32le")
                .allMatch(name -> name.equals("h264") || name.startsWith("pcm_"));
    }

    /** What the service logs when it starts, and stops on when nothing is left. */
    @Test
    void tellsWhichEntriesTakeNoDecoder() {
        assertThat(DecoderAllowList.unmatched(List.of("libdav1d", "h246", "h264", "pcm_*", "nosuch_*")))
                .containsExactly("libdav1d", "h246", "nosuch_*");
        assertThat(DecoderAllowList.unmatched(List.of(DecoderAllowList.DEFAULT.split(",")))).containsExactly("libdav1d");
    }

    @Test
    void takesTheFirstAllowedDecoderOfACodec() {
        assertThat(decoderName(List.of("mp3", "mp3float"), AVMEDIA_TYPE_AUDIO, AV_CODEC_ID_MP3)).isEqualTo("mp3");
        assertThat(decoderName(List.of("mp3float", "mp3"), AVMEDIA_TYPE_AUDIO, AV_CODEC_ID_MP3)).isEqualTo("mp3float");
        // AV1: dav1d where the build has it, else libaom, before FFmpeg's own decoder, which needs hardware.
        assertThat(decoderName(List.of(DecoderAllowList.DEFAULT.split(",")), AVMEDIA_TYPE_VIDEO, AV_CODEC_ID_AV1))
                .isEqualTo("libaom-av1");
        assertThat(decoderName(List.of("pcm_*"), AVMEDIA_TYPE_AUDIO, AV_CODEC_ID_PCM_S24LE)).isEqualTo("pcm_s24le");
    }

    @Test
    void refusesACodecNoAllowedDecoderTakesNamingIt() {
        assertThatThrownBy(() -> decoderName(List.of(DecoderAllowList.DEFAULT.split(",")), AVMEDIA_TYPE_AUDIO,
                AV_CODEC_ID_WMAVOICE)).isInstanceOfSatisfying(TranscodeFailure.class, failure -> {
                    assertThat(failure.code()).isEqualTo(FailureCode.UNSUPPORTED_CODEC);
                    assertThat(failure.getMessage()).isEqualTo("The source's audio codec Windows Media Audio Voice "
                            + "(wmavoice) is not on the decoder allow-list (transcoder.input.allowed-decoders)");
                });
    }

    private static String decoderName(List<String> allowed, int mediaType, int codecId) {
        AVCodecParameters stream = avcodec_parameters_alloc();
        try {
            stream.codec_type(mediaType).codec_id(codecId);
            return new DecoderAllowList(allowed).decoderFor(stream).name().getString();
        } finally {
            avcodec_parameters_free(stream);
        }
    }
}
