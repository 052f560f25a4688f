#!/usr/bin/env bash
# Proves that the engine jar is reproducible: builds one commit twice, each time from a fresh
# export of the committed tree (no target/, no local changes) in its own directory, with a
# different time zone and umask, and compares the SHA-256 of target/homeiq-deploy.jar.
# With --expect SHA256 the builds must also match that checksum: release.sh uses it to show that
# the release commit rebuilds to exactly the jar engine.properties pins.
#
# Usage: release/check-reproducible.sh [COMMIT] [--expect SHA256]      (COMMIT default: HEAD)
# Maven options go through MAVEN_ARGS, e.g. MAVEN_ARGS=-o for an offline build.
# Exit: 0 identical (and as expected); 1 the builds differ (or differ from --expect);
#       2 bad arguments; 3 a build failed.
set -euo pipefail

usage() { echo "usage: $0 [COMMIT] [--expect SHA256]" >&2; exit 2; }
commit=HEAD
expect=
while [ $# -gt 0 ]; do
  case "$1" in
    --expect) [ $# -ge 2 ] || usage; expect="$2"; shift 2 ;;
    -h|--help) usage ;;
    -*) echo "$0: unknown option $1" >&2; usage ;;
    *) commit="$1"; shift ;;
  esac
done
if [ -n "$expect" ] && ! [[ "$expect" =~ ^[0-9a-f]{64}$ ]]; then
  echo "$0: --expect needs a SHA-256 (64 lower-case hex digits), got '$expect'" >&2; exit 2
fi

cd "$(dirname "$0")/.."
if ! rev=$(git rev-parse --verify --quiet "$commit^{commit}"); then
  echo "$0: no such commit: $commit" >&2; exit 2
fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then sha256sum "$1" | cut -d' ' -f1; else shasum -a 256 "$1" | cut -d' ' -f1; fi
}

work=$(mktemp -d "${TMPDIR:-/tmp}/homeiq-reproducible.XXXXXX")
trap 'rm -rf "$work"' EXIT

# build N TZ UMASK: prints the jar's SHA-256
build() {
  local dir="$work/build-$1"
  mkdir -p "$dir"
  git archive "$rev" | tar -x -C "$dir"
  if ! (cd "$dir" && umask "$3" && TZ="$2" ./mvnw -B -q -DskipTests package) >"$work/build-$1.log" 2>&1; then
    echo "$0: build $1 of $rev failed:" >&2
    tail -n 40 "$work/build-$1.log" >&2
    exit 3
  fi
  sha256 "$dir/target/homeiq-deploy.jar"
}

echo "building $rev twice from clean exports ..."
a=$(build 1 UTC 022)
echo "build 1 (TZ=UTC, umask 022):              $a"
b=$(build 2 Pacific/Chatham 077)
echo "build 2 (TZ=Pacific/Chatham, umask 077):  $b"

if [ "$a" != "$b" ]; then
  echo "NOT reproducible: the two builds of $rev differ" >&2
  if command -v unzip >/dev/null 2>&1; then
    echo "entries that differ (unzip -lv, build 1 <, build 2 >):" >&2
    diff <(unzip -lv "$work/build-1/target/homeiq-deploy.jar") <(unzip -lv "$work/build-2/target/homeiq-deploy.jar") | head -n 40 >&2 || true
  fi
  exit 1
fi
if [ -n "$expect" ] && [ "$a" != "$expect" ]; then
  echo "the builds of $rev agree with each other but not with the expected SHA-256 $expect" >&2
  exit 1
fi
echo "reproducible: target/homeiq-deploy.jar of $rev is $a${expect:+ (as expected)}"
