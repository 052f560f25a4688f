#!/usr/bin/env bash
# Rollout speed on the miniature full HomeIQ (all 45 inventory services on the local Docker
# engine), in one run, each figure against a reference computed from the same run:
#   Day 3 (13 services, sequential)     rebuild-wave --day 3 vs its critical path, and vs the plan's bash
#   p1-data-integrations (9, parallel)  rebuild-wave --wave ... vs its ideal, and vs the plan's bash
#   health-gate --all (45 healthy)      wall, CPU seconds, processes spawned, vs the stability window
#   detection latency                   the engine's "healthy" vs an independent 20 ms HTTP poller
#   rollback                            a never-healthy image back on its restore point vs that
#                                       restore point's own start-to-healthy
# Prints one table of ratios and writes it to bench/out/. Never a test: figures only.
# See bench/README.md for what each row measures.
#
# Usage: bench/rollout.sh [--window SECONDS] [--quick]
#   --window  the stability window given to the engine (default 6); the plan's sleeps are scaled
#             by the same factor (window / 60 s: Day 3's `sleep 60` is its 60 s look)
#   --quick   Day 3's morning wave only (3 services), for trying the script out
# Needs: docker (and docker-compose), java 17, the built jar and test classes
# (./mvnw -B -q -DskipTests package), curl, strace, python3, GNU time (/usr/bin/time).
# ENGINE_JAR=FILE measures another build of the engine (e.g. before/after a change) on the same
# miniature, which this checkout's jar and test classes still build.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
# The engine is launched as the steps launch it: with the JVM options of the library (README.md).
ENGINE_JVM=@"$ROOT/resources/org/homeiq/pipeline/engine-jvm.options"

WINDOW=6
QUICK=
while [ $# -gt 0 ]; do
  case "$1" in
    --window) WINDOW=${2:?--window needs a number of seconds}; shift 2 ;;
    --quick) QUICK=1; shift ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "bench/rollout.sh: unknown argument '$1' (try --help)" >&2; exit 2 ;;
  esac
done
[[ $WINDOW =~ ^[0-9]+$ ]] && [ "$WINDOW" -ge 1 ] || { echo "bench/rollout.sh: --window '$WINDOW': a whole number of seconds >= 1" >&2; exit 2; }

fail() { echo "bench/rollout.sh: $*" >&2; exit 3; }
need() { command -v "$1" >/dev/null 2>&1 || fail "needs $1 ($2); nothing was installed or changed"; }
need docker "the Docker CLI and a running engine"
need docker-compose "the plan's own commands use it, and so does the engine"
need java "Java 17, to run the engine"
need curl "the plan's health checks"
need strace "to count the processes the engine spawns (Debian: apt-get install strace)"
need python3 "the independent poller and the table"
[ -x /usr/bin/time ] || fail "needs GNU time at /usr/bin/time (Debian: apt-get install time)"
CP="target/homeiq-deploy.jar:target/test-classes"
[ -f target/homeiq-deploy.jar ] && [ -f target/test-classes/org/homeiq/deploy/bench/BenchStack.class ] \
  || fail "needs the built jar and test classes: ./mvnw -B -q -DskipTests package"
JAR=$(realpath "${ENGINE_JAR:-target/homeiq-deploy.jar}" 2>/dev/null) && [ -f "$JAR" ] || fail "ENGINE_JAR: no such file: ${ENGINE_JAR:-target/homeiq-deploy.jar}"
ENGINE_DIR=$(dirname "$JAR")
docker info >/dev/null 2>&1 || fail "the Docker engine does not answer (docker info)"
strace -f -qq -e trace=execve -o /dev/null true 2>/dev/null || fail "strace cannot trace here (is ptrace allowed?)"

OFFSET=23000            # HomeIQ ports + 23000 (data-api on 31006)
VICTIM=ai-core-service  # the rollback drill's service (Day 3's first)
POLL_FAST=0.02          # the independent poller, while a service does not answer 2xx
POLL_SLOW=0.2           # ... and while it does
SCALE=$(awk -v w="$WINDOW" 'BEGIN { printf "%.3g", w / 60 }')
PROJECT=hiqrollout$$
WORK=$(mktemp -d /tmp/homeiq-rollout.XXXXXX)
STACK=$WORK/stack
FACTS=$WORK/facts
STAMP=$(date -u +%Y%m%d-%H%M%S)
mkdir -p bench/out
OUT=bench/out/rollout-$STAMP.txt
POLLER=
BASE_EXISTED=$(docker image inspect homeiq-mini/busybox:1 >/dev/null 2>&1 && echo 1 || true)

# The script's own stderr, kept: a signal can arrive while a command's output is redirected to its log.
exec 3>&2
cleanup() {
  set +e
  exec 1>&3 2>&3
  trap - INT TERM
  if [ -n "$POLLER" ]; then kill -CONT "$POLLER" 2>/dev/null; kill "$POLLER" 2>/dev/null; wait "$POLLER" 2>/dev/null; fi
  if [ -d "$STACK" ]; then
    echo "bench: removing the stack (containers, images, volumes of project $PROJECT)" >&2
    java -cp "$CP" org.homeiq.deploy.bench.BenchStack down "$STACK" "$PROJECT" "$OFFSET" >/dev/null 2>&1 \
      || echo "bench: cleanup failed; remove what is labelled com.docker.compose.project=$PROJECT by hand" >&2
  fi
  # The miniature's shared base image: only if this run made it and no one else's container came to use it.
  [ -z "$BASE_EXISTED" ] && [ -z "$(docker ps -aq --filter ancestor=homeiq-mini/busybox:1)" ] \
    && docker rmi homeiq-mini/busybox:1 >/dev/null 2>&1
  [ -n "${KEEP_WORK:-}" ] && { rm -rf "$KEEP_WORK"; cp -r "$WORK" "$KEEP_WORK"; echo "bench: work files kept in $KEEP_WORK" >&2; }
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

now() { echo "$EPOCHREALTIME"; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
fact() { echo "$1=$2" >> "$FACTS"; }
say() { echo "bench: $*" >&2; }
stack() { java -cp "$CP" org.homeiq.deploy.bench.BenchStack "$1" "$STACK" "$PROJECT" "$OFFSET" "${@:2}"; }
engine() { java "$ENGINE_JVM" -jar "$JAR" "$@" --project-dir "$STACK" -p "$PROJECT"; }
# Each service's container start, as Docker has it: "service StartedAt".
starts() {
  docker ps -q --filter "label=com.docker.compose.project=$PROJECT" \
    | xargs -r docker inspect -f '{{index .Config.Labels "com.docker.compose.service"}} {{.State.StartedAt}}'
}
# Runs an engine command, output to its log; records its wall time and exit code as NAME_*.
timed_engine() {
  local name=$1 t0 rc=0; shift
  t0=$(now)
  engine "$@" --json "$WORK/$name.json" > "$WORK/$name.log" 2>&1 || rc=$?
  fact "${name}_WALL" "$(since "$t0")"; fact "${name}_EXIT" "$rc"; fact "${name}_JSON" "$WORK/$name.json"; fact "${name}_LOG" "$WORK/$name.log"
  starts > "$WORK/$name.starts"; fact "${name}_STARTS" "$WORK/$name.starts"
  say "$name: exit $rc in $(since "$t0") s"
}
plan_bash() {
  local name=$1 script=$2 t0 rc=0
  t0=$(now)
  (cd "$STACK" && COMPOSE_PROJECT_NAME=$PROJECT PLAN_SLEEP_SCALE=$SCALE PORTS=$WORK/services.txt \
     PLAN_DAY3_BLOCKS=${QUICK:+1} bash "$ROOT/bench/rollout/$script") > "$WORK/$name.log" 2>&1 || rc=$?
  fact "${name}_WALL" "$(since "$t0")"; fact "${name}_EXIT" "$rc"
  say "$name: exit $rc in $(since "$t0") s"
}

fact STARTED_UTC "$(date -u '+%Y-%m-%d %H:%M UTC')"
fact LOAD_START "$(cut -d' ' -f1-3 /proc/loadavg)"
fact WINDOW_S "$WINDOW"; fact SCALE "$SCALE"; fact NPROC "$(nproc)"; fact POLL_FAST_S "$POLL_FAST"
fact DOCKER_VERSION "$(docker version --format '{{.Server.Version}}')"
fact ENGINE "$(java "$ENGINE_JVM" -jar "$JAR" --version 2>/dev/null | head -1 | awk '{print $NF}') ($(cd "$ENGINE_DIR" && git rev-parse --short HEAD 2>/dev/null || echo '?')$(cd "$ENGINE_DIR" && git diff --quiet HEAD 2>/dev/null || echo ', modified'))"
fact JOURNAL_DIR "$STACK/.homeiq/journal"; fact POLL_LOG "$WORK/poll.log"; fact VICTIM "$VICTIM"

say "building the miniature HomeIQ (45 services, ports + $OFFSET, project $PROJECT in $STACK) ..."
t0=$(now)
stack up > "$WORK/services.txt"
fact SERVICES_N "$(wc -l < "$WORK/services.txt")"
deadline=$((SECONDS + 180))
all_answer() {
  local s p path
  while read -r s p path; do curl -fs -o /dev/null --max-time 1 "http://127.0.0.1:$p$path" || return 1; done < "$WORK/services.txt"
}
until all_answer; do
  [ $SECONDS -lt $deadline ] || fail "the miniature HomeIQ did not answer on every port within 180 s"
  sleep 0.5
done
say "stack up and answering in $(since "$t0") s"

# The independent observer: every service the rollouts touch, HTTP only.
if [ -n "$QUICK" ]; then DAY3=(--wave d3-ai-core); DAY3_PLAN=(--day 3 d3-ai-core); else DAY3=(--day 3); DAY3_PLAN=(--day 3); fi
# "plan --day N|--phase N --format json [WAVE]": the services of the stage's waves (or of WAVE only).
services_of() {
  engine plan "$1" "$2" --format json | python3 -c 'import json, sys
print(" ".join(s for st in json.load(sys.stdin)["stages"] for w in st["waves"] if sys.argv[1:] in ([], [w["id"]]) for s in w["services"]))' "${@:3}"
}
WAVE_SERVICES=$(services_of --phase 1 p1-data-integrations)
WAVE_N=$(wc -w <<< "$WAVE_SERVICES")
WATCHED="$(services_of "${DAY3_PLAN[@]}") $WAVE_SERVICES"
python3 bench/rollout/poller.py "$WORK/poll.log" "$POLL_FAST" "$POLL_SLOW" \
  $(for s in $WATCHED; do awk -v s="$s" '$1 == s { printf "%s=%s%s\n", $1, $2, $3 }' "$WORK/services.txt"; done | sort -u) &
POLLER=$!
deadline=$((SECONDS + 30))
until grep -q '^ready' "$WORK/poll.log" 2>/dev/null; do
  [ $SECONDS -lt $deadline ] || fail "the poller did not see every service within 30 s"
  sleep 0.1
done

say "Day 3, ours: rebuild-wave ${DAY3[*]} --stability-window ${WINDOW}s (version 2) ..."
stack configure 2
timed_engine OURS_DAY3 rebuild-wave "${DAY3[@]}" --stability-window "${WINDOW}s"

say "Day 3, the plan's bash, sleeps x $SCALE (version 3) ..."
stack configure 3
plan_bash BASH_DAY3 plan-day3.sh

say "p1-data-integrations, ours: rebuild-wave --wave p1-data-integrations --no-cache (the plan's 1.5 builds --no-cache) (version 4) ..."
stack configure 4
timed_engine OURS_WAVE rebuild-wave --wave p1-data-integrations --no-cache --stability-window "${WINDOW}s"

say "p1-data-integrations, the plan's bash, sleeps x $SCALE (version 5) ..."
stack configure 5
plan_bash BASH_WAVE plan-p1-data-integrations.sh

say "p1-data-integrations, ours, every build at once: rebuild-wave --wave p1-data-integrations --no-cache --max-builds $WAVE_N (version 6) ..."
stack configure 6
timed_engine OURS_WAVE_ALL rebuild-wave --wave p1-data-integrations --no-cache --max-builds "$WAVE_N" --stability-window "${WINDOW}s"

say "health-gate --all --stability-window ${WINDOW}s on the 45 healthy services ..."
kill -STOP "$POLLER" # no probes of ours while the engine's CPU is measured
# Wall and CPU (user + sys of the JVM and every child it waited for) from a run with nothing attached:
# under ptrace every signal the JVM takes (it uses SIGSEGV for its own checks) stops it for the tracer.
t0=$(now)
rc=0
/usr/bin/time -f '%e %U %S' -o "$WORK/gate.time" \
  java "$ENGINE_JVM" -jar "$JAR" health-gate --all --stability-window "${WINDOW}s" --json "$WORK/gate.json" --project-dir "$STACK" -p "$PROJECT" \
  > "$WORK/gate.log" 2>&1 || rc=$?
fact GATE_WALL "$(since "$t0")"; fact GATE_EXIT "$rc"; fact GATE_JSON "$WORK/gate.json"; fact GATE_LOG "$WORK/gate.log"
read -r _ u s < "$WORK/gate.time" || true
fact GATE_CPU_TOTAL "$(awk -v u="${u:-0}" -v s="${s:-0}" 'BEGIN { printf "%.2f", u + s }')"
say "health-gate: exit $rc in $(since "$t0") s; again under strace -f (execve only), to count the processes it spawns ..."
t0=$(now)
rc=0
strace -f --seccomp-bpf -qq -e trace=execve,execveat -e signal=none -o "$WORK/gate.strace" \
  java "$ENGINE_JVM" -jar "$JAR" health-gate --all --stability-window "${WINDOW}s" --project-dir "$STACK" -p "$PROJECT" \
  > "$WORK/gate-traced.log" 2>&1 || rc=$?
fact GATE_TRACED_WALL "$(since "$t0")"; fact GATE_TRACED_EXIT "$rc"; fact GATE_TRACED_LOG "$WORK/gate-traced.log"
kill -CONT "$POLLER"
# Processes spawned: distinct pids that executed a program, less the first one (the JVM itself).
fact GATE_PROCESSES "$(awk '/execve/ && / = 0$/ { if (!root) root = $1; else if ($1 != root) print $1 }' "$WORK/gate.strace" | sort -u | wc -l)"
say "health-gate under strace: exit $rc in $(since "$t0") s"

# Start-up of the commands that never touch Docker: the median of three runs each.
for cmd in "plan --day 3" "validate"; do
  walls=()
  for i in 1 2 3; do
    t0=$(now)
    # shellcheck disable=SC2086 # the command's words
    java "$ENGINE_JVM" -jar "$JAR" $cmd --project-dir "$STACK" > /dev/null 2>&1 || true
    walls+=("$(since "$t0")")
  done
  fact "STARTUP_$(echo "$cmd" | tr -c 'a-z0-9\n' '_')" "$(printf '%s\n' "${walls[@]}" | sort -n | sed -n 2p)"
done

say "rollback drill: $VICTIM version 7 never answers /health (rebuild-wave --services $VICTIM --timeout 5s) ..."
fact RESTORE_START "$(starts | awk -v s="$VICTIM" '$1 == s { print $2 }')"
stack configure 7 "$VICTIM"
timed_engine DRILL rebuild-wave --services "$VICTIM" --timeout 5s --stability-window "${WINDOW}s"
# The poller needs a moment to see the restored version answer.
deadline=$((SECONDS + 30))
until curl -fsS -o /dev/null --max-time 1 "http://127.0.0.1:$(awk -v s="$VICTIM" '$1 == s { print $2 }' "$WORK/services.txt")/health"; do
  [ $SECONDS -lt $deadline ] || break
  sleep 0.1
done
sleep 0.5

fact LOAD_END "$(cut -d' ' -f1-3 /proc/loadavg)"
python3 bench/rollout/figures.py "$FACTS" | tee "$OUT"
echo
echo "written to $OUT"
