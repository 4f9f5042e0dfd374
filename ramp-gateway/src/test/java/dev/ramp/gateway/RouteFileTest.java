package dev.ramp.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RouteFileTest {

    @Test
    void examples_inTheRepository_areGoodRouteFiles() {
        for (String example : new String[] {"canary.yaml", "blue-green.yaml"}) {
            Path file = Path.of("..", "examples", "gateway", example);
            var contents = RouteFile.read(file);
            assertThat(contents.problems()).as(example).isEmpty();
            assertThat(contents.routes()).as(example).hasSize(1);
        }
    }

    @Test
    void problems_nameTheLineAndTheField() {
        var contents = RouteFile.parse("""
                routes:
                  - name: checkout
                    arms:
                      - name: stable
                        upstreams: ["127.0.0.1:9101"]
                      - name: canary
                        upstreams: ["127.0.0.1:99999"]
                    weight: 110
                    sticky:
                      by: header
                """);
        assertThat(contents.routes()).isEmpty();
        assertThat(contents.problems()).extracting(RouteFile.Problem::toString).containsExactlyInAnyOrder(
                "line 7: routes[0].arms[1].upstreams[0]: must be host:port with a port from 1 to 65535, got '127.0.0.1:99999'",
                "line 8: routes[0].weight: must be a percent from 0 to 100, got 110",
                "line 10: routes[0].sticky.name: must name the header that holds the unit's key, got ''");
    }

    @Test
    void syntaxError_namesItsLine() {
        var contents = RouteFile.parse("""
                routes:
                  - name: checkout
                    weight: [1
                """);
        assertThat(contents.problems()).singleElement().satisfies(problem -> assertThat(problem.line()).isEqualTo(3));
    }

    @Test
    void wrongType_namesItsLine() {
        var contents = RouteFile.parse("""
                routes:
                  - name: checkout
                    weight: lots
                """);
        assertThat(contents.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.toString()).startsWith("line 3: routes[0].weight: ").contains("lots");
        });
    }

    @Test
    void unknownField_isRefused_ratherThanIgnored() {
        var contents = RouteFile.parse("""
                routes:
                  - name: checkout
                    wieght: 10
                """);
        assertThat(contents.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.toString()).startsWith("line 3: routes[0].wieght: ");
        });
    }

    @Test
    void missingFile_isAProblem_notACrash(@TempDir Path dir) {
        var contents = RouteFile.read(dir.resolve("absent.yaml"));
        assertThat(contents.problems()).singleElement().satisfies(problem -> assertThat(problem.reason()).startsWith("cannot read"));
    }

    @Test
    void emptyFile_servesNoRoutes(@TempDir Path dir) throws Exception {
        Path file = Files.writeString(dir.resolve("routes.yaml"), "");
        assertThat(RouteFile.read(file)).isEqualTo(new RouteFile.Contents(java.util.List.of(), java.util.List.of()));
    }
}
