package dev.videobackend.transcoder.job;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_DEBUG;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_FATAL;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_INFO;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_PANIC;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_VERBOSE;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_WARNING;

/** FFmpeg's own log levels, by the names its command line uses. */
public enum FfmpegLogLevel {
    QUIET(AV_LOG_QUIET),
    PANIC(AV_LOG_PANIC),
    FATAL(AV_LOG_FATAL),
    ERROR(AV_LOG_ERROR),
    WARNING(AV_LOG_WARNING),
    INFO(AV_LOG_INFO),
    VERBOSE(AV_LOG_VERBOSE),
    DEBUG(AV_LOG_DEBUG);

    private final int level;

    FfmpegLogLevel(int level) {
        this.level = level;
    }

    int level() {
        return level;
    }
}
