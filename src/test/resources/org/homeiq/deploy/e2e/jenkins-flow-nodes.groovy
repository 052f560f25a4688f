// Script console: the flow graph of one build (config.job, config.build), counted: all nodes,
// the engine calls (sh steps running config.engine), and both again inside the stage config.stage.
import groovy.json.JsonOutput
import jenkins.model.Jenkins
import org.jenkinsci.plugins.workflow.actions.ArgumentsAction
import org.jenkinsci.plugins.workflow.actions.LabelAction
import org.jenkinsci.plugins.workflow.graph.FlowGraphWalker

def run = Jenkins.get().getItemByFullName(config.job).getBuildByNumber(config.build as int)
def count = [nodes: 0, engineCalls: 0, stageNodes: 0, stageEngineCalls: 0, steps: [:]]
for (n in new FlowGraphWalker(run.execution)) {
    boolean engine = n.displayFunctionName == 'sh' && String.valueOf(ArgumentsAction.getFilteredArguments(n)?.script).contains(config.engine)
    boolean inStage = n.iterateEnclosingBlocks().any { b -> b.getAction(LabelAction)?.displayName == config.stage }
    count.nodes++
    count.engineCalls += engine ? 1 : 0
    count.stageNodes += inStage ? 1 : 0
    count.stageEngineCalls += engine && inStage ? 1 : 0
    count.steps[n.displayFunctionName] = (count.steps[n.displayFunctionName] ?: 0) + 1
}
println JsonOutput.toJson(count)
println 'counted'
