#!/usr/bin/env python3
"""Load under upstream faults: a steady request rate against the service while the fake upstream goes
healthy -> down (connection refused/closed) -> slow (5 s delays) -> healthy, reporting each phase.

Half the requests check passwords known to be breached (in the fake corpus) in a warm set of prefixes, half
check fresh random hashes in cold prefixes, so every phase exercises both the cache and the upstream path.
A breached password answered "clean" is a wrong verdict; any 5xx from the service is an error.
Run through bench/faults.sh, which starts the fake upstream and the packaged service.
"""
import argparse
import hashlib
import http.client
import json
import queue
import random
import statistics
import threading
import time
import urllib.request


def sha1(s):
    return hashlib.sha1(s.encode()).hexdigest().upper()


def control(upstream, mode, delay=5.0):
    req = urllib.request.Request(f"http://127.0.0.1:{upstream}/control?mode={mode}&delay={delay}", method="POST", data=b"")
    urllib.request.urlopen(req).read()


def worker(port, jobs, results):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    while True:
        job = jobs.get()
        if job is None:
            return
        phase, kind, h, due = job
        start = time.monotonic()
        try:
            conn.request("POST", "/v1/passwords/check", body=json.dumps({"sha1": h}), headers={"Content-Type": "application/json"})
            resp = conn.getresponse()
            body = resp.read()
            status = resp.status
            source = resp.getheader("X-Pwcheck-Source", "")
            verdict = json.loads(body).get("verdict", "?") if status == 200 else "-"
        except Exception as e:  # a dropped connection counts as an error, not a 5xx
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            status, source, verdict = 0, "", "error:" + type(e).__name__
        results.put((phase, kind, status, verdict, source, time.monotonic() - start))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--upstream", type=int, required=True)
    ap.add_argument("--passwords", required=True, help="passwords in the fake corpus (known breached)")
    ap.add_argument("--rate", type=int, default=200, help="requests per second")
    ap.add_argument("--phase-seconds", type=float, default=15)
    ap.add_argument("--workers", type=int, default=64)
    a = ap.parse_args()

    breached = [sha1(p) for p in open(a.passwords, encoding="utf-8").read().split("\n") if p]
    jobs, results = queue.Queue(), queue.Queue()
    threads = [threading.Thread(target=worker, args=(a.port, jobs, results), daemon=True) for _ in range(a.workers)]
    for t in threads:
        t.start()

    phases = [("healthy", "healthy"), ("down", "down"), ("slow", "slow"), ("recovered", "healthy")]
    rng = random.Random(7)
    interval = 1.0 / a.rate
    for name, mode in phases:
        control(a.upstream, mode)
        end = time.monotonic() + a.phase_seconds
        nxt = time.monotonic()
        while time.monotonic() < end:
            if rng.random() < 0.5:
                jobs.put((name, "breached", rng.choice(breached), nxt))
            else:
                jobs.put((name, "random", "%040X" % rng.getrandbits(160), nxt))
            nxt += interval
            time.sleep(max(0.0, nxt - time.monotonic()))
    for _ in threads:
        jobs.put(None)
    for t in threads:
        t.join()

    rows = {}
    while not results.empty():
        phase, kind, status, verdict, source, secs = results.get()
        r = rows.setdefault(phase, {"n": 0, "lat": [], "verdicts": {}, "sources": {}, "5xx": 0, "errors": 0, "wrong": 0})
        r["n"] += 1
        r["lat"].append(secs * 1000)
        r["verdicts"][verdict] = r["verdicts"].get(verdict, 0) + 1
        r["sources"][source] = r["sources"].get(source, 0) + 1
        r["5xx"] += status >= 500
        r["errors"] += status == 0
        r["wrong"] += kind == "breached" and verdict == "clean"

    print(f"{'phase':<10} {'answered':>8} {'p50 ms':>8} {'p99 ms':>8} {'max ms':>8} {'5xx':>4} {'errors':>6} {'wrong':>5}  verdicts / sources")
    for name, _ in phases:
        r = rows.get(name)
        if not r:
            continue
        lat = sorted(r["lat"])
        p = lambda q: lat[min(len(lat) - 1, int(q * len(lat)))]
        print(f"{name:<10} {r['n']:>8} {statistics.median(lat):>8.1f} {p(0.99):>8.1f} {lat[-1]:>8.1f} {r['5xx']:>4} {r['errors']:>6} {r['wrong']:>5}  "
              f"{dict(sorted(r['verdicts'].items()))} {dict(sorted(r['sources'].items()))}")


if __name__ == "__main__":
    main()
