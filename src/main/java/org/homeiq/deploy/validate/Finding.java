package org.homeiq.deploy.validate;

import java.util.List;

/**
 * One problem found in the inventory, plan or compose file.
 *
 * @param severity whether it breaks a deployment or is only odd
 * @param code short stable name of the check ({@code port-clash}, {@code deploy-order})
 * @param where {@code file:line} it comes from, or empty when it is about the data as a whole
 * @param message what is wrong and what to do, in a sentence an operator can act on
 * @param services the services it is about
 */
public record Finding(Severity severity, String code, String where, String message, List<String> services) {
    public Finding {
        services = List.copyOf(services);
    }

    public enum Severity {
        /** Breaks a deployment: a service would not start, not be reachable, or start before what it needs. */
        ERROR,
        /** Odd but harmless for a deployment: worth a look, never blocks. */
        WARNING,
        /** Not a problem: what the engine will do with this checkout, said once (services it does not have). */
        INFO;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** {@code file:line: error [code] message}, the form compilers use, so editors can jump to it. */
    public String render() {
        String prefix = where.isEmpty() ? "" : where + ": ";
        return prefix + severity.label() + " [" + code + "] " + message;
    }
}
