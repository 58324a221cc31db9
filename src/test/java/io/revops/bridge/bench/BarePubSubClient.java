package io.revops.bridge.bench;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.google.protobuf.ByteString;
import com.salesforce.eventbus.protobuf.FetchRequest;
import com.salesforce.eventbus.protobuf.FetchResponse;
import com.salesforce.eventbus.protobuf.PubSubGrpc;
import com.salesforce.eventbus.protobuf.ReplayPreset;

import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.netty.GrpcSslContexts;
import io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;

import io.revops.bridge.sandbox.SalesforceRest;
import io.revops.bridge.sandbox.salesforce.SalesforceEmulator;

/**
 * The emulator's side of a catch-up alone: a Pub/Sub subscriber that does nothing with its events and asks for more
 * exactly as camel-salesforce does (num_requested = batch, after each response a top-up of batch - pending), so the
 * benchmark shows whether the emulated org, not the runtime, limits the catch-up rate.
 */
final class BarePubSubClient {
    private static final int BATCH = 100;

    private BarePubSubClient() {
    }

    /** Streams {@code count} events of {@code topic} retained after {@code afterReplayId} (0: from the earliest); events/s. */
    static double stream(SalesforceEmulator org, int pubSubPort, SalesforceRest session, String topic, long afterReplayId,
            int count, Duration timeout) throws Exception {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", pubSubPort)
                .sslContext(GrpcSslContexts.forClient().trustManager(org.certificatePem().toFile()).build()).build();
        try {
            Metadata headers = new Metadata();
            headers.put(Metadata.Key.of("accesstoken", Metadata.ASCII_STRING_MARSHALLER), session.accessToken());
            headers.put(Metadata.Key.of("instanceurl", Metadata.ASCII_STRING_MARSHALLER), session.instanceUrl());
            headers.put(Metadata.Key.of("tenantid", Metadata.ASCII_STRING_MARSHALLER), SalesforceEmulator.ORG_ID);
            PubSubGrpc.PubSubStub pubSub = PubSubGrpc.newStub(channel).withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
            AtomicInteger received = new AtomicInteger();
            CompletableFuture<Long> done = new CompletableFuture<>();
            long start = System.nanoTime();
            StreamObserver<FetchRequest>[] requests = new StreamObserver[1];
            requests[0] = pubSub.subscribe(new StreamObserver<>() {
                @Override
                public void onNext(FetchResponse response) {
                    if (received.addAndGet(response.getEventsCount()) >= count) {
                        done.complete(System.nanoTime());
                        return;
                    }
                    int topUp = BATCH - response.getPendingNumRequested();
                    if (topUp > 0) {
                        requests[0].onNext(FetchRequest.newBuilder().setTopicName(topic).setNumRequested(topUp).build());
                    }
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }

                @Override
                public void onCompleted() {
                    done.completeExceptionally(new IllegalStateException("stream ended after " + received + " events"));
                }
            });
            FetchRequest.Builder first = FetchRequest.newBuilder().setTopicName(topic).setNumRequested(BATCH);
            if (afterReplayId > 0) {
                first.setReplayPreset(ReplayPreset.CUSTOM)
                        .setReplayId(ByteString.copyFrom(ByteBuffer.allocate(Long.BYTES).putLong(afterReplayId).array()));
            } else {
                first.setReplayPreset(ReplayPreset.EARLIEST);
            }
            requests[0].onNext(first.build());
            long end = done.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            requests[0].onCompleted();
            return count / ((end - start) / 1e9);
        } finally {
            channel.shutdownNow();
        }
    }
}
