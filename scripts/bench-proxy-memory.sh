#!/usr/bin/env bash
# Streams a large text response (the demo helpdesk's log attachments,
# repeated) through veilgate on loopback and reports veilgate's peak resident
# memory and the throughput. The goal: 1 GiB passes with veilgate under 100 MB.
# Usage: scripts/bench-proxy-memory.sh [SIZE_MIB]   (default 1024)
set -euo pipefail
cd "$(dirname "$0")/.."
mib=${1:-1024}
upstream_addr=127.0.0.1:19011
proxy_addr=127.0.0.1:19012

cargo build --release --quiet --bin veilgate --example bench_upstream
work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

./target/release/examples/bench_upstream "$upstream_addr" 2> /dev/null &
pids+=($!)
RUST_LOG=warn ./target/release/veilgate serve --upstream "http://$upstream_addr" --listen "$proxy_addr" > /dev/null 2>&1 &
vg=$!
pids+=("$vg")
for _ in $(seq 50); do
    curl -sf "http://$proxy_addr/2k.json" > /dev/null 2>&1 && break
    sleep 0.1
done

start=$(date +%s.%N)
received=$(curl -sf --raw "http://$proxy_addr/big.log?mib=$mib" | wc -c)
end=$(date +%s.%N)
# VmHWM: the peak resident set size of the veilgate process, in KiB.
peak_kib=$(awk '/VmHWM/ {print $2}' "/proc/$vg/status")
python3 - "$mib" "$received" "$start" "$end" "$peak_kib" <<'PY'
import sys
mib, received, start, end, peak = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), float(sys.argv[4]), int(sys.argv[5])
secs = end - start
print(f"{mib} MiB sent, {received / 2**20:.0f} MiB received redacted in {secs:.1f} s "
      f"({mib * 2**20 / 1e6 / secs:.1f} MB/s); veilgate peak RSS {peak / 1024:.1f} MiB")
PY
