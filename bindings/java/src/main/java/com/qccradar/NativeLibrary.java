package com.qccradar;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * Loads {@code libqcc_radar_jni}: from {@code java.library.path} when it is there (a system
 * package, or a developer's build), else from this jar's {@code native/<platform>/} resource,
 * copied to a temporary file first because the JVM can only load a library from a file.
 *
 * <p>The temporary copy is deleted as soon as it is loaded: Linux keeps the mapping, and
 * nothing is left in the temporary folder even if the JVM is killed. If the temporary folder
 * is mounted {@code noexec}, point {@code java.io.tmpdir} elsewhere or put the library on
 * {@code java.library.path}. A failure is remembered and reported as a
 * {@link ErrorKind#CONFIG} {@link QccException} on every call, instead of an
 * {@code UnsatisfiedLinkError} from deep inside.
 */
final class NativeLibrary {
    /** The library's name for {@link System#loadLibrary(String)}. */
    static final String NAME = "qcc_radar_jni";

    private static String source;
    private static QccException failure;

    private NativeLibrary() {
    }

    /** {@code linux-x86_64} and the like; the folder of the jar's copy. */
    static String platform() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osPart = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos" : os.startsWith("windows") ? "windows" : os;
        String archPart = arch.equals("amd64") || arch.equals("x86_64") ? "x86_64" : arch.equals("aarch64") || arch.equals("arm64") ? "aarch64" : arch;
        return osPart + "-" + archPart;
    }

    /** The class-path resource of the library for this platform. */
    static String resourceName() {
        return "/native/" + platform() + "/" + System.mapLibraryName(NAME);
    }

    /**
     * Loads the library once; throws the same {@link QccException} on every call if it cannot.
     */
    static synchronized void ensureLoaded() {
        if (source != null) {
            return;
        }
        if (failure != null) {
            throw failure;
        }
        try {
            System.loadLibrary(NAME);
            source = "java.library.path";
            return;
        } catch (UnsatisfiedLinkError notOnPath) {
            try {
                source = loadFromResource();
            } catch (IOException | UnsatisfiedLinkError | SecurityException e) {
                failure = new QccException(ErrorKind.CONFIG, null,
                        "cannot load the qcc-radar native library for " + platform() + ": not on java.library.path ("
                                + notOnPath.getMessage() + ") and " + e.getMessage()
                                + "; this jar ships native/linux-x86_64 only",
                        null, e);
                throw failure;
            }
        }
    }

    private static String loadFromResource() throws IOException {
        String resource = resourceName();
        try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IOException("the jar has no resource " + resource);
            }
            Path tmp = Files.createTempFile("libqcc_radar_jni", ".so");
            try {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                System.load(tmp.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        return "resource:" + resource;
    }

    /** Where the library came from ({@code java.library.path} or {@code resource:/native/…}), or null. */
    static synchronized String source() {
        return source;
    }
}
