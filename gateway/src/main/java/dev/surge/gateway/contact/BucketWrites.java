package dev.surge.gateway.contact;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one flush adds to the buckets, gathered by bucket before anything is sent: every event is added to its
 * minute's bucket and its hour's, so a flush makes one script call per bucket it touches (usually two).
 */
final class BucketWrites {

    /** What is added to one bucket in one script call. */
    static final class Write {
        final String bucket;
        final Map<String, Long> counts = new LinkedHashMap<>();
        final Map<String, Set<String>> sets = new LinkedHashMap<>();

        Write(String bucket) {
            this.bucket = bucket;
        }

        /** Counters plus set members: what the in-memory bound counts while a write waits for a retry. */
        int entries() {
            int entries = counts.size();
            for (Set<String> members : sets.values()) {
                entries += members.size();
            }
            return entries;
        }

        List<String> keys() {
            List<String> keys = new ArrayList<>(1 + sets.size());
            keys.add(bucket + ContactKeys.COUNTS);
            sets.keySet().forEach(set -> keys.add(bucket + set));
            return keys;
        }

        /** add.lua's arguments: the TTL, the counters, then each set's members. */
        List<String> args(long ttlMillis) {
            List<String> args = new ArrayList<>(2 + 2 * counts.size() + entries());
            args.add(Long.toString(ttlMillis));
            args.add(Integer.toString(counts.size()));
            counts.forEach((field, n) -> {
                args.add(field);
                args.add(Long.toString(n));
            });
            for (Set<String> members : sets.values()) {
                args.add(Integer.toString(members.size()));
                args.addAll(members);
            }
            return args;
        }
    }

    private final Map<String, Write> writes = new LinkedHashMap<>();

    /** Adds {@code n} to a counter of the buckets of {@code at}. */
    void add(long at, String field, long n) {
        if (n == 0) {
            return;
        }
        for (Write write : at(at)) {
            write.counts.merge(field, n, Long::sum);
        }
    }

    /** Adds a member (customer, session) to a HyperLogLog of the buckets of {@code at}. */
    void member(long at, String set, String member) {
        for (Write write : at(at)) {
            write.sets.computeIfAbsent(set, s -> new LinkedHashSet<>()).add(member);
        }
    }

    private List<Write> at(long at) {
        return List.of(write(ContactKeys.minuteBucket(ContactKeys.minute(at))),
                write(ContactKeys.hourBucket(ContactKeys.hour(at))));
    }

    private Write write(String bucket) {
        return writes.computeIfAbsent(bucket, Write::new);
    }

    Collection<Write> all() {
        return writes.values();
    }
}
