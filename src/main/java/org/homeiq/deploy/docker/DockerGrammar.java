package org.homeiq.deploy.docker;

import java.util.regex.Pattern;

/**
 * Docker's and compose's own grammars for the names the engine passes on, so a bad one is bad
 * input found before anything is touched, not an error from Docker halfway through a run.
 */
public final class DockerGrammar {
    /** Compose project names: lower-case letters, digits, '-' and '_', starting with a letter or digit. */
    private static final Pattern PROJECT = Pattern.compile("[a-z0-9][a-z0-9_-]*");
    /** Docker's restricted names (volumes, containers): at least two characters, no '/' and no leading '.'. */
    private static final Pattern VOLUME = Pattern.compile("[a-zA-Z0-9][a-zA-Z0-9_.-]+");
    /** distribution/reference: [domain[:port]/]path[:tag][@digest], or an image id. */
    private static final Pattern IMAGE;

    static {
        String domainComponent = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
        String domain = domainComponent + "(?:\\." + domainComponent + ")*(?::[0-9]+)?";
        String pathComponent = "[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*";
        String name = "(?:" + domain + "/)?" + pathComponent + "(?:/" + pathComponent + ")*";
        String tag = "[\\w][\\w.-]{0,127}";
        String digest = "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9a-fA-F]{32,}";
        IMAGE = Pattern.compile("(?:" + name + "(?::" + tag + ")?(?:@" + digest + ")?)|(?:sha256:)?[0-9a-f]{12,64}");
    }

    private DockerGrammar() {
    }

    public static boolean isProjectName(String s) {
        return s != null && s.length() <= 255 && PROJECT.matcher(s).matches();
    }

    public static boolean isVolumeName(String s) {
        return s != null && s.length() <= 255 && VOLUME.matcher(s).matches();
    }

    public static boolean isImageReference(String s) {
        return s != null && s.length() <= 255 + 128 && IMAGE.matcher(s).matches();
    }
}
