#!/bin/bash
# Builds Lupa (Release), indexes the bundled corpus and serves the search on 127.0.0.1:8080.
# Environment: LUPA_PORT (default 8080), LUPA_DATA (index folder, default data/index).
set -euo pipefail
cd "$(dirname "$0")/.."

bash scripts/install-deps.sh
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release >/dev/null
# Only the two programs: the tests are the test command's business.
cmake --build build -j"$(nproc)" --target lupa-indexer lupa-searchd

index=${LUPA_DATA:-data/index}
mkdir -p "$(dirname "$index")"
# Status 1 means some file failed and the rest is indexed: serve what there is.
./build/bin/lupa-indexer --db "$index" corpus || [[ $? -eq 1 ]]
exec ./build/bin/lupa-searchd --db "$index" --port "${LUPA_PORT:-8080}"
