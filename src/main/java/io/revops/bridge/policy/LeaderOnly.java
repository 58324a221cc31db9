package io.revops.bridge.policy;

import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.inject.Named;

import org.apache.camel.CamelContext;
import org.apache.camel.Route;
import org.apache.camel.StartupListener;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;
import org.apache.camel.quarkus.main.events.BeforeStart;
import org.apache.camel.spi.Resource;
import org.apache.camel.spi.SupervisingRouteController;
import org.apache.camel.support.PluginHelper;
import org.apache.camel.support.RoutePolicySupport;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.revops.bridge.ops.DatabaseSchema;

/**
 * Route policy {@code routePolicy: leaderOnly}: the route runs on the elected leader only (the Salesforce
 * subscription: two subscribers would publish every change twice). revops.leader-election picks how the leader is
 * elected: {@code none} (a single instance, always leader), {@code file} (a lock file in a directory shared by the
 * instances of one machine) or {@code kubernetes} (a Lease, renewed by the leader). When an instance becomes leader
 * its leader-only routes are loaded again from their files, so they resume from the shared checkpoint as it is
 * now; when it loses leadership they stop. They also wait for the database schema (ops.DatabaseSchema): they resume
 * from checkpoints kept there, so a runtime started while the database was down starts them once it answers.
 */
@ApplicationScoped
@Named("leaderOnly")
public class LeaderOnly extends RoutePolicySupport {
    private static final Logger LOG = Logger.getLogger(LeaderOnly.class);
    static final String NAMESPACE = "revops-bridge-salesforce";

    private final String mode;
    private final Map<String, Optional<Resource>> routes = new ConcurrentHashMap<>();
    private volatile boolean leader;
    private ScheduledExecutorService deferred;

    @Inject
    CamelContext camel;
    @Inject
    DatabaseSchema schema;
    @ConfigProperty(name = "revops.leader-election.dir")
    String directory;
    @ConfigProperty(name = "revops.leader-election.member")
    Optional<String> member;

    @Inject
    public LeaderOnly(@ConfigProperty(name = "revops.leader-election", defaultValue = "none") String mode) {
        this.mode = mode;
        this.leader = "none".equals(mode);
    }

    public boolean isLeader() {
        return leader;
    }

    public String mode() {
        return mode;
    }

    /** Ids of the leader-only routes. */
    public Set<String> routes() {
        return Set.copyOf(routes.keySet());
    }

    void elect(@Observes BeforeStart event) throws Exception {
        CamelClusterService service = switch (mode) {
            case "none" -> null;
            case "file" -> fileLock();
            case "kubernetes" -> lease();
            default -> throw new IllegalArgumentException("revops.leader-election must be none, file or kubernetes, was " + mode);
        };
        if (!schemaReady()) {
            schema.whenReady(() -> {
                if (leader) {
                    followOnceStarted();
                }
            });
        }
        if (service != null) {
            camel.addService(service);
            CamelClusterView view = service.getView(NAMESPACE);
            view.addEventListener((CamelClusterEventListener.Leadership) (v, leaderMember) ->
                    leadershipChanged(v.getLocalMember().isLeader()));
        }
    }

    private CamelClusterService fileLock() {
        FileLockClusterService service = new FileLockClusterService();
        service.setRoot(directory);
        service.setAcquireLockDelay(1, TimeUnit.SECONDS);
        service.setAcquireLockInterval(1, TimeUnit.SECONDS);
        member.ifPresent(service::setId);
        return service;
    }

    private CamelClusterService lease() {
        KubernetesClusterService service = new KubernetesClusterService();
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName("revops-bridge-leader");
        member.ifPresent(service::setPodName); // POD_NAME from the downward API
        return service;
    }

    @Override
    public void onInit(Route route) {
        routes.put(route.getRouteId(), Optional.ofNullable(route.getSourceResource()));
        if (!leader || !schemaReady()) {
            route.setAutoStartup(false);
        }
    }

    private synchronized void leadershipChanged(boolean nowLeader) {
        if (nowLeader == leader) {
            return;
        }
        leader = nowLeader;
        LOG.warnf("%s leadership of %s: leader-only routes %s", nowLeader ? "Gained" : "Lost", NAMESPACE,
                nowLeader ? "start from the shared checkpoint" : "stop");
        followOnceStarted();
    }

    /**
     * Leadership (or the schema) can arrive while Camel is still starting (a free lock is taken within milliseconds):
     * reloading a route then left it stopped for good (ScaleOutIT caught it), so the routes follow once Camel has started.
     */
    private void followOnceStarted() {
        try {
            camel.addStartupListener(new StartupListener() {
                @Override
                public void onCamelContextStarted(CamelContext context, boolean alreadyStarted) {
                    if (alreadyStarted) {
                        followLeadership();
                    }
                }

                @Override
                public void onCamelContextFullyStarted(CamelContext context, boolean alreadyStarted) {
                    followLeadership();
                }
            });
        } catch (Exception e) {
            LOG.errorf(e, "Leader-only routes did not follow the leadership change");
        }
    }

    /** A policy built by hand (route tests, without CDI) has a database of its caller's making: nothing to wait for. */
    private boolean schemaReady() {
        return schema == null || schema.ready();
    }

    /**
     * Starts (from the shared checkpoint) or stops the leader-only routes as leadership now is. A reload removes the
     * route for a moment; while Camel's supervising route controller still starts the other routes, its startup
     * summary then meets a route without a status and fails the whole start (ScaleOutIT), so the reload waits for it.
     */
    private void followLeadership() {
        if (camel.getRouteController() instanceof SupervisingRouteController supervisor && supervisor.isStartingRoutes()) {
            deferred().schedule(this::followLeadership, 200, TimeUnit.MILLISECONDS);
            return;
        }
        reloadOrStop();
    }

    private synchronized ScheduledExecutorService deferred() {
        if (deferred == null) {
            deferred = camel.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "leader-only-routes");
        }
        return deferred;
    }

    private synchronized void reloadOrStop() {
        for (Map.Entry<String, Optional<Resource>> route : routes.entrySet()) {
            try {
                if (leader && !schemaReady()) {
                    continue; // started when the schema is there
                } else if (leader && route.getValue().isPresent()) {
                    PluginHelper.getRoutesLoader(camel).updateRoutes(route.getValue().get());
                } else if (leader) {
                    camel.getRouteController().startRoute(route.getKey());
                } else {
                    camel.getRouteController().stopRoute(route.getKey());
                }
            } catch (Exception e) {
                LOG.errorf(e, "Route %s did not follow the leadership change", route.getKey());
            }
        }
    }
}
