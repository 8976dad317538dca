package dev.videobackend.catalog.video;

import dev.videobackend.catalog.CatalogTestProfile;
import dev.videobackend.catalog.GraphQl;
import dev.videobackend.catalog.Videos;
import dev.videobackend.catalog.events.OutboxRelay;
import dev.videobackend.catalog.vertx.OnVertxContext;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.hibernate.reactive.mutiny.Mutiny;
import org.hibernate.stat.Statistics;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static dev.videobackend.catalog.Tokens.ALICE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.hamcrest.Matchers.nullValue;

/**
 * Hibernate's query plan cache must find the plan of a statement it has run before. Native queries whose key never
 * equals an earlier one (a result mapping built anew for each query) miss every time and pile up in one bucket of
 * the cache, all with the hash of the same SQL, so each lookup compares against every earlier copy.
 */
@QuarkusTest
@TestProfile(CatalogTestProfile.class)
class QueryPlanCacheTest {

    private static final String LIST = "{ videos(first: 5) { edges { node { id title renditions { height } } } } }";

    @Inject
    Mutiny.SessionFactory sessionFactory;

    @Inject
    OutboxRelay relay;

    @Test
    void readingTheSameListAgainFindsEveryPlanInTheCache() {
        Videos.create(ALICE, "Plan cache", Map.of());
        GraphQl.postAs(ALICE, LIST, Map.of()).body("errors", nullValue());
        Statistics statistics = sessionFactory.getStatistics();
        long misses = statistics.getQueryPlanCacheMissCount();
        for (int i = 0; i < 5; i++) {
            GraphQl.postAs(ALICE, LIST, Map.of()).body("errors", nullValue());
        }
        assertThat(statistics.getQueryPlanCacheMissCount() - misses).isZero();
    }

    @Test
    void theOutboxRelaysPassesFindTheirPlanInTheCache() {
        Videos.create(ALICE, "Relay plan", Map.of());
        Statistics statistics = sessionFactory.getStatistics();
        OnVertxContext.await(relay::publishPending);
        long misses = statistics.getQueryPlanCacheMissCount();
        for (int i = 0; i < 5; i++) {
            OnVertxContext.await(relay::publishPending);
        }
        assertThat(statistics.getQueryPlanCacheMissCount() - misses).isZero();
    }
}
