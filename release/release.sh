#!/usr/bin/env bash
# Releases the library and its engine as one version X.Y.Z, so that the library at tag vX.Y.Z
# pins exactly the engine built from that tag:
#   1. sets the version and the reproducible-build timestamp in pom.xml;
#   2. builds and pins version and SHA-256 of target/homeiq-deploy.jar in
#      resources/org/homeiq/pipeline/engine.properties (not packed into the jar, so pinning does
#      not change the jar);
#   3. runs the tests on that tree (./mvnw clean verify; --skip-tests: none, for a dry run) and
#      checks that their build made the pinned jar again;
#   4. commits, rebuilds that commit twice from clean exports (check-reproducible.sh) and requires
#      the pinned SHA-256 both times, then tags vX.Y.Z;
#   5. with --repository: deploys the jar as org.homeiq:homeiq-deploy:X.Y.Z (deploy:deploy-file)
#      and fetches it back with the library's own EngineFetch.java, as an agent will.
# Nothing is pushed: the script prints the push command at the end.
#
# Usage: release/release.sh X.Y.Z [--repository URL|DIR] [--repository-id ID] [--skip-tests]
#   --repository     Nexus/Artifactory release repository URL, a file: URL or a directory
#   --repository-id  the <server> id in ~/.m2/settings.xml holding its credentials
#                    (default homeiq-releases; none needed for anonymous or file: repositories)
# Maven options go through MAVEN_ARGS (e.g. MAVEN_ARGS=-o).
# Exit: 0 released; 1 a step failed (before the commit nothing is left changed); 2 bad arguments.
set -Eeuo pipefail

GROUP_PATH=org/homeiq
ARTIFACT=homeiq-deploy
PINNED=resources/org/homeiq/pipeline/engine.properties

usage() { echo "usage: $0 X.Y.Z [--repository URL|DIR] [--repository-id ID] [--skip-tests]" >&2; exit 2; }
fail() { echo "release: $*" >&2; exit 1; }

version=
repository=
repository_id=homeiq-releases
skip_tests=false
while [ $# -gt 0 ]; do
  case "$1" in
    --repository) [ $# -ge 2 ] || usage; repository="$2"; shift 2 ;;
    --repository-id) [ $# -ge 2 ] || usage; repository_id="$2"; shift 2 ;;
    --skip-tests) skip_tests=true; shift ;;
    -h|--help) usage ;;
    -*) echo "release: unknown option $1" >&2; usage ;;
    *) [ -z "$version" ] || usage; version="$1"; shift ;;
  esac
done
[ -n "$version" ] || usage
[[ "$version" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || { echo "release: version must be X.Y.Z (numbers), got '$version'" >&2; exit 2; }
tag="v$version"

cd "$(dirname "$0")/.."
[ -z "$(git status --porcelain)" ] || { echo "release: the working tree has uncommitted changes; commit or stash them first:" >&2; git status --short >&2; exit 2; }
! git rev-parse --verify --quiet "refs/tags/$tag" >/dev/null || { echo "release: tag $tag exists already" >&2; exit 2; }

# The repository as a URL deploy:deploy-file takes; a directory becomes a file: URL.
if [ -n "$repository" ]; then
  if [[ "$repository" =~ ^[A-Za-z][A-Za-z0-9+.-]+: ]]; then
    repository_url="${repository%/}"
  else
    mkdir -p "$repository"
    repository_url="file://$(cd "$repository" && pwd)"
  fi
fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

# Until the commit, a failure puts pom.xml and engine.properties back as they were.
committed=false
restore() {
  if [ "$committed" = false ]; then
    git checkout --quiet -- pom.xml "$PINNED"
    echo "release: failed before the commit; pom.xml and $PINNED are unchanged" >&2
  fi
}
trap 'restore' ERR

# 1. Version and timestamp. The project's own <version> is the only one indented by two spaces.
timestamp=$(date -u +%Y-%m-%dT%H:%M:%SZ)
awk -v v="$version" -v t="$timestamp" '
  !done && /^  <version>[^<]*<\/version>/ { sub(/<version>[^<]*</, "<version>" v "<"); done = 1 }
  /<project.build.outputTimestamp>/ { sub(/>[^<]*</, ">" t "<") }
  { print }' pom.xml > pom.xml.release && mv pom.xml.release pom.xml
grep -q "<project.build.outputTimestamp>$timestamp<" pom.xml || { restore; fail "pom.xml has no project.build.outputTimestamp to set"; }

# 2. Build and pin. engine.properties is not packed into the jar, so pinning does not change it.
echo "release: building $version"
./mvnw -B -q clean package -DskipTests
jar=target/$ARTIFACT.jar
built=$(java -jar "$jar" --version)
[ "$built" = "$ARTIFACT $version" ] || { restore; fail "the built jar says '$built', expected '$ARTIFACT $version'"; }
sha=$(sha256 "$jar")
awk -v v="$version" -v s="$sha" '
  /^version=/ { print "version=" v; next }
  /^sha256=/ { print "sha256=" s; next }
  { print }' "$PINNED" > "$PINNED.release" && mv "$PINNED.release" "$PINNED"
grep -qx "sha256=$sha" "$PINNED" && grep -qx "version=$version" "$PINNED" || { restore; fail "$PINNED has no version=/sha256= lines to set"; }

# 3. Test the tree as it will be committed, pin included; the jar that build makes must be the pinned one.
if [ "$skip_tests" = true ]; then
  echo "release: tests skipped (dry run)"
else
  echo "release: testing $version (./mvnw clean verify)"
  ./mvnw -B clean verify
  [ "$(sha256 "$jar")" = "$sha" ] || { restore; fail "the test build made a different jar than the pinned $sha"; }
fi

# 4. Commit, prove the commit rebuilds to the pinned jar, tag.
git add pom.xml "$PINNED"
git commit --quiet -m "Release $version: engine $ARTIFACT-$version.jar pinned at SHA-256 $sha"
committed=true
trap - ERR
if ! release/check-reproducible.sh HEAD --expect "$sha"; then
  git reset --quiet --hard HEAD~1
  fail "the release commit does not rebuild to the jar that was pinned; the commit was undone"
fi
git tag -a "$tag" -m "homeiq-pipeline $version (engine SHA-256 $sha)"
echo "release: tagged $tag: $ARTIFACT $version, SHA-256 $sha"

# 5. Deploy and fetch back. (Maven refuses to deploy in offline mode, even to a file: URL.)
deploy=(./mvnw -B -q deploy:deploy-file -Dfile="$jar" -DgroupId="${GROUP_PATH//\//.}" -DartifactId="$ARTIFACT"
        -Dversion="$version" -Dpackaging=jar -DgeneratePom=true -DrepositoryId="$repository_id"
        -Durl="${repository_url:-REPOSITORY_URL}")
if [ -z "$repository" ]; then
  echo "release: no --repository given, nothing deployed. To deploy this jar later (it rebuilds identically from $tag):"
  echo "  ${deploy[*]}"
else
  echo "release: deploying to $repository_url"
  if ! "${deploy[@]}"; then
    echo "release: deploy to $repository_url failed; $tag is tagged locally. Fix the cause and deploy by hand with" >&2
    echo "  ${deploy[*]}" >&2
    fail "or undo the release with: git tag -d $tag && git reset --hard HEAD~1"
  fi
  check=$(mktemp -d "${TMPDIR:-/tmp}/homeiq-release-fetch.XXXXXX")
  url="$repository_url/$GROUP_PATH/$ARTIFACT/$version/$ARTIFACT-$version.jar"
  if ! java resources/org/homeiq/pipeline/EngineFetch.java "$url" "$sha" "$check/$ARTIFACT-$version.jar"; then
    rm -rf "$check"
    fail "deployed, but fetching $url back as an agent does failed (see above); agents will fail the same way"
  fi
  rm -rf "$check"
fi

echo "release: done. Publish the tag with: git push origin HEAD $tag"
