#!/usr/bin/env python3
"""Soak: hours-long mixed traffic against the packaged service, sampled once a minute. Run through bench/soak.sh,
which starts nginx (the upstream, over range files) and the service.

Traffic, all from one address and within the service's default per-IP limit (100/s):
  - checks, 80/s (two threads of 40/s): half from a warm set of 500 hashes in breached ranges (cached after the first minute), half fresh
    random hashes (cold: each goes upstream); their p99 is reported each minute, measured from when each check was
    due, not from when it was sent (a stall that holds checks back counts in it);
  - /range/{prefix}, 8/s, random prefixes;
  - bad requests, 4/s: malformed JSON, unknown and typo'd fields, invalid UTF-8, deep nesting, a wrong method, a bad
    /range prefix, a gzip-encoded body;
  - oversized bodies, 1/s: a declared 20 KB body, a chunked 100 KB one, a body that stops short;
  - slow clients: 50 connections held open at all times, each sending its request a byte every few seconds.
Upstream faults come and go, every fifth minute for 60 s, taking turns: nginx hung (SIGSTOP: connections open, no
byte comes), then resumed; nginx gone (stopped: connections refused), then started again.

Each minute: the service's heap after a full GC (jcmd GC.run, then the heap it reports), RSS, threads, open files,
direct buffers, the checks' p99, requests by outcome, and the ERROR lines in the service's log so far. A line of the
markdown table in docs/benchmarks.md per minute; the first and last rows say whether anything grew.
"""
import argparse
import hashlib
import http.client
import json
import os
import random
import re
import shlex
import signal
import socket
import subprocess
import threading
import time


def sha1(s):
    return hashlib.sha1(s.encode()).hexdigest().upper()


class Stats:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = []
        self.outcomes = {}

    def add(self, kind, status, seconds=None):
        with self.lock:
            key = f"{kind}:{status}"
            self.outcomes[key] = self.outcomes.get(key, 0) + 1
            if seconds is not None:
                self.latencies.append(seconds)

    def take(self):
        with self.lock:
            latencies, outcomes = self.latencies, self.outcomes
            self.latencies, self.outcomes = [], {}
        return latencies, outcomes


def paced(rate, running, work):
    """Calls work(due) rate times a second until running is cleared. due is when the call was meant to start: a call
    held up behind a slow one starts late, and a latency measured from due counts that wait (measured from the send,
    a stall would hide the requests it held back: coordinated omission). Late calls go out at once, none skipped."""
    interval = 1.0 / rate
    due = time.monotonic()
    while running.is_set():
        work(due)
        due += interval
        wait = due - time.monotonic()
        if wait > 0:
            time.sleep(wait)


class Client:
    """One keep-alive connection to the service, reopened after any failure."""

    def __init__(self, port):
        self.port = port
        self.conn = None

    def request(self, method, path, body=None, headers=None):
        for attempt in (1, 2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                self.conn.request(method, path, body=body, headers=headers or {})
                response = self.conn.getresponse()
                data = response.read()
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                return response.status, data
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
                if attempt == 2:
                    return "io-error", b""


def raw(port, payload, read=True):
    """Sends raw bytes on a new connection and returns the status line's code (or what went wrong)."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=10) as s:
            s.sendall(payload)
            if not read:
                return "sent"
            head = s.recv(64)
            m = re.match(rb"HTTP/1\.[01] (\d{3})", head)
            return int(m.group(1)) if m else "no-status"
    except OSError as e:
        return type(e).__name__


def checks(port, stats, running, warm):
    client = Client(port)
    headers = {"Content-Type": "application/json"}

    def one(due):
        h = random.choice(warm) if random.random() < 0.5 else "%040X" % random.getrandbits(160)
        status, _ = client.request("POST", "/v1/passwords/check", json.dumps({"sha1": h}), headers)
        stats.add("check", status, time.monotonic() - due)
    paced(40, running, one)


def ranges(port, stats, running):
    client = Client(port)

    def one(due):
        status, _ = client.request("GET", "/range/%05X" % random.getrandbits(20))
        stats.add("range", status)
    paced(8, running, one)


BAD = [
    ("POST", "/v1/passwords/check", b'{"password":', {"Content-Type": "application/json"}),
    ("POST", "/v1/passwords/check", b'{"password":"soak-pw","flwo":"login"}', {"Content-Type": "application/json"}),
    ("POST", "/v1/passwords/check", b'{"password":"soak-pw","context":{"nmae":"x"}}', {"Content-Type": "application/json"}),
    ("POST", "/v1/passwords/check", b'{"password":"\xff\xfe soak"}', {"Content-Type": "application/json"}),
    ("POST", "/v1/passwords/check", b"[" * 5000 + b"]" * 5000, {"Content-Type": "application/json"}),
    ("DELETE", "/v1/passwords/check", None, {}),
    ("GET", "/range/XYZ12", None, {}),
    ("POST", "/v1/passwords/check", b"\x1f\x8b\x08\x00\x00\x00\x00\x00", {"Content-Type": "application/json", "Content-Encoding": "gzip"}),
]


def bad(port, stats, running):
    client = Client(port)

    def one(due):
        method, path, body, headers = random.choice(BAD)
        status, _ = client.request(method, path, body, headers)
        stats.add("bad", status)
    paced(4, running, one)


def oversized(port, stats, running):
    def one(due):
        kind = random.randrange(3)
        if kind == 0:
            body = b'{"password":"' + b"a" * 20000 + b'"}'
            status = raw(port, b"POST /v1/passwords/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: "
                         + str(len(body)).encode() + b"\r\n\r\n" + body)
        elif kind == 1:
            chunk = b"a" * 10000
            payload = b"POST /v1/passwords/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n"
            payload += (b"%x\r\n" % len(chunk) + chunk + b"\r\n") * 10 + b"0\r\n\r\n"
            status = raw(port, payload)
        else:
            status = raw(port, b"POST /v1/passwords/check HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n"
                         b"Connection: close\r\n\r\n{\"password\":\"stops sh", read=False)
        stats.add("oversized", status)
    paced(1, running, one)


def slow_clients(port, stats, running, count=50):
    """Keeps count connections open, each dribbling a request's head a byte at a time; the server closes them."""
    request = b"POST /v1/passwords/check HTTP/1.1\r\nHost: soak\r\nContent-Type: application/json\r\nContent-Length: 30\r\n\r\n"
    held = []
    while running.is_set():
        while len(held) < count:
            try:
                held.append([socket.create_connection(("127.0.0.1", port), timeout=5), 0])
            except OSError:
                stats.add("slow", "connect-failed")
                break
        for entry in list(held):
            s, sent = entry
            try:
                s.sendall(request[sent:sent + 1])
                entry[1] = (sent + 1) % len(request)
            except OSError:
                stats.add("slow", "closed-by-server")
                held.remove(entry)
                s.close()
        time.sleep(3)
    for s, _ in held:
        s.close()


def proc_status(pid):
    status = open(f"/proc/{pid}/status").read()
    rss = int(re.search(r"VmRSS:\s+(\d+) kB", status).group(1)) // 1024
    threads = int(re.search(r"Threads:\s+(\d+)", status).group(1))
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    return rss, threads, fds


def heap_after_gc(pid):
    subprocess.run(["jcmd", str(pid), "GC.run"], capture_output=True, timeout=60)
    info = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    # G1 (the JVM's choice on 2 cores or more) reports its whole heap on one line; the serial and parallel collectors
    # one line a generation, which are added up.
    whole = re.search(r"garbage-first heap\s+total \d+K, used (\d+)K", info)
    if whole:
        return int(whole.group(1)) // 1024
    generations = re.findall(r"(?:generation|PSYoungGen|ParOldGen)\s+total \d+K, used (\d+)K", info)
    return sum(int(g) for g in generations) // 1024 if generations else -1


def direct_buffers(management):
    conn = http.client.HTTPConnection("127.0.0.1", management, timeout=10)
    conn.request("GET", "/q/metrics")
    text = conn.getresponse().read().decode()
    m = re.search(r'^jvm_buffer_memory_used_bytes\{id="direct"[^}]*\} ([0-9.eE+]+)', text, re.M)
    return float(m.group(1)) / 1048576 if m else -1


def p99(latencies):
    if not latencies:
        return float("nan")
    ordered = sorted(latencies)
    return ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000


# The upstream's faults, taking turns every fifth minute: hung (SIGSTOP: connections open, no byte ever comes) and gone
# (nginx stopped: connections refused, kept-alive ones closed), each for 60 s.
FAULTS = ("hung", "gone")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--management", type=int, required=True)
    ap.add_argument("--pid", type=int, required=True)
    ap.add_argument("--nginx-pid-file", required=True)
    ap.add_argument("--nginx-start", required=True, help="the command that starts the upstream's nginx again")
    ap.add_argument("--log", required=True)
    ap.add_argument("--minutes", type=int, required=True)
    ap.add_argument("--warm", required=True, help="file of warm hashes, one a line")
    args = ap.parse_args()
    warm = open(args.warm).read().split()

    stats, running = Stats(), threading.Event()
    running.set()
    workers = [threading.Thread(target=checks, args=(args.port, stats, running, warm), daemon=True) for _ in range(2)]
    workers += [threading.Thread(target=f, args=(args.port, stats, running), daemon=True) for f in (ranges, bad, oversized, slow_clients)]
    for w in workers:
        w.start()

    print("| minute | upstream | heap after GC (MiB) | RSS (MiB) | threads | open files | direct buffers (MiB) | check p99 (ms) | checks | 5xx | other outcomes | ERROR lines |")
    print("|---|---|---|---|---|---|---|---|---|---|---|---|")
    rows = []
    restarted = None
    try:
        for minute in range(1, args.minutes + 1):
            fault = FAULTS[(minute // 5 - 1) % len(FAULTS)] if minute % 5 == 0 else None
            nginx_pid = int(open(args.nginx_pid_file).read().strip())
            if fault == "hung":
                os.kill(nginx_pid, signal.SIGSTOP)
                time.sleep(60)
                os.kill(nginx_pid, signal.SIGCONT)
            elif fault == "gone":
                os.kill(nginx_pid, signal.SIGTERM)
                time.sleep(60)
                if os.path.exists(args.nginx_pid_file):
                    os.remove(args.nginx_pid_file)
                restarted = subprocess.Popen(shlex.split(args.nginx_start), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                for _ in range(50):
                    if os.path.exists(args.nginx_pid_file) and open(args.nginx_pid_file).read().strip():
                        break
                    time.sleep(0.1)
            else:
                time.sleep(60)
            latencies, outcomes = stats.take()
            heap = heap_after_gc(args.pid)
            rss, threads, fds = proc_status(args.pid)
            direct = direct_buffers(args.management)
            errors = sum(1 for line in open(args.log, errors="replace") if " ERROR " in line or line.startswith("\tat "))
            server_errors = sum(n for k, n in outcomes.items() if k.split(":")[1].startswith("5"))
            checked = sum(n for k, n in outcomes.items() if k.startswith("check:"))
            other = ", ".join(f"{k} {n}" for k, n in sorted(outcomes.items()) if not k.startswith("check:200"))
            row = (minute, {"hung": "hung 60 s", "gone": "gone 60 s"}.get(fault, "up"), heap, rss, threads, fds, direct, p99(latencies), checked, server_errors, other, errors)
            rows.append(row)
            print("| %d | %s | %d | %d | %d | %d | %.1f | %.1f | %d | %d | %s | %d |" % row, flush=True)
    finally:
        if restarted is not None:
            restarted.terminate()
    running.clear()
    # The first third warms the cache up to its cap: what must stay flat is the rest.
    first, last = rows[len(rows) // 3], rows[-1]
    print(f"\nfrom minute {first[0]} to {last[0]}: heap {first[2]} -> {last[2]} MiB, RSS {first[3]} -> {last[3]} MiB, "
          f"threads {first[4]} -> {last[4]}, open files {first[5]} -> {last[5]}, direct {first[6]:.1f} -> {last[6]:.1f} MiB; "
          f"ERROR lines {last[11]}; 5xx {sum(r[9] for r in rows)}")


if __name__ == "__main__":
    main()
