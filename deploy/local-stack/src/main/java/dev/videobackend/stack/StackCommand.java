package dev.videobackend.stack;

import dev.videobackend.infra.media.SampleClip;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_ERROR;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;

/**
 * {@code deploy/local-stack/run [--demo] [--data-dir DIR] [--port N] [--transcoder-port N]}: starts the whole stack
 * on this machine and keeps it running until Ctrl-C, which stops every process it started.
 */
public final class StackCommand {

    private static final String USAGE = """
            Usage: deploy/local-stack/run [--demo] [--storage filesystem|s3] [--data-dir DIR] [--port N]
                                          [--transcoder-port N]

              --demo               also generate a clip, upload it, follow its transcode and check a rendition
              --storage s3         keep media in a bucket of an embedded S3 server (S3Proxy) instead of the
                                   media directory the services share (default: filesystem)
              --data-dir DIR       where PostgreSQL, Kafka, media and logs live (default: $VIDEO_STACK_DATA,
                                   or .local-data in the repository); kept across restarts
              --port N             HTTP port of the catalog (default 8080)
              --transcoder-port N  HTTP port of the transcoder's health endpoints (default 8081)

            An existing PostgreSQL or Kafka is used instead of the embedded one when VIDEO_POSTGRES_URL
            (with VIDEO_POSTGRES_USER, VIDEO_POSTGRES_PASSWORD) or VIDEO_KAFKA_BOOTSTRAP_SERVERS is set; with
            --storage s3, an existing S3 service when VIDEO_S3_ENDPOINT is set (with VIDEO_S3_BUCKET,
            VIDEO_S3_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY).
            """;

    private StackCommand() {
    }

    public static void main(String[] arguments) throws InterruptedException {
        // Kafka and PostgreSQL run in this JVM; their chatter goes nowhere, their errors to the terminal.
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "error");
        av_log_set_level(AV_LOG_ERROR);
        Options options;
        try {
            options = Options.parse(arguments);
        } catch (IllegalArgumentException e) {
            System.err.println(e.getMessage());
            System.err.print(USAGE);
            System.exit(2);
            return;
        }
        if (options.help()) {
            System.out.print(USAGE);
            return;
        }
        PrintStream out = System.out;
        Path repository = Path.of("").toAbsolutePath();
        LocalStack.Settings settings = new LocalStack.Settings(options.dataDirectory(), options.port(),
                options.transcoderPort(),
                repository.resolve("catalog-service/target/quarkus-app/quarkus-run.jar"),
                repository.resolve("transcoder-service/target/quarkus-app/quarkus-run.jar"),
                true).withMediaStore(options.storage());
        out.println("Starting PostgreSQL, Kafka, the catalog and the transcoder (data in " + settings.dataDirectory() + ")...");
        LocalStack stack = LocalStack.start(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            out.println();
            out.println("Stopping the local stack...");
            stack.close();
            out.println("Stopped; nothing is left running.");
            stopped.countDown();
        }, "local-stack-shutdown"));
        printAddresses(stack, out);
        if (options.demo()) {
            try {
                new Demo(new CatalogClient(stack.catalogUrl(), stack.tokens().demoUploader()), settings.dataDirectory().resolve("demo"), out)
                        .run(new SampleClip.Spec(1280, 720, 30, 10, true));
            } catch (RuntimeException e) {
                out.println();
                out.println("The demo failed: " + e.getMessage());
                out.println("Logs: " + stack.logDirectory());
            }
        }
        out.println("Press Ctrl-C to stop. A service that crashes is started again with back-off, the others keep running.");
        stopped.await();
    }

    private static void printAddresses(LocalStack stack, PrintStream out) {
        String catalog = stack.catalogUrl().toString();
        out.println();
        out.println("The local stack is up:");
        out.println("  Web console  " + catalog + "/   (sign in with a token below)");
        out.println("  GraphQL      " + catalog + "/graphql   (explorer: " + catalog + "/q/graphql-ui)");
        out.println("  Upload       PUT " + catalog + "/api/videos/{id}/source   (the video file as the body)");
        out.println("               tus 1.0 " + catalog + "/api/uploads   (resumable; Upload-Metadata names the videoId)");
        out.println("  Media        " + catalog + "/media/{videoId}/{jobId}/master.m3u8 (HLS), progressive.mp4, poster.jpg");
        out.println("  Health       " + catalog + "/q/health   " + stack.transcoderUrl() + "/q/health");
        out.println("  PostgreSQL   " + stack.postgres().jdbcUrl() + " (user " + stack.postgres().user() + ")");
        out.println("  Kafka        " + stack.kafka().bootstrapServers());
        stack.s3().ifPresent(s3 -> out.println("  Media        " + s3));
        out.println("  Logs         " + stack.logDirectory());
        out.println();
        out.println("Bearer tokens (30 days; the catalog trusts the key pair in " + stack.tokens().publicKey().getParent() + "):");
        out.println("  " + StackTokens.DEMO_USER + " (uploader)   " + stack.tokens().demoUploader());
        out.println("  " + StackTokens.ADMIN_USER + " (admin)     " + stack.tokens().admin());
        out.println("  e.g. curl -H \"Authorization: Bearer $TOKEN\" " + catalog + "/graphql ...");
        out.println();
    }

    record Options(Path dataDirectory, int port, int transcoderPort, boolean demo, boolean help, MediaStore storage) {

        static Options parse(String[] arguments) {
            String data = System.getenv().getOrDefault("VIDEO_STACK_DATA", ".local-data");
            int port = 8080;
            int transcoderPort = 8081;
            boolean demo = false;
            boolean help = false;
            MediaStore storage = MediaStore.FILESYSTEM;
            for (int i = 0; i < arguments.length; i++) {
                switch (arguments[i]) {
                    case "--demo" -> demo = true;
                    case "--help", "-h" -> help = true;
                    case "--data-dir" -> data = value(arguments, ++i, "--data-dir");
                    case "--storage" -> storage = MediaStore.parse(value(arguments, ++i, "--storage"));
                    case "--port" -> port = port(value(arguments, ++i, "--port"));
                    case "--transcoder-port" -> transcoderPort = port(value(arguments, ++i, "--transcoder-port"));
                    default -> throw new IllegalArgumentException("Unknown option " + arguments[i]);
                }
            }
            if (port == transcoderPort) {
                throw new IllegalArgumentException("--port and --transcoder-port must differ");
            }
            return new Options(Path.of(data).toAbsolutePath().normalize(), port, transcoderPort, demo, help, storage);
        }

        private static String value(String[] arguments, int index, String option) {
            if (index >= arguments.length) {
                throw new IllegalArgumentException(option + " needs a value");
            }
            return arguments[index];
        }

        private static int port(String text) {
            try {
                int port = Integer.parseInt(text);
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("A port is between 1 and 65535, got " + text);
                }
                return port;
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("A port is a number, got " + text, e);
            }
        }
    }
}
