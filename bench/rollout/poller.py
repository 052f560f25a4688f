#!/usr/bin/env python3
"""An independent observer for bench/rollout.sh: polls each service's health URL and logs every
change between answering 2xx and not, with the wall-clock time of the answer.

    poller.py LOG FAST_S SLOW_S service=port/path ...

While a service does not answer 2xx it is polled every FAST_S (the benchmark: 20 ms), so the
moment it starts answering is seen within FAST_S plus one request; while it answers it is polled
every SLOW_S, enough to see it go down (a redeploy keeps it down for its start-up, >= 0.5 s)
without loading the machine with requests nobody measures. One thread per service; no Docker.

Log lines: "<epoch seconds> <service> up|down <what was seen>"; "ready" once every service has
been seen once. Stops on SIGTERM.
"""
import http.client
import signal
import sys
import threading
import time

stop = threading.Event()
lock = threading.Lock()


def probe(port, path):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
    try:
        conn.request("GET", path, headers={"Connection": "close"})
        status = conn.getresponse().status
        return 200 <= status < 300, "HTTP %d" % status
    except OSError as e:
        return False, type(e).__name__
    finally:
        conn.close()


def watch(log, service, port, path, fast, slow, seen, all_seen):
    state = None
    while not stop.is_set():
        began = time.monotonic()
        ok, what = probe(port, path)
        now = time.time()
        if ok != state:
            with lock:
                log.write("%.3f %s %s %s\n" % (now, service, "up" if ok else "down", what))
                log.flush()
            if state is None:
                seen.add(service)
                if len(seen) == all_seen:
                    with lock:
                        log.write("ready\n")
                        log.flush()
            state = ok
        stop.wait(max(0.0, (slow if ok else fast) - (time.monotonic() - began)))


def main():
    log_path, fast, slow = sys.argv[1], float(sys.argv[2]), float(sys.argv[3])
    targets = []
    for arg in sys.argv[4:]:
        name, rest = arg.split("=", 1)
        port, path = rest.split("/", 1)
        targets.append((name, int(port), "/" + path))
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    seen = set()
    with open(log_path, "a", buffering=1) as log:
        threads = [threading.Thread(target=watch, args=(log, n, p, path, fast, slow, seen, len(targets)), daemon=True)
                   for n, p, path in targets]
        for t in threads:
            t.start()
        while not stop.wait(0.5):
            pass
        for t in threads:
            t.join(2)


if __name__ == "__main__":
    main()
