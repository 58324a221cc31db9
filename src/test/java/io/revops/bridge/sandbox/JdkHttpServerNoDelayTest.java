package io.revops.bridge.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

/**
 * The JDK's HTTP server (Jolokia's, the emulators') reads sun.net.httpserver.nodelay once, when the first server of the
 * JVM starts; Jolokia's starts before any code of ours runs, so only the JVM's command line can set it (pom.xml:
 * jdk.httpserver.options, for tests, quarkus:dev and the packaged runtime's launches). Without it every response
 * with a body stalls ~40 ms (Nagle + delayed ACK). This asks the JDK which value it took, whichever server started
 * first in this JVM (the test JVM runs the @QuarkusTest classes too), so it holds no timing and cannot flake.
 */
class JdkHttpServerNoDelayTest {
    @Test
    void theJdkHttpServerSendsWithoutNagleInThisJvm() throws Exception {
        Class<?> serverConfig = Class.forName("sun.net.httpserver.ServerConfig");
        Method noDelay = serverConfig.getDeclaredMethod("noDelay");
        noDelay.setAccessible(true); // surefire's argLine opens jdk.httpserver/sun.net.httpserver to this test

        assertThat((boolean) noDelay.invoke(null))
                .as("TCP_NODELAY of the JDK HTTP server (-Dsun.net.httpserver.nodelay=true on the JVM's command line)")
                .isTrue();
    }
}
