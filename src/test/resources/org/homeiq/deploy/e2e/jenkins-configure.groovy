// Script console: what docs/jenkins.md asks an administrator to configure, from `config`:
// the global library from a Git repository, global environment variables, the built-in node's
// label and executors, and Secret text credentials (id -> value).
import com.cloudbees.plugins.credentials.CredentialsScope
import com.cloudbees.plugins.credentials.SystemCredentialsProvider
import hudson.slaves.EnvironmentVariablesNodeProperty
import hudson.util.Secret
import jenkins.model.Jenkins
import jenkins.plugins.git.GitSCMSource
import org.jenkinsci.plugins.plaincredentials.impl.StringCredentialsImpl
import org.jenkinsci.plugins.workflow.libs.GlobalLibraries
import org.jenkinsci.plugins.workflow.libs.LibraryConfiguration
import org.jenkinsci.plugins.workflow.libs.SCMSourceRetriever

def j = Jenkins.get()

def lib = new LibraryConfiguration(config.library.name, new SCMSourceRetriever(new GitSCMSource(config.library.url)))
lib.defaultVersion = config.library.version
lib.implicit = false
lib.allowVersionOverride = true
GlobalLibraries.get().libraries = [lib]

def props = j.globalNodeProperties
props.removeAll(EnvironmentVariablesNodeProperty)
props.add(new EnvironmentVariablesNodeProperty(config.env.collect { k, v -> new EnvironmentVariablesNodeProperty.Entry(k, v) }))

j.labelString = config.label
j.numExecutors = config.executors as int

def store = SystemCredentialsProvider.instance
config.credentials.each { id, value ->
    store.credentials.removeAll { it.id == id }
    store.credentials.add(new StringCredentialsImpl(CredentialsScope.GLOBAL, id, "HomeIQ ${id}", Secret.fromString(value)))
}
store.save()
j.save()
println "configured: library ${lib.name}@${lib.defaultVersion}, label ${j.labelString}, ${j.numExecutors} executors, ${config.credentials.size()} credentials"
