package org.homeiq.deploy.backup;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** Builds small tar streams in memory, including hostile ones. Test helper. */
final class TarFixtures {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar = ArchiveReader.tarOut(bytes);

    TarFixtures dir(String name, int mode) throws IOException {
        var e = new TarArchiveEntry(name.endsWith("/") ? name : name + "/");
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    TarFixtures file(String name, String content, int mode) throws IOException {
        return file(name, content.getBytes(StandardCharsets.UTF_8), mode);
    }

    TarFixtures file(String name, byte[] content, int mode) throws IOException {
        var e = new TarArchiveEntry(name, true); // preserve the name as given, even "/x" or "../x"
        e.setSize(content.length);
        e.setMode(mode);
        tar.putArchiveEntry(e);
        tar.write(content);
        tar.closeArchiveEntry();
        return this;
    }

    TarFixtures symlink(String name, String target) throws IOException {
        var e = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    TarFixtures hardlink(String name, String target) throws IOException {
        var e = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
        e.setLinkName(target);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    TarFixtures device(String name) throws IOException {
        var e = new TarArchiveEntry(name, TarConstants.LF_CHR, true);
        e.setDevMajor(1);
        e.setDevMinor(3);
        tar.putArchiveEntry(e);
        tar.closeArchiveEntry();
        return this;
    }

    byte[] bytes() throws IOException {
        tar.finish();
        tar.flush();
        return bytes.toByteArray();
    }
}
