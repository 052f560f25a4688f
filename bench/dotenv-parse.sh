#!/usr/bin/env bash
# Parse time of large .env files: 10k, 20k and 100k lines of 90-character values (the last is
# ~10 MB), a 10 MB single-line value, and 100k lines of values full of characters JSON, XML and
# shells escape. In-process figures (parse, masker registration) from bench/DotenvParse.java, then
# the whole `homeiq-deploy dotenv check` command (JVM start included). Never a test: figures only.
#
# Usage: bench/dotenv-parse.sh   (needs python3 and JDK 17)
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d /tmp/homeiq-dotenv-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
[ -f target/homeiq-deploy.jar ] || ./mvnw -B -q -DskipTests package

python3 - "$WORK" <<'PY'
import random, string, sys
random.seed(7)
work = sys.argv[1]
alnum = string.ascii_letters + string.digits
def value(n, chars=alnum):
    return ''.join(random.choice(chars) for _ in range(n))
for n in (10_000, 20_000, 100_000):
    with open(f"{work}/lines-{n}.env", "w") as f:
        for i in range(n):
            f.write(f"KEY_{i}={value(90)}\n")
with open(f"{work}/one-line-10mb.env", "w") as f:
    f.write(f"BIG={value(10_000_000)}\n")
special = alnum + "<>&'%$ "
with open(f"{work}/special-100000.env", "w") as f:
    for i in range(100_000):
        v = value(80, special).replace("\\", "")
        f.write(f"KEY_{i}=\"{v}\"\n")
PY

java -cp target/homeiq-deploy.jar bench/DotenvParse.java "$WORK"/lines-10000.env "$WORK"/lines-20000.env \
  "$WORK"/lines-100000.env "$WORK"/one-line-10mb.env "$WORK"/special-100000.env
echo
printf '%-22s %s\n' "whole command" "dotenv check FILE (wall clock, JVM start included)"
for f in lines-10000 lines-20000 lines-100000 one-line-10mb; do
  start=$(date +%s.%N)
  java @resources/org/homeiq/pipeline/engine-jvm.options -jar target/homeiq-deploy.jar dotenv check "$WORK/$f.env" --project-dir "$WORK" >/dev/null || true
  end=$(date +%s.%N)
  printf '%-22s %.2f s\n' "$f" "$(echo "$end - $start" | bc)"
done
