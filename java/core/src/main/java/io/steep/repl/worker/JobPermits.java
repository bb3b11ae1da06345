package io.steep.repl.worker;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide {@code steep_repl.max_concurrent_jobs}, shared by the dispatchers of every
 * served database, and fair between them: when the limit is reached, the next free permit goes
 * to the waiting database that runs the fewest jobs, and among equals to the one whose last
 * permit is oldest (never having had one is oldest of all), so one database's long queue cannot
 * starve another's. A database waits once it was refused a permit, and stops waiting when it
 * gets one or finds its queue empty.
 *
 * <p>A permit is held from before a claim until the job's outcome is recorded. Waiting
 * dispatchers are woken through the callback they registered whenever a permit frees up or a
 * waiter drops out, so a refused database claims without waiting for its next tick.
 */
final class JobPermits {
    private final Map<Object, Integer> held = new HashMap<>();
    /** Owners refused a permit, in the order they were first refused. */
    private final Map<Object, Runnable> waiting = new LinkedHashMap<>();
    /** When each owner last got a permit, in grants; absent: never. */
    private final Map<Object, Long> lastGrant = new HashMap<>();
    private long grants;
    private int total;

    /**
     * A permit for owner, or false (and owner waits) when limit permits are out or another
     * waiting owner comes first. wake is called when owner should try again.
     */
    synchronized boolean tryAcquire(Object owner, int limit, Runnable wake) {
        if (total >= limit || anotherComesFirst(owner)) {
            waiting.putIfAbsent(owner, wake);
            return false;
        }
        waiting.remove(owner);
        held.merge(owner, 1, Integer::sum);
        lastGrant.put(owner, ++grants);
        total++;
        return true;
    }

    /** Gives a permit back. */
    void release(Object owner) {
        List<Runnable> wake;
        synchronized (this) {
            Integer mine = held.get(owner);
            if (mine == null) {
                return;
            }
            if (mine == 1) {
                held.remove(owner);
            } else {
                held.put(owner, mine - 1);
            }
            total--;
            wake = new ArrayList<>(waiting.values());
        }
        wake.forEach(Runnable::run);
    }

    /** Owner's queue is empty: it no longer waits, and those it kept waiting may go. */
    void noDemand(Object owner) {
        List<Runnable> wake;
        synchronized (this) {
            if (waiting.remove(owner) == null) {
                return;
            }
            wake = new ArrayList<>(waiting.values());
        }
        wake.forEach(Runnable::run);
    }

    /** Owner is gone: its permits are free and it no longer waits. */
    void forget(Object owner) {
        List<Runnable> wake;
        synchronized (this) {
            Integer mine = held.remove(owner);
            total -= mine == null ? 0 : mine;
            waiting.remove(owner);
            lastGrant.remove(owner);
            wake = new ArrayList<>(waiting.values());
        }
        wake.forEach(Runnable::run);
    }

    synchronized int held(Object owner) {
        return held.getOrDefault(owner, 0);
    }

    /**
     * A waiting owner with fewer permits, or as many and an older last permit, or both equal
     * and waiting since before owner.
     */
    private boolean anotherComesFirst(Object owner) {
        int mine = held.getOrDefault(owner, 0);
        long myGrant = lastGrant.getOrDefault(owner, 0L);
        boolean before = true;
        for (Object other : waiting.keySet()) {
            if (other.equals(owner)) {
                before = false;
                continue;
            }
            int theirs = held.getOrDefault(other, 0);
            long theirGrant = lastGrant.getOrDefault(other, 0L);
            if (theirs != mine) {
                if (theirs < mine) {
                    return true;
                }
            } else if (theirGrant != myGrant ? theirGrant < myGrant : before) {
                return true;
            }
        }
        return false;
    }
}
