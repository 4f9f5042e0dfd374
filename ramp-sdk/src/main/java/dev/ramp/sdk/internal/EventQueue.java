package dev.ramp.sdk.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.LongAdder;

/**
 * The bounded queue between {@code track} (any thread, never blocking) and the sender (one thread). A full
 * queue drops the new event and counts it: memory never grows past the capacity plus one batch in flight.
 */
public final class EventQueue {
    private final BlockingQueue<TrackedEvent> queue;
    private final LongAdder queued = new LongAdder();
    private final LongAdder dropped = new LongAdder();

    public EventQueue(int capacity) {
        this.queue = new ArrayBlockingQueue<>(capacity);
    }

    /** Queues {@code event}; false (and counted as dropped) when the queue is full. */
    public boolean offer(TrackedEvent event) {
        if (queue.offer(event)) {
            queued.increment();
            return true;
        }
        dropped.increment();
        return false;
    }

    /** Up to {@code max} events, oldest first; empty when none wait. */
    public List<TrackedEvent> take(int max) {
        List<TrackedEvent> batch = new ArrayList<>(Math.min(max, queue.size()));
        queue.drainTo(batch, max);
        return batch;
    }

    /** Counts events lost after they were queued (a batch refused or out of retries). */
    public void dropped(int events) {
        dropped.add(events);
    }

    public long queued() {
        return queued.sum();
    }

    public long dropped() {
        return dropped.sum();
    }
}
