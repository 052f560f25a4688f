package org.homeiq.deploy.e2e;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Marks a test (class) that needs a real Docker engine. Without one it is skipped with a loud
 * message; with the environment variable {@code CI=true} it fails instead, so CI never goes green
 * by skipping.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Tag("docker")
@ExtendWith(DockerAvailable.class)
public @interface DockerTest {
}
