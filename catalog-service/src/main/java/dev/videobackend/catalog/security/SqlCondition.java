package dev.videobackend.catalog.security;

import java.util.Map;

/** A condition for a {@code WHERE} clause, its values as named bind parameters. */
public record SqlCondition(String text, Map<String, Object> parameters) {
}
