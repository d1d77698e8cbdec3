#!/bin/sh
# The README's rule reference is generated from the rule table (src/diag.c)
# and lives between <!-- rules:begin --> and <!-- rules:end -->.
#   readme-rules.sh --write   rewrite that section from ./charter rules
#   readme-rules.sh OUT       write the README as it should be to OUT
set -eu
cd "$(dirname "$0")/.."
gen=$(mktemp)
trap 'rm -f "$gen"' EXIT
./charter rules --format markdown >"$gen"
target=${1:-}
[ "$target" = "--write" ] && target=README.md.new
awk -v gen="$gen" '
	/<!-- rules:begin -->/ { print; while ((getline l < gen) > 0) print l; skip = 1; next }
	/<!-- rules:end -->/ { skip = 0 }
	!skip { print }
' README.md >"$target"
if [ "${1:-}" = "--write" ]; then
	mv README.md.new README.md
	echo "README.md rule reference regenerated"
fi
