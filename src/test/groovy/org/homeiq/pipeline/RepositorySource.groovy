package org.homeiq.pipeline

import com.lesfurets.jenkins.unit.global.lib.SourceRetriever

/**
 * Serves the shared library from this repository's own checkout (vars/, resources/), so the
 * tests run the real steps as Jenkins would load them. JenkinsPipelineUnit 1.1 only knows
 * LocalSource, which wants a `name@version` directory.
 */
class RepositorySource implements SourceRetriever {
    final File root

    RepositorySource(File root) {
        this.root = root
    }

    @Override
    List<URL> retrieve(String repository, String branch, String targetPath) throws IllegalStateException {
        if (!new File(root, 'vars').isDirectory()) {
            throw new IllegalStateException("no vars/ under ${root}")
        }
        return [root.toURI().toURL()]
    }
}
