#!/bin/bash
# Installs the Debian 12 packages Lupa builds and tests with, only those missing.
# Usage: scripts/install-deps.sh   (as root, or with sudo available)
set -euo pipefail

packages=(
  build-essential cmake pkg-config git ca-certificates clang-format
  libxapian-dev xapian-tools libpoco-dev libicu-dev libxml2-dev
  libgtest-dev libgmock-dev
  libtesseract-dev libleptonica-dev libpoppler-cpp-dev
  libhunspell-dev hunspell-es hunspell-en-us
  libjemalloc-dev
  tesseract-ocr tesseract-ocr-eng tesseract-ocr-spa
  chromium
)
# Node.js and npm for the browser tests, from Debian unless the machine already has them.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
  [[ $status == "install ok installed" ]] || missing+=("$package")
done
(( ${#missing[@]} == 0 )) && exit 0

sudo=""
if (( EUID != 0 )); then
  command -v sudo >/dev/null || { echo "install-deps: run as root to install: ${missing[*]}" >&2; exit 1; }
  sudo=sudo
fi
echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
