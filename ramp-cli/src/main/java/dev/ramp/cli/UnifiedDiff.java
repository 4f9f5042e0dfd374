package dev.ramp.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A unified diff of two texts, line by line, as {@code diff -u} prints it: the lines of a longest common subsequence
 * are kept, the others removed ({@code -}) or added ({@code +}), in hunks with {@link #CONTEXT} lines around each
 * change. Documents are small, so the quadratic table is fine.
 */
final class UnifiedDiff {
    static final int CONTEXT = 3;

    private UnifiedDiff() {}

    /** One line of the edit: kept ({@code ' '}), removed or added, and where it is in each text (from 0). */
    private record Edit(char op, String line, int from, int to) {}

    /** The diff of {@code before} to {@code after}, headed {@code --- fromName} and {@code +++ toName}; none when equal. */
    static List<String> of(String fromName, List<String> before, String toName, List<String> after) {
        List<Edit> edits = edits(before, after);
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < edits.size()) {
            if (edits.get(i).op() == ' ') {
                i++;
                continue;
            }
            int start = Math.max(0, i - CONTEXT);
            int end = i;
            // The hunk takes every change whose gap to the one before is at most two contexts long.
            for (int gap = 0; end < edits.size() && gap <= 2 * CONTEXT; end++) {
                gap = edits.get(end).op() == ' ' ? gap + 1 : 0;
            }
            end = Math.min(edits.size(), trimmedEnd(edits, end));
            if (lines.isEmpty()) {
                lines.add("--- " + fromName);
                lines.add("+++ " + toName);
            }
            lines.add(header(edits.subList(start, end)));
            for (Edit edit : edits.subList(start, end)) {
                lines.add(edit.op() + edit.line());
            }
            i = end;
        }
        return lines;
    }

    /** The end of a hunk whose scan stopped at {@code end}: {@link #CONTEXT} kept lines after its last change. */
    private static int trimmedEnd(List<Edit> edits, int end) {
        int last = end - 1;
        while (last >= 0 && edits.get(last).op() == ' ') {
            last--;
        }
        return last + 1 + CONTEXT;
    }

    private static String header(List<Edit> hunk) {
        int fromCount = (int) hunk.stream().filter(edit -> edit.op() != '+').count();
        int toCount = (int) hunk.stream().filter(edit -> edit.op() != '-').count();
        int from = hunk.get(0).from() + (fromCount == 0 ? 0 : 1);
        int to = hunk.get(0).to() + (toCount == 0 ? 0 : 1);
        return "@@ -" + from + "," + fromCount + " +" + to + "," + toCount + " @@";
    }

    private static List<Edit> edits(List<String> before, List<String> after) {
        int n = before.size();
        int m = after.size();
        int[][] common = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                common[i][j] = before.get(i).equals(after.get(j)) ? common[i + 1][j + 1] + 1
                        : Math.max(common[i + 1][j], common[i][j + 1]);
            }
        }
        List<Edit> edits = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && before.get(i).equals(after.get(j))) {
                edits.add(new Edit(' ', before.get(i), i++, j++));
            } else if (i < n && (j == m || common[i + 1][j] >= common[i][j + 1])) {
                edits.add(new Edit('-', before.get(i), i++, j));
            } else {
                edits.add(new Edit('+', after.get(j), i, j++));
            }
        }
        return edits;
    }
}
