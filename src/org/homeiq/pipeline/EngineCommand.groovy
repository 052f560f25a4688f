package org.homeiq.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * The one shell line of an engine call, for sh (POSIX quoting) or bat (cmd quoting): clear the
 * report directory when it is the build's first call there, then java, the engine's JVM options
 * (JVM_OPTIONS), -jar the engine with --result FILE first. Only paths and names go on the line,
 * never a secret value.
 */
class EngineCommand {
    /** The JVM options every engine launch uses, in the launcher's @argfile format (README.md says why). */
    static final String JVM_OPTIONS = 'org/homeiq/pipeline/engine-jvm.options'

    @NonCPS
    static String line(boolean unix, String java, List jvmOptions, String jar, List args, String clearDir) {
        String run = quoteAll(unix, [java] + jvmOptions + ['-jar', jar] + args)
        if (!clearDir) {
            return run
        }
        return unix ? "${removeDir(true, clearDir)} && ${run}" : "(${removeDir(false, clearDir)}) & ${run}"
    }

    /** A directory and everything in it removed, by one shell line. */
    @NonCPS
    static String removeDir(boolean unix, String dir) {
        return unix ? "rm -rf ${shQuote(dir)}" : "if exist ${cmdQuote(dir)} rmdir /s /q ${cmdQuote(dir)}"
    }

    /** The project options (docs/engine-cli.md) of a configured step; only the .env's path, never its values. */
    @NonCPS
    static List projectArgs(List params, Map config, String envFile) {
        List names = ['projectDir', 'composeFile', 'projectName', 'inventory', 'plan']
        List out = StepArguments.options(params, config + [plan: config.plan instanceof CharSequence ? config.plan : null], names)
        String file = config.envFile ?: envFile
        return file ? out + ['--env-file', file.toString()] : out
    }

    /**
     * [options: one per line of JVM_OPTIONS] or [error: naming the file and line]. Blank lines
     * and the launcher's '#' comment lines are skipped; a line must be one option, starting with
     * '-' and without spaces or quotes, so that the launcher (java @file) reads the same words.
     */
    @NonCPS
    static Map jvmOptions(String text) {
        List options = []
        List lines = text.readLines()
        for (int i = 0; i < lines.size(); i++) {
            String t = lines[i].trim()
            if (!t || t.startsWith('#')) {
                continue
            }
            if (!(t ==~ /-[^\s'"]+/)) {
                return [error: ("resources/${JVM_OPTIONS} line ${i + 1}: '${t}' is not one JVM option " +
                    "(a line is one option starting with '-', without spaces or quotes)").toString()]
            }
            options << t
        }
        return [options: options]
    }

    @NonCPS
    static String javaCommand(Map config, Map env, boolean unix) {
        if (config.java) { return config.java.toString() }
        if (env.HOMEIQ_JAVA) { return env.HOMEIQ_JAVA.toString() }
        if (env.JAVA_HOME) { return env.JAVA_HOME.toString() + (unix ? '/bin/java' : '\\bin\\java.exe') }
        return 'java'
    }

    @NonCPS
    static String quoteAll(boolean unix, List words) {
        return words.collect { unix ? shQuote(it.toString()) : cmdQuote(it.toString()) }.join(' ')
    }

    @NonCPS
    static String shQuote(String s) {
        if (s ==~ /[A-Za-z0-9_\/.:=,@%+-]+/) { return s }
        return "'" + s.replace("'", "'\\''") + "'"
    }

    @NonCPS
    static String cmdQuote(String s) {
        // In a .bat file % starts a variable even inside quotes; a double quote cannot be escaped reliably.
        if (s.contains('"') || s.contains('\n') || s.contains('\r')) {
            throw new IllegalArgumentException("cannot pass ${s.inspect()} to cmd.exe safely (double quote or newline)")
        }
        String t = s.replace('%', '%%')
        if (t ==~ /[A-Za-z0-9_\\\/.:=,@+-]+/) { return t }
        return '"' + t + '"'
    }
}
