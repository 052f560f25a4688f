package org.homeiq.deploy.docker;

/**
 * An image reference split into repository and tag ({@code registry:5000/a/b:tag}: the tag is
 * what follows the last colon after the last slash). Digest references keep their digest as "tag".
 */
public record ImageRef(String repository, String tag) {
    public static ImageRef parse(String ref) {
        int at = ref.indexOf('@');
        if (at >= 0) {
            return new ImageRef(ref.substring(0, at), ref.substring(at));
        }
        int slash = ref.lastIndexOf('/');
        int colon = ref.lastIndexOf(':');
        if (colon > slash) {
            return new ImageRef(ref.substring(0, colon), ref.substring(colon + 1));
        }
        return new ImageRef(ref, "latest");
    }

    /** The same repository with another tag. */
    public ImageRef withTag(String newTag) {
        return new ImageRef(repository, newTag);
    }

    @Override
    public String toString() {
        return tag.startsWith("@") ? repository + tag : repository + ":" + tag;
    }
}
