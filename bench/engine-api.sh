#!/usr/bin/env bash
# The Engine API client against one process per look, in one run: client start, container
# inspect through the client (mean of N) and `docker inspect` as a process (mean of M), plus the
# CPU the processes cost. Never a test: figures only.
#
# Usage: bench/engine-api.sh [N] [M]   (default 200 and 20; needs docker and JDK 17)
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-200}
M=${2:-20}
[ -f target/homeiq-deploy.jar ] || ./mvnw -B -q -DskipTests package
IMAGE=$(docker image ls --format '{{.Repository}}:{{.Tag}}' | grep -m1 -E 'busybox' || true)
[ -n "$IMAGE" ] || { echo "bench: needs a busybox-based image (run an e2e test or the demo once)"; exit 1; }
NAME=homeiq-bench-inspect-$$
docker create --name "$NAME" --network none "$IMAGE" true >/dev/null
trap 'docker rm -f "$NAME" >/dev/null' EXIT

echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
java -cp target/homeiq-deploy.jar bench/EngineApiBench.java "$NAME" "$N"
start=$(date +%s%N)
/usr/bin/time -f "%U %S" -o "/tmp/homeiq-bench-cpu.$$" bash -c 'for _ in $(seq "$1"); do docker inspect "$2" >/dev/null; done' _ "$M" "$NAME"
end=$(date +%s%N)
read -r user sys < "/tmp/homeiq-bench-cpu.$$"
rm -f "/tmp/homeiq-bench-cpu.$$"
awk -v a="$start" -v b="$end" -v m="$M" -v u="$user" -v s="$sys" \
  'BEGIN { printf "docker inspect process, mean of %d: %.1f ms wall, %.1f ms CPU (user+sys of the processes)\n", m, (b - a) / 1e6 / m, (u + s) * 1000 / m }'
