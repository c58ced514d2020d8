package org.campusedge.agent.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * Other "versions" of the real campus-edge.jar for the upgrade tests: the same classes under another
 * version number, optionally with a package left out, which breaks the version in a realistic way
 * (the JVM starts, the missing classes fail when first used).
 */
final class JarVariants {

    private static final String VERSION_FILE = "org/campusedge/agent/version.properties";

    private JarVariants() {
    }

    /** A copy of {@code jar} that says {@code version}, without the entries under {@code dropPrefix} (none if empty). */
    static Path variant(Path jar, Path out, String version, String dropPrefix) throws IOException {
        try (InputStream raw = Files.newInputStream(jar); ZipInputStream in = new ZipInputStream(raw);
             OutputStream rawOut = Files.newOutputStream(out); ZipOutputStream zip = new ZipOutputStream(rawOut)) {
            boolean versioned = false;
            for (ZipEntry e = in.getNextEntry(); e != null; e = in.getNextEntry()) {
                if (!dropPrefix.isEmpty() && e.getName().startsWith(dropPrefix)) {
                    continue;
                }
                zip.putNextEntry(new ZipEntry(e.getName()));
                if (e.getName().equals(VERSION_FILE)) {
                    zip.write(("version=" + version + "\n").getBytes(StandardCharsets.ISO_8859_1));
                    versioned = true;
                } else {
                    in.transferTo(zip);
                }
                zip.closeEntry();
            }
            if (!versioned) {
                throw new IOException(jar + " has no " + VERSION_FILE);
            }
        }
        return out;
    }
}
