// A stage as a Jenkinsfile writes it: the .env bound around compose work (HomeiqWithDotenvTest).
// params.dotenvArgs are the step's arguments; params.body says how the body ends. What the body
// saw is written to seen/* so the test can read it after the binding is gone.
def result = homeiqWithDotenv(params.dotenvArgs) {
    writeFile(file: 'seen/envFile', text: env.HOMEIQ_ENV_FILE)
    writeFile(file: 'seen/ownVariable', text: "${env[params.dotenvArgs.variable ?: 'HOMEIQ_ENV_FILE']}")
    writeFile(file: 'seen/content', text: readFile(env.HOMEIQ_ENV_FILE))
    if (params.body == 'fails') {
        error('compose up failed')
    }
    if (params.body == 'aborted') {
        throw new org.homeiq.pipeline.FlowInterruptedException('ABORTED', new org.homeiq.pipeline.Rejection('bob'))
    }
    homeiqHealthGate(wave: 'd1-core')
    return 'body result'
}
return result
