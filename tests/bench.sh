#!/bin/sh
# make bench: how the cost of `charter check` and `charter build` grows with
# the number of systems, of the decision-log metrics with the number of
# rows, and of the workbook's evidence export with the number of rows
# (part 3, next to tests/xlsx-bench, a minimal libxlsxwriter program).
#
# Part 1 generates repos of N systems (copies of content/'s systems with
# new ids; decision logs not read) and prints wall time and peak memory of
# check, and of build (check plus every page of the site, written and
# swapped in).
# Part 2 generates decision logs of 1 million and BENCH_ROWS (default 10
# million) rows with `charter log sample`, and times `charter metrics` (every
# built-in metric, per category and period, plus the integrity check)
# against the sqlite3 shell's one-pass aggregates over the same file.
# Prints figures; asserts nothing.
set -eu
cd "$(dirname "$0")/.."
root=tests/tmp/bench
printf '%8s %10s %12s %10s %12s %10s %10s\n' systems files "check s" \
    "peak KiB" "build s" "peak KiB" "out KiB"
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
	$timer ./charter check --content "$d" --no-logs \
	    --as-of 2026-11-22 --limit files=100000 --limit total=1000M \
	    2>/dev/null || true
	end=$(date +%s.%N)
	check_s=$(echo "$end - $start" | bc)
	check_mem=$(cat "$root/mem")
	[ -n "$timer" ] && timer="/usr/bin/time -f %M -o $root/mem"
	start=$(date +%s.%N)
	$timer ./charter build -q --content "$d" --out "$root/out" --no-logs \
	    --as-of 2026-11-22 --limit files=100000 --limit total=1000M \
	    2>/dev/null || true
	end=$(date +%s.%N)
	printf '%8d %10d %12.3f %10s %12.3f %10s %10s\n' "$n" \
	    "$(find "$d" -name '*.yaml' | wc -l)" "$check_s" "$check_mem" \
	    "$(echo "$end - $start" | bc)" "$(cat "$root/mem")" \
	    "$(du -sk "$root/out" 2>/dev/null | cut -f1)"
	rm -rf "$root/out"
done
rm -rf "$root"

# --- part 2: decision-log rows --------------------------------------------

BENCH_ROWS=${BENCH_ROWS:-10000000}
if ! command -v sqlite3 >/dev/null 2>&1; then
	echo "sqlite3 shell not installed (make test-deps): part 2 skipped"
	exit 0
fi
# Seconds (and peak KiB in $root/mem) of one command, output discarded.
timeit() {
	echo - >"$root/mem"
	start=$(date +%s.%N)
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -f %M -o "$root/mem" "$@" >/dev/null 2>&1
	else
		"$@" >/dev/null 2>&1
	fi
	end=$(date +%s.%N)
	echo "$end - $start" | bc
}
q3="SELECT count(*), sum(cost), avg(cycle_seconds) FROM decisions"
qall="SELECT count(*), count(ts), count(system), count(case_ref),
    count(exception), count(actor), count(action), count(mode),
    sum(confidence), sum(amount), count(model_version), count(reviewer),
    count(human_action), sum(corrected), sum(cycle_seconds), sum(cost),
    count(input_ref) FROM decisions"
echo
printf '%10s %9s %9s %9s %9s %9s %8s %8s %10s\n' rows generate "3-col" \
    "all-col" quick_chk charter "x 3-col" "x all" "peak KiB"
for rows in 1000000 "$BENCH_ROWS"; do
	d=$root/log$rows
	rm -rf "$d"
	mkdir -p "$d"
	cp -R tests/rules/base/. "$d/"
	rm -f "$d"/logs/*.sql
	gen=$(timeit ./charter log sample --content "$d" --as-of 2026-11-22 \
	    --days 365 --rows "$rows" --quiet)
	db=$d/logs/invoice-triage.db
	n=$(sqlite3 "$db" "SELECT count(*) FROM decisions")
	t3=$(timeit sqlite3 "$db" "$q3")
	tall=$(timeit sqlite3 "$db" "$qall")
	tqc=$(timeit sqlite3 "$db" "PRAGMA quick_check")
	tch=$(timeit ./charter metrics --content "$d" --as-of 2026-11-22 \
	    --format json)
	printf '%10d %9.2f %9.2f %9.2f %9.2f %9.2f %8.2f %8.2f %10s\n' "$n" \
	    "$gen" "$t3" "$tall" "$tqc" "$tch" "$(echo "$tch / $t3" | bc -l)" \
	    "$(echo "$tch / $tall" | bc -l)" "$(cat "$root/mem")"
	rm -rf "$d"
done
echo "(seconds; charter metrics includes an integrity check, PRAGMA"
echo " quick_check, of about the time shown in quick_chk; 'x' columns are"
echo " charter's time over each sqlite3 aggregate)"

# --- part 3: the workbook's decision-log evidence ---------------------------

# charter export xlsx against tests/xlsx-bench, the least a program can do
# to write the same cells (19 a row, with the same number formats) with
# libxlsxwriter in constant-memory mode.
BENCH_XLSX_ROWS=${BENCH_XLSX_ROWS:-1000000}
echo
printf '%10s %9s %11s %10s %9s %11s %10s %7s\n' rows "charter s" "rows/s" \
    "peak KiB" "minimal s" "rows/s" "peak KiB" ratio
for rows in 250000 "$BENCH_XLSX_ROWS"; do
	d=$root/xlsx$rows
	rm -rf "$d"
	mkdir -p "$d"
	cp -R tests/rules/base/. "$d/"
	rm -f "$d"/logs/*.sql
	./charter log sample --content "$d" --as-of 2026-11-22 --days 365 \
	    --rows "$rows" --quiet
	db=$d/logs/invoice-triage.db
	n=$(sqlite3 "$db" "SELECT count(*) FROM decisions")
	tc=$(timeit ./charter export xlsx --content "$d" --out "$d/c.xlsx" \
	    --as-of 2026-11-22)
	mc=$(cat "$root/mem")
	tm=$(timeit tests/xlsx-bench "$db" "$d/m.xlsx")
	mm=$(cat "$root/mem")
	printf '%10d %9.2f %11.0f %10s %9.2f %11.0f %10s %7.2f\n' "$n" \
	    "$tc" "$(echo "$n / $tc" | bc -l)" "$mc" "$tm" \
	    "$(echo "$n / $tm" | bc -l)" "$mm" "$(echo "$tm / $tc" | bc -l)"
	rm -rf "$d"
done
echo "(ratio: charter's rows per second over the minimal program's; charter"
echo " also loads and checks the repo, reads the log's rules and metrics in"
echo " the same pass, writes every register sheet, cleans every text to valid"
echo " UTF-8, checks every return code and reads the finished file back)"
rm -rf "$root"
