#!/usr/bin/env bash
# Regenerates the dialect and pass reference from ODS (add_mlir_doc) and
# copies it into docs/.
set -euo pipefail

cd "$(dirname "$0")/.."
BUILD_DIR=${BUILD_DIR:-build}
ninja -C "$BUILD_DIR" graft-doc
mkdir -p docs/Dialects docs/Passes
cp "$BUILD_DIR"/docs/Dialects/GraftDialect.md docs/Dialects/
cp "$BUILD_DIR"/docs/Passes/*.md docs/Passes/
