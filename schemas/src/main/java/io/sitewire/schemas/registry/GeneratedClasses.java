package io.sitewire.schemas.registry;

import org.apache.avro.specific.AvroGenerated;
import org.apache.avro.util.ClassSecurityValidator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Avro 1.12 refuses to load classes named by a schema unless they are trusted (a guard against schemas that name
 * gadget classes), and by default it trusts only java.* types, so reading into our generated records fails with
 * "Forbidden io.sitewire.events.Alert!". We add trust for classes the Avro compiler generated (annotated
 * {@link AvroGenerated}), which are plain data holders, to whatever the JVM already trusts, instead of asking every
 * application to set {@code org.apache.avro.SERIALIZABLE_PACKAGES}.
 */
final class GeneratedClasses {

    private static final Logger LOG = LoggerFactory.getLogger(GeneratedClasses.class);

    private GeneratedClasses() {
    }

    /** Idempotent; runs once per JVM (class initialisation is the lock). */
    static void trust() {
        Trusted.DONE.hashCode();
    }

    private static final class Trusted {

        static final Object DONE = install();

        private static Object install() {
            final ClassSecurityValidator.ClassSecurityPredicate previous = ClassSecurityValidator.getGlobal();
            ClassSecurityValidator.setGlobal(ClassSecurityValidator.composite(previous,
                    type -> type.isAnnotationPresent(AvroGenerated.class)));
            LOG.debug("Avro class security: trusting @AvroGenerated classes in addition to {}", previous);
            return new Object();
        }
    }
}
