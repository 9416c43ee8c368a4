package io.sitewire.localstack;

/** A setting from a system property, else the environment variable of the same name. */
final class Settings {

    private Settings() {
    }

    static String get(final String name) {
        final String property = System.getProperty(name);
        if (property != null && !property.isBlank()) {
            return property.trim();
        }
        final String variable = System.getenv(name);
        return variable == null || variable.isBlank() ? null : variable.trim();
    }
}
