#!/usr/bin/env bash
# Adds a method the way a user would (one new schema file, nothing else) in
# this tree, regenerates, checks that the crate still compiles and its
# generated tests pass, and puts the tree back as it was. Proves that adding
# a method needs no hand edit. In this tree rather than a clone, so that only
# the crates the new method changes are built again; it refuses to run on a
# tree with changes of its own, which putting it back would lose.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -n "$(git status --porcelain)" ]; then
  echo "add-method: the tree has uncommitted changes; commit or stash them first" >&2
  exit 1
fi
trap 'git checkout --quiet -- . && git clean --quiet -fd -- schema generated' EXIT

cp tests/data/user.access.json schema/methods/user.access.json
sed -i 's#"../../schema/format.schema.json"#"../format.schema.json"#' schema/methods/user.access.json

cargo xtask codegen
changed=$(git status --porcelain | awk '{print $2}' | grep -v -e '^generated/' -e '^schema/methods/user.access.json$' || true)
if [ -n "$changed" ]; then
  echo "adding a method changed files outside generated/: $changed" >&2
  exit 1
fi
# Built as the tests step built everything (`cargo test --workspace`: the
# same packages and features), so only the family that changed and what
# depends on it are compiled again. The family's new example test passes...
tests=$(cargo test --workspace --test examples user_access 2>&1) || { echo "$tests" >&2; exit 1; }
if ! grep -Eq 'test result: ok\. [1-9][0-9]* passed' <<<"$tests"; then
  echo "add-method: no example test of user.access ran" >&2
  exit 1
fi
# ...the facade builds with that family alone...
cargo check --quiet -p bitrix24 --no-default-features --features user
# ...and the command line knows the method too, with its flags, from the
# same schema file (its binary is the one its own tests run).
cargo test --quiet --workspace --test cli --no-run
target=$(cargo metadata --format-version 1 --no-deps | sed -n 's/.*"target_directory":"\([^"]*\)".*/\1/p')
"$target/debug/b24" methods --family user | grep -q '^user.access '
"$target/debug/b24" user.access --help | grep -q 'apidocs.bitrix24.com'
echo "add-method: user.access generated, compiled, passed its example test and is a b24 command"
