package dev.videobackend.transcoder.image;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.JarURLConnection;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every shared library the transcoder images carry (the bytedeco natives that {@code package} unpacks into
 * {@code target/natives/}: FFmpeg's and JavaCPP's, without libavdevice) loads on the base image each Dockerfile
 * names: the newest glibc, libstdc++ and C++ ABI symbol versions they need are no newer than the base image's, and
 * every library they link is either bundled or one the base image has. The needs are read from the libraries
 * themselves ({@link ElfVersionNeeds}), so a new FFmpeg or a new base image cannot reintroduce the crash loop of
 * FFmpeg 8 (GLIBC_2.35) on UBI 9 (glibc 2.34).
 */
class NativeLibrariesBaseImageTest {

    /** What a base image provides: its glibc, and the newest GLIBCXX and CXXABI versions of its libstdc++. */
    record BaseImage(String distribution, String glibc, String glibcxx, String cxxabi) {

        Optional<String> provides(String version) {
            Matcher symbol = SYMBOL_VERSION.matcher(version);
            if (!symbol.matches()) {
                return Optional.empty();
            }
            String newest = switch (symbol.group(1)) {
                case "GLIBC" -> glibc;
                case "GLIBCXX" -> glibcxx;
                case "CXXABI" -> cxxabi;
                default -> null;
            };
            if (newest == null || compare(symbol.group(2), newest) <= 0) {
                return Optional.empty();
            }
            return Optional.of(version + " is newer than " + distribution + "'s " + symbol.group(1) + "_" + newest);
        }
    }

    /**
     * The base images the Dockerfiles may name, by repository (any tag): the distribution's glibc, and its GCC's
     * libstdc++ (GCC 11: GLIBCXX_3.4.29 and CXXABI_1.3.13; GCC 14: GLIBCXX_3.4.33 and CXXABI_1.3.15). RHEL 9 ships
     * glibc 2.34 and GCC 11, RHEL 10 glibc 2.39 and GCC 14. UBI 9 stays listed to show that it no longer does.
     */
    static final Map<String, BaseImage> BASE_IMAGES = Map.of(
            "registry.access.redhat.com/ubi9/openjdk-17-runtime", new BaseImage("UBI 9", "2.34", "3.4.29", "1.3.13"),
            "quay.io/quarkus/ubi9-quarkus-micro-image", new BaseImage("UBI 9", "2.34", "3.4.29", "1.3.13"),
            "registry.access.redhat.com/ubi10/openjdk-21-runtime", new BaseImage("UBI 10", "2.39", "3.4.33", "1.3.15"),
            "quay.io/quarkus/ubi10-quarkus-micro-image", new BaseImage("UBI 10", "2.39", "3.4.33", "1.3.15"));

    /**
     * What the natives may link without bringing it: glibc's and GCC's runtime libraries, in every base image.
     * libmvec (glibc's vector maths, x86-64 only) is linked by the GPL build's libavcodec.
     */
    private static final Set<String> SYSTEM_LIBRARIES = Set.of("libc.so.6", "libm.so.6", "libmvec.so.1",
            "ld-linux-x86-64.so.2", "libstdc++.so.6", "libgcc_s.so.1");
    private static final Pattern SYMBOL_VERSION = Pattern.compile("(GLIBC|GLIBCXX|CXXABI)_([0-9.]+)");
    private static final Pattern FROM = Pattern.compile("^FROM\\s+(\\S+)", Pattern.MULTILINE);
    /** The same selection as the unpack-natives execution in pom.xml: the LGPL natives, or the GPL ones. */
    private static final Pattern NATIVE = Pattern.compile(
            "org/bytedeco/[^/]+/linux-x86_64(?:-gpl)?/([^/]+\\.so[.0-9]*)");
    /** One library of each jar of natives, whichever build of FFmpeg the class path has. */
    private static final List<String> ANCHORS = List.of("org/bytedeco/ffmpeg/linux-x86_64/libjniavutil.so",
            "org/bytedeco/ffmpeg/linux-x86_64-gpl/libjniavutil.so", "org/bytedeco/javacpp/linux-x86_64/libjnijavacpp.so");
    private static final Path DOCKER = Path.of("src/main/docker");

    /** Each bundled library's needs, by file name. */
    private static final Map<String, ElfVersionNeeds> NATIVES = new LinkedHashMap<>();

    @BeforeAll
    static void readTheNatives() throws IOException {
        List<URL> jars = ANCHORS.stream().map(NativeLibrariesBaseImageTest.class.getClassLoader()::getResource)
                .filter(Objects::nonNull).toList();
        assertThat(jars).as("one build of FFmpeg's natives and JavaCPP's on the class path").hasSize(2);
        for (URL resource : jars) {
            JarURLConnection connection = (JarURLConnection) resource.openConnection();
            connection.setUseCaches(false);
            try (JarFile jar = connection.getJarFile()) {
                for (JarEntry entry : jar.stream().toList()) {
                    Matcher name = NATIVE.matcher(entry.getName());
                    if (name.matches() && !name.group(1).contains("avdevice")) {
                        try (InputStream in = jar.getInputStream(entry)) {
                            NATIVES.put(name.group(1), ElfVersionNeeds.of(in.readAllBytes()));
                        }
                    }
                }
            }
        }
        assertThat(NATIVES).containsKeys("libavcodec.so.62", "libavformat.so.62", "libavfilter.so.11",
                "libavutil.so.60", "libswscale.so.9", "libswresample.so.6", "libjnijavacpp.so");
    }

    @Test
    void everyDockerfilesBaseImageHasWhatEveryBundledLibraryNeeds() throws IOException {
        for (String dockerfile : List.of("Dockerfile.jvm", "Dockerfile.native")) {
            String base = baseImage(Files.readString(DOCKER.resolve(dockerfile)));
            BaseImage image = BASE_IMAGES.get(base);
            assertThat(image).as("%s names %s, which the table of base images does not know", dockerfile, base)
                    .isNotNull();
            assertThat(shortfalls(image)).as("%s on %s", dockerfile, base).isEmpty();
        }
    }

    @Test
    void theNativesLinkOnlyWhatTheyBringOrEveryBaseImageHas() {
        List<String> missing = new ArrayList<>();
        NATIVES.forEach((library, elf) -> elf.neededLibraries().stream()
                .filter(needed -> !NATIVES.containsKey(needed) && !SYSTEM_LIBRARIES.contains(needed))
                .forEach(needed -> missing.add(library + " links " + needed)));
        assertThat(missing).isEmpty();
    }

    /** The check finds what broke the images: FFmpeg 8's libraries need glibc 2.35, UBI 9 has 2.34. */
    @Test
    void ubi9WouldNotDo() {
        assertThat(shortfalls(BASE_IMAGES.get("registry.access.redhat.com/ubi9/openjdk-17-runtime")))
                .contains("libavcodec.so.62: GLIBC_2.35 is newer than UBI 9's GLIBC_2.34",
                        "libavutil.so.60: GLIBC_2.35 is newer than UBI 9's GLIBC_2.34");
        assertThat(newestNeeded("GLIBC")).isEqualTo("GLIBC_2.35");
    }

    private static List<String> shortfalls(BaseImage image) {
        List<String> shortfalls = new ArrayList<>();
        NATIVES.forEach((library, elf) -> new TreeSet<>(elf.versions().stream()
                .map(ElfVersionNeeds.Need::version).toList())
                .forEach(version -> image.provides(version).ifPresent(gap -> shortfalls.add(library + ": " + gap))));
        return shortfalls;
    }

    private static String newestNeeded(String prefix) {
        return NATIVES.values().stream().flatMap(elf -> elf.versions().stream()).map(ElfVersionNeeds.Need::version)
                .filter(v -> v.startsWith(prefix + "_")).max(Comparator.comparing(v -> v.substring(prefix.length() + 1),
                        NativeLibrariesBaseImageTest::compare)).orElseThrow();
    }

    /** The image of the Dockerfile's only FROM, without tag or digest. */
    private static String baseImage(String dockerfile) {
        List<String> froms = FROM.matcher(dockerfile).results().map(m -> m.group(1)).toList();
        assertThat(froms).hasSize(1);
        String reference = froms.get(0).split("@")[0];
        int tag = reference.lastIndexOf(':');
        return tag > reference.lastIndexOf('/') ? reference.substring(0, tag) : reference;
    }

    /** Compares dotted version numbers numerically: 2.9 before 2.35. */
    static int compare(String a, String b) {
        int[] x = Arrays.stream(a.split("\\.")).mapToInt(Integer::parseInt).toArray();
        int[] y = Arrays.stream(b.split("\\.")).mapToInt(Integer::parseInt).toArray();
        for (int i = 0; i < Math.max(x.length, y.length); i++) {
            int difference = Integer.compare(i < x.length ? x[i] : 0, i < y.length ? y[i] : 0);
            if (difference != 0) {
                return difference;
            }
        }
        return 0;
    }
}
