#!/usr/bin/env python3
"""The table of bench/rollout.sh, from one run's facts: `figures.py FACTS` (key=value lines the
script wrote: wall times it measured, the engine's --json reports and journals, Docker's container
start times, the independent poller's log, strace's execve log). Prints the table, then the
per-service figures it came from. Every reference is computed from the same run's events.
"""
import json
import os
import statistics
import sys
from datetime import datetime, timezone


def instant(text):
    """Seconds since the epoch of an RFC 3339 time (Java's Instant, Docker's StartedAt: up to ns)."""
    text = text.strip().replace("Z", "+00:00")
    date, _, rest = text.partition(".")
    if rest:
        frac = rest[:rest.index("+")] if "+" in rest else rest
        text = date + "." + (frac + "000000")[:6] + "+00:00"
    return datetime.fromisoformat(text).astimezone(timezone.utc).timestamp()


def read_facts(path):
    facts = {}
    with open(path) as f:
        for line in f:
            if "=" in line:
                k, v = line.rstrip("\n").split("=", 1)
                facts[k] = v
    return facts


def read_starts(path):
    """service -> container start (epoch s), from `docker inspect` lines "service StartedAt"."""
    starts = {}
    if path and os.path.exists(path):
        with open(path) as f:
            for line in f:
                parts = line.split()
                if len(parts) == 2 and not parts[1].startswith("0001-"):
                    starts[parts[0]] = instant(parts[1])
    return starts


def read_poll(path):
    """service -> sorted list of times the poller saw it start answering 2xx."""
    ups = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) >= 3 and parts[2] == "up":
                ups.setdefault(parts[1], []).append(float(parts[0]))
    return ups


def first_up_after(ups, service, t):
    later = [u for u in ups.get(service, []) if u >= t]
    return later[0] if later else None


def journal_events(journal_dir, run_id):
    """service -> {event: [epoch s, ...]} from the run's journal."""
    events = {}
    path = os.path.join(journal_dir, "%s.jsonl" % run_id)
    if not run_id or not os.path.exists(path):
        return events
    with open(path) as f:
        for line in f:
            try:
                e = json.loads(line)
            except ValueError:
                continue
            if "service" in e and "at" in e:
                events.setdefault(e["service"], {}).setdefault(e["event"], []).append(instant(e["at"]))
    return events


class Run:
    """One engine run (rebuild-wave): per service its build, start-up and the engine's healthy moment."""

    def __init__(self, facts, key, ups):
        self.report = json.load(open(facts[key + "_JSON"]))
        self.wall = float(facts[key + "_WALL"])
        self.exit = int(facts[key + "_EXIT"])
        started = instant(self.report["started"])
        journal = journal_events(facts["JOURNAL_DIR"], self.report.get("runId"))
        starts = read_starts(facts.get(key + "_STARTS"))
        self.services = []
        self.sources = set()
        for e in self.report.get("services", []):
            s = e["service"]
            tl = e.get("timeline") or {}
            ev = journal.get(s, {})
            row = {"service": s, "status": e.get("status")}
            if tl.get("buildStartMs") is not None and tl.get("buildEndMs") is not None:
                row["build"] = (tl["buildEndMs"] - tl["buildStartMs"]) / 1000
                self.sources.add("timeline")
            elif ev.get("touched") and ev.get("built"):
                # Before the timeline: journal 'touched' (just before the restore-point tag and the build) -> 'built'.
                row["build"] = ev["built"][0] - ev["touched"][0]
                self.sources.add("journal")
            start = starts.get(s)
            if start is None and tl.get("containerStartMs") is not None:
                start = started + tl["containerStartMs"] / 1000
            row["start"] = start
            if tl.get("healthyMs") is not None:
                row["engine_healthy"] = started + tl["healthyMs"] / 1000
            elif ev.get("deployed") and e.get("timeToHealthyMs") is not None:
                # Before the timeline: the gate's clock starts as 'deployed' is journalled; it reports
                # time-to-healthy from there (its 'healthy' event only comes after the window).
                row["engine_healthy"] = ev["deployed"][0] + e["timeToHealthyMs"] / 1000
            row["up"] = first_up_after(ups, s, start) if start else None
            if row["up"] is not None and start is not None:
                row["tth"] = row["up"] - start
                row["tth_source"] = "poller"
            elif row.get("engine_healthy") is not None and start is not None:
                row["tth"] = row["engine_healthy"] - start
                row["tth_source"] = "engine"
            if row.get("engine_healthy") is not None and row["up"] is not None:
                row["detection"] = row["engine_healthy"] - row["up"]
            self.services.append(row)

    def complete(self):
        return self.services and all("build" in r and "tth" in r for r in self.services)

    def builds(self):
        return [r["build"] for r in self.services]

    def tths(self):
        return [r["tth"] for r in self.services]


def pct(values, p):
    """Nearest-rank percentile."""
    v = sorted(values)
    return v[max(0, min(len(v) - 1, int(-(-p * len(v) // 100)) - 1))]


def fmt_s(x):
    return "-" if x is None else "%.1f s" % x


def ratio(a, b):
    return "-" if a is None or not b else "%.2fx" % (a / b)


def main():
    facts = read_facts(sys.argv[1])
    window = float(facts["WINDOW_S"])
    builders = int(facts["NPROC"])
    ups = read_poll(facts["POLL_LOG"])
    day3 = Run(facts, "OURS_DAY3", ups)
    wave = Run(facts, "OURS_WAVE", ups)
    wave_all = Run(facts, "OURS_WAVE_ALL", ups)
    rows = []

    def row(name, ours, ref, how, rat, target):
        rows.append((name, ours, ref, how, rat, target))

    if day3.complete():
        b, t = day3.builds(), day3.tths()
        cp = sum(b) + sum(t) + window
        row("Day 3 (%d services) vs its critical path" % len(b), fmt_s(day3.wall), fmt_s(cp),
            "sum build %.1f + sum tth %.1f + window %.0f" % (sum(b), sum(t), window), ratio(day3.wall, cp), "<= 1.2x")
        lb = max(b[0] + sum(t), sum(b) / builders + min(t)) + window
        row("Day 3 vs lower bound, builds ahead (%d builders)" % builders, fmt_s(day3.wall), fmt_s(lb),
            "max(1st build + sum tth, sum build/%d + min tth) + window" % builders, ratio(day3.wall, lb), "-")
    else:
        row("Day 3 vs its critical path", fmt_s(day3.wall), "-", "events missing (exit %d): see details" % day3.exit, "-", "<= 1.2x")
    bash_day3 = float(facts["BASH_DAY3_WALL"])
    row("Day 3 vs the plan's bash", fmt_s(day3.wall), fmt_s(bash_day3),
        "its sleeps x %s" % facts["SCALE"], ratio(day3.wall, bash_day3), "<= 0.5x")
    for run, label in ((wave, "default --max-builds %d" % builders), (wave_all, "--max-builds %d, every build at once" % len(wave.services))):
        if run.complete():
            b, t = run.builds(), run.tths()
            ideal = max(b) + max(t) + window
            row("p1-data-integrations (%d, parallel, %s) vs ideal" % (len(b), label), fmt_s(run.wall), fmt_s(ideal),
                "max build %.1f + max tth %.1f + window %.0f" % (max(b), max(t), window), ratio(run.wall, ideal), "<= 1.3x")
        else:
            row("p1-data-integrations (%s) vs ideal" % label, fmt_s(run.wall), "-", "events missing (exit %d)" % run.exit, "-", "<= 1.3x")
    if wave.complete():
        # k builders need sum build / k before the last build is done; its service then starts up (at least the quickest tth).
        b, t = wave.builds(), wave.tths()
        lb = max(max(b), sum(b) / builders) + min(t) + window
        row("p1-data-integrations vs lower bound, %d builders" % builders, fmt_s(wave.wall), fmt_s(lb),
            "max(max build, sum build %.1f/%d) + min tth + window" % (sum(b), builders), ratio(wave.wall, lb), "-")
    bash_wave = float(facts["BASH_WAVE_WALL"])
    row("p1-data-integrations vs the plan's bash", fmt_s(wave.wall), fmt_s(bash_wave),
        "its sleeps x %s" % facts["SCALE"], ratio(wave.wall, bash_wave), "-")

    gate_wall = float(facts["GATE_WALL"])
    gate_n = len(json.load(open(facts["GATE_JSON"])).get("services", [])) if os.path.exists(facts["GATE_JSON"]) else 0
    row("health-gate --all (%d healthy) vs window" % gate_n, fmt_s(gate_wall), fmt_s(window),
        "the stability window; exit %s" % facts["GATE_EXIT"], ratio(gate_wall, window), "<= window + 2 s")
    row("  engine CPU (JVM + what it spawned)", "%.1f s" % float(facts["GATE_CPU_TOTAL"]), "-",
        "user + sys (GNU time), the same run", "-", "<= 3 s")
    row("  processes spawned", facts["GATE_PROCESSES"], "-",
        "execve by the JVM's descendants (strace -f, a second run: %.1f s)" % float(facts["GATE_TRACED_WALL"]), "-", "<= 10")

    for key, cmd in (("STARTUP_plan___day_3", "plan --day 3"), ("STARTUP_validate", "validate")):
        if key in facts:
            row("%s (no Docker), median of 3" % cmd, "%.2f s" % float(facts[key]), "-", "JVM start to exit", "-", "<= 0.5 s")

    samples = [r["detection"] * 1000 for r in day3.services + wave.services if "detection" in r]
    if samples:
        row("detection latency p50 / p95 (n=%d)" % len(samples), "%.0f / %.0f ms" % (pct(samples, 50), pct(samples, 95)),
            "0 ms", "engine's healthy - poller's first 2xx (%.0f ms poll)" % (float(facts["POLL_FAST_S"]) * 1000), "-",
            "p95 <= 250 ms")
    else:
        row("detection latency", "-", "-", "no samples", "-", "p95 <= 250 ms")

    victim = facts["VICTIM"]
    drill = json.load(open(facts["DRILL_JSON"])) if os.path.exists(facts["DRILL_JSON"]) else {}
    entry = next((e for e in drill.get("services", []) if e["service"] == victim), {})
    ref_start = instant(facts["RESTORE_START"]) if facts.get("RESTORE_START") else None
    ref_up = first_up_after(ups, victim, ref_start) if ref_start else None
    restore_point = ref_up - ref_start if ref_up is not None else None
    failed_at = (journal_events(facts["JOURNAL_DIR"], drill.get("runId")).get(victim, {}).get("failed") or [None])[0]
    restored = read_starts(facts.get("DRILL_STARTS")).get(victim)
    back_up = first_up_after(ups, victim, restored) if restored else None
    rollback = back_up - failed_at if back_up is not None and failed_at is not None else None
    engine_says = "engine: %s, recovery %s" % (entry.get("status", "?"),
                                               "none" if entry.get("recoveryMs") is None else "%.1f s" % (entry["recoveryMs"] / 1000))
    row("rollback (%s never healthy)" % victim, fmt_s(rollback), fmt_s(restore_point),
        "restore point's start -> 2xx; " + engine_says, ratio(rollback, restore_point), "<= ref + 0.5 s")

    sources = day3.sources | wave.sources
    print("bench/rollout.sh, %s: %s services on docker %s, %s cores, window %.0f s (the plan's sleeps x %s), engine %s"
          % (facts["STARTED_UTC"], facts["SERVICES_N"], facts["DOCKER_VERSION"], facts["NPROC"], window, facts["SCALE"], facts["ENGINE"]))
    print("load average (1/5/15 min): %s at start, %s at end" % (facts["LOAD_START"], facts["LOAD_END"]))
    if "timeline" not in sources:
        print("events: the engine's JSON has no \"timeline\" yet: builds from its journal (touched -> built), its healthy moment"
              " = journal 'deployed' + timeToHealthyMs")
    print()
    widths = [max(len(r[i]) for r in rows + [("measure", "ours", "reference", "how the reference is made", "ratio", "target")])
              for i in range(6)]
    header = ("measure", "ours", "reference", "how the reference is made", "ratio", "target")
    for r in [header] + rows:
        print("  ".join(c.ljust(w) if i in (0, 3, 5) else c.rjust(w) for i, (c, w) in enumerate(zip(r, widths))).rstrip())

    print()
    print("per service (s): build, start-up (container start -> first 2xx), engine's detection after the first 2xx")
    for name, run in (("Day 3", day3), ("p1-data-integrations", wave), ("p1-data-integrations, every build at once", wave_all)):
        print("  %s (exit %d, report wallTimeMs %s):" % (name, run.exit, run.report.get("wallTimeMs")))
        for r in run.services:
            print("    %-28s build %5s  tth %5s (%s)  detection %s  [%s]" % (
                r["service"], "%.2f" % r["build"] if "build" in r else "-", "%.2f" % r["tth"] if "tth" in r else "-",
                r.get("tth_source", "-"), "%.0f ms" % (r["detection"] * 1000) if "detection" in r else "-", r["status"]))
    if samples:
        print("  detection samples (ms): " + " ".join("%.0f" % s for s in sorted(samples))
              + "; mean %.0f" % statistics.mean(samples))
    # A run that failed where it should not have: what the engine said, so the figures can be judged.
    for key, expected in (("OURS_DAY3", 0), ("OURS_WAVE", 0), ("OURS_WAVE_ALL", 0), ("GATE", 0), ("GATE_TRACED", 0), ("DRILL", 1)):
        if int(facts[key + "_EXIT"]) != expected and os.path.exists(facts.get(key + "_LOG", "")):
            print("  %s exited %s (expected %d); the engine said:" % (key, facts[key + "_EXIT"], expected))
            for line in open(facts[key + "_LOG"]):
                if line.lstrip().startswith(("FAIL", "FAILED")):
                    print("    " + line.rstrip())


if __name__ == "__main__":
    main()
