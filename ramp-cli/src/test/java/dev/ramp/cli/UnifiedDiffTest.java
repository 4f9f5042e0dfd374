package dev.ramp.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Golden diffs: what {@code ramp diff} prints for two versions of a document, as {@code diff -u} would. */
class UnifiedDiffTest {
    private static final List<String> TWENTY = IntStream.rangeClosed(1, 20).mapToObj(i -> "line " + i).toList();

    @Test
    void of_equalTexts_isEmpty() {
        assertThat(UnifiedDiff.of("a", TWENTY, "b", TWENTY)).isEmpty();
    }

    @Test
    void of_oneChangedLine_isOneHunkWithThreeLinesAroundIt() {
        List<String> after = replace(TWENTY, 10, "line 10 changed");

        assertThat(UnifiedDiff.of("server", TWENTY, "file", after)).containsExactly(
                "--- server", "+++ file", "@@ -7,7 +7,7 @@",
                " line 7", " line 8", " line 9", "-line 10", "+line 10 changed", " line 11", " line 12", " line 13");
    }

    @Test
    void of_changesFarApart_areTwoHunks_andChangesSixLinesApart_areOne() {
        List<String> far = replace(replace(TWENTY, 2, "two"), 18, "eighteen");
        assertThat(UnifiedDiff.of("a", TWENTY, "b", far).stream().filter(line -> line.startsWith("@@")))
                .containsExactly("@@ -1,5 +1,5 @@", "@@ -15,6 +15,6 @@");

        List<String> near = replace(replace(TWENTY, 5, "five"), 12, "twelve");
        assertThat(UnifiedDiff.of("a", TWENTY, "b", near).stream().filter(line -> line.startsWith("@@")))
                .containsExactly("@@ -2,14 +2,14 @@");
    }

    @Test
    void of_aNewDocument_isAllAdded_fromLineZero() {
        assertThat(UnifiedDiff.of("/dev/null", List.of(), "file", List.of("name: x", "weight: 5"))).containsExactly(
                "--- /dev/null", "+++ file", "@@ -0,0 +1,2 @@", "+name: x", "+weight: 5");
    }

    @Test
    void of_insertedAndRemovedLines_keepTheCommonOnes() {
        List<String> before = List.of("a", "b", "c", "d");
        List<String> after = List.of("a", "c", "d", "e");

        assertThat(UnifiedDiff.of("x", before, "y", after)).containsExactly(
                "--- x", "+++ y", "@@ -1,4 +1,4 @@", " a", "-b", " c", " d", "+e");
    }

    /** {@code lines} with line {@code number} (from 1) replaced. */
    private static List<String> replace(List<String> lines, int number, String line) {
        List<String> copy = new java.util.ArrayList<>(lines);
        copy.set(number - 1, line);
        return copy;
    }
}
