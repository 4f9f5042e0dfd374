package dev.ramp.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ramp completion}: prints the completion script of every command and option, for bash and zsh. */
@Command(
        name = "completion",
        mixinStandardHelpOptions = true,
        description = "Prints a bash and zsh completion script for ramp.",
        footer = {"", "Load it in this shell, or in every new one from ~/.bashrc or ~/.zshrc:",
            "  source <(ramp completion)",
            "zsh needs compinit loaded (autoload -U compinit && compinit); the script loads bashcompinit itself."})
final class CompletionCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        spec.commandLine().getOut().print(AutoComplete.bash("ramp", spec.root().commandLine()));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
