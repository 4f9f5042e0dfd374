package dev.ramp.core.eval;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** google/re2j#168: RE2/J hangs compiling case-insensitive U+1C80..U+1C88; the guard must catch every such pattern. */
class FoldGuardTest {
    /** Daemon threads: a compile the guard wrongly let through spins forever, and must not keep the JVM alive. */
    private static final ExecutorService COMPILER = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "re2j-compile");
        thread.setDaemon(true);
        return thread;
    });

    @AfterContainer
    static void stopCompiler() {
        COMPILER.shutdownNow();
    }

    @ParameterizedTest
    @ValueSource(strings = {"(?i)\u1c80", "(?i)\\x{1c80}", "(?i)\\x{1C88}", "(?i)[\\x{1000}-\\x{2000}]", "(?i)[a-\u1c85]",
            "(?i)\\Q\u1c81\\E", "(?i:\\\u1c80", "x(?i:y\u1c82)", "(?i)[\u1c80]"})
    void mayHang_patternsThatHangRe2j_areCaught(String pattern) {
        assertThat(FoldGuard.mayHang(pattern, false)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"^[[:alpha:]]+$", "(?i)abc", "[а-я]+", "(?i)[а-я]", "\u1c80", "[\\x{1000}-\\x{2000}]", "(?i)\\pL",
            "(?i)[\\x{1c89}-\\x{1cff}]", "(?i)\\x{1c7f}", "(?i)[\\-\u1c8f]", "(?i)\\Q[\\E\u1c89"})
    void mayHang_safePatterns_areLeftAlone(String pattern) {
        assertThat(FoldGuard.mayHang(pattern, false)).isFalse();
    }

    @Property(tries = 3000)
    void mayHang_whenItSaysNo_compilingFinishes(@ForAll("patterns") String pattern, @ForAll boolean caseInsensitive) throws Exception {
        if (FoldGuard.mayHang(pattern, caseInsensitive)) {
            return;
        }
        Future<?> compiled = COMPILER.submit(() -> {
            try {
                Pattern.compile(pattern, caseInsensitive ? Pattern.CASE_INSENSITIVE : 0);
            } catch (RuntimeException invalid) {
                // An invalid pattern is fine: the point is that compiling returns.
            }
        });
        try {
            compiled.get(10, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("RE2/J hangs on a pattern the guard let through: " + pattern, e);
        }
    }

    @Provide
    Arbitrary<String> patterns() {
        Arbitrary<String> pieces = Arbitraries.of("\u1c80", "\u1c88", "\u1c89", "\u1c7f", "\u0432", "a", "Z", "-", "[", "]", "^",
                "(?i)", "(?i:", "(?s)", "(", ")", "\\", "\\x{1c80}", "\\x{1C84}", "\\x{1c90}", "\\x{1000}", "\\x{2000}", "\\x41",
                "\\Q", "\\E", "\\d", "\\\u1c80", "\\pL", "\\p{Cyrillic}", "[:alpha:]", "\\-", "\\]", "\\12", "*", "|", "{2}");
        return pieces.list().ofMaxSize(8).map(list -> String.join("", list));
    }
}
