package dev.videobackend.catalog.security;

/**
 * A user as the identity provider knows them: the token's issuer ({@code iss}) and subject ({@code sub}). Unique
 * together and assigned by the provider, unlike the principal name ({@code upn}, {@code preferred_username}),
 * which some providers let users choose: ownership is keyed on this, never on the name.
 */
public record UserId(String issuer, String subject) {
}
