#!/usr/bin/env bash
# The whole test suite: formatting, lints, the pattern packs' own examples,
# and every unit, integration, property and accuracy test. CI runs exactly
# this (see .ci/run); it needs nothing but a Rust toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."

# A fresh toolchain may lack the lint and format tools.
if ! cargo fmt --version >/dev/null 2>&1 || ! cargo clippy --version >/dev/null 2>&1; then
  rustup component add rustfmt clippy
fi

echo "== cargo fmt"
cargo fmt --all -- --check
echo "== cargo clippy"
cargo clippy --all-targets --locked -- -D warnings
echo "== pattern pack examples"
cargo run --quiet --locked -- patterns test
echo "== tests"
cargo test --locked
