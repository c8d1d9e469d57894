# Shared by the load benchmarks (bench/load.sh, bench/shared-limits.sh): a warm set of cached checks.
# Source it, then: make_warm_set WORK N (writes WORK/hashes.txt, one SHA-1 per distinct prefix, and WORK/corpus.txt,
# the passwords of every other one, for bench/fake_upstream.py); warm_up HASHES PORT (checks each hash once, so that
# its range is cached, and prints the verdicts).

make_warm_set() {
  python3 - "$1" "$2" <<'PY'
import hashlib, sys
work, n = sys.argv[1], int(sys.argv[2])
seen, pws, hashes, i = set(), [], [], 0
while len(hashes) < n:
    pw = f"load-password-{i}"; i += 1
    h = hashlib.sha1(pw.encode()).hexdigest().upper()
    if h[:5] in seen: continue
    seen.add(h[:5]); hashes.append(h)
    if len(hashes) % 2: pws.append(pw)
open(f"{work}/corpus.txt", "w").write("\n".join(pws) + "\n")
open(f"{work}/hashes.txt", "w").write("\n".join(hashes) + "\n")
PY
}

warm_up() {
  python3 - "$1" "$2" <<'PY'
import json, sys, urllib.request
verdicts = {}
for h in open(sys.argv[1]).read().split():
    req = urllib.request.Request(f"http://127.0.0.1:{sys.argv[2]}/v1/passwords/check", data=json.dumps({"sha1": h}).encode(),
                                 headers={"Content-Type": "application/json"})
    v = json.load(urllib.request.urlopen(req))["verdict"]
    verdicts[v] = verdicts.get(v, 0) + 1
print(f"warm-up verdicts on port {sys.argv[2]}:", verdicts)
PY
}
