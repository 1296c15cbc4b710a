package dev.surge.gateway.cache;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** The freshness windows, walked through by setting the time: no waiting. */
class CachePolicyTests {

    private static final long T0 = 1_000_000L;
    // fresh 30 s, served stale while revalidating 15 s more, stands in for a failing back office up to 1 h
    private final CachePolicy policy = new CachePolicy(30_000, 15_000, 3_600_000, 1.0);
    private final CachedResponse entry = CachedResponse.of(new byte[] {1}, T0, 20);

    @Test
    void walksFromFreshThroughStaleToExpired() {
        double noEarlyRefresh = 1.0; // -ln(1) = 0: XFetch never fires
        assertThat(policy.state(entry, T0, noEarlyRefresh)).isEqualTo(CachePolicy.State.FRESH);
        assertThat(policy.state(entry, T0 + 29_999, noEarlyRefresh)).isEqualTo(CachePolicy.State.FRESH);
        assertThat(policy.state(entry, T0 + 30_000, noEarlyRefresh)).isEqualTo(CachePolicy.State.STALE_REVALIDATE);
        assertThat(policy.state(entry, T0 + 44_999, noEarlyRefresh)).isEqualTo(CachePolicy.State.STALE_REVALIDATE);
        assertThat(policy.state(entry, T0 + 45_000, noEarlyRefresh)).isEqualTo(CachePolicy.State.STALE_IF_ERROR);
        assertThat(policy.state(entry, T0 + 30_000 + 3_599_999, noEarlyRefresh))
                .isEqualTo(CachePolicy.State.STALE_IF_ERROR);
        assertThat(policy.state(entry, T0 + 30_000 + 3_600_000, noEarlyRefresh)).isEqualTo(CachePolicy.State.EXPIRED);
    }

    @Test
    void earlyRefreshFiresOnlyNearExpiryAndMoreOftenForSlowLoads() {
        double unlucky = Math.exp(-5); // -ln = 5: refresh when ttlLeft <= loadMillis * 5
        // 20 ms load: refresh only in the last 100 ms of the TTL
        assertThat(policy.state(entry, T0 + 29_899, unlucky)).isEqualTo(CachePolicy.State.FRESH);
        assertThat(policy.state(entry, T0 + 29_901, unlucky)).isEqualTo(CachePolicy.State.FRESH_REFRESH_EARLY);
        // a 2 s load: refresh in the last 10 s
        CachedResponse slow = CachedResponse.of(new byte[] {1}, T0, 2_000);
        assertThat(policy.state(slow, T0 + 19_999, unlucky)).isEqualTo(CachePolicy.State.FRESH);
        assertThat(policy.state(slow, T0 + 20_001, unlucky)).isEqualTo(CachePolicy.State.FRESH_REFRESH_EARLY);
    }

    @Test
    void betaZeroTurnsEarlyRefreshOff() {
        CachePolicy off = new CachePolicy(30_000, 15_000, 3_600_000, 0.0);
        assertThat(off.state(entry, T0 + 29_999, Math.exp(-1000))).isEqualTo(CachePolicy.State.FRESH);
    }

    @Test
    void jitterSpreadsTheExpiryOfEntriesLoadedTogetherWithinItsShare() {
        CachePolicy jittered = new CachePolicy(30_000, 15_000, 3_600_000, 0.0, 0.2);
        List<Long> ttls = new ArrayList<>();
        for (int i = 0; i < 1_000; i++) {
            CachedResponse loadedTogether = CachedResponse.of(("order " + i).getBytes(), T0, 20);
            long ttl = jittered.ttlMillis(loadedTogether);
            assertThat(ttl).isBetween(24_000L, 30_000L);
            // every tier and instance computes the same TTL for the same entry
            assertThat(jittered.ttlMillis(CachedResponse.of(("order " + i).getBytes(), T0, 20))).isEqualTo(ttl);
            assertThat(jittered.state(loadedTogether, T0 + ttl - 1, 1.0)).isEqualTo(CachePolicy.State.FRESH);
            assertThat(jittered.state(loadedTogether, T0 + ttl, 1.0)).isEqualTo(CachePolicy.State.STALE_REVALIDATE);
            ttls.add(ttl);
        }
        // spread over the whole window, not bunched: each 1.2 s fifth of it holds a fair share of the 1,000
        for (int fifth = 0; fifth < 5; fifth++) {
            long from = 24_000 + fifth * 1_200L;
            assertThat(ttls.stream().filter(t -> t >= from && t < from + 1_200).count()).isBetween(140L, 260L);
        }
    }

    @Test
    void redisKeepsAnEntryAsLongAsItMayBeServed() {
        assertThat(policy.retentionMillis()).isEqualTo(30_000 + 3_600_000);
    }

    @Test
    void defaultsFitTheData() {
        CacheProperties properties = new CacheProperties();
        assertThat(properties.policy(CachedResource.STOCK).ttlMillis())
                .isLessThan(properties.policy(CachedResource.SHIPMENT).ttlMillis());
        assertThat(properties.policy(CachedResource.ORDER).ttlMillis())
                .isLessThan(properties.policy(CachedResource.PROFILE).ttlMillis());
    }
}
