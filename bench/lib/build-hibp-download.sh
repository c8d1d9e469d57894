#!/usr/bin/env bash
# Builds oschonrock/hibp's hibp-download (the peer bench/sync.sh compares with) from its public source against
# Debian's libraries instead of the ones its CMake file fetches from GitHub:
#
#   bench/lib/build-hibp-download.sh HIBP BINFUSE MIO XOR_SINGLEHEADER OUT
#
# HIBP, BINFUSE, MIO and XOR_SINGLEHEADER are checkouts of github.com/oschonrock/hibp, oschonrock/binfuse,
# mandreyel/mio and FastFilter/xor_singleheader (binfuse's submodules); OUT is the binary to write.
# Needs: apt-get install g++ libcurl4-openssl-dev libevent-dev libfmt-dev libcli11-dev
set -euo pipefail
hibp=$1 binfuse=$2 mio=$3 xor=$4 out=$5
g++ -std=c++20 -O2 -DNDEBUG -I"$hibp/include" -I"$binfuse/include" -I"$xor/include" -I"$mio/include" \
  "$hibp/app/hibp_download.cpp" "$hibp"/src/dnl/*.cpp -o "$out" -lcurl -levent -lfmt -lpthread
echo "built $out"
