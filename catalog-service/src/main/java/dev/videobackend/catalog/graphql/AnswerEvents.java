package dev.videobackend.catalog.graphql;

import io.smallrye.graphql.api.Context;
import io.smallrye.graphql.spi.EventingService;

/**
 * SmallRye GraphQL's hook after each execution, for {@link AnonymousAnswers}: a service it loads itself (declared
 * in {@code META-INF/services}), called directly. SmallRye's CDI events would do the same at the cost of resolving
 * observers for every event of every request.
 */
public class AnswerEvents implements EventingService {

    /** SmallRye calls this service only while the answers are cached. */
    @Override
    public String getConfigKey() {
        return "catalog.read-cache.enabled";
    }

    @Override
    public void afterExecute(Context execution) {
        AnonymousAnswers.executed(execution);
    }
}
