package dev.videobackend.catalog;

import java.util.Map;

/**
 * {@link CatalogTestProfile} with small per-user limits, for the tests of quotas and abuse limits: one more
 * application start, and tests that use users of their own so that no other test's uploads count.
 */
public class LimitsTestProfile extends CatalogTestProfile {

    public static final int MAX_ACTIVE_TRANSCODES = 2;
    public static final long MAX_SOURCE_BYTES_PER_DAY = 100_000;
    /** The test completions report 10 s of source: the second one reaches it. */
    public static final int MAX_SOURCE_SECONDS_PER_DAY = 15;
    public static final int MAX_SUBSCRIPTIONS_PER_CONNECTION = 2;
    public static final int MAX_SUBSCRIPTIONS_PER_USER = 3;

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of(
                "catalog.quota.max-active-transcodes", String.valueOf(MAX_ACTIVE_TRANSCODES),
                "catalog.quota.max-source-bytes-per-day", String.valueOf(MAX_SOURCE_BYTES_PER_DAY),
                "catalog.quota.max-source-duration-per-day", MAX_SOURCE_SECONDS_PER_DAY + "s",
                "catalog.upload.max-concurrent-per-uploader", "1",
                "catalog.graphql.max-subscriptions-per-connection", String.valueOf(MAX_SUBSCRIPTIONS_PER_CONNECTION),
                "catalog.graphql.max-subscriptions-per-user", String.valueOf(MAX_SUBSCRIPTIONS_PER_USER));
    }
}
