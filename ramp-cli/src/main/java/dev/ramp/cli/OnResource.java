package dev.ramp.cli;

import picocli.CommandLine.Parameters;

/** A subcommand on one named resource (an experiment, a route, a release): one request, its reply printed. */
abstract class OnResource extends OneRequest {
    @Parameters(index = "0", paramLabel = "NAME", description = "The ${PARENT-COMMAND-NAME}'s name.")
    String name;
}
