package org.homeiq.deploy.wave;

import java.util.Locale;

/** What a wave does when a service fails its build or its gate. */
public enum FailurePolicy {
    /** Put the failed service back on its restore point, gate it again, stop the wave (exit 1). */
    ROLLBACK,
    /** Leave the failed service as it is and stop the wave (exit 1). */
    STOP,
    /** Leave the failed service as it is and go on with the rest of the wave (exit 1 at the end). */
    CONTINUE;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** picocli converter: the lower-case words of the contract. */
    public static final class Converter implements picocli.CommandLine.ITypeConverter<FailurePolicy> {
        @Override
        public FailurePolicy convert(String value) {
            for (FailurePolicy p : values()) {
                if (p.label().equals(value)) {
                    return p;
                }
            }
            throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not one of rollback, stop, continue");
        }
    }
}
