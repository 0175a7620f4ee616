#!/usr/bin/env bash
# Every benchmark, on demand (not in CI): the release build once, then each harness against it.
#
#   benches/run.sh                 everything
#   benches/run.sh footprint       one harness (check_latency, round_trips or footprint)
#   benches/run.sh footprint idle  one part of it (size, first-frame, guide, rss, idle)
#
# The figures and how to read them are in BENCHMARKS.md. Note the machine's load while they run
# (`uptime` is printed before and after): the timings are only comparable on a quiet machine.
set -euo pipefail

cd "$(dirname "$0")/.."

harnesses=(check_latency round_trips footprint store_check)
if (($#)); then
    harnesses=("$1")
    shift
fi

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.1f GiB", $2 / 1048576}' /proc/meminfo), $(uname -sr)"
echo "before:  $(uptime)"
cargo build --release --quiet
# The binary users get. `cargo bench` links its own copy into the same path with the dev-dependencies'
# features unified in (e.g. tokio's multi-threaded runtime), which is half a megabyte bigger: keep this one
# aside and measure it.
shipped=target/hibob-auth-release
cp target/release/hibob-auth "$shipped"
export HIBOB_AUTH_BENCH_BINARY="$PWD/$shipped"
for harness in "${harnesses[@]}"; do
    echo
    echo "=== cargo bench --bench $harness $*"
    cargo bench --quiet --bench "$harness" -- "$@"
done
echo
echo "after:   $(uptime)"
