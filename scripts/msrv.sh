#!/usr/bin/env bash
# Checks the declared MSRV (`rust-version` in Cargo.toml).
#   scripts/msrv.sh
# What it proves, on the exact toolchain named by rust-version (installed with rustup if
# missing) and the committed Cargo.lock (--locked):
#   1. the library type-checks with no features (what `default-features = false` gets);
#   2. the library type-checks with each optional feature of Cargo.toml's [features] on its
#      own (cli, sim, json, client, schema, arbitrary) and with all features;
#   3. the `vicixfer` binary (feature cli, the default) type-checks.
# It runs `cargo check`, not `cargo build`: every MSRV failure (a newer std API, a newer
# language feature, a dependency whose own rust-version is higher) is a front-end error that
# `check` reports; code generation and linking do not depend on the toolchain version here.
# It does not cover the tests, benches, examples or fuzz targets (their dev-dependencies,
# criterion and proptest, declare newer MSRVs); those are built on stable by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
msrv="$(sed -n 's/^rust-version = "\(.*\)"/\1/p' Cargo.toml)"
[ -n "$msrv" ] || { echo "msrv.sh: no rust-version in Cargo.toml" >&2; exit 1; }
# rustup names toolchains by full version; "1.85" means 1.85.0.
toolchain="$msrv"
[[ "$toolchain" =~ ^[0-9]+\.[0-9]+$ ]] && toolchain="$toolchain.0"
if ! rustup toolchain list | grep -q "^$toolchain-"; then
  rustup toolchain install "$toolchain" --profile minimal
fi
features=$(sed -n '/^\[features\]/,/^\[/s/^\([a-z_-]*\) = .*/\1/p' Cargo.toml | grep -v '^default$')
run() { echo "+ cargo +$toolchain $*"; cargo "+$toolchain" "$@" --locked --quiet; }
run check --lib --no-default-features
for f in $features; do
  run check --lib --no-default-features --features "$f"
done
run check --lib --all-features
run check --bins
echo "msrv.sh: rust-version $msrv ($toolchain) builds the library (each feature) and the CLI"
