package dev.videobackend.catalog;

import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;

import java.util.Map;

import static io.restassured.RestAssured.given;

/** GraphQL over HTTP, as clients send it. */
public final class GraphQl {

    private GraphQl() {
    }

    public static ValidatableResponse post(String query, Map<String, Object> variables) {
        return given()
                .contentType(ContentType.JSON)
                .body(Map.of("query", query, "variables", variables))
                .when().post("/graphql")
                .then().statusCode(200);
    }
}
