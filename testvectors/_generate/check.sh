#!/usr/bin/env bash
# Regenerates the test vectors with the pinned reference client
# (amazon-cognito-identity-js, see package.json) and checks that they equal
# the committed testvectors/*.json byte for byte. Needs node and npm only.
# Exits non-zero on any difference.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
vectors="$(dirname "$here")"
cd "$here"

command -v node >/dev/null || { echo "check.sh: node is not installed" >&2; exit 2; }
command -v npm >/dev/null || { echo "check.sh: npm is not installed" >&2; exit 2; }

npm install --no-audit --no-fund --loglevel=error >/dev/null
# package.json's overrides pin the whole tree: no package may be missing,
# of another version (npm ls fails) or extraneous (npm ls only says so).
if ! tree="$(npm ls --all 2>&1)" || grep -qE ' (extraneous|invalid)' <<<"$tree"; then
	echo "check.sh: node_modules is not the tree package.json pins:" >&2
	echo "$tree" >&2
	exit 1
fi

tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
mkdir "$tmp/generated" "$tmp/committed"
cp "$vectors"/*.json "$tmp/committed/"

node generate.js "$tmp/generated"

if diff -r -q "$tmp/committed" "$tmp/generated" >"$tmp/diff.txt"; then
	echo "check.sh: the committed vectors equal the generator's output"
	exit 0
fi
echo "check.sh: the committed vectors differ from the generator's output:" >&2
cat "$tmp/diff.txt" >&2
for f in "$tmp/generated"/*.json; do
	name="$(basename "$f")"
	if [ -f "$tmp/committed/$name" ]; then
		diff -u "$tmp/committed/$name" "$f" | head -n 40 >&2 || true
	fi
done
echo "check.sh: regenerate with: cd testvectors/_generate && npm install && node generate.js .." >&2
exit 1
