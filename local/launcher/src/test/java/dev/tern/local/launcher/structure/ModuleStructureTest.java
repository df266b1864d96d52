package dev.tern.local.launcher.structure;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The module rules of docs/ARCHITECTURE.md ("Modules and what each may depend on"), checked on
 * the compiled main classes of every module. The launcher module runs it because it comes last in
 * the reactor, after every module it reads has been compiled.
 */
class ModuleStructureTest {

    private static final Path ROOT = repositoryRoot();
    private static final int MAX_MAIN_SOURCE_LINES = 400;

    @ParameterizedTest
    @ValueSource(strings = {"smtp:dev.tern.smtp", "common:dev.tern.common", "ingress:dev.tern.ingress",
            "delivery:dev.tern.delivery", "bounce:dev.tern.bounce", "local/runtime:dev.tern.local.runtime",
            "local/testkit:dev.tern.local.testkit"})
    void noPackageCycleInsideAModule(String moduleAndPackage) {
        String[] parts = moduleAndPackage.split(":");
        slices().matching(parts[1] + ".(*)..").should().beFreeOfCycles()
                .check(mainClasses(parts[0]));
    }

    @Test
    void theSmtpLibraryUsesNoFramework() {
        noClasses().should().dependOnClassesThat().resideOutsideOfPackages(
                        "dev.tern.smtp..", "java..", "javax.net..", "javax.security..", "javax.crypto..")
                .because("smtp/ is an I/O-free protocol library with no framework dependencies")
                .check(mainClasses("smtp"));
    }

    @Test
    void commonKnowsNoService() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        "dev.tern.ingress..", "dev.tern.delivery..", "dev.tern.bounce..", "dev.tern.local..")
                .check(mainClasses("common"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ingress", "delivery", "bounce"})
    void aServiceKnowsNoOtherServiceAndNoLocalTooling(String service) {
        List<String> others = Stream.of("ingress", "delivery", "bounce")
                .filter(s -> !s.equals(service)).map(s -> "dev.tern." + s + "..").toList();
        noClasses().should().dependOnClassesThat().resideInAnyPackage(
                        Stream.concat(others.stream(), Stream.of("dev.tern.local..")).toArray(String[]::new))
                .check(mainClasses(service));
    }

    @Test
    void theRuntimeKnowsNoTernModule() {
        noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.tern.smtp..", "dev.tern.common..",
                        "dev.tern.ingress..", "dev.tern.delivery..", "dev.tern.bounce..", "dev.tern.local.testkit..")
                .because("local/runtime only runs Kafka and Infinispan as child processes; tern-local ships it")
                .check(mainClasses("local/runtime"));
    }

    @Test
    void noMainSourceFileIsLongerThanTheLimit() throws IOException {
        List<String> tooLong;
        // Modules sit at most two levels down (local/runtime), so their sources at depth 4.
        try (Stream<Path> sourceRoots = Files.find(ROOT, 4, (p, a) -> a.isDirectory() && p.endsWith("src/main/java"))) {
            tooLong = sourceRoots.flatMap(ModuleStructureTest::javaFiles)
                    .filter(p -> lineCount(p) > MAX_MAIN_SOURCE_LINES)
                    .map(p -> ROOT.relativize(p) + " (" + lineCount(p) + " lines)")
                    .toList();
        }
        assertThat(tooLong).as("main source files over %d lines", MAX_MAIN_SOURCE_LINES).isEmpty();
    }

    private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

    private static JavaClasses mainClasses(String module) {
        Path classes = ROOT.resolve(module).resolve("target/classes");
        assertThat(classes).as("compiled classes of %s (build the whole reactor first)", module).isDirectory();
        return IMPORTED.computeIfAbsent(module, m -> new ClassFileImporter().importPath(classes));
    }

    private static Stream<Path> javaFiles(Path sourceRoot) {
        try (Stream<Path> files = Files.walk(sourceRoot)) {
            return files.filter(p -> p.toString().endsWith(".java")).toList().stream();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long lineCount(Path file) {
        try (Stream<String> lines = Files.lines(file)) {
            return lines.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Path repositoryRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("mvnw"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("no mvnw above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }
}
