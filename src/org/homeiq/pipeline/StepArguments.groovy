package org.homeiq.pipeline

import com.cloudbees.groovy.cps.NonCPS

/**
 * A step's named arguments checked against its declaration in resources/org/homeiq/pipeline/steps.json:
 * unknown names, types and choices fail naming the step and the argument; defaults filled in.
 * Pure functions over plain maps, so nothing here is held across pipeline steps.
 */
class StepArguments {
    static final String RESOURCE = 'org/homeiq/pipeline/steps.json'

    /** The parsed declaration, kept for the build (library classes are loaded per build). */
    private static Map cache

    @NonCPS
    static Map cached() {
        return cache
    }

    @NonCPS
    static Map load(String json) {
        cache = (Map) new groovy.json.JsonSlurperClassic().parseText(json)
        return cache
    }

    /** The step's parameters, own first (an own parameter replaces a group's of the same name). */
    @NonCPS
    static List parameters(Map spec, String step) {
        Map s = (Map) spec.steps[step]
        if (s == null) {
            throw new IllegalArgumentException("no declaration of step ${step} in ${RESOURCE}")
        }
        Map byName = [:]
        for (Map p : (List<Map>) s.parameters) {
            byName[p.name] = p
        }
        for (String g : (List<String>) (s.groups ?: [])) {
            for (Map p : (List<Map>) spec.groups[g].parameters) {
                if (!byName.containsKey(p.name)) {
                    byName[p.name] = p
                }
            }
        }
        return byName.values() as List
    }

    /** [config: arguments over defaults] or [error: the first problem, naming step and argument]. */
    @NonCPS
    static Map check(Map spec, String step, Map args) {
        List params = parameters(spec, step)
        Map declared = params.collectEntries { [(it.name): it] }
        List unknown = args.keySet().findAll { !declared.containsKey(it) }.collect { "'${it}'" }.sort()
        if (unknown) {
            return [error: "${step}: unknown argument ${unknown.join(', ')}; it takes ${declared.keySet().sort().join(', ')} (see ${step.tokenize('.')[0]}.txt)".toString()]
        }
        Map config = [:]
        for (Map p : params) {
            def v = args.containsKey(p.name) ? args[p.name] : p['default']
            // An explicit null means "not given", as if the argument were left out.
            if (v == null) {
                v = p['default']
            }
            String problem = v == null ? (p.required ? 'is required' : null) : typeProblem(p, v)
            if (problem) {
                return [error: "${step}: ${p.name} ${problem}".toString()]
            }
            config[p.name] = v instanceof GString ? v.toString() : v
        }
        return [config: config]
    }

    @NonCPS
    static String typeProblem(Map p, Object v) {
        String s = v.toString()
        switch (p.type) {
            case 'duration':
                return s ==~ /[0-9]+(ms|s|m|h)?/ ? null : "must be a duration like 30s, 5m, 1h, 250ms or seconds, got '${s}'"
            case 'count':
                return s ==~ /[0-9]+/ ? null : "must be a whole number, got '${s}'"
            case 'day':
                return s ==~ /[1-9][0-9]*/ ? null : "must be a day number of the plan (1-5), got '${s}'"
            case 'phase':
                return s ==~ /[0-9]+/ ? null : "must be a phase number of the plan (0-4), got '${s}'"
            case 'flag':
                return v == true || v == false ? null : "must be true or false, got '${s}'"
            case 'choice':
                return s in p.values ? null : "must be one of ${p.values.join(', ')}, got '${s}'"
            case 'list':
                if (!(v instanceof Collection) && !(v instanceof CharSequence)) {
                    return "must be a list or a comma-separated string, got '${s}'"
                }
                return v == '' || !list(v).isEmpty() ? null : 'is empty'
            case 'map':
                return v instanceof Map ? null : "must be a map, got '${s}'"
            case 'dotenv':
                return v instanceof Map || v == false ? null : "must be a map of homeiqWithDotenv arguments or false, got '${s}'"
            case 'waves':
                return v instanceof List ? null : 'must be a list of waves (as plan --format json gives them)'
            case 'dayPlan':
                return v instanceof Map && v.waves instanceof List ? null : 'must be the map homeiqApproval.plan returns ([title, waves])'
            case 'relpath':
                boolean inside = s && !s.startsWith('/') && !s.startsWith('\\') && !(s ==~ /^[A-Za-z]:.*/) &&
                    !s.tokenize('/\\').contains('..')
                return inside ? null : "must be a directory inside the workspace (relative, no ..), got '${s}'"
            default:
                return v instanceof CharSequence || v instanceof Number ? null : "must be text, got '${s}'"
        }
    }

    /** A list argument as names: a list or a comma-separated string, blanks dropped. */
    @NonCPS
    static List list(Object v) {
        List raw = v instanceof Collection ? (v as List) : v.toString().split(',').toList()
        return raw.collect { it.toString().trim() }.findAll { it }
    }

    /**
     * The engine options of the given parameters that are set: flags as the bare option, lists
     * comma-joined. Parameters without an option are the step's own business.
     */
    @NonCPS
    static List options(List params, Map config, List names) {
        List out = []
        for (Map p : params) {
            if (!(p.name in names) || !p.option) {
                continue
            }
            def v = config[p.name]
            if (v == null || v == false || v == '') {
                continue
            }
            if (p.type == 'flag') {
                out << p.option
            } else if (p.type == 'list') {
                out += [p.option, list(v).join(',')]
            } else {
                out += [p.option, v.toString()]
            }
        }
        return out
    }

    /** The engine options of the step's own parameters (not its groups'). */
    @NonCPS
    static List ownOptions(Map spec, String step, Map config) {
        return options(parameters(spec, step), config, spec.steps[step].parameters.collect { it.name })
    }

    /** Names of a group's parameters, e.g. the common ones every step passes on. */
    @NonCPS
    static List group(Map spec, String name) {
        return spec.groups[name].parameters.collect { it.name }
    }

    /** The selection (services, wave, day, phase, all): exactly one, as engine arguments and names. */
    @NonCPS
    static Map selection(Map spec, String step, Map config) {
        List names = group(spec, 'selection')
        List given = names.findAll { k -> config[k] != null && config[k] != false && config[k] != '' && config[k] != [] }
        if (given.size() != 1) {
            return [error: "${step}: give exactly one of ${names.join(', ')} (got ${given ? given.join(', ') : 'none'})".toString()]
        }
        String k = given[0]
        List args = options(parameters(spec, step), config, [k])
        switch (k) {
            case 'services':
                List s = list(config.services)
                String id = s.size() <= 3 ? s.join('-') : "${s[0..2].join('-')}-and-${s.size() - 3}-more"
                return [args: args, id: id, text: "services ${s.join(', ')}".toString()]
            case 'all':
                return [args: args, id: 'all', text: 'all services']
            case 'wave':
                return [args: args, id: config.wave.toString(), text: "wave ${config.wave}".toString()]
            default:
                return [args: args, id: "${k}-${config[k]}".toString(), text: "${k} ${config[k]}".toString()]
        }
    }

    /** Only the arguments of a group, e.g. the common ones a composite step passes on to its parts. */
    @NonCPS
    static Map only(Map spec, String groupName, Map config) {
        List names = group(spec, groupName)
        return config.findAll { k, v -> k in names }
    }

    /** A name usable in a file name. */
    @NonCPS
    static String fileSafe(String s) {
        return s.replaceAll(/[^A-Za-z0-9._-]+/, '-')
    }
}
