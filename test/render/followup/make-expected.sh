#!/bin/sh
# Regenerates each case's expected.yaml with the real Kustomize (kubectl kustomize, v5.5.0 when these were made).
# Tests never run kubectl; run this by hand after changing a case: sh test/render/followup/make-expected.sh
set -e
cd "$(dirname "$0")/cases"
for dir in */; do
  dir=${dir%/}
  rm -f "$dir/expected.yaml"
  kubectl kustomize "$dir" > "$dir/expected.yaml" 2>/dev/null
done
