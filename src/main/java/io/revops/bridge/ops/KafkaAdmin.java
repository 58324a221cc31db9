package io.revops.bridge.ops;

import java.util.Properties;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The one Kafka admin client of the operations side (readiness, consumer lag), created on first use and kept: a
 * client per readiness probe would open connections and threads every few seconds. Short timeouts, so a probe
 * answers "down" rather than hanging while the broker is away.
 */
@ApplicationScoped
public class KafkaAdmin {
    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    private Admin admin;

    public synchronized Admin client() {
        if (admin == null) {
            Properties props = new Properties();
            props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
            props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "2000");
            props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "2000");
            admin = Admin.create(props);
        }
        return admin;
    }

    @PreDestroy
    synchronized void close() {
        if (admin != null) {
            admin.close();
        }
    }
}
