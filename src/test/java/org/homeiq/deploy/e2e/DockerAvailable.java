package org.homeiq.deploy.e2e;

import org.homeiq.deploy.EnvironmentException;
import org.homeiq.deploy.docker.EngineApi;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;

/** The condition behind {@link DockerTest}: is a Docker engine reachable, and is this CI? */
public final class DockerAvailable implements ExecutionCondition, BeforeAllCallback {
    private static volatile String problem;
    private static volatile boolean checked;

    /** Why Docker cannot be used here, or null when it can. Asked once per JVM. */
    static synchronized String problem() {
        if (!checked) {
            try {
                EngineApi.connect().close();
                problem = null;
            } catch (EnvironmentException e) {
                problem = e.getMessage();
            }
            checked = true;
        }
        return problem;
    }

    static boolean ci() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        String why = problem();
        if (why == null || ci()) {
            return ConditionEvaluationResult.enabled("Docker engine reachable (or CI=true: must run)");
        }
        String msg = "SKIPPED Docker end-to-end test " + context.getDisplayName()
                + ": no Docker engine (" + why + "). Set CI=true to make this a failure.";
        System.err.println("!!!!!!!! " + msg);
        return ConditionEvaluationResult.disabled(msg);
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        String why = problem();
        if (why != null && ci()) {
            throw new AssertionError("CI=true but no Docker engine is reachable: " + why);
        }
    }
}
