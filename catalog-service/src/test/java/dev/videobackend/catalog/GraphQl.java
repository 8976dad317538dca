package dev.videobackend.catalog;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;

import java.util.Map;

/** GraphQL over HTTP, as clients send it. */
public final class GraphQl {

    private GraphQl() {
    }

    /** As an anonymous caller. */
    public static ValidatableResponse post(String query, Map<String, Object> variables) {
        return postAs(null, query, variables);
    }

    /** As {@code user} (see {@link Tokens}), or anonymously when it is {@code null}. */
    public static ValidatableResponse postAs(String user, String query, Map<String, Object> variables) {
        return post(Tokens.as(user), query, variables);
    }

    /** With the given bearer token. */
    public static ValidatableResponse postWithToken(String token, String query, Map<String, Object> variables) {
        return post(Tokens.bearer(token), query, variables);
    }

    private static ValidatableResponse post(RequestSpecification request, String query, Map<String, Object> variables) {
        return request.contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables))
                .when().post("/graphql")
                .then().statusCode(200);
    }
}
