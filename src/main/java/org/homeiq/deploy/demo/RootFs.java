package org.homeiq.deploy.demo;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * A tiny root file system as an in-memory tar (ustar): enough for {@code docker import} to make a
 * base image out of one static busybox binary and its applet symlinks, with no registry.
 */
final class RootFs {
    private final ByteArrayOutputStream tar = new ByteArrayOutputStream();

    void directory(String name, int mode) {
        entry(name.endsWith("/") ? name : name + "/", mode, '5', "", new byte[0]);
    }

    void file(String name, int mode, byte[] content) {
        entry(name, mode, '0', "", content);
    }

    void symlink(String name, String target) {
        entry(name, 0777, '2', target, new byte[0]);
    }

    /** The finished archive (two zero blocks mark its end). */
    byte[] bytes() {
        tar.writeBytes(new byte[1024]);
        return tar.toByteArray();
    }

    /** A root with busybox at /bin/busybox and one /bin symlink per applet. */
    static byte[] busybox(byte[] busybox, List<String> applets) {
        var fs = new RootFs();
        fs.directory("bin", 0755);
        fs.directory("etc", 0755);
        fs.directory("tmp", 01777);
        fs.directory("data", 0755);
        fs.file("bin/busybox", 0755, busybox);
        for (String a : applets) {
            if (!a.isBlank() && !a.equals("busybox")) {
                fs.symlink("bin/" + a.strip(), "busybox");
            }
        }
        fs.file("etc/passwd", 0644, "root:x:0:0:root:/:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/false\n".getBytes(StandardCharsets.US_ASCII));
        fs.file("etc/group", 0644, "root:x:0:\nnogroup:x:65534:\n".getBytes(StandardCharsets.US_ASCII));
        return fs.bytes();
    }

    private void entry(String name, int mode, char type, String link, byte[] content) {
        byte[] h = new byte[512];
        put(h, 0, 100, name);
        put(h, 100, 8, octal(mode, 7));
        put(h, 108, 8, octal(0, 7));
        put(h, 116, 8, octal(0, 7));
        put(h, 124, 12, octal(content.length, 11));
        put(h, 136, 12, octal(0, 11));
        for (int i = 148; i < 156; i++) {
            h[i] = ' ';
        }
        h[156] = (byte) type;
        put(h, 157, 100, link);
        put(h, 257, 6, "ustar");
        put(h, 263, 2, "00");
        put(h, 265, 32, "root");
        put(h, 297, 32, "root");
        long sum = 0;
        for (byte b : h) {
            sum += b & 0xff;
        }
        put(h, 148, 8, octal(sum, 6) + "\0 ");
        tar.writeBytes(h);
        tar.writeBytes(content);
        int pad = (512 - content.length % 512) % 512;
        tar.writeBytes(new byte[pad]);
    }

    private static String octal(long value, int digits) {
        String s = Long.toOctalString(value);
        return "0".repeat(Math.max(0, digits - s.length())) + s;
    }

    private static void put(byte[] h, int at, int len, String s) {
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (b.length > len) {
            throw new IllegalArgumentException("tar field too long: " + s);
        }
        System.arraycopy(b, 0, h, at, b.length);
    }
}
