package org.homeiq.pipeline

import com.lesfurets.jenkins.unit.PipelineTestHelper

/**
 * Just enough Declarative Pipeline for JenkinsPipelineUnit 1.1 (which has none) to run
 * Jenkinsfile.example's stages against the real vars/.
 *
 * Evaluated: `pipeline`, `parameters` (choice/booleanParam/string defaults fill `params` where a
 * test has not set them), `environment` (literal assignments into `env`), `options` and `triggers`
 * (recorded only; `lock` in options wraps the run through the `lock` step), `stages`/`stage`
 * (sequential, nested), `steps`, `script`, `when` with `expression`, `allOf`, `anyOf`, `not`,
 * `triggeredBy`, and `post` at pipeline and stage level with always/success/failure/aborted/
 * unsuccessful/cleanup. A failed stage fails the build, later stages are skipped, posts still run.
 *
 * Not evaluated: agent selection, what options do (disableConcurrentBuilds, timestamps,
 * buildDiscarder, timeout), cron scheduling, parameter validation, the declarative `input`
 * directive, `parallel`/`matrix` stages, `beforeAgent`/`beforeInput`, `credentials()` in
 * environment, and the changed/fixed/regression/unstable post conditions.
 */
class DeclarativeShim {
    final PipelineTestHelper helper
    final PipelineTestBase t
    /** Recorded for assertions. */
    final List<String> stagesRun = []
    final List<String> stagesSkipped = []
    final List<String> postsRun = []
    final List<String> triggers = []
    final List<String> options = []
    final List<Map> parameterDefinitions = []
    private final Deque<Map> frames = new ArrayDeque<>()
    private boolean failed

    DeclarativeShim(PipelineTestBase t) {
        this.t = t
        this.helper = t.helper
    }

    void register() {
        helper.registerAllowedMethod('pipeline', [Closure], { Closure c -> runPipeline(c) })
        ['agent', 'options', 'parameters', 'triggers', 'environment', 'stages', 'steps', 'post', 'when'].each { String name ->
            helper.registerAllowedMethod(name, [Closure], { Closure c -> section(name, c) })
        }
        ['always', 'success', 'failure', 'aborted', 'unsuccessful', 'cleanup'].each { String cond ->
            helper.registerAllowedMethod(cond, [Closure], { Closure c -> frame('post').conditions[cond] = c })
        }
        helper.registerAllowedMethod('stage', [String, Closure], { String name, Closure c -> stage(name, c) })
        helper.registerAllowedMethod('script', [Closure], { Closure c -> helper.callClosure(c) })
        helper.registerAllowedMethod('label', [String], null)
        helper.registerAllowedMethod('cron', [String], { String spec -> triggers << "cron(${spec})".toString() })
        helper.registerAllowedMethod('choice', [Map], { Map m -> parameterDefinitions << m + [type: 'choice']; m })
        helper.registerAllowedMethod('booleanParam', [Map], { Map m -> parameterDefinitions << m + [type: 'boolean']; m })
        helper.registerAllowedMethod('disableConcurrentBuilds', [], { -> options << 'disableConcurrentBuilds' })
        helper.registerAllowedMethod('timestamps', [], { -> options << 'timestamps' })
        helper.registerAllowedMethod('logRotator', [Map], { Map m -> m })
        helper.registerAllowedMethod('buildDiscarder', [Object], { Object o -> options << 'buildDiscarder' })
        helper.registerAllowedMethod('timeout', [Map], { Map m -> options << "timeout(${m.time} ${m.unit})".toString() })
        helper.registerAllowedMethod('lock', [Map], { Map m -> options << "lock(${m.resource})".toString(); frame('options').lock = m })
        helper.registerAllowedMethod('expression', [Closure], { Closure c -> frame('when').results << (helper.callClosure(c) as boolean) })
        helper.registerAllowedMethod('triggeredBy', [String], { String cause ->
            frame('when').results << t.build.causeClasses.any { it.contains(cause) }
        })
        ['allOf', 'anyOf', 'not'].each { String op ->
            helper.registerAllowedMethod(op, [Closure], { Closure c ->
                List inner = evaluate(c)
                boolean r = op == 'allOf' ? inner.every() : op == 'anyOf' ? inner.any() : !inner.every()
                frame('when').results << r
            })
        }
    }

    private Map frame(String kind) {
        Map f = frames.peek()
        assert f != null && f.kind == kind: "'${kind}' content outside a ${kind} block (in ${f?.kind})"
        return f
    }

    private Object section(String name, Closure c) {
        Map f = frames.peek()
        if (name == 'steps' && f?.kind != 'stage') {
            return helper.callClosure(c)
        }
        assert f != null: "${name} outside pipeline"
        f[name] = c
        return null
    }

    private List evaluate(Closure c) {
        frames.push([kind: 'when', results: []])
        try {
            helper.callClosure(c)
            return frames.peek().results
        } finally {
            frames.pop()
        }
    }

    private Map collect(String kind, Closure c) {
        Map f = [kind: kind, stages: [], conditions: [:]]
        frames.push(f)
        try {
            helper.callClosure(c)
        } finally {
            frames.pop()
        }
        return f
    }

    private void runPipeline(Closure body) {
        Map p = collect('pipeline', body)
        if (p.parameters) {
            collect('parameters', p.parameters)
            parameterDefinitions.each { Map d ->
                if (!t.params.containsKey(d.name)) {
                    t.params[d.name] = d.type == 'choice' ? d.choices[0] : d.defaultValue
                }
            }
        }
        if (p.triggers) {
            collect('triggers', p.triggers)
        }
        Map opts = p.options ? collect('options', p.options) : [:]
        if (p.environment) {
            applyEnvironment(p.environment)
        }
        Throwable failure = null
        try {
            if (opts.lock) {
                t.locks << opts.lock
            }
            runStages(p.stages)
        } catch (Throwable e) {
            failure = e
        }
        runPost('pipeline', p.post, failure)
        if (failure) {
            throw failure
        }
    }

    /** environment { KEY = 'value' }: the assignments land in the binding; move them to env. */
    private void applyEnvironment(Closure c) {
        Set before = new HashSet(t.binding.variables.keySet())
        helper.callClosure(c)
        (t.binding.variables.keySet() - before).each { String k ->
            t.env[k] = t.binding.variables[k].toString()
            t.binding.variables.remove(k)
        }
    }

    private void runStages(Closure stagesBody) {
        Map s = collect('stages', stagesBody)
        Throwable first = null
        for (List named : s.stages) {
            try {
                runStage((String) named[0], (Closure) named[1])
            } catch (Throwable e) {
                first = first ?: e   // the rest are listed as skipped, as Jenkins shows them
            }
        }
        if (first) {
            throw first
        }
    }

    private Object stage(String name, Closure c) {
        Map f = frames.peek()
        if (f?.kind == 'stages') {
            f.stages << [name, c]
            return null
        }
        // scripted stage inside steps/script
        t.console << "[Pipeline] { (${name})\n"
        return helper.callClosure(c)
    }

    private void runStage(String name, Closure body) {
        if (failed) {
            stagesSkipped << name
            t.console << "Stage \"${name}\" skipped due to earlier failure(s)\n"
            return
        }
        Map s = collect('stage', body)
        if (s.when && !evaluate(s.when).every()) {
            stagesSkipped << name
            t.console << "Stage \"${name}\" skipped due to when conditional\n"
            return
        }
        stagesRun << name
        t.console << "[Pipeline] { (${name})\n"
        Throwable failure = null
        try {
            if (s.steps) {
                helper.callClosure(s.steps)
            } else if (s.stages) {
                runStages(s.stages)
            }
        } catch (Throwable e) {
            failure = e
            failed = true
            t.build.result = e instanceof FlowInterruptedException ? 'ABORTED' : 'FAILURE'
        }
        runPost(name, s.post, failure)
        if (failure) {
            throw failure
        }
    }

    private void runPost(String where, Closure post, Throwable failure) {
        if (!post) {
            return
        }
        Map p = collect('post', post)
        String status = failure == null ? 'SUCCESS' : failure instanceof FlowInterruptedException ? 'ABORTED' : 'FAILURE'
        List<String> order = ['always', 'success', 'failure', 'aborted', 'unsuccessful', 'cleanup']
        for (String cond : order) {
            Closure c = p.conditions[cond]
            boolean applies = cond == 'always' || cond == 'cleanup' ||
                (cond == 'success' && status == 'SUCCESS') || (cond == 'failure' && status == 'FAILURE') ||
                (cond == 'aborted' && status == 'ABORTED') || (cond == 'unsuccessful' && status != 'SUCCESS')
            if (c != null && applies) {
                postsRun << "${where}: ${cond}".toString()
                helper.callClosure(c)
            }
        }
    }
}
