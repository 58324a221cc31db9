package io.revops.bridge.sandbox.salesforce;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
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
 * A Salesforce org the real camel-salesforce client talks to unchanged: the OAuth token endpoint and REST API over
 * HTTP, and the Pub/Sub API over gRPC with TLS, delivering Change Data Capture for every REST change. In-process
 * hooks let tests and the sandbox do what a real org does on its own (redeliver, drop old events, emit gap events).
 */
public final class SalesforceEmulator implements AutoCloseable {
    public static final String ORG_ID = "00D000000000001AAA";

    private final int pubSubPort;
    private final EventBus bus = new EventBus();
    private final ChangeDataCapture cdc = new ChangeDataCapture(bus);
    private final SObjectStore store = new SObjectStore(cdc);
    private final RestApi rest;
    private final PubSubService pubSub = new PubSubService(bus);
    private final SelfSignedCertificate certificate;
    private Server grpc;

    /** The org of the jar's default org file (sandbox/salesforce-org.json). */
    public SalesforceEmulator(int httpPort, int pubSubPort, Path workDir) {
        this(httpPort, pubSubPort, workDir, OrgDefinition.defaults());
    }

    /** An org as an org file describes it: its objects, their Change Data Capture, its platform events. */
    public SalesforceEmulator(int httpPort, int pubSubPort, Path workDir, OrgDefinition org) {
        this.pubSubPort = pubSubPort;
        this.rest = new RestApi(httpPort, store);
        this.certificate = new SelfSignedCertificate(workDir);
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
        rest.start();
        try {
            grpc = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", pubSubPort))
                    .sslContext(GrpcSslContexts.configure(SslContextBuilder.forServer(certificate.keyManagers())).build())
                    .addService(ServerInterceptors.intercept(pubSub.definition(), PubSubService.authentication(rest::validToken)))
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

    public String trustStorePassword() {
        return SelfSignedCertificate.PASSWORD;
    }

    public void setQueryPageSize(int pageSize) {
        rest.setQueryPageSize(pageSize);
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
