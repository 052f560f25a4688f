package org.homeiq.pipeline

import com.fasterxml.jackson.databind.ObjectMapper
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory
import groovy.json.JsonOutput

/**
 * What `plan --day N --format json` prints, built from the bundled resources/homeiq/plan.yaml in
 * the shape docs/engine-cli.md gives: stages[].waves[].{id,title,when,mode,services,gate}.
 */
class PlanFixture {
    static Map plan() {
        return new ObjectMapper(new YAMLFactory()).readValue(new File('resources/homeiq/plan.yaml'), Map)
    }

    static Map dayJson(int n) {
        Map day = plan().days.find { it.number == n }
        assert day != null: "no day ${n} in plan.yaml"
        return [stages: [[kind: 'day', number: n, title: day.title,
                          waves: day.waves.collect { w -> [id: w.id, title: w.title, when: w.when, mode: w.mode, services: w.services, gate: w.gate] }]]]
    }

    static String day(int n) {
        return JsonOutput.toJson(dayJson(n))
    }

    static List<String> waveIds(int n) {
        return dayJson(n).stages[0].waves*.id
    }
}
