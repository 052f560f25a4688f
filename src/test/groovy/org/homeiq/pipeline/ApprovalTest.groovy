package org.homeiq.pipeline

import groovy.json.JsonSlurper
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/** homeiqApproval: approved, rejected, timed out, timer-started. */
class ApprovalTest extends PipelineTestBase {

    @BeforeEach
    void agentWithEngine() {
        givenEngineJar()
    }

    @Test
    void approversSeeTheDaysWavesServicesAndLastGateAndTheApproverIsRecorded() {
        env.HOMEIQ_LAST_GATE = 'Health gate on wave d2-integrations (gate deploy): passed'
        approval = 'alice'

        whenStep('homeiqApproval', [day: 3, submitter: 'homeiq-approvers,bob', timeout: '30m'])

        thenSucceeded()
        assertEquals('alice', returned)
        assertEquals([['plan', '--day', '3', '--format', 'json', '--project-dir', '.']], engineCalls)
        Map input = inputCalls[0]
        assertEquals('homeiq-approvers,bob', input.submitter)
        assertEquals('HOMEIQ_APPROVER', input.submitterParameter)
        assertEquals('Deploy day 3', input.ok)
        String message = input.message
        assertTrue(message.startsWith('Day 3: AI/ML Services (Critical): approve the deployment?\nWaves, in order:\n' +
            '  d3-ai-core (morning, sequential, gate deploy-ai): Deploy AI core services one by one with extra monitoring\n' +
            '      ai-core-service, ai-pattern-service, ai-query-service\n'), message)
        assertTrue(message.contains('  d3-ml (afternoon, sequential, gate deploy-ai)'), message)
        assertTrue(message.endsWith('Last gate: Health gate on wave d2-integrations (gate deploy): passed'), message)
        assertEquals('alice', env.HOMEIQ_APPROVED_BY)
        assertEquals('Day 3 approved by alice', build.description)
        Map record = new JsonSlurper().parseText(env.HOMEIQ_APPROVAL_RECORD)
        assertEquals(['approved', 'alice', '42'], [record.outcome, record.approvedBy, record.build])
        assertEquals('approval-day-3.json', env.HOMEIQ_APPROVAL_FILE, 'the next step on the agent writes it')
    }

    @Test
    void withTheDaysPlanHandedOverTheApprovalRunsNoNodeStep() {
        Map dayPlan = null
        whenPipeline { -> dayPlan = binding.getVariable('homeiqApproval').plan(day: 1, projectDir: '/srv/homeiq') }
        thenSucceeded()
        assertEquals('1', dayPlan.day)
        assertEquals(['d1-infra', 'd1-core', 'd1-frontend'], dayPlan.waves*.id)
        assertTrue(dayPlan.title.startsWith('Day 1'), dayPlan.title)
        // what crosses from the agent to the no-executor part must survive a controller restart
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(dayPlan)
        helper.callStack.clear()
        shells.clear()

        whenStep('homeiqApproval', [day: 1, plan: dayPlan, timeout: '4h', submitter: 'homeiq-approvers'])

        thenSucceeded()
        assertEquals('alice', returned)
        assertTrue(inputCalls[0].message.contains('  d1-core ('), inputCalls[0].message)
        List agentSteps = helper.callStack.findAll { it.methodName in ['sh', 'bat', 'readFile', 'writeFile', 'isUnix', 'fileExists', 'pwd', 'archiveArtifacts', 'libraryResource', 'junit'] }
        assertEquals([], agentSteps*.methodName, 'no step that needs an agent')
        assertEquals('Day 1 approved by alice', build.description)
    }

    @Test
    void theTimeoutWrapsTheInput() {
        List timeouts = []
        helper.registerAllowedMethod('timeout', [Map, Closure], { Map m, Closure body -> timeouts << m; helper.callClosure(body) })

        whenStep('homeiqApproval', [day: 1, timeout: '4h'])

        thenSucceeded()
        assertEquals([[time: 14400, unit: 'SECONDS']], timeouts)
        assertEquals(1, inputCalls.size())
    }

    @Test
    void submitterDefaultsToTheAgentsConfiguredApprovers() {
        env.HOMEIQ_APPROVERS = 'homeiq-ops'
        approval = { Map m -> [HOMEIQ_APPROVER: 'carol'] }   // input returns a map when it has parameters

        whenStep('homeiqApproval', [day: 5, waves: [], title: 'Day 5'])

        thenSucceeded()
        assertEquals('homeiq-ops', inputCalls[0].submitter)
        assertEquals('carol', returned)
        assertEquals([], engineCalls, 'waves given: no plan call')
    }

    @Test
    void thePlanComputedOnAnAgentIsHandedToAnApprovalThatNeedsNone() {
        whenPipeline { -> binding.getVariable('homeiqApproval').plan(day: 5) }
        thenSucceeded()
        Map dayPlan = returned
        assertEquals([['plan', '--day', '5', '--format', 'json', '--project-dir', '.']], engineCalls)
        assertEquals('Day 5: Analytics & Final Validation', dayPlan.title)
        assertEquals(['d5-analytics', 'd5-observability'], dayPlan.waves*.id)

        engineCalls.clear()
        env.remove('NODE_NAME')   // the approval's own stage has no agent
        approval = 'alice'
        whenStep('homeiqApproval', [day: 5, plan: dayPlan, timeout: '4h'])

        thenSucceeded()
        assertEquals([], engineCalls, 'the handed plan: no engine call, so no agent needed')
        assertTrue(inputCalls[0].message.startsWith('Day 5: Analytics & Final Validation: approve the deployment?\nWaves, in order:\n' +
            '  d5-analytics (morning, sequential, gate deploy)'), inputCalls[0].message)
        assertEquals([], files.keySet().findAll { it.startsWith('homeiq-reports/') } as List, 'no workspace to write to')
        assertTrue(env.HOMEIQ_APPROVAL_RECORD.contains('"approvedBy": "alice"'), 'kept for the next step on an agent')
        assertEquals('Day 5 approved by alice', build.description)
    }

    @Test
    void rejectionAbortsTheStageAndSaysWho() {
        approval = { Map m -> throw new FlowInterruptedException('ABORTED', new Rejection('bob')) }

        whenStep('homeiqApproval', [day: 2])

        thenAborted()
        assertEquals('Day 2 not deployed: rejected by bob', build.description)
        thenConsoleContains('Day 2 not deployed: rejected by bob')
        assertEquals('rejected by bob', new JsonSlurper().parseText(env.HOMEIQ_APPROVAL_RECORD).outcome)
    }

    @Test
    void noAnswerWithinTheTimeoutAbortsAndNothingIsDeployed() {
        approval = { Map m -> throw new FlowInterruptedException('ABORTED', new ExceededTimeout()) }

        whenPipeline { ->
            binding.getVariable('homeiqApproval').call(day: 4, timeout: '2h')
            binding.getVariable('homeiqRebuildWave').call(wave: 'd4-devices')
        }

        thenAborted()
        assertEquals('Day 4 not deployed: no approval within 2h (timed out)', build.description)
        assertEquals(['plan'], engineCalls*.getAt(0), 'nothing ran after the approval timed out')
    }

    @Test
    void timerStartedRunsSkipTheApprovalWhenThePipelineSaysSo() {
        build.causeClasses = ['hudson.triggers.TimerTrigger$TimerTriggerCause']

        whenStep('homeiqApproval', [day: 1, skipOnTimer: true])

        thenSucceeded()
        assertEquals('timer', returned)
        assertEquals([], inputCalls)
        assertEquals([], engineCalls)
        thenConsoleContains('Day 1: started by the nightly timer and the pipeline skips approvals for timer runs (skipOnTimer)')
        assertEquals('skipped: started by timer', new JsonSlurper().parseText(env.HOMEIQ_APPROVAL_RECORD).outcome)
    }

    @Test
    void timerStartedRunsStillAskWithoutSkipOnTimer() {
        build.causeClasses = ['hudson.triggers.TimerTrigger$TimerTriggerCause']

        whenStep('homeiqApproval', [day: 1])

        thenSucceeded()
        assertEquals(1, inputCalls.size())
    }

    @Test
    void userStartedRunsAlwaysAsk() {
        whenStep('homeiqApproval', [day: 1, skipOnTimer: true])

        thenSucceeded()
        assertEquals(1, inputCalls.size())
    }

    @Test
    void otherInterruptionsPassThroughUntouched() {
        approval = { Map m -> throw new IllegalStateException('agent went away') }

        whenStep('homeiqApproval', [day: 1])

        assertEquals('agent went away', thenFailed())
        assertEquals(null, build.description)
    }

    @Test
    void badArgumentsAreRejected() {
        whenStep('homeiqApproval', [day: 1, timeout: 'forever'])
        assertEquals("homeiqApproval: timeout must be a duration like 30s, 5m, 1h, 250ms or seconds, got 'forever'", thenFailed())
        whenStep('homeiqApproval', [day: 'three'])
        assertEquals("homeiqApproval: day must be a day number of the plan (1-5), got 'three'", thenFailed())
        whenStep('homeiqApproval', [day: 1, skipOnTimer: 'yes'])
        assertEquals("homeiqApproval: skipOnTimer must be true or false, got 'yes'", thenFailed())
        whenStep('homeiqApproval', [day: 1, approvers: 'bob'])
        assertTrue(thenFailed().startsWith("homeiqApproval: unknown argument 'approvers'"))
        assertEquals([], inputCalls)
    }
}
