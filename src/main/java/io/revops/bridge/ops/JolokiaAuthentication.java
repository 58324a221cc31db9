package io.revops.bridge.ops;

import java.lang.reflect.Field;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.apache.camel.quarkus.jolokia.CamelQuarkusJolokiaServer;
import org.jolokia.jvmagent.JolokiaServer;

import com.sun.net.httpserver.Authenticator;
import com.sun.net.httpserver.HttpContext;

import io.quarkus.arc.ClientProxy;
import io.quarkus.runtime.StartupEvent;

/**
 * Puts {@link JolokiaRoleAuthenticator} in front of camel-quarkus' Jolokia server at startup. Jolokia's own hook
 * (authClass) cannot be used: Jolokia is a parent-first library in Quarkus and looks the class up in its own class
 * loader, which in dev mode cannot see the application. Neither camel-quarkus nor Jolokia exposes the server's HTTP
 * context, hence the reflection; it fails the startup if a new version moves the fields. Until it runs, Jolokia's
 * configured Basic login (the viewer's) applies and {@link JolokiaRoles} refuses everything, as it knows no caller.
 */
@ApplicationScoped
public class JolokiaAuthentication {

    void install(@Observes StartupEvent startup, CamelQuarkusJolokiaServer camelServer) throws ReflectiveOperationException {
        JolokiaServer server = (JolokiaServer) read(CamelQuarkusJolokiaServer.class, ClientProxy.unwrap(camelServer), "server");
        Authenticator authenticator = new JolokiaRoleAuthenticator();
        // the configuration's authenticator is what a (re)start installs
        Field configured = server.getServerConfig().getClass().getDeclaredField("authenticator");
        configured.setAccessible(true);
        configured.set(server.getServerConfig(), authenticator);
        HttpContext running = (HttpContext) read(JolokiaServer.class, server, "httpContext");
        if (running != null) {
            running.setAuthenticator(authenticator);
        }
    }

    private static Object read(Class<?> type, Object target, String name) throws ReflectiveOperationException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field.get(target);
    }
}
