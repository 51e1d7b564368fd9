#!/usr/bin/env bash
# Adds a method the way a user would (one new schema file, nothing else) in a
# scratch clone, regenerates, and checks that the crate still compiles and its
# generated tests pass. Proves that adding a method needs no hand edit.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

git clone --quiet "$repo" "$scratch/repo"
cd "$scratch/repo"
cp tests/data/user.access.json schema/methods/user.access.json
sed -i 's#"../../schema/format.schema.json"#"../format.schema.json"#' schema/methods/user.access.json

# Reuse the main build's compiled dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$repo/target}"
cargo xtask codegen
changed=$(git status --porcelain | awk '{print $2}' | grep -v -e '^generated/' -e '^schema/methods/user.access.json$' || true)
if [ -n "$changed" ]; then
  echo "adding a method changed files outside generated/: $changed" >&2
  exit 1
fi
# The family's crate builds and passes the new example test on its own, and
# the facade builds with that family alone.
cargo test --quiet -p bitrix24-api-user --lib user_access
cargo check --quiet -p bitrix24 --no-default-features --features user
# The command line knows it too, with its flags, from the same schema file.
cargo run --quiet -p b24 -- methods --family user | grep -q '^user.access '
cargo run --quiet -p b24 -- user.access --help | grep -q 'apidocs.bitrix24.com'
echo "add-method: user.access generated, compiled, passed its example test and is a b24 command"

