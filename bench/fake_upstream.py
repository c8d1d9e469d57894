#!/usr/bin/env python3
"""A stand-in for the HIBP range API on loopback, for load runs and manual checks (never for production).

Serves GET /range/{PREFIX} from a corpus of SHA-1 hashes: the hashes of the passwords in --passwords (one a line,
counts 1000, 1001, ...) plus --random-per-range random entries in every range, padded with count-0 lines when
Add-Padding is sent. GET /range/{PREFIX}?mode=ntlm serves the NTLM hashes (MD4 of UTF-16LE) of the same passwords,
with 27-hex suffixes, as HIBP does. POST /control?mode=healthy|down|slow|error&delay=SECONDS switches behaviour at run time; GET /stats reports
how many range requests were served. Binds 127.0.0.1 only.
"""
import argparse
import hashlib
import http.server
import json
import random
import socketserver
import struct
import threading
import time
import urllib.parse

state = {"mode": "healthy", "delay": 5.0, "requests": 0, "by_prefix": {}}
lock = threading.Lock()


def md4(data):
    """RFC 1320. OpenSSL 3 (and so Python's hashlib on current distributions) no longer offers MD4."""
    def rotl(x, n):
        return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF
    msg = bytearray(data) + b"\x80"
    while len(msg) % 64 != 56:
        msg.append(0)
    msg += struct.pack("<Q", (len(data) * 8) & 0xFFFFFFFFFFFFFFFF)
    a, b, c, d = 0x67452301, 0xEFCDAB89, 0x98BADCFE, 0x10325476
    for off in range(0, len(msg), 64):
        x = struct.unpack("<16I", msg[off:off + 64])
        aa, bb, cc, dd = a, b, c, d
        f = lambda x_, y, z: (x_ & y) | (~x_ & z)
        g = lambda x_, y, z: (x_ & y) | (x_ & z) | (y & z)
        h = lambda x_, y, z: x_ ^ y ^ z
        for i in range(16):
            k, s = i, (3, 7, 11, 19)[i % 4]
            a = rotl((a + f(b, c, d) + x[k]) & 0xFFFFFFFF, s)
            a, b, c, d = d, a, b, c
        for i in range(16):
            k, s = (i % 4) * 4 + i // 4, (3, 5, 9, 13)[i % 4]
            a = rotl((a + g(b, c, d) + x[k] + 0x5A827999) & 0xFFFFFFFF, s)
            a, b, c, d = d, a, b, c
        for i in range(16):
            k, s = (0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15)[i], (3, 9, 11, 15)[i % 4]
            a = rotl((a + h(b, c, d) + x[k] + 0x6ED9EBA1) & 0xFFFFFFFF, s)
            a, b, c, d = d, a, b, c
        a, b, c, d = (a + aa) & 0xFFFFFFFF, (b + bb) & 0xFFFFFFFF, (c + cc) & 0xFFFFFFFF, (d + dd) & 0xFFFFFFFF
    return struct.pack("<4I", a, b, c, d)


MODES = {
    # mode: (hash of a password as uppercase hex, suffix length)
    "sha1": (lambda pw: hashlib.sha1(pw.encode("utf-8")).hexdigest().upper(), 35),
    "ntlm": (lambda pw: md4(pw.encode("utf-16-le")).hex().upper(), 27),
}


def build_corpus(passwords, mode):
    digest, _ = MODES[mode]
    corpus = {}
    for i, pw in enumerate(passwords):
        h = digest(pw)
        corpus.setdefault(h[:5], {})[h[5:]] = 1000 + i
    return corpus


def range_lines(prefix, mode, pad):
    _, width = MODES[mode]
    rng = random.Random(f"{SEED}:{mode}:{prefix}")
    bits = width * 4
    entries = {"%0*X" % (width, rng.getrandbits(bits)): rng.randint(1, 5000) for _ in range(PER_RANGE)}
    entries.update(CORPORA[mode].get(prefix, {}))
    if pad:
        for _ in range(rng.randint(50, 200)):
            entries.setdefault("%0*X" % (width, rng.getrandbits(bits)), 0)
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
        hash_mode = urllib.parse.parse_qs(url.query).get("mode", ["sha1"])[0].lower()
        if hash_mode not in MODES:
            return self.send(400, "The hash mode was not valid")
        pad = self.headers.get("Add-Padding", "").lower() == "true"
        self.send(200, range_lines(prefix.upper(), hash_mode, pad))


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
    ap.add_argument("--one-request-per-connection", action="store_true",
                    help="answer HTTP/1.0 and close after each answer instead of keeping connections alive")
    a = ap.parse_args()
    if a.one_request_per_connection:
        Handler.protocol_version = "HTTP/1.0"
    pws = []
    if a.passwords:
        with open(a.passwords, encoding="utf-8") as f:
            pws = [line.rstrip("\n") for line in f if line.rstrip("\n")]
    CORPORA = {mode: build_corpus(pws, mode) for mode in MODES}
    PER_RANGE, SEED = a.random_per_range, a.seed
    Server(("127.0.0.1", a.port), Handler).serve_forever()
