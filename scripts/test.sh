#!/usr/bin/env bash
# The whole test suite: formatting, lints, the pattern packs' own examples,
# and every unit, integration, property, accuracy, Redis and browser test.
# CI runs exactly this (see .ci/run); on a fresh Debian machine it installs
# what the verification tests talk to (redis-server, chromium,
# chromium-driver) through scripts/install-test-services.sh.
set -euo pipefail
cd "$(dirname "$0")/.."

# A fresh toolchain may lack the lint and format tools.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi

echo "== test services"
bash scripts/install-test-services.sh

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== pattern pack examples"
cargo run --quiet --locked -- patterns test
echo "== tests"
cargo test --locked
