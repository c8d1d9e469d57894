#!/usr/bin/env python3
"""A stand-in for the HIBP range API on loopback, for load runs and manual checks (never for production).

Serves GET /range/{PREFIX} from a corpus of SHA-1 hashes: the hashes of the passwords in --passwords (one a line,
counts 1..N) plus --random-per-range random entries in every range, padded with count-0 lines when Add-Padding is
sent. POST /control?mode=healthy|down|slow|error&delay=SECONDS switches behaviour at run time; GET /stats reports
how many range requests were served. Binds 127.0.0.1 only.
"""
import argparse
import hashlib
import http.server
import json
import random
import socketserver
import threading
import time
import urllib.parse

state = {"mode": "healthy", "delay": 5.0, "requests": 0, "by_prefix": {}}
lock = threading.Lock()


def build_corpus(passwords, per_range, seed):
    corpus = {}
    for i, pw in enumerate(passwords):
        h = hashlib.sha1(pw.encode("utf-8")).hexdigest().upper()
        corpus.setdefault(h[:5], {})[h[5:]] = 1000 + i
    return corpus, random.Random(seed), per_range


def range_lines(prefix, corpus, per_range, seed, pad):
    rng = random.Random(f"{seed}:{prefix}")
    entries = {"%035X" % rng.getrandbits(140): rng.randint(1, 5000) for _ in range(per_range)}
    entries.update(corpus.get(prefix, {}))
    if pad:
        for _ in range(rng.randint(50, 200)):
            entries.setdefault("%035X" % rng.getrandbits(140), 0)
    return "\r\n".join(f"{s}:{c}" for s, c in sorted(entries.items()))


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def send(self, status, body, ctype="text/plain"):
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_POST(self):
        url = urllib.parse.urlparse(self.path)
        if url.path != "/control":
            return self.send(404, "no")
        q = urllib.parse.parse_qs(url.query)
        with lock:
            state["mode"] = q.get("mode", [state["mode"]])[0]
            state["delay"] = float(q.get("delay", [state["delay"]])[0])
        self.send(200, json.dumps({"mode": state["mode"], "delay": state["delay"]}), "application/json")

    def do_GET(self):
        url = urllib.parse.urlparse(self.path)
        if url.path == "/stats":
            with lock:
                return self.send(200, json.dumps({"requests": state["requests"], "prefixes": len(state["by_prefix"]),
                                                  "max_per_prefix": max(state["by_prefix"].values(), default=0)}), "application/json")
        if not url.path.startswith("/range/"):
            return self.send(404, "Not found")
        prefix = url.path[len("/range/"):]
        if len(prefix) != 5 or any(c not in "0123456789ABCDEFabcdef" for c in prefix):
            return self.send(400, "The hash prefix was not in a valid format")
        with lock:
            state["requests"] += 1
            state["by_prefix"][prefix] = state["by_prefix"].get(prefix, 0) + 1
            mode, delay = state["mode"], state["delay"]
        if mode == "down":
            self.close_connection = True
            self.connection.close()
            return
        if mode == "error":
            return self.send(503, "<html>Service Unavailable</html>", "text/html")
        if mode == "slow":
            time.sleep(delay)
        pad = self.headers.get("Add-Padding", "").lower() == "true"
        self.send(200, range_lines(prefix.upper(), CORPUS, PER_RANGE, SEED, pad))


class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 256


if __name__ == "__main__":
    ap = argparse.ArgumentParser()
    ap.add_argument("--port", type=int, default=9999)
    ap.add_argument("--passwords", help="file of passwords to put in the corpus, one a line")
    ap.add_argument("--random-per-range", type=int, default=800)
    ap.add_argument("--seed", default="pwcheck")
    a = ap.parse_args()
    pws = []
    if a.passwords:
        with open(a.passwords, encoding="utf-8") as f:
            pws = [line.rstrip("\n") for line in f if line.rstrip("\n")]
    CORPUS, _, PER_RANGE = build_corpus(pws, a.random_per_range, a.seed)
    SEED = a.seed
    Server(("127.0.0.1", a.port), Handler).serve_forever()
