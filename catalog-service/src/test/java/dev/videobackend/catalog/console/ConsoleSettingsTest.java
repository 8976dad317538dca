package dev.videobackend.catalog.console;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the console is told, and which origins its policy opens, for each configuration. */
class ConsoleSettingsTest {

    @Test
    void withoutAProviderTheConsoleOffersOnlyWhatTheFlagSays() {
        ConsoleSettings settings = settings(false, null, null, null);
        assertThat(settings.publicSettings()).isEqualTo(new ConsoleSettings.PublicSettings(false, null, 65536));
        assertThat(settings.otherOrigins()).isEmpty();
        assertThat(ConsoleHeaders.policy("")).contains("connect-src 'self';", "img-src 'self' blob:;");
    }

    @Test
    void aProviderIsNamedToThePageAndItsOriginAndTheMediaOriginAreLetThrough() {
        ConsoleSettings settings = settings(true, "https://login.example.com:8443/realms/videos/", "video-console",
                "https://media.example.com/base/");
        assertThat(settings.publicSettings()).isEqualTo(new ConsoleSettings.PublicSettings(true,
                new ConsoleSettings.Oidc("https://login.example.com:8443/realms/videos", "video-console", "openid"),
                65536));
        assertThat(settings.otherOrigins()).containsExactly("https://login.example.com:8443", "https://media.example.com");
        assertThat(ConsoleHeaders.policy(String.join(" ", settings.otherOrigins())))
                .contains("connect-src 'self' https://login.example.com:8443 https://media.example.com;")
                .contains("media-src 'self' blob: https://login.example.com:8443 https://media.example.com;");
    }

    @Test
    void aProviderWithoutAClientOrNotAnHttpUrlIsRefusedAtStart() {
        assertThatThrownBy(() -> settings(false, "https://login.example.com", null, null))
                .hasMessageContaining("catalog.console.oidc.client-id");
        assertThatThrownBy(() -> settings(false, "login.example.com", "c", null))
                .hasMessageContaining("absolute http(s) URL");
    }

    @Test
    void onlyTheConsolesPathsGetItsHeaders() {
        assertThat(ConsoleHeaders.isConsole("/")).isTrue();
        assertThat(ConsoleHeaders.isConsole("/index.html")).isTrue();
        assertThat(ConsoleHeaders.isConsole("/console/app.js")).isTrue();
        assertThat(ConsoleHeaders.isConsole("/graphql")).isFalse();
        assertThat(ConsoleHeaders.isConsole("/media/x/y/master.m3u8")).isFalse();
        assertThat(ConsoleHeaders.isConsole("/q/graphql-ui/")).isFalse();
    }

    private static ConsoleSettings settings(boolean devSignIn, String issuer, String clientId, String mediaBaseUrl) {
        return new ConsoleSettings(devSignIn, Optional.ofNullable(issuer).map(URI::create), Optional.ofNullable(clientId),
                "openid", 65536, Optional.ofNullable(mediaBaseUrl));
    }
}
