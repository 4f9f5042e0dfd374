package dev.ramp.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code --name value} command-line options over defaults; a name without a default is rejected. */
record Options(Map<String, String> values) {
    /** Parses {@code args}, or prints what is wrong and the options, and exits with status 2. */
    static Options parseOrExit(String program, String[] args, Map<String, String> defaults) {
        try {
            return parse(args, defaults);
        } catch (IllegalArgumentException e) {
            System.err.println(program + ": " + e.getMessage());
            System.exit(2);
            throw e;
        }
    }

    static Options parse(String[] args, Map<String, String> defaults) {
        Map<String, String> values = new LinkedHashMap<>(defaults);
        for (int i = 0; i < args.length; i++) {
            String name = args[i].startsWith("--") ? args[i].substring(2) : "";
            if (!values.containsKey(name) || i + 1 == args.length) {
                throw new IllegalArgumentException("unknown option or missing value: " + args[i] + "; options and defaults: " + new java.util.TreeMap<>(defaults));
            }
            values.put(name, args[++i]);
        }
        return new Options(values);
    }

    String text(String name) {
        return values.get(name);
    }

    /** A whole number of at least {@code min}. */
    int number(String name, int min) {
        int value;
        try {
            value = Integer.parseInt(values.get(name));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a whole number, got " + values.get(name));
        }
        if (value < min) {
            throw new IllegalArgumentException("--" + name + " must be at least " + min + ", got " + value);
        }
        return value;
    }
}
