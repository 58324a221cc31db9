package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.avro.Schema;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.generic.GenericDatumReader;
import org.apache.avro.io.DecoderFactory;

import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyServerBuilder;
import io.netty.handler.ssl.SslContextBuilder;

/**
 * A Salesforce org the real camel-salesforce client talks to unchanged: OAuth (password, client credentials, refresh
 * token, JWT bearer), SOAP login, identity and the REST API over HTTPS, and the Pub/Sub API over gRPC with TLS,
 * both with the certificate in {@link #trustStore}; sessions expire ({@link #setSessionTimeout}). Every REST change
 * is delivered as Change Data Capture. In-process hooks let tests and the sandbox do what a real org does on its own
 * (redeliver, drop old events, emit gap events).
 */
public final class SalesforceEmulator implements AutoCloseable {
    public static final String ORG_ID = "00D000000000001AAA";

    private final int pubSubPort;
    private final EventBus bus = new EventBus();
    private final ChangeDataCapture cdc = new ChangeDataCapture(bus);
    private final SObjectStore store = new SObjectStore(cdc);
    private final RestApi rest;
    private final PubSubService pubSub = new PubSubService(bus);
    private final Sessions sessions = new Sessions();
    private final ConnectedApp connectedApp = new ConnectedApp();
    private final SelfSignedCertificate certificate;
    private final SelfSignedCertificate jwtSigningKey;
    private Server grpc;

    /** The org of the jar's default org file (sandbox/salesforce-org.json). */
    public SalesforceEmulator(int httpPort, int pubSubPort, Path workDir) {
        this(httpPort, pubSubPort, workDir, OrgDefinition.defaults());
    }

    /** An org as an org file describes it: its objects, their Change Data Capture, its platform events. */
    public SalesforceEmulator(int httpPort, int pubSubPort, Path workDir, OrgDefinition org) {
        this.pubSubPort = pubSubPort;
        this.certificate = SelfSignedCertificate.tls(workDir);
        this.jwtSigningKey = SelfSignedCertificate.jwtSigning(workDir);
        this.rest = new RestApi(httpPort, store, sessions, connectedApp, certificate);
        org.objects().forEach(this::define);
        org.platformEvents().forEach(event -> registerPlatformEvent(event.topic(), event.avroSchema()));
    }

    /** Adds an object type, with its change event topic if it has Change Data Capture. */
    public void define(SObjectType type) {
        store.define(type);
        if (type.changeDataCapture()) {
            cdc.schema(type);
        }
    }

    public synchronized void start() {
        if (grpc != null) {
            return;
        }
        certificate.ensureExists();
        jwtSigningKey.ensureExists();
        if (connectedApp.certificate() == null) {
            connectedApp.setCertificate(jwtSigningKey.certificate());
        }
        rest.start();
        try {
            grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", pubSubPort))
                    .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(certificate.keyManagers())).build())
                    .addService(ServerInterceptors.intercept(pubSub.definition(), new PubSubSessions(sessions),
                            PubSubService.authentication(sessions::valid)))
                    .build().start();
        } catch (IOException e) {
            rest.close();
            throw new UncheckedIOException("the Pub/Sub emulator cannot listen on 127.0.0.1:" + pubSubPort, e);
        }
    }

    @Override
    public synchronized void close() {
        rest.close();
        if (grpc != null) {
            grpc.shutdownNow();
            try {
                grpc.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            grpc = null;
        }
    }

    public String loginUrl() {
        return rest.baseUrl();
    }

    public Path trustStore() {
        return certificate.keyStore();
    }

    /** The org's TLS certificate alone (PEM): what curl --cacert or NODE_EXTRA_CA_CERTS take. */
    public Path certificatePem() {
        return certificate.certificatePem();
    }

    public String trustStorePassword() {
        return SelfSignedCertificate.PASSWORD;
    }

    /** A PKCS12 store (password {@link #trustStorePassword}) with the one key that signs JWT bearer assertions. */
    public Path jwtSigningKeyStore() {
        return jwtSigningKey.keyStore();
    }

    /**
     * The connected app's certificate, e.g. the one of a user's own key pair (X.509, PEM or DER); without one the
     * app trusts the key in {@link #jwtSigningKeyStore}.
     */
    public void setConnectedAppCertificate(Path certificateFile) {
        try (InputStream in = Files.newInputStream(certificateFile)) {
            connectedApp.setCertificate((X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the connected app certificate " + certificateFile, e);
        } catch (CertificateException e) {
            throw new IllegalArgumentException("not an X.509 certificate: " + certificateFile, e);
        }
    }

    /** How long an access token or SOAP session id lives after it was issued (a real org's default: 2 hours). */
    public void setSessionTimeout(Duration timeout) {
        sessions.setTimeout(timeout);
    }

    /** How many access tokens and session ids the org has issued (each login is one). */
    public int sessionsIssued() {
        return sessions.issuedCount();
    }

    public void setQueryPageSize(int pageSize) {
        rest.setQueryPageSize(pageSize);
    }

    /**
     * Records created from now on get ids past the largest of these (ids this emulator gave, held by a target system
     * that outlives it, as the real Tryton the benchmark writes to): keys of a new run never collide with an earlier one's.
     */
    public void continueIdsAfter(Collection<String> idsInUse) {
        store.continueIdsAfter(idsInUse);
    }

    /** Events older than this are gone for replay; a subscription asking for one gets the corrupted-replay-id error. */
    public void setRetention(Duration retention) {
        bus.setRetention(retention);
    }

    /** A record's current field values, or null when it does not exist or is deleted. */
    public Map<String, Object> record(String sobject, String id) {
        return store.get(sobject, id).orElse(null);
    }

    /** Restores a deleted record, emitting its UNDELETE change event, as the recycle bin does. */
    public void undelete(String sobject, String id) {
        store.undelete(sobject, id);
    }

    /** Sends an already published event to live subscribers again (Salesforce delivers at least once). */
    public void redeliver(String topic, long replayId) {
        pubSub.redeliver(topic, replayId);
    }

    /** Publishes any event, e.g. a malformed one, on a topic; returns its replay id. */
    public long publishRaw(String topic, GenericRecord event) {
        return bus.publish(topic, event);
    }

    /** A change event of an object with only its header set (changeType may be a GAP_* or GAP_OVERFLOW). */
    public GenericRecord changeEvent(String sobject, String changeType, List<String> recordIds) {
        return cdc.event(cdc.schema(store.type(sobject)), sobject, changeType, recordIds);
    }

    /**
     * How long a Pub/Sub subscription waiting for events may stay quiet before the server sends an empty response
     * with the latest replay id (Salesforce: 270 seconds). Applies to subscriptions opened afterwards.
     */
    public void setPubSubKeepalive(Duration keepalive) {
        pubSub.setKeepalive(keepalive);
    }

    /**
     * Defines a managed event subscription (in a real org a ManagedEventSubscription record made with the Tooling or
     * Metadata API) of a topic, starting at defaultReplay (LATEST or EARLIEST) until a replay id is committed.
     * Returns its id; ManagedSubscribe finds it by id or by developer name.
     */
    public String defineManagedSubscription(String developerName, String topic, String defaultReplay) {
        return pubSub.managed().define(developerName, topic, defaultReplay);
    }

    /** The replay id a managed subscription last committed, or -1 when none was. */
    public long committedReplayId(String developerName) {
        return pubSub.managed().committed(developerName);
    }

    /** Makes a platform event topic (/event/Name__e) publishable and subscribable with the given schema. */
    public void registerPlatformEvent(String topic, Schema schema) {
        bus.register(topic, schema);
    }

    /** The replay id of the newest event retained on a topic (0 when none): a subscription can resume after it. */
    public long latestReplayId(String topic) {
        return bus.latest(topic);
    }

    /** How many Pub/Sub subscriptions to a topic are open right now. */
    public int subscriptions(String topic) {
        return bus.subscribers(topic).size();
    }

    /** The live records of an object (tests read what the runtime wrote back). */
    public List<Map<String, Object>> records(String sobject) {
        return store.all(sobject);
    }

    /** Every change event of a record on a channel, decoded, oldest first (tests read headers such as changeOrigin). */
    public List<GenericRecord> changeEventsOf(String topic, String recordId) {
        return bus.all(topic).stream().map(this::decode).filter(event -> {
            GenericRecord header = (GenericRecord) event.get("ChangeEventHeader");
            return header != null && ((List<?>) header.get("recordIds")).stream().anyMatch(id -> recordId.equals(String.valueOf(id)));
        }).toList();
    }

    /** The replay id of the first change event of a record with the given change type (tests). */
    public long replayIdOfRecord(String topic, String recordId, String changeType) {
        for (EventBus.StoredEvent event : bus.all(topic)) {
            GenericRecord decoded = decode(event);
            GenericRecord header = (GenericRecord) decoded.get("ChangeEventHeader");
            if (header != null && changeType.equals(String.valueOf(header.get("changeType")))
                    && ((List<?>) header.get("recordIds")).stream().anyMatch(id -> recordId.equals(String.valueOf(id)))) {
                return event.replayId();
            }
        }
        throw new IllegalArgumentException("no " + changeType + " event for " + recordId + " on " + topic);
    }

    private GenericRecord decode(EventBus.StoredEvent event) {
        Schema schema = bus.schema(event.schemaId()).orElseThrow();
        try {
            return new GenericDatumReader<GenericRecord>(schema)
                    .read(null, DecoderFactory.get().binaryDecoder(event.payload(), null));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
