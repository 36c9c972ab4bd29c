#!/usr/bin/env bash
# Fuzzes the text, JSON and HTML redaction paths for SECONDS each (default
# 60) with cargo-fuzz in its stable-toolchain mode (no sanitizer: these are
# safe-Rust targets, so the checks are panics and the targets' assertions).
set -euo pipefail
cd "$(dirname "$0")/../fuzz"
seconds=${1:-60}
command -v cargo-fuzz >/dev/null || cargo install cargo-fuzz --locked
for target in text json html; do
  echo "== fuzz $target for ${seconds}s"
  cargo fuzz run -s none "$target" -- -max_total_time="$seconds" -seed=1
done
