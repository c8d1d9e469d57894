#!/usr/bin/env python3
"""Splits a downloader single file (HASH:COUNT lines, sorted) into downloader range files: OUT/PREFIX.txt holding
SUFFIX:COUNT lines joined by CRLF, as HIBP's downloader writes them with -s false.

    python3 bench/split_ranges.py pwned.txt OUT_DIR
"""
import os
import sys


def main(src, out):
    os.makedirs(out, exist_ok=True)
    current, lines = None, []

    def flush():
        if current is not None:
            with open(os.path.join(out, current + ".txt"), "w", newline="") as f:
                f.write("\r\n".join(lines))

    with open(src, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\r\n").lstrip("\ufeff")  # the byte order mark before each range's first line
            prefix = line[:5]
            if prefix != current:
                flush()
                current, lines = prefix, []
            lines.append(line[5:])
    flush()


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
