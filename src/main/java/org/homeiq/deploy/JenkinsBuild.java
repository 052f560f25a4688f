package org.homeiq.deploy;

import java.util.Map;
import java.util.Optional;

/**
 * The Jenkins build the engine runs in, from the environment Jenkins gives every step:
 * {@code BUILD_TAG} (unique per build, e.g. {@code jenkins-homeiq-day1-42}) and {@code BUILD_URL}.
 * The journal records it so {@code rollback --build} finds every run of one build; the stack lock
 * names it so a waiting run says which build holds the stack.
 */
public record JenkinsBuild(String tag, String url) {
    /** The build of this process, if it runs in one. */
    public static Optional<JenkinsBuild> current() {
        return from(System.getenv());
    }

    static Optional<JenkinsBuild> from(Map<String, String> env) {
        String tag = env.get("BUILD_TAG");
        if (tag == null || tag.isBlank()) {
            return Optional.empty();
        }
        String url = env.get("BUILD_URL");
        return Optional.of(new JenkinsBuild(tag.strip(), url == null || url.isBlank() ? null : url.strip()));
    }

    /** {@code jenkins-x-42 (https://ci/job/x/42/)}. */
    public String describe() {
        return url == null ? tag : tag + " (" + url + ")";
    }
}
