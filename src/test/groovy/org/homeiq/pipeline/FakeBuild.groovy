package org.homeiq.pipeline

/** `currentBuild`: result, description, and the causes a timer-started run reports. */
class FakeBuild implements Serializable {
    String result = null
    String description = null
    String currentResult = 'SUCCESS'
    int number = 42
    List<String> causeClasses = ['hudson.model.Cause$UserIdCause']

    /** As RunWrapper.getBuildCauses(String className): the causes of that class, as maps. */
    List getBuildCauses(String className) {
        return causeClasses.findAll { it == className }.collect { [_class: it, shortDescription: it] }
    }

    List getBuildCauses() {
        return causeClasses.collect { [_class: it, shortDescription: it] }
    }
}
