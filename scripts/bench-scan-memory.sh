#!/usr/bin/env bash
# Peak memory and throughput of `veilgate scan` over a large text file,
# redacted to /dev/null.
# Usage: scripts/bench-scan-memory.sh [SIZE_MIB] [varied|repeated]
#   (default: 1024 varied)
#   varied:   the benchmark's generated log (examples/corpus.rs, seeded): a
#             value every few lines, hardly two alike, so the detector's
#             lazy DFAs keep meeting new text, as on a real customer's logs.
#   repeated: examples/ticket.log over and over, its order number counting.
set -euo pipefail
cd "$(dirname "$0")/.."
size_mib=${1:-1024}
kind=${2:-varied}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cargo build --release --quiet --bin veilgate --example corpus
case "$kind" in
varied)
    ./target/release/examples/corpus log "$size_mib" > "$work/big.log"
    ;;
repeated)
    python3 - "$work/big.log" "$size_mib" <<'PY'
import sys
path, mib = sys.argv[1], int(sys.argv[2])
block = open("examples/ticket.log", encoding="utf-8").read()
target = mib << 20
with open(path, "w", encoding="utf-8") as f:
    written = 0
    i = 0
    while written < target:
        chunk = block.replace("ORD-2024-000123", f"ORD-2024-{i:06d}")
        f.write(chunk)
        written += len(chunk.encode())
        i += 1
PY
    ;;
*)
    echo "usage: $0 [SIZE_MIB] [varied|repeated]" >&2
    exit 2
    ;;
esac
bytes=$(stat -c %s "$work/big.log")
start=$(date +%s.%N)
# GNU time's -f prints the peak resident set size in KiB.
peak_kib=$( { /usr/bin/time -f '%M' ./target/release/veilgate scan "$work/big.log" > /dev/null; } 2>&1 | tail -n 1)
end=$(date +%s.%N)
python3 - "$bytes" "$start" "$end" "$peak_kib" "$kind" <<'PY'
import sys
size, start, end, peak = int(sys.argv[1]), float(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
secs = end - start
print(f"{sys.argv[5]} input {size / 2**20:.0f} MiB, {secs:.2f} s, {size / 1e6 / secs:.0f} MB/s, peak RSS {peak / 1024:.1f} MiB")
PY
