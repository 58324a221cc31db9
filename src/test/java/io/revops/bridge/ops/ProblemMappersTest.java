package io.revops.bridge.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import java.sql.SQLException;

import jakarta.ws.rs.NotSupportedException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;

import org.junit.jupiter.api.Test;

class ProblemMappersTest {
    private final ProblemMappers mappers = new ProblemMappers();
    private final UriInfo uri = (UriInfo) Proxy.newProxyInstance(UriInfo.class.getClassLoader(), new Class<?>[] { UriInfo.class },
            (proxy, method, args) -> method.getName().equals("getPath") ? "/api/v1/dead-letters" : null);

    @Test
    void anUnexpectedErrorIsA500ProblemWithAnIncidentIdAndNoTrace() {
        Response response = mappers.unexpected(new SQLException("Value too long for column \"REASON VARCHAR(2000)\""), uri);
        Problem problem = (Problem) response.getEntity();
        assertThat(response.getStatus()).isEqualTo(500);
        assertThat(response.getMediaType().toString()).isEqualTo(Problem.MEDIA_TYPE);
        assertThat(problem.detail()).startsWith("unexpected error, incident ").doesNotContain("REASON", "SQLException");
        assertThat(problem.instance()).isEqualTo("/api/v1/dead-letters");
    }

    @Test
    void theFrameworksRefusalsGetTheSameShape() {
        Response response = mappers.framework(new NotSupportedException(), uri);
        assertThat(response.getStatus()).isEqualTo(415);
        assertThat(((Problem) response.getEntity()).detail()).contains("application/json");
    }
}
