package io.revops.bridge.sandbox.salesforce;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;

/**
 * Flow-controlled delivery of one topic to one stream (Subscribe or ManagedSubscribe): the client's outstanding
 * num_requested, the cursor (replay id of the last event sent), and the keepalive. Never more events than requested;
 * every response carries the latest replay id and the number still pending. When nothing was sent for the keepalive
 * period and the client still waits for events, an empty response carries the latest replay id, as the proto's
 * FetchResponse promises ("sent within 270 seconds").
 */
abstract class Delivery<R> implements EventBus.Subscriber {
    protected final ServerCallStreamObserver<R> stream;
    private final EventBus bus;
    private final Duration keepalive;
    private ScheduledFuture<?> keepaliveTicks;
    private long lastSent = System.nanoTime();
    protected final String rpcId = PubSubErrors.newRpcId();
    protected String topic;
    protected long cursor;
    protected int pending;
    protected boolean closed;

    Delivery(ServerCallStreamObserver<R> stream, EventBus bus, Duration keepalive) {
        this.stream = stream;
        this.bus = bus;
        this.keepalive = keepalive;
        stream.setOnCancelHandler(this::close);
    }

    /** Sends one response: events (maybe none), the latest replay id and the number still pending. */
    protected abstract void send(List<EventBus.StoredEvent> events, long latestReplayId, int pendingNumRequested);

    /** Starts delivering {@code topic} after {@code cursor}; call with the lock held. */
    protected void start(String topic, long cursor, ScheduledExecutorService scheduler) {
        this.topic = topic;
        this.cursor = cursor;
        bus.subscribe(topic, this);
        // check often enough that a quiet stream gets its keepalive close to the period, never much later
        long tick = Math.max(10, Math.min(1000, keepalive.toMillis() / 10));
        keepaliveTicks = scheduler.scheduleAtFixedRate(this::keepalive, tick, tick, TimeUnit.MILLISECONDS);
    }

    protected synchronized void request(int numRequested) {
        pending += numRequested;
    }

    @Override
    public void eventsAvailable() {
        synchronized (this) {
            while (!closed && topic != null && pending > 0) {
                List<EventBus.StoredEvent> batch = bus.after(topic, cursor, Math.min(pending, 100));
                if (batch.isEmpty()) {
                    return;
                }
                cursor = batch.get(batch.size() - 1).replayId();
                pending -= batch.size();
                sent(batch);
            }
        }
    }

    private synchronized void keepalive() {
        if (!closed && pending > 0 && System.nanoTime() - lastSent >= keepalive.toNanos()) {
            sent(List.of());
        }
    }

    /** Sends an event again, as Salesforce may after a reconnect (at-least-once delivery). */
    synchronized void redeliver(EventBus.StoredEvent event) {
        if (!closed) {
            pending = Math.max(0, pending - 1);
            sent(List.of(event));
        }
    }

    private void sent(List<EventBus.StoredEvent> events) {
        // an empty response says how far the topic got, so a client can resume there later
        send(events, events.isEmpty() ? Math.max(cursor, bus.latest(topic)) : cursor, pending);
        lastSent = System.nanoTime();
    }

    /** The client's side of the stream failed: nothing more to send. */
    public void onError(Throwable t) {
        close();
    }

    /** The client half-closed: so does the server, once. */
    public void onCompleted() {
        synchronized (this) {
            if (!closed) {
                stream.onCompleted();
            }
        }
        close();
    }

    protected void fail(StatusRuntimeException error) {
        close();
        stream.onError(error);
    }

    protected synchronized void close() {
        closed = true;
        if (keepaliveTicks != null) {
            keepaliveTicks.cancel(false);
        }
        if (topic != null) {
            bus.unsubscribe(topic, this);
        }
    }
}
