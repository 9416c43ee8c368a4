package io.sitewire.localstack;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Gives a test class the shared {@link LocalStack}: declare it as a parameter of a test,
 * constructor, {@code @BeforeAll} or {@code @BeforeEach} method. The stack starts on first use in
 * the JVM and stops when all tests have run. SITEWIRE_STACK (system property or environment)
 * chooses it: {@code embedded} (default), {@code external} or {@code testcontainers}.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LocalStackExtension.class)
public @interface SitewireStack {
}
