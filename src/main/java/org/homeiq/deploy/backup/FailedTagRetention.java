package org.homeiq.deploy.backup;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Pattern;
import org.homeiq.deploy.docker.ImageRef;

/**
 * The {@code <image>:failed-<yyyyMMdd-HHmmss>} tags a rollback keeps for diagnosis, pruned with
 * the backups: the newest N per service image stay (their names sort by time), older ones are
 * untagged. Without this every failed deployment kept an image forever.
 */
public final class FailedTagRetention {
    public static final int DEFAULT_KEEP = 3;
    private static final Pattern FAILED = Pattern.compile("failed-\\d{8}-\\d{6}");

    private FailedTagRetention() {
    }

    /** Of one repository's references, the failed-* ones beyond the newest {@code keep}, oldest first. */
    static List<String> toPrune(List<String> refs, int keep) {
        if (keep < 0) {
            throw new IllegalArgumentException("keep must be 0 or more");
        }
        List<String> failed = refs.stream().filter(r -> FAILED.matcher(ImageRef.parse(r).tag()).matches())
                .distinct().sorted(Comparator.comparing((String r) -> ImageRef.parse(r).tag())).toList();
        return new ArrayList<>(failed.subList(0, Math.max(0, failed.size() - keep)));
    }

    /**
     * Untags the failed-* tags of each image's repository beyond the newest {@code keep}.
     *
     * @param images the service images (repo:tag) whose repositories to prune
     * @param list Docker's image listing by reference filter
     * @param untag removes one tag
     * @return the tags removed
     */
    public static List<String> prune(Collection<String> images, int keep, Function<String, List<String>> list,
            Consumer<String> untag) {
        var repositories = new LinkedHashSet<String>();
        images.forEach(i -> repositories.add(ImageRef.parse(i).repository()));
        var removed = new ArrayList<String>();
        for (String repo : repositories) {
            for (String ref : toPrune(list.apply(repo + ":failed-*"), keep)) {
                untag.accept(ref);
                removed.add(ref);
            }
        }
        return removed;
    }
}
