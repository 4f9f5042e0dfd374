package dev.ramp.core.eval;

/**
 * Keeps RE2/J from hanging: its case folding loops forever on U+1C80..U+1C88 (Cyrillic Extended-C), whose fold
 * orbit in RE2/J's tables does not close under the JDK's newer Unicode data (google/re2j#168, open as of
 * RE2/J 1.8). Compiling a case-insensitive pattern that has one of those characters as a literal, or inside a
 * character-class range, never returns. This scanner finds such patterns without compiling them, so the
 * evaluator can treat them as invalid; other patterns are left alone.
 *
 * <p>It is conservative about case-insensitivity: a pattern counts as case-insensitive when the flag is set
 * or it has any {@code (?} group. It decodes the literal forms RE2 accepts: plain characters,
 * {@code \x{...}}, {@code \xhh}, octal escapes, any escaped character other than an ASCII letter or digit,
 * and {@code \Q...\E}.
 */
final class FoldGuard {
    private static final int FIRST = 0x1C80;
    private static final int LAST = 0x1C88;
    /** The value of an escape that is not one character ({@code \d}, {@code \pL}, ...). */
    private static final int NOT_A_CHARACTER = -1;

    private FoldGuard() {}

    static boolean mayHang(String pattern, boolean caseInsensitive) {
        if (!caseInsensitive && !pattern.contains("(?")) {
            return false;
        }
        boolean inClass = false;
        boolean quoted = false;
        int previous = NOT_A_CHARACTER;
        boolean range = false;
        int i = 0;
        while (i < pattern.length()) {
            int c = pattern.codePointAt(i);
            i += Character.charCount(c);
            int value;
            if (quoted) {
                if (c == '\\' && pattern.startsWith("E", i)) {
                    quoted = false;
                    i++;
                    continue;
                }
                value = c;
            } else if (c == '\\' && i < pattern.length()) {
                int escape = pattern.codePointAt(i);
                i += Character.charCount(escape);
                if (escape == 'Q') {
                    quoted = true;
                    continue;
                }
                if (escape == 'x') {
                    int end;
                    if (pattern.startsWith("{", i)) {
                        end = pattern.indexOf('}', i);
                        value = end < 0 ? NOT_A_CHARACTER : hex(pattern, i + 1, end);
                        i = end < 0 ? pattern.length() : end + 1;
                    } else {
                        end = Math.min(pattern.length(), i + 2);
                        value = hex(pattern, i, end);
                        i = end;
                    }
                } else if (escape >= '0' && escape <= '7') {
                    value = escape - '0';
                    for (int digits = 1; digits < 3 && i < pattern.length()
                            && pattern.charAt(i) >= '0' && pattern.charAt(i) <= '7'; digits++) {
                        value = value * 8 + (pattern.charAt(i++) - '0');
                    }
                } else if (escape == 'p' || escape == 'P') {
                    if (pattern.startsWith("{", i)) {
                        int end = pattern.indexOf('}', i);
                        i = end < 0 ? pattern.length() : end + 1;
                    } else if (i < pattern.length()) {
                        i += Character.charCount(pattern.codePointAt(i));
                    }
                    value = NOT_A_CHARACTER;
                } else {
                    // ASCII letters and digits name classes or controls (\d, \w, \n); anything else is itself.
                    value = escape < 0x80 && Character.isLetterOrDigit(escape) ? NOT_A_CHARACTER : escape;
                }
            } else if (inClass && c == '[' && pattern.startsWith(":", i)) {
                int end = pattern.indexOf(":]", i);
                i = end < 0 ? pattern.length() : end + 2;
                value = NOT_A_CHARACTER;
            } else if (!inClass && c == '[') {
                inClass = true;
                previous = NOT_A_CHARACTER;
                range = false;
                if (pattern.startsWith("^", i)) {
                    i++;
                }
                if (pattern.startsWith("]", i)) {
                    i++;
                    previous = ']';
                }
                continue;
            } else if (inClass && c == ']') {
                inClass = false;
                continue;
            } else if (inClass && c == '-' && previous != NOT_A_CHARACTER && !range) {
                range = true;
                continue;
            } else {
                value = c;
            }
            if (value >= FIRST && value <= LAST) {
                return true;
            }
            if (inClass) {
                if (range && value != NOT_A_CHARACTER && previous <= LAST && value >= FIRST) {
                    return true;
                }
                previous = range ? NOT_A_CHARACTER : value;
                range = false;
            }
        }
        return false;
    }

    private static int hex(String text, int start, int end) {
        if (start >= end || end - start > 8) {
            return NOT_A_CHARACTER;
        }
        int value = 0;
        for (int i = start; i < end; i++) {
            int digit = Character.digit(text.charAt(i), 16);
            if (digit < 0) {
                return NOT_A_CHARACTER;
            }
            value = value * 16 + digit;
        }
        return value;
    }
}
