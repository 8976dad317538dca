package dev.videobackend.catalog.console;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/** The console's start-up settings; the page itself is static (META-INF/resources). */
@Path(ConsoleResource.PATH)
public class ConsoleResource {

    public static final String PATH = "/console/config.json";

    private final ConsoleSettings settings;

    ConsoleResource(ConsoleSettings settings) {
        this.settings = settings;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public ConsoleSettings.PublicSettings settings() {
        return settings.publicSettings();
    }
}
