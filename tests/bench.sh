#!/bin/sh
# make bench: how the cost of `charter check` grows with the number of
# systems.  Generates repos of N systems (copies of content/'s systems with
# new ids) under tests/tmp/bench and prints wall time and peak memory.
# Prints figures; asserts nothing.
set -eu
cd "$(dirname "$0")/.."
root=tests/tmp/bench
printf '%8s %10s %12s %10s\n' systems files "seconds" "peak KiB"
for n in 10 100 1000 5000; do
	d=$root/n$n
	rm -rf "$d"
	mkdir -p "$d/systems"
	cp content/organization.yaml content/risk-tiers.yaml \
	    content/decision-rights.yaml "$d/"
	i=0
	while [ "$i" -lt "$n" ]; do
		for f in content/systems/*.yaml; do
			[ "$i" -lt "$n" ] || break
			id=$(sed -n 's/^id: *//p' "$f")
			sed "s/^id: *$id\$/id: $id-$i/" "$f" >"$d/systems/$id-$i.yaml"
			i=$((i + 1))
		done
	done
	start=$(date +%s.%N)
	echo - >"$root/mem"
	timer=""
	[ -x /usr/bin/time ] && timer="/usr/bin/time -f %M -o $root/mem"
	$timer ./charter check --content "$d" \
	    --as-of 2026-11-22 --limit files=100000 --limit total=1000M \
	    2>/dev/null || true
	end=$(date +%s.%N)
	printf '%8d %10d %12.3f %10s\n' "$n" "$(find "$d" -name '*.yaml' | wc -l)" \
	    "$(echo "$end - $start" | bc)" "$(cat "$root/mem")"
done
rm -rf "$root"
