package io.revops.bridge.ops;

import java.lang.reflect.Constructor;

/** Creates an object from the application's class loader (the context class loader), for Jolokia's restrictor shim. */
final class ApplicationSide {
    private ApplicationSide() {
    }

    static <T> T instantiate(String className, Class<T> type, String... args) {
        try {
            Class<?> implementation = Class.forName(className, true, Thread.currentThread().getContextClassLoader());
            Class<?>[] parameters = new Class<?>[args.length];
            java.util.Arrays.fill(parameters, String.class);
            Constructor<?> constructor = implementation.getDeclaredConstructor(parameters);
            constructor.setAccessible(true);
            return type.cast(constructor.newInstance((Object[]) args));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + className, e);
        }
    }
}
