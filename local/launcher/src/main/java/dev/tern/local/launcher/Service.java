package dev.tern.local.launcher;

import java.nio.file.Path;

/** The three Tern services the local cluster runs, each a Quarkus fast-jar built by its module. */
public enum Service {
    INGRESS("ingress"),
    DELIVERY("delivery"),
    BOUNCE("bounce");

    private final String module;

    Service(String module) {
        this.module = module;
    }

    public String module() {
        return module;
    }

    /** {@code <repo>/<module>/target/quarkus-app/quarkus-run.jar}, built by {@code ./mvnw install}. */
    public Path runJar(Path repo) {
        return repo.resolve(module).resolve("target/quarkus-app/quarkus-run.jar");
    }
}
