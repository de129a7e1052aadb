#!/bin/bash
# Builds Lupa and runs every test through ctest: the whole suite on a Release build (with the
# search page driven in headless Chromium), then the unit tests again on an AddressSanitizer +
# UndefinedBehaviorSanitizer build.
# Environment: LUPA_WERROR=1 (set by CI, .ci/run) builds both with compiler warnings as errors.
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
# The browser tests' one npm package, at the version the lockfile pins. Where the npm registry
# cannot be reached, everything else still runs and the skip is said loudly.
skip_browser=()
if ! npm ci --prefix tests/browser --no-audit --no-fund --loglevel=error; then
  echo "test.sh: WARNING: npm could not install tests/browser's packages;" \
    "the browser tests (ctest label 'browser') are NOT run" >&2
  skip_browser=(-LE browser)
fi
jobs=$(nproc)
# Given either way, so that a build folder configured by an earlier CI-style run follows suit.
werror=OFF
[[ ${LUPA_WERROR:-0} == 1 ]] && werror=ON

cmake -S . -B build -DCMAKE_BUILD_TYPE=Release -DLUPA_WARNINGS_AS_ERRORS="$werror" >/dev/null
cmake --build build -j"$jobs"
(cd build && ctest --output-on-failure --no-tests=error -j"$jobs" "${skip_browser[@]}")

cmake -S . -B build-sanitize -DCMAKE_BUILD_TYPE=Debug -DLUPA_ASAN=ON -DLUPA_UBSAN=ON \
  -DLUPA_WARNINGS_AS_ERRORS="$werror" >/dev/null
cmake --build build-sanitize -j"$jobs"
(cd build-sanitize && ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 \
  ctest --output-on-failure --no-tests=error -j"$jobs" -L unit)
