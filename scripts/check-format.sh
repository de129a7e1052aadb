#!/bin/bash
# Checks that every C++ file of the repository (*.h, *.cpp: tracked, or new and not ignored) is
# formatted as .clang-format says. Prints the files that differ and exits 1 when there is one.
# Usage: scripts/check-format.sh [-v]   (-v: also print clang-format's account of each difference)
# CI (.ci/run) runs it with Debian 12's clang-format, which scripts/install-deps.sh installs;
# another clang-format version may format a few constructs differently.
set -euo pipefail
cd "$(dirname "$0")/.."

verbose=0
[[ ${1:-} == -v ]] && verbose=1
command -v clang-format >/dev/null || {
  echo "check-format: clang-format not found; bash scripts/install-deps.sh installs it" >&2
  exit 2
}
git rev-parse --is-inside-work-tree >/dev/null 2>&1 || {
  echo "check-format: not a git checkout; the files to check come from git ls-files" >&2
  exit 2
}

# Generated sources live in build folders, which are ignored; node_modules is skipped in case
# a package ever ships C++.
mapfile -t files < <(git ls-files --cached --others --exclude-standard -- '*.h' '*.cpp' |
                     grep -v -e '/node_modules/' -e '^node_modules/' | sort -u)
existing=()
for file in "${files[@]}"; do
  [[ -f $file ]] && existing+=("$file")  # not those deleted in the working tree
done
files=("${existing[@]}")
(( ${#files[@]} > 0 )) || { echo "check-format: no C++ files found" >&2; exit 2; }
# One clang-format per file, on every core; each prints its file's name when it differs. The
# names go through a file so that a failure of xargs itself fails the check, not passes it.
listed=$(mktemp)
trap 'rm -f "$listed"' EXIT
# shellcheck disable=SC2016  # $f is the inner shell's
printf '%s\0' "${files[@]}" |
  xargs -0 -n 8 -P "$(nproc)" sh -c \
    'for f; do clang-format --dry-run --Werror "$f" 2>/dev/null || echo "$f"; done' check \
    >"$listed"
mapfile -t differ < <(sort "$listed")
if (( verbose )); then
  for file in "${differ[@]}"; do
    clang-format --dry-run "$file" 2>&1 | head -40 >&2
  done
fi

if (( ${#differ[@]} > 0 )); then
  echo "check-format: ${#differ[@]} of ${#files[@]} files differ from .clang-format" \
    "($(clang-format --version | sed 's/.*version /clang-format /')):" >&2
  printf '  %s\n' "${differ[@]}" >&2
  echo "check-format: fix with: clang-format -i ${differ[*]}" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files formatted as .clang-format says"
