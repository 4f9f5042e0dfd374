package dev.ramp.core.eval;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Bounds how much a pattern's counted repetitions multiply: RE2 compiles {@code (a{1000}){1000}} into a
 * million instructions (half a second and 90 MB for RE2/J) and {@code ((a{1000}){1000}){1000}} runs it out of
 * memory. The cost of an atom is 1, of {@code x{n,m}} the cost of {@code x} times {@code m} (times {@code n}
 * when unbounded), of a group the largest cost inside it; a pattern whose cost passes {@link #MAX_COST}, the
 * largest count RE2 accepts in one repetition, is refused before it is compiled.
 */
final class RepetitionLimit {
    static final long MAX_COST = 1000;

    private RepetitionLimit() {}

    private static final class Frame {
        long max = 1;
        long last = 1;
    }

    static boolean exceeds(String pattern) {
        Deque<Frame> frames = new ArrayDeque<>();
        Frame frame = new Frame();
        int i = 0;
        int length = pattern.length();
        while (i < length) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i = skipEscape(pattern, i + 1);
                frame.last = 1;
            } else if (c == '[') {
                i = skipClass(pattern, i + 1);
                frame.last = 1;
            } else if (c == '(') {
                frames.push(frame);
                frame = new Frame();
                i++;
            } else if (c == ')') {
                long group = frame.max;
                frame = frames.isEmpty() ? new Frame() : frames.pop();
                frame.last = group;
                frame.max = Math.max(frame.max, group);
                i++;
            } else if (c == '{') {
                int close = pattern.indexOf('}', i);
                long count = close < 0 ? -1 : count(pattern.substring(i + 1, close));
                if (count < 0) {
                    frame.last = 1;
                    i++;
                    continue;
                }
                frame.last = Math.min(Long.MAX_VALUE / (MAX_COST + 1), frame.last * Math.max(1, count));
                frame.max = Math.max(frame.max, frame.last);
                if (frame.last > MAX_COST) {
                    return true;
                }
                i = close + 1;
            } else {
                frame.last = 1;
                i++;
            }
        }
        return false;
    }

    /** The largest count of {@code n}, {@code n,} or {@code n,m}; -1 when it is not a repetition. */
    private static long count(String body) {
        int comma = body.indexOf(',');
        String low = comma < 0 ? body : body.substring(0, comma);
        String high = comma < 0 ? body : body.substring(comma + 1);
        if (!digits(low) || (!high.isEmpty() && !digits(high))) {
            return -1;
        }
        String largest = high.isEmpty() ? low : high;
        return largest.length() > 9 ? Long.MAX_VALUE / (MAX_COST + 1) : Long.parseLong(largest);
    }

    private static boolean digits(String text) {
        return !text.isEmpty() && text.chars().allMatch(ch -> ch >= '0' && ch <= '9');
    }

    private static int skipEscape(String pattern, int i) {
        if (i >= pattern.length()) {
            return i;
        }
        char escape = pattern.charAt(i);
        if (escape == 'Q') {
            int end = pattern.indexOf("\\E", i);
            return end < 0 ? pattern.length() : end + 2;
        }
        if ((escape == 'x' || escape == 'p' || escape == 'P') && pattern.startsWith("{", i + 1)) {
            int end = pattern.indexOf('}', i);
            return end < 0 ? pattern.length() : end + 1;
        }
        return i + 1;
    }

    private static int skipClass(String pattern, int i) {
        if (pattern.startsWith("^", i)) {
            i++;
        }
        if (pattern.startsWith("]", i)) {
            i++;
        }
        while (i < pattern.length()) {
            char c = pattern.charAt(i);
            if (c == '\\') {
                i = skipEscape(pattern, i + 1);
            } else if (c == '[' && pattern.startsWith(":", i + 1)) {
                int end = pattern.indexOf(":]", i);
                i = end < 0 ? i + 1 : end + 2;
            } else if (c == ']') {
                return i + 1;
            } else {
                i++;
            }
        }
        return i;
    }
}
