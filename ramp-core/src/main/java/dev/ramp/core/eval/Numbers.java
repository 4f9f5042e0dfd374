package dev.ramp.core.eval;

/**
 * Decimal numbers as Unleash reads them: an optional sign, digits with an optional fraction, an optional
 * exponent. Checked by hand first, because {@link Double#parseDouble} also takes forms Unleash does not
 * ({@code 1d}, {@code 0x1p3}, surrounding spaces) and reports failure by throwing.
 */
final class Numbers {
    private Numbers() {}

    static boolean isNumber(String text) {
        if (text == null || text.isEmpty() || text.length() > 64) {
            return false;
        }
        int i = 0;
        int length = text.length();
        if (text.charAt(i) == '+' || text.charAt(i) == '-') {
            i++;
        }
        int digits = 0;
        while (i < length && isDigit(text.charAt(i))) {
            i++;
            digits++;
        }
        if (i < length && text.charAt(i) == '.') {
            i++;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
                digits++;
            }
        }
        if (digits == 0) {
            return false;
        }
        if (i < length && (text.charAt(i) == 'e' || text.charAt(i) == 'E')) {
            i++;
            if (i < length && (text.charAt(i) == '+' || text.charAt(i) == '-')) {
                i++;
            }
            int exponentDigits = 0;
            while (i < length && isDigit(text.charAt(i))) {
                i++;
                exponentDigits++;
            }
            if (exponentDigits == 0) {
                return false;
            }
        }
        return i == length;
    }

    /** Parses text that {@link #isNumber} accepted. */
    static double parse(String text) {
        return Double.parseDouble(text);
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
