package org.homeiq.pipeline

import com.sun.net.httpserver.HttpServer
import org.junit.jupiter.api.AfterEach
import org.junit.jupiter.api.BeforeEach
import org.junit.jupiter.api.Test

import java.nio.file.Files
import java.nio.file.Path
import java.security.MessageDigest
import java.util.concurrent.CopyOnWriteArrayList

import static org.junit.jupiter.api.Assertions.assertEquals
import static org.junit.jupiter.api.Assertions.assertTrue

/**
 * The engine download as a step does it on a real agent: no HOMEIQ_ENGINE_JAR, HOMEIQ_ENGINE_REPOSITORY
 * naming a Maven repository (a real directory, served by a real HTTP server on 127.0.0.1 or read as a
 * file: URL), the library's EngineFetch.java run through a real /bin/sh, and the real engine started
 * from the jar it put into the cache.
 */
class EngineDownloadTest extends RealAgentTestBase {
    HttpServer server
    List<String> requests = new CopyOnWriteArrayList<String>()
    Path repository
    Path published
    Path cache
    String version
    String httpRepository

    @BeforeEach
    void repositoryWithTheEngine() {
        env.remove('HOMEIQ_ENGINE_JAR')
        // The pinned version, with the checksum of the engine this build made (the pinned one is the release's).
        Properties pinned = new Properties()
        Path.of('resources/org/homeiq/pipeline/engine.properties').withReader { pinned.load(it) }
        version = pinned.getProperty('version')
        env.HOMEIQ_ENGINE_SHA256 = sha256(jar)
        repository = dir.resolve('maven repository')
        published = repository.resolve("org/homeiq/homeiq-deploy/${version}/homeiq-deploy-${version}.jar")
        Files.createDirectories(published.parent)
        Files.copy(jar, published)
        cache = dir.resolve('agent cache')
        env.HOMEIQ_ENGINE_CACHE = cache.toString()
        Path agentTmp = Files.createDirectories(dir.resolve('work space@tmp'))
        helper.registerAllowedMethod('pwd', [Map], { Map m -> (m.tmp ? agentTmp : ws).toString() })

        server = HttpServer.create(new InetSocketAddress(InetAddress.loopbackAddress, 0), 0)
        server.createContext('/repository/') { exchange ->
            requests << exchange.requestURI.path
            Path file = repository.resolve(exchange.requestURI.path.substring('/repository/'.length()))
            byte[] body = Files.isRegularFile(file) ? Files.readAllBytes(file) : 'not found'.bytes
            exchange.sendResponseHeaders(Files.isRegularFile(file) ? 200 : 404, body.length)
            exchange.responseBody.write(body)
            exchange.close()
        }
        server.start()
        httpRepository = "http://127.0.0.1:${server.address.port}/repository"
    }

    @AfterEach
    void stopServer() {
        server.stop(0)
    }

    static String sha256(Path file) {
        return MessageDigest.getInstance('SHA-256').digest(Files.readAllBytes(file)).encodeHex().toString()
    }

    Path cached() {
        return cache.resolve(version).resolve("homeiq-deploy-${version}.jar")
    }

    List<Path> filesInCache() {
        if (!Files.exists(cache)) {
            return []
        }
        def all = Files.walk(cache)
        try {
            return all.iterator().findAll { Files.isRegularFile(it) }
        } finally {
            all.close()
        }
    }

    String artifactPath() {
        return "/repository/org/homeiq/homeiq-deploy/${version}/homeiq-deploy-${version}.jar"
    }

    @Test
    void firstStepDownloadsVerifiesAndCachesTheNextRunsFromTheCacheWithoutARequest() {
        env.HOMEIQ_ENGINE_REPOSITORY = httpRepository

        whenStep('homeiqApproval', [day: 2])

        thenSucceeded()
        assertEquals([artifactPath()], requests)
        assertEquals([cached()], filesInCache())
        assertEquals(sha256(jar), sha256(cached()))
        thenConsoleContains("engine downloaded from ${httpRepository}/org/homeiq/homeiq-deploy/${version}/")
        // the real engine ran from the cache: the approval shows the plan it returned
        assertTrue(inputCalls[0].message.startsWith('Day 2: External Integration Services'), inputCalls[0].message)
        assertTrue(shells.last().script.contains(" -jar '${cached()}' "), shells.last().script)

        shells.clear()
        whenStep('homeiqApproval', [day: 2])

        thenSucceeded()
        assertEquals(1, requests.size(), "the second step made no request: ${requests}")
        assertTrue(shells.every { !it.script.contains('EngineFetch') }, "no download run: ${shells}")
    }

    @Test
    void fileUrlRepositoryWorksTheSame() {
        env.HOMEIQ_ENGINE_REPOSITORY = repository.toUri().toString()

        whenStep('homeiqApproval', [day: 2])

        thenSucceeded()
        assertEquals(sha256(jar), sha256(cached()))
        assertTrue(requests.isEmpty())
    }

    @Test
    void tamperedJarFailsTheStepNamingUrlAndBothChecksumsAndCachesNothing() {
        env.HOMEIQ_ENGINE_REPOSITORY = httpRepository
        String pinned = sha256(jar)
        byte[] tampered = Files.readAllBytes(published)
        tampered[tampered.length - 1] = (byte) (tampered[tampered.length - 1] ^ 1)
        published.bytes = tampered

        whenStep('homeiqApproval', [day: 2])

        String message = thenFailed()
        String url = "${httpRepository}/org/homeiq/homeiq-deploy/${version}/homeiq-deploy-${version}.jar"
        // the plan is what needs the engine: homeiqApproval asks homeiqApproval.plan for it
        assertTrue(message.startsWith("homeiqApproval.plan: no engine jar (org.homeiq:homeiq-deploy:${version}) on this agent. Tried:"), message)
        assertTrue(message.contains("download: ${url} failed verification or transfer (exit 1"), message)
        thenConsoleContains("checksum mismatch for ${url}: expected SHA-256 ${pinned}, got ${sha256(published)}")
        assertEquals([], filesInCache())
        assertTrue(inputCalls.isEmpty(), 'no approval asked without an engine')
    }

    @Test
    void missingVersionFailsTheStepNamingTheUrl() {
        env.HOMEIQ_ENGINE_REPOSITORY = httpRepository + '/empty'

        whenStep('homeiqApproval', [day: 2])

        String url = "${httpRepository}/empty/org/homeiq/homeiq-deploy/${version}/homeiq-deploy-${version}.jar"
        assertTrue(thenFailed().contains("download: ${url} failed"), thrown.message)
        thenConsoleContains("download of ${url} failed: HTTP 404")
        assertEquals([], filesInCache())
    }
}
