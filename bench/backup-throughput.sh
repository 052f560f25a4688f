#!/usr/bin/env bash
# Backup throughput on ~1 GiB of mixed data in a Docker volume, in one run:
#   raw read     tar c > /dev/null in a helper container (the ceiling: reading the volume)
#   plan         the plan's `docker run ... tar czf /backup/x.tar.gz -C /data .`
#   ours (zstd)  homeiq-deploy backup (the default)
#   ours (gzip)  homeiq-deploy backup --compression gzip (why zstd is the default)
# Prints MB/s of volume data (tar bytes) for each and the ratios. Never a test: figures only.
#
# Usage: bench/backup-throughput.sh [SIZE_MIB]   (default 1024; needs docker, python3, JDK 17)
set -euo pipefail
cd "$(dirname "$0")/.."
SIZE_MIB=${1:-1024}
TAG=$(date +%s)-$$
PROJECT=homeiqbench$$
IMAGE=homeiq-bench/busybox:$TAG
WORK=$(mktemp -d /tmp/homeiq-bench.XXXXXX)
VOLUME=${PROJECT}_data

cleanup() {
  docker volume rm -f "$VOLUME" >/dev/null 2>&1 || true
  docker rmi "homeiq-bench/busybox:bench" "$IMAGE" >/dev/null 2>&1 || true # bench: our restore-point tag
  rm -rf "$WORK"
}
trap cleanup EXIT
[ -n "${KEEP_LOGS:-}" ] && trap 'cp "$WORK"/*.log /tmp/ 2>/dev/null; cleanup' EXIT

[ -f target/homeiq-deploy.jar ] || ./mvnw -B -q -DskipTests package

# Helper image without a registry: the host's static busybox, imported.
mkdir -p "$WORK/rootfs/bin" "$WORK/rootfs/tmp" "$WORK/rootfs/backup" "$WORK/rootfs/data"
cp /bin/busybox "$WORK/rootfs/bin/busybox"
for a in sh tar gzip cat sleep find rm du; do ln -s busybox "$WORK/rootfs/bin/$a"; done
tar -C "$WORK/rootfs" -c . | docker import --change 'ENV PATH=/bin' - "$IMAGE" >/dev/null

echo "bench: generating ${SIZE_MIB} MiB of mixed data (random blobs, logs, database pages, small JSON files)"
python3 bench/mkdata.py "$WORK/data" "$SIZE_MIB"
docker volume create --label com.docker.compose.project="$PROJECT" --label com.docker.compose.volume=data "$VOLUME" >/dev/null
docker run --rm --network none -v "$WORK/data:/src:ro" -v "$VOLUME:/data" "$IMAGE" sh -c 'cd /src && tar c . | tar x -C /data'
rm -rf "$WORK/data"
BYTES=$(docker run --rm --network none -v "$VOLUME:/data:ro" "$IMAGE" tar c -C /data . | wc -c)

mkdir -p "$WORK/project" "$WORK/out-plan" "$WORK/out-zstd" "$WORK/out-gzip"
cat > "$WORK/project/docker-compose.yml" <<YAML
services:
  idle:
    image: $IMAGE
    network_mode: none
    volumes: ["data:/data"]
volumes:
  data: {}
YAML

now() { date +%s.%N; }
secs() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.3f", b - a }'; }
calc() { awk "BEGIN { printf \"%.2f\", $1 }"; }
sync; docker run --rm --network none -v "$VOLUME:/data:ro" "$IMAGE" sh -c 'tar c -C /data . > /dev/null' # warm the page cache alike for all

t0=$(now); docker run --rm --network none -v "$VOLUME:/data:ro" "$IMAGE" sh -c 'tar c -C /data . > /dev/null'; t1=$(now)
RAW=$(secs "$t0" "$t1")

t0=$(now); docker run --rm --network none -v "$VOLUME:/data:ro" -v "$WORK/out-plan:/backup" "$IMAGE" tar czf /backup/data.tar.gz -C /data .; t1=$(now)
PLAN=$(secs "$t0" "$t1"); PLAN_SIZE=$(stat -c %s "$WORK/out-plan/data.tar.gz")

engine() { java @resources/org/homeiq/pipeline/engine-jvm.options -jar target/homeiq-deploy.jar backup --project-dir "$WORK/project" -p "$PROJECT" --helper-image "$IMAGE" --label bench "$@"; }
t0=$(now); engine --dest "$WORK/out-zstd" >"$WORK/zstd.log"; t1=$(now)
OURS=$(secs "$t0" "$t1"); OURS_SIZE=$(find "$WORK/out-zstd" -name 'data.tar.zst' -exec stat -c %s {} \;)
t0=$(now); engine --dest "$WORK/out-gzip" --compression gzip >"$WORK/gzip.log"; t1=$(now)
GZ=$(secs "$t0" "$t1"); GZ_SIZE=$(find "$WORK/out-gzip" -name 'data.tar.gz' -exec stat -c %s {} \;)

mbps() { calc "$BYTES / 1000000 / $1"; }
pct() { calc "100 * $1 / $BYTES"; }
echo
printf 'volume: %.1f MiB of tar (%s bytes), %s cores, docker %s\n' "$(calc "$BYTES / 1048576")" "$BYTES" "$(nproc)" "$(docker version --format '{{.Server.Version}}')"
printf '%-34s %8s %9s %12s\n' "method" "seconds" "MB/s" "size % of tar"
printf '%-34s %8.2f %9s %12s\n' "raw read (tar c > /dev/null)" "$RAW" "$(mbps "$RAW")" "-"
printf '%-34s %8.2f %9s %12s\n' "plan: tar czf via helper" "$PLAN" "$(mbps "$PLAN")" "$(pct "$PLAN_SIZE")"
printf '%-34s %8.2f %9s %12s\n' "ours: backup (zstd, default)" "$OURS" "$(mbps "$OURS")" "$(pct "$OURS_SIZE")"
printf '%-34s %8.2f %9s %12s\n' "ours: backup --compression gzip" "$GZ" "$(mbps "$GZ")" "$(pct "$GZ_SIZE")"
echo
printf 'ours (zstd) vs plan tar czf: %.2fx the throughput\n' "$(calc "$PLAN / $OURS")"
printf 'ours (zstd) vs raw read:     %.2f of the raw read rate\n' "$(calc "$RAW / $OURS")"
printf 'ours (zstd) vs ours (gzip):  %.2fx the throughput\n' "$(calc "$GZ / $OURS")"
echo "(ours includes JVM start, checksums, restore-point tags and the manifest; times are wall clock)"
