package org.homeiq.pipeline

// Stand-ins for the Jenkins classes an `input` inside `timeout` throws. The steps recognise them
// by simple class name (FlowInterruptedException carrying a Rejection or an ExceededTimeout cause),
// which is how they see the real ones: the Jenkins jars are not on Maven Central.

class FlowInterruptedException extends RuntimeException {
    final List causes
    final String result

    FlowInterruptedException(String result, Object... causes) {
        super("interrupted: ${causes*.shortDescription.join(', ')}".toString())
        this.result = result
        this.causes = causes as List
    }

    List getCauses() { causes }
    String getResult() { result }
}

class Rejection implements Serializable {
    final String userId

    Rejection(String userId) { this.userId = userId }

    Map getUser() { [id: userId] }
    String getShortDescription() { "Rejected by ${userId}".toString() }
}

class ExceededTimeout implements Serializable {
    String getShortDescription() { 'Timeout has been exceeded' }
}
