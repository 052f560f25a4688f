# Shared by the plan transcriptions (sourced, not run): what the plan's commands need on the
# miniature HomeIQ. Run from the stack's directory with COMPOSE_PROJECT_NAME, PLAN_SLEEP_SCALE and
# PORTS (a file of "service port path" lines) set by bench/rollout.sh.
set -u
: "${COMPOSE_PROJECT_NAME:?}" "${PLAN_SLEEP_SCALE:?}" "${PORTS:?}"

# The plan's `sleep N`, scaled like the engine's stability window (N x PLAN_SLEEP_SCALE seconds).
sleep() { command sleep "$(awk -v n="$1" -v s="$PLAN_SLEEP_SCALE" 'BEGIN { printf "%.3f", n * s }')"; }

# The plan's container names are homeiq-<service> (HomeIQ's container_name); compose names the
# miniature's <project>_<service>_1 (compose 1.x) or <project>-<service>-1 (2.x).
case "$(docker-compose version --short 2>/dev/null)" in 1.*) SEP=_ ;; *) SEP=- ;; esac
cname() { echo "${COMPOSE_PROJECT_NAME}${SEP}$1${SEP}1"; }

# `docker port homeiq-<service> | head -1 | cut -d: -f2` finds the published port; the miniature
# uses host networking (nothing published), so the port comes from the inventory (+ offset).
service_port() { awk -v s="$1" '$1 == s { print $2 }' "$PORTS"; }
