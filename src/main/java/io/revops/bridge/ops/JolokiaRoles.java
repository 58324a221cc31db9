package io.revops.bridge.ops;

import java.io.IOException;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

import javax.management.ObjectName;

import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.jolokia.server.core.restrictor.RestrictorFactory;
import org.jolokia.server.core.restrictor.policy.PolicyRestrictor;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

import io.quarkus.arc.Arc;

/**
 * What each Jolokia credential may do (behind {@link JolokiaRoleRestrictor}; it replaces camel-quarkus' Camel
 * restrictor, and applies the access policy jolokia-access.xml itself, which Jolokia ignores once a custom
 * restrictor is set):
 * <ul>
 * <li>everything the policy allows and nothing it denies (request types, HTTP methods, denied attributes such as the
 * JVM's system properties and command line); never a write;
 * <li>only MBeans of the Camel allow list (quarkus.camel.jolokia.camel-restrictor-allowed-mbean-domains); others
 * are hidden;
 * <li>the viewer reads attributes and may run only operations that read (browse, dump, get, is, ...): nothing that
 * sends a message, creates an endpoint or changes a route;
 * <li>the operator may also stop, start, suspend and resume routes (never the context), each one audited first;
 * <li>browsers only from the origins in revops.jolokia.cors-origins (JOLOKIA_CORS_ORIGINS), else 403.
 * </ul>
 */
class JolokiaRoles implements Restrictor {
    private static final Pattern READ_ONLY_OPERATION = Pattern.compile("(browse|dump|explain|get|is|can|count|find)([A-Z].*)?");
    private static final Set<String> ROUTE_LIFECYCLE = Set.of("start", "stop", "suspend", "resume");

    private final PolicyRestrictor policy;
    private final List<String> domains;
    private final List<Pattern> origins;

    JolokiaRoles(String policyLocation) throws IOException {
        policy = RestrictorFactory.lookupPolicyRestrictor(policyLocation);
        if (policy == null) {
            throw new IllegalStateException("Jolokia access policy " + policyLocation + " not found");
        }
        Config config = ConfigProvider.getConfig(JolokiaRoles.class.getClassLoader());
        domains = config.getOptionalValues("quarkus.camel.jolokia.camel-restrictor-allowed-mbean-domains", String.class)
                .orElse(List.of("org.apache.camel", "java.lang", "java.nio"));
        origins = config.getOptionalValues("revops.jolokia.cors-origins", String.class).orElse(List.of()).stream()
                .map(JolokiaRoles::originPattern).toList();
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return policy.isHttpMethodAllowed(method);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return type != RequestType.WRITE && policy.isTypeAllowed(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return JolokiaCaller.current() != null && visible(name) && policy.isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return false;
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        JolokiaCaller caller = JolokiaCaller.current();
        if (caller == null || !visible(name) || !policy.isOperationAllowed(name, operation)) {
            return false;
        }
        String bare = operation.contains("(") ? operation.substring(0, operation.indexOf('(')) : operation;
        if (READ_ONLY_OPERATION.matcher(bare).matches()) {
            return true;
        }
        if (caller.role() == JolokiaCaller.Role.OPERATOR && ROUTE_LIFECYCLE.contains(bare) && isRoute(name)) {
            Arc.container().instance(OperatorActions.class).get().record(caller.user(), caller.address(), "jolokia",
                    bare + "-route", ObjectName.unquote(name.getKeyProperty("name")));
            return true;
        }
        return false;
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return policy.isRemoteAccessAllowed(hostOrAddress);
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean strictCheck) {
        return origin == null || origins.stream().anyMatch(pattern -> pattern.matcher(origin).matches());
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return !visible(name);
    }

    @Override
    public boolean ignoreScheme() {
        return policy.ignoreScheme();
    }

    private boolean visible(ObjectName name) {
        return domains.contains(name.getDomain());
    }

    private static boolean isRoute(ObjectName name) {
        return "org.apache.camel".equals(name.getDomain()) && "routes".equals(name.getKeyProperty("type"))
                && name.getKeyProperty("name") != null;
    }

    /** "http://localhost:*" -> any port of http://localhost; everything else literal. */
    private static Pattern originPattern(String origin) {
        return Pattern.compile(Pattern.quote(origin.trim()).replace("*", "\\E[^/]*\\Q"));
    }
}
