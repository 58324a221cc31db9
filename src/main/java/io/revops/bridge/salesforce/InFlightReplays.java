package io.revops.bridge.salesforce;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The events of one subscription between entering its route and being done, in arrival (replay id) order; at most
 * {@code size} at once. The position to checkpoint is the replay id of the newest event with every earlier one done;
 * it is handed to the saver each time it advances, one save at a time, the newest position winning when saves
 * cannot keep up. After an event ends without being durable, the position never passes it (nor is anything after
 * it tracked any longer: memory stays bounded while the checkpoint is held).
 */
final class InFlightReplays {
    static final class Entry {
        private final String replayId;
        private boolean done;

        private Entry(String replayId) {
            this.replayId = replayId;
        }
    }

    private final Semaphore room;
    private final Consumer<String> saver;
    private final Deque<Entry> inOrder = new ArrayDeque<>();
    private final AtomicBoolean saving = new AtomicBoolean();
    private boolean held;
    private volatile String position;
    private volatile String saved;

    InFlightReplays(int size, Consumer<String> saver) {
        this.room = new Semaphore(size);
        this.saver = saver;
    }

    /** Called in arrival order, by the subscription's thread; waits while the window is full. */
    Entry enter(String replayId) throws InterruptedException {
        room.acquire();
        Entry entry = new Entry(replayId);
        synchronized (this) {
            if (!held) {
                inOrder.addLast(entry);
            }
        }
        return entry;
    }

    /** @param durable published and acknowledged, or dead-lettered: safe to never deliver again */
    void done(Entry entry, boolean durable) {
        synchronized (this) {
            if (!held) {
                if (durable) {
                    entry.done = true;
                } else {
                    held = true;
                }
                String newest = null;
                while (!inOrder.isEmpty() && inOrder.peekFirst().done) {
                    newest = inOrder.removeFirst().replayId;
                }
                if (held) {
                    inOrder.clear();
                }
                if (newest != null) {
                    position = newest;
                }
            }
        }
        room.release();
        saveNewestPosition();
    }

    /** One saver at a time; whoever finds a newer position than the saved one after a save saves again. */
    private void saveNewestPosition() {
        while (position != null && !position.equals(saved) && saving.compareAndSet(false, true)) {
            try {
                String target = position;
                saver.accept(target);
                saved = target;
            } catch (RuntimeException notSaved) {
                return; // logged by the saver; the next event that is done tries again
            } finally {
                saving.set(false);
            }
        }
    }
}
