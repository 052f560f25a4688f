#!/usr/bin/env python3
"""Writes ~1 GiB of mixed data shaped like HomeIQ's volumes into DIR, deterministically.

  random/  already-compressed blobs (model files, images): incompressible
  logs/    service logs and line protocol: very compressible text
  db/      SQLite-like pages: integers, short strings, free space
  small/   many small JSON files (config, state)
"""
import json
import os
import random
import struct
import sys

MiB = 1024 * 1024


def main(out, total_mib):
    rnd = random.Random(42)
    share = total_mib // 32  # 10 parts random, 10 logs, 11 db, 1 small files
    os.makedirs(f"{out}/random", exist_ok=True)
    for i in range(10):
        with open(f"{out}/random/blob{i}.bin", "wb") as f:
            for _ in range(share):
                f.write(rnd.randbytes(MiB))
    os.makedirs(f"{out}/logs", exist_ok=True)
    services = ["data-api", "admin-api", "websocket-ingestion", "ai-automation", "device-intel", "energy-correlator"]
    paths = ["/api/v1/devices", "/api/v1/events", "/health", "/api/v1/entities", "/metrics"]
    for i in range(10):
        with open(f"{out}/logs/service{i}.log", "w") as f:
            written, n = 0, 0
            while written < share * MiB:
                lines = []
                for _ in range(2000):
                    n += 1
                    if rnd.random() < 0.5:
                        lines.append(f"2026-11-26T{n // 3600 % 24:02d}:{n // 60 % 60:02d}:{n % 60:02d}.{rnd.randrange(1000):03d}Z "
                                     f"INFO {rnd.choice(services)} request id={rnd.getrandbits(48):012x} path={rnd.choice(paths)}/{rnd.randrange(5000)} "
                                     f"status={rnd.choice((200, 200, 200, 204, 404, 500))} latency_ms={rnd.randrange(1, 900)}\n")
                    else:
                        lines.append(f"home_assistant,entity=sensor.temp_{rnd.randrange(300)},area=room{rnd.randrange(20)} "
                                     f"value={rnd.uniform(10, 30):.2f},battery={rnd.randrange(100)}i {1764150000000000000 + n * 1000000000}\n")
                chunk = "".join(lines)
                f.write(chunk)
                written += len(chunk)
    os.makedirs(f"{out}/db", exist_ok=True)
    for i in range(11):
        with open(f"{out}/db/store{i}.sqlite", "wb") as f:
            page = 4096
            for p in range(share * MiB // page):
                rows = bytearray()
                while len(rows) < page * 0.6:
                    rows += struct.pack("<qid", p * 64 + len(rows), rnd.randrange(1000), rnd.uniform(0, 100))
                    rows += rnd.choice((b"on", b"off", b"unavailable", b"home", b"not_home"))
                f.write(bytes(rows[:page]).ljust(page, b"\0"))
    os.makedirs(f"{out}/small", exist_ok=True)
    count = share * MiB // 4096
    for i in range(count):
        with open(f"{out}/small/entity{i}.json", "w") as f:
            json.dump({"entity_id": f"sensor.s{i}", "state": rnd.random(), "attributes":
                       {"unit": "°C", "friendly_name": f"Sensor {i}", "history": [rnd.randrange(100) for _ in range(300)]}}, f)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 1024)
