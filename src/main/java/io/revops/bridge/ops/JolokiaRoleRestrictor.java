package io.revops.bridge.ops;

import javax.management.ObjectName;

import org.jolokia.server.core.config.ConfigKey;
import org.jolokia.server.core.config.Configuration;
import org.jolokia.server.core.service.api.Restrictor;
import org.jolokia.server.core.util.HttpMethod;
import org.jolokia.server.core.util.RequestType;

/**
 * Jolokia's restrictorClass, a shim: Jolokia is a parent-first library in Quarkus and may load this class from its
 * own class loader, where the application (CDI, config) is not, or is a second, uninitialised copy (tests). It hands
 * every decision to {@link JolokiaRoles}, loaded by the application's class loader (the context class loader while
 * Quarkus starts Jolokia) with the policy location Jolokia was given.
 */
public class JolokiaRoleRestrictor implements Restrictor {
    private final Restrictor delegate;

    public JolokiaRoleRestrictor(Configuration jolokia) {
        delegate = ApplicationSide.instantiate("io.revops.bridge.ops.JolokiaRoles", Restrictor.class,
                jolokia.getConfig(ConfigKey.POLICY_LOCATION));
    }

    @Override
    public boolean isHttpMethodAllowed(HttpMethod method) {
        return delegate.isHttpMethodAllowed(method);
    }

    @Override
    public boolean isTypeAllowed(RequestType type) {
        return delegate.isTypeAllowed(type);
    }

    @Override
    public boolean isAttributeReadAllowed(ObjectName name, String attribute) {
        return delegate.isAttributeReadAllowed(name, attribute);
    }

    @Override
    public boolean isAttributeWriteAllowed(ObjectName name, String attribute) {
        return delegate.isAttributeWriteAllowed(name, attribute);
    }

    @Override
    public boolean isOperationAllowed(ObjectName name, String operation) {
        return delegate.isOperationAllowed(name, operation);
    }

    @Override
    public boolean isRemoteAccessAllowed(String... hostOrAddress) {
        return delegate.isRemoteAccessAllowed(hostOrAddress);
    }

    @Override
    public boolean isOriginAllowed(String origin, boolean strictCheck) {
        return delegate.isOriginAllowed(origin, strictCheck);
    }

    @Override
    public boolean isObjectNameHidden(ObjectName name) {
        return delegate.isObjectNameHidden(name);
    }

    @Override
    public boolean ignoreScheme() {
        return delegate.ignoreScheme();
    }
}
