#!/usr/bin/env bash
# Load benchmark on loopback: requests per second and p50/p99 latency for
# ~2 KB and ~64 KB ticket JSON, straight to the upstream, through veilgate on
# a passthrough route, and through veilgate with all default packs.
# wrk, the upstream and veilgate share this machine's cores.
# Then the latency each path adds at fixed loads below saturation
# (examples/load_fixed_rate.rs, open loop: latency counts from when each
# request was due), for the 2 KB body at each of RATES requests/s.
# Usage: scripts/bench-proxy.sh [SECONDS] [CONNECTIONS] [RATES]
#        (default 10, 32, "1000 2000 3000")
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
conns=${2:-32}
rates=${3:-1000 2000 3000}
upstream_addr=127.0.0.1:19001
proxy_addr=127.0.0.1:19002

if ! command -v wrk > /dev/null; then
    (apt-get update -qq && apt-get install -y -qq wrk) > /dev/null
fi
cargo build --release --quiet --bin veilgate --example bench_upstream --example load_fixed_rate

work=$(mktemp -d)
pids=()
cleanup() {
    for pid in "${pids[@]}"; do kill "$pid" 2> /dev/null || true; done
    rm -rf "$work"
}
trap cleanup EXIT

./target/release/examples/bench_upstream "$upstream_addr" 2> "$work/upstream.log" &
pids+=($!)
cat > "$work/veilgate.toml" <<TOML
[listen]
agent = "$proxy_addr"
[upstream]
url = "http://$upstream_addr"
[[policy.routes]]
path_prefix = "/pass/"
action = "pass"
TOML
RUST_LOG=warn ./target/release/veilgate serve --config "$work/veilgate.toml" > "$work/veilgate.out" 2>&1 &
veilgate_pid=$!
pids+=($!)
for _ in $(seq 50); do
    curl -sf "http://$proxy_addr/2k.json" > /dev/null 2>&1 && break
    sleep 0.1
done
cat "$work/upstream.log"

# CPU time veilgate has used so far, in clock ticks.
veilgate_ticks() {
    awk '{print $14 + $15}' "/proc/$veilgate_pid/stat"
}

# One wrk run; prints "rps p50_ms p99_ms cpu_us", the last being veilgate's
# CPU time per request (less sensitive to the machine's other load than
# requests per second).
measure() {
    local before after
    before=$(veilgate_ticks)
    wrk -t2 -c"$conns" -d"${secs}s" --latency "$1" > "$work/wrk.out"
    after=$(veilgate_ticks)
    python3 - "$work/wrk.out" "$((after - before))" "$(getconf CLK_TCK)" <<'PY'
import re, sys
out = open(sys.argv[1]).read()
ticks, per_second = int(sys.argv[2]), int(sys.argv[3])
def ms(label):
    m = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value * {"us": 1e-3, "ms": 1.0, "s": 1e3}[unit]
rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
if errors:
    sys.exit(f"wrk saw {errors.group(1)} error responses")
requests = int(re.search(r"(\d+) requests in", out).group(1))
print(f"{rps:.0f} {ms(50):.2f} {ms(99):.2f} {ticks / per_second / requests * 1e6:.0f}")
PY
}

# The URL of one path (direct, passthrough, redacted) to a body SIZE; SLOW
# is `slow/` for the upstream that takes 5 ms per answer, as a real tool
# would, or empty.
path_url() {
    case $1 in
        direct) echo "http://$upstream_addr/$2$3.json" ;;
        passthrough) echo "http://$proxy_addr/pass/$2$3.json" ;;
        redacted) echo "http://$proxy_addr/$2$3.json" ;;
    esac
}

# How the upstream answers, for the tables: SLOW as for path_url.
upstream_label() {
    if [ -n "$1" ]; then echo "5 ms"; else echo instant; fi
}

printf '| body | upstream | path | requests/s | p50 | p99 | veilgate CPU per request |\n|---|---|---|---|---|---|---|\n'
for case in 2k: 64k: 2k:slow/; do
    size=${case%%:*}
    slow=${case#*:}
    for run in direct passthrough redacted; do
        read -r rps p50 p99 cpu < <(measure "$(path_url "$run" "$slow" "$size")")
        latency=$(upstream_label "$slow")
        if [ "$run" = direct ]; then cpu=-; else cpu="$cpu µs"; fi
        printf '| %s | %s | %s | %s | %s ms | %s ms | %s |\n' "$size" "$latency" "$run" "$rps" "$p50" "$p99" "$cpu"
    done
done

# Fixed loads: what each path adds to a request when nothing queues up.
printf '\n| body | upstream | requests/s | path | p50 | p90 | p99 | p99.9 |\n|---|---|---|---|---|---|---|---|\n'
for case in 2k:slow/ 2k:; do
    size=${case%%:*}
    slow=${case#*:}
    latency=$(upstream_label "$slow")
    for rate in $rates; do
        for run in direct passthrough redacted; do
            read -r sent achieved p50 p90 p99 p999 _ errors < <(
                ./target/release/examples/load_fixed_rate \
                    "$(path_url "$run" "$slow" "$size")" "$rate" "$secs" "$conns"
            )
            if [ "$errors" != 0 ]; then
                echo "load_fixed_rate saw $errors error responses of $sent" >&2
                exit 1
            fi
            printf '| %s | %s | %s | %s | %s ms | %s ms | %s ms | %s ms |\n' \
                "$size" "$latency" "$achieved" "$run" "$p50" "$p90" "$p99" "$p999"
        done
    done
done
