package org.homeiq.deploy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A report file option ({@code --json}, {@code --junit}, {@code --save-baseline}): proved writable
 * when the option is read, so a bad path is bad input (exit 2) before anything is deployed, not an
 * error after. The probe leaves no trace: a new file is created and removed again, an existing one
 * opened for appending without a byte written; missing parent directories are made when the report
 * is written, so here the nearest existing one must be a writable directory.
 */
public final class ReportPath implements ITypeConverter<Path> {
    @Override
    public Path convert(String value) {
        Path file = Path.of(value);
        Path abs = file.toAbsolutePath().normalize();
        try {
            if (Files.isDirectory(abs)) {
                throw new TypeConversionException("'" + value + "' is a directory, not a file");
            }
            if (Files.exists(abs)) {
                Files.newOutputStream(abs, StandardOpenOption.WRITE, StandardOpenOption.APPEND).close();
                return file;
            }
            Path parent = abs.getParent();
            if (parent != null && Files.isDirectory(parent)) {
                Files.newOutputStream(abs, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                Files.delete(abs);
                return file;
            }
            Path existing = parent;
            while (existing != null && !Files.exists(existing)) {
                existing = existing.getParent();
            }
            if (existing == null || !Files.isDirectory(existing) || !Files.isWritable(existing)) {
                throw new TypeConversionException("cannot create '" + value + "': "
                        + (existing == null ? "no existing parent directory" : existing + " is not a writable directory"));
            }
            return file;
        } catch (IOException e) {
            throw new TypeConversionException("cannot write '" + value + "': " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
    }
}
