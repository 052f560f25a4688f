package org.homeiq.deploy.cli;

import org.homeiq.deploy.docker.DockerGrammar;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** picocli converters that hold names to Docker's grammar when the option is read (exit 2 naming it). */
final class DockerNames {
    private DockerNames() {
    }

    /** {@code -p, --project-name}. */
    static final class ProjectName implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return held(value, DockerGrammar.isProjectName(value),
                    "a compose project name (lower-case letters, digits, '-' and '_', starting with a letter or digit)");
        }
    }

    /** {@code --helper-image}. */
    static final class Image implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            return held(value, DockerGrammar.isImageReference(value), "an image reference (e.g. busybox:latest, registry:5000/team/tools:1.2)");
        }
    }

    private static String held(String value, boolean ok, String what) {
        if (!ok) {
            throw new TypeConversionException("'" + value + "' is not " + what);
        }
        return value;
    }
}
