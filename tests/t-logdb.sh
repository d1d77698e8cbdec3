#!/bin/sh
# Decision logs in the states a real SQLite writer leaves them in: what the
# golden cases of t-rules.sh cannot commit (a lock held by a live process, a
# hot journal or WAL written by a crashed one), plus 'charter log init',
# 'charter log schema' and 'charter log sample'.
#
#   sh tests/t-logdb.sh
#
# Each case copies tests/rules/base (its decision log built with 'charter
# log init' and the sqlite3 shell, as t-rules.sh does), lets
# tests/logdb/writer.py (the system Python's sqlite3 module, a real SQLite
# writer) put the log in a state, and runs 'charter check' on the copy.  It
# checks the exit status, the rule id and a key phrase on stderr, and that
# the copy is byte for byte what it was: charter never creates a -shm,
# -wal or -journal beside a log, nor recovers, checkpoints or deletes one.
# Writers that must stay alive run in the background, say they are ready
# through a file outside the copy, and are killed (by process id) before
# the case ends or when the script exits.
. "$(cd "$(dirname "$0")" && pwd)/lib.sh"

AS_OF=2026-11-22
BASE=$TOP/tests/rules/base
WRITER=$TOP/tests/logdb/writer.py
DESIGN=$TOP/../shared/design.md
DB=logs/invoice-triage.db
TMP=$(scratch logdb)

if [ ! -x "$CHARTER" ]; then
	fail logdb "no charter binary at $CHARTER (run make charter)"
	exit 1
fi
for tool in sqlite3 timeout; do
	if ! command -v $tool >/dev/null 2>&1; then
		fail logdb "$tool is not installed"
		exit 1
	fi
done

# Background writers still alive; killed on every way out.
HOLDERS=
stop_holders() {
	for p in $HOLDERS; do
		kill "$p" 2>/dev/null
	done
	for p in $HOLDERS; do
		wait "$p" 2>/dev/null
	done
	HOLDERS=
}
trap 'stop_holders' EXIT
trap 'stop_holders; exit 130' INT TERM HUP

# mkrepo NAME: a fresh copy of base with a clean decision log, in
# $TMP/NAME/repo (sets REPO and CASE_DIR; CASE_DIR holds what must stay
# outside the repo: ready files, outputs).
mkrepo() {
	CASE_DIR=$TMP/$1
	REPO=$CASE_DIR/repo
	rm -rf "$CASE_DIR"
	mkdir -p "$REPO" && cp -R "$BASE/." "$REPO/" &&
	    rm -f "$REPO/$DB.sql" &&
	    "$CHARTER" log init "$REPO/$DB" >/dev/null &&
	    sqlite3 -bail "$REPO/$DB" <"$BASE/$DB.sql"
}

# writer MODE ARG...: run tests/logdb/writer.py on the repo's log.
writer() {
	mode=$1
	shift
	"$PY" "$WRITER" "$mode" "$REPO/$DB" "$@"
}

# hold NAME MODE [ARG]: start a writer that keeps a lock, wait (at most
# 10 s, polling) until it says it is ready.  Sets HOLDER.
hold() {
	ready=$CASE_DIR/$1.ready
	rm -f "$ready"
	"$PY" "$WRITER" "$2" "$REPO/$DB" "$ready" ${3:+"$3"} \
	    >"$CASE_DIR/$1.holder" 2>&1 &
	HOLDER=$!
	HOLDERS="$HOLDERS $HOLDER"
	i=0
	while [ ! -e "$ready" ]; do
		if ! kill -0 "$HOLDER" 2>/dev/null || [ $i -ge 200 ]; then
			return 1
		fi
		sleep 0.05
		i=$((i + 1))
	done
	return 0
}

# release: kill the last holder and wait for it (its locks go with it).
release() {
	kill "$HOLDER" 2>/dev/null
	wait "$HOLDER" 2>/dev/null
	rest=
	for p in $HOLDERS; do
		[ "$p" = "$HOLDER" ] || rest="$rest $p"
	done
	HOLDERS=$rest
}

# check NAME [OPTION...]: run charter check on $REPO; sets RC and ERR (the
# stderr file); fails the case and returns 1 when charter could not run,
# timed out, crashed, wrote to stdout or changed anything below $REPO.
check() {
	name=$1
	shift
	ERR=$CASE_DIR/$name.stderr
	before=$(snapshot "$REPO")
	stamp=$CASE_DIR/$name.stamp
	: >"$stamp"
	timeout 20 "$CHARTER" check --content "$REPO" --as-of "$AS_OF" "$@" \
	    >"$CASE_DIR/$name.stdout" 2>"$ERR"
	RC=$?
	after=$(snapshot "$REPO")
	if [ "$RC" -eq 124 ] || [ "$RC" -ge 125 ]; then
		fail "$name" "charter check exited $RC (timeout, crash or" \
		    "not run)" "$(tail -3 "$ERR")"
		return 1
	fi
	if [ "$before" != "$after" ] ||
	    [ -n "$(find "$REPO" -newer "$stamp" -print 2>/dev/null)" ]; then
		echo "$before" >"$CASE_DIR/$name.before"
		echo "$after" >"$CASE_DIR/$name.after"
		fail "$name" "charter check changed the content folder:" \
		    "$(diff "$CASE_DIR/$name.before" "$CASE_DIR/$name.after" |
		    grep '^[<>]' | head -6)" \
		    "$(find "$REPO" -newer "$stamp" -print | head -3)"
		return 1
	fi
	if [ -s "$CASE_DIR/$name.stdout" ]; then
		fail "$name" "charter check wrote to stdout:" \
		    "$(head -3 "$CASE_DIR/$name.stdout")"
		return 1
	fi
	return 0
}

# expect NAME STATUS RULE PHRASE...: after check, the exit status is
# STATUS, [RULE] is on stderr and so is every PHRASE.
expect() {
	name=$1 status=$2 rule=$3
	shift 3
	if [ "$RC" -ne "$status" ]; then
		fail "$name" "exit $RC, expected $status" "$(head -4 "$ERR")"
		return 1
	fi
	if ! grep -qF "[$rule]" "$ERR"; then
		fail "$name" "[$rule] not reported" "$(head -4 "$ERR")"
		return 1
	fi
	for phrase in "$@"; do
		if ! grep "\[$rule\]" "$ERR" | grep -qF -- "$phrase"; then
			fail "$name" "[$rule] does not say '$phrase'" \
			    "$(head -4 "$ERR")"
			return 1
		fi
	done
	pass "$name"
}

# readable NAME: after check, the log was read: exit 0 or 1 and no finding
# that the file could not be read.
readable() {
	if [ "$RC" -ne 0 ] && [ "$RC" -ne 1 ]; then
		fail "$1" "exit $RC, expected the log to be read (0 or 1)" \
		    "$(head -4 "$ERR")"
		return 1
	fi
	if grep -E '\[(log\.(unreadable|corrupt|needs-recovery|schema|limit)|input\.[a-z.-]*)\]' \
	    "$ERR" >"$CASE_DIR/$1.bad"; then
		fail "$1" "the log was not read:" "$(head -3 "$CASE_DIR/$1.bad")"
		return 1
	fi
	pass "$1"
}

# First byte of a file as a decimal number (empty when none).
first_byte() {
	od -An -tu1 -N1 "$1" 2>/dev/null | tr -d ' '
}

# ---- 1. locks held by a live writer (B7) -----------------------------------

# An EXCLUSIVE lock: no reader may enter; charter waits lock-ms and says so.
if mkrepo locked && hold locked hold; then
	check locked --limit lock-ms=300 &&
	    expect locked 3 log.unreadable "locked"
	release
else
	fail locked "setup failed" "$(cat "$CASE_DIR"/*.holder 2>/dev/null)"
fi

# The same with a spilled write: a -journal with a real header exists, but
# the writer is alive (holds RESERVED), so it is a lock, not a recovery.
# Once the writer is killed, the same journal is hot.
if mkrepo locked-journal && writer fill 2000 &&
    hold locked-journal hold write &&
    [ -s "$REPO/$DB-journal" ] &&
    [ "$(first_byte "$REPO/$DB-journal")" != 0 ]; then
	check locked-journal --limit lock-ms=300 &&
	    expect locked-journal 3 log.unreadable "locked" &&
	    if grep -qF '[log.needs-recovery]' "$ERR"; then
		fail locked-journal-not-hot "a live writer's journal was" \
		    "taken for a hot one"
	    else
		pass locked-journal-not-hot
	    fi
	release
	if [ -s "$REPO/$DB-journal" ]; then
		check locked-journal-killed &&
		    expect locked-journal-killed 3 log.needs-recovery \
		    "hot journal"
	else
		fail locked-journal-killed "the killed writer left no journal"
	fi
else
	fail locked-journal "setup failed (no live journal)" \
	    "$(cat "$CASE_DIR"/*.holder 2>/dev/null)"
fi

# A RESERVED lock (BEGIN IMMEDIATE and a small write): readers may still
# read the committed data, and the live writer's journal is left alone.
if mkrepo live-writer && hold live-writer live &&
    [ -e "$REPO/$DB-journal" ]; then
	check live-writer --limit lock-ms=300 && readable live-writer
	release
else
	fail live-writer "setup failed" \
	    "$(cat "$CASE_DIR"/*.holder 2>/dev/null)"
fi

# ---- 2. rollback journals left by a crashed writer (B9, B10) ----------------

# A large uncommitted UPDATE that spilled, then death: a hot journal.
if mkrepo hot-journal && writer fill 2000 && writer crash-hot &&
    [ -s "$REPO/$DB-journal" ] &&
    [ "$(first_byte "$REPO/$DB-journal")" != 0 ]; then
	check hot-journal && expect hot-journal 3 log.needs-recovery \
	    "hot journal" "invoice-triage.db-journal" "needs recovery"

	# B10: the main file alone is a valid database, and it shows
	# uncommitted rows: why charter must look beside the file.
	main=$REPO/$DB
	other=$CASE_DIR/main-only
	mkdir -p "$other" && cp -R "$BASE/." "$other/" &&
	    rm -f "$other/$DB.sql" && cp "$main" "$other/$DB" &&
	    cp "$main" "$CASE_DIR/probe.db"
	REPO=$other
	check hot-journal-main-only && readable hot-journal-main-only
	n=$("$PY" -c 'import sqlite3, sys
c = sqlite3.connect(sys.argv[1])
print(c.execute("select count(*) from decisions "
    "where rationale = upper(rationale)").fetchone()[0])' \
	    "$CASE_DIR/probe.db" 2>&1)
	case $n in
	'' | *[!0-9]*) fail hot-journal-mispaired "cannot count: $n" ;;
	0) pass "hot-journal-mispaired (the main file holds no" \
	    "uncommitted row: the writer did not spill)" ;;
	*) pass "hot-journal-mispaired ($n uncommitted rows visible in" \
	    "the main file alone, as B10 says)" ;;
	esac
else
	fail hot-journal "setup failed: no journal with a live header"
fi

# A writer that died before its first sync: the journal's header is still
# zero, so it is not hot (as SQLite decides); the committed data is read
# and the journal left where it is.
if mkrepo stale-journal && writer crash-early &&
    [ -s "$REPO/$DB-journal" ] &&
    [ "$(first_byte "$REPO/$DB-journal")" = 0 ]; then
	check stale-journal && readable stale-journal
else
	fail stale-journal "setup failed: no journal with a zero header"
fi

# An empty (0-byte) database with a zero-header journal: SQLite deletes
# such a journal when it can take a write lock; a read-only check must not.
if mkrepo empty-db-journal && : >"$REPO/$DB" &&
    head -c 512 /dev/zero >"$REPO/$DB-journal"; then
	check empty-db-journal &&
	    expect empty-db-journal 3 log.schema "no table 'decisions'"
else
	fail empty-db-journal "setup failed"
fi

# ---- 3. WAL with committed frames, never checkpointed (B8) ------------------

if mkrepo wal-committed && writer wal-crash 50 &&
    [ -s "$REPO/$DB-wal" ] && [ -s "$REPO/$DB-shm" ]; then
	check wal-committed &&
	    expect wal-committed 3 log.needs-recovery "un-checkpointed WAL" \
	    "wal_checkpoint"
else
	fail wal-committed "setup failed: no -wal and -shm"
fi

# ---- 4. WAL-mode databases that are complete in the main file ---------------

# Checkpointed and closed: no -wal, no -shm; read "immutable", nothing
# appears beside it.
if mkrepo wal-clean && writer wal-clean &&
    [ "$(od -An -tu1 -j18 -N2 "$REPO/$DB" | tr -s ' ')" = " 2 2" ] &&
    [ ! -e "$REPO/$DB-wal" ] && [ ! -e "$REPO/$DB-shm" ]; then
	check wal-clean && readable wal-clean
else
	fail wal-clean "setup failed: not a WAL database without sidecars"
fi

# Checkpointed (TRUNCATE) by a writer that then died: a 0-byte -wal and a
# -shm stay; both are left untouched.
if mkrepo wal-empty && writer wal-empty 50 &&
    [ -e "$REPO/$DB-wal" ] && [ ! -s "$REPO/$DB-wal" ] &&
    [ -s "$REPO/$DB-shm" ]; then
	check wal-empty && readable wal-empty
else
	fail wal-empty "setup failed: no empty -wal beside a -shm"
fi

# ---- 5. symbolic links (B15) -----------------------------------------------

# The log is a link to a database inside the repo, whose own hot journal
# (a crashed writer's) would be reported if the link were followed.
if mkrepo symlink-db && writer fill 500 && writer crash-hot &&
    mv "$REPO/$DB" "$REPO/real.db" &&
    mv "$REPO/$DB-journal" "$REPO/real.db-journal" &&
    ln -s ../real.db "$REPO/$DB"; then
	check symlink-db && expect symlink-db 3 input.symlink &&
	    if grep -qE '\[log\.(needs-recovery|corrupt|schema)\]' "$ERR"
	    then
		fail symlink-db-not-followed "the link was followed:" \
		    "$(head -3 "$ERR")"
	    else
		pass symlink-db-not-followed
	    fi
else
	fail symlink-db "setup failed"
fi

# A -journal beside the log that is a link (to a real hot journal): SQLite
# would open it through the link; charter refuses it.
if mkrepo symlink-journal && writer fill 500 && writer crash-hot &&
    mv "$REPO/$DB-journal" "$REPO/elsewhere" &&
    ln -s ../elsewhere "$REPO/$DB-journal"; then
	if check symlink-journal; then
		if [ "$RC" -eq 3 ] && grep -qE \
		    '\[(log\.unreadable|log\.needs-recovery|input\.symlink)\]' \
		    "$ERR"; then
			pass "symlink-journal ($(grep -o '\[[a-z.-]*\]' "$ERR" |
			    head -1))"
		else
			fail symlink-journal "exit $RC, expected 3 with a" \
			    "finding about the linked journal" \
			    "$(head -3 "$ERR")"
		fi
	fi
else
	fail symlink-journal "setup failed"
fi

# ---- 6. charter log init and charter log schema ----------------------------

CASE_DIR=$TMP/init
mkdir -p "$CASE_DIR/dir"

# An existing file is refused and left as it was.
f=$CASE_DIR/dir/existing.db
printf 'not yours\n' >"$f"
sum=$(cksum <"$f")
timeout 20 "$CHARTER" log init "$f" >/dev/null 2>"$CASE_DIR/existing.err"
rc=$?
if [ $rc -eq 4 ] && [ "$(cksum <"$f")" = "$sum" ] &&
    [ -s "$CASE_DIR/existing.err" ]; then
	pass init-existing
else
	fail init-existing "exit $rc (expected 4), the file" \
	    "$( [ "$(cksum <"$f")" = "$sum" ] && echo unchanged || echo CHANGED)" \
	    "$(head -2 "$CASE_DIR/existing.err")"
fi

# A link to a file: refused, the target unchanged; a dangling link: the
# file it names is not created.
t=$CASE_DIR/target
printf 'target\n' >"$t"
sum=$(cksum <"$t")
ln -s ../target "$CASE_DIR/dir/link.db"
ln -s ../nowhere.db "$CASE_DIR/dir/dangling.db"
before=$(snapshot "$CASE_DIR")
timeout 20 "$CHARTER" log init "$CASE_DIR/dir/link.db" >/dev/null 2>&1
rc1=$?
timeout 20 "$CHARTER" log init "$CASE_DIR/dir/dangling.db" >/dev/null 2>&1
rc2=$?
after=$(snapshot "$CASE_DIR")
if [ $rc1 -eq 4 ] && [ $rc2 -eq 4 ] && [ "$before" = "$after" ] &&
    [ "$(cksum <"$t")" = "$sum" ] && [ ! -e "$CASE_DIR/nowhere.db" ]; then
	pass init-symlink
else
	fail init-symlink "exit $rc1 (link to a file) and $rc2 (dangling)," \
	    "expected 4 and nothing written; nowhere.db" \
	    "$( [ -e "$CASE_DIR/nowhere.db" ] && echo created || echo absent)"
fi

# A new file: exactly the file (no sidecar left), with the schema of
# design.md and of 'charter log schema'.
new=$CASE_DIR/new/decisions.db
mkdir -p "$CASE_DIR/new"
if timeout 20 "$CHARTER" log init "$new" >/dev/null 2>"$CASE_DIR/new.err" &&
    [ "$(ls -A "$CASE_DIR/new")" = decisions.db ] &&
    [ "$(sqlite3 "$new" 'PRAGMA quick_check')" = ok ]; then
	pass init-creates
else
	fail init-creates "charter log init did not make exactly one valid" \
	    "file:" "$(ls -A "$CASE_DIR/new" | tr '\n' ' ')" \
	    "$(head -2 "$CASE_DIR/new.err")"
fi

# table_info DB TABLE: name|type|notnull|default|pk, one column a line.
table_info() {
	sqlite3 "$1" "SELECT name, type, \"notnull\", dflt_value, pk FROM
	    pragma_table_info('$2') ORDER BY cid"
}

# The schema of design.md: its two CREATE TABLE statements, run in an
# empty database.  Every column there must be in the created file, in the
# same order and with the same type, NOT NULL, default and key; columns the
# file adds after them are named.
if [ -f "$DESIGN" ]; then
	awk '/^CREATE TABLE (decisions|incidents) \(/ { on = 1 }
	    on { print } on && /^\);/ { on = 0 }' "$DESIGN" \
	    >"$CASE_DIR/design.sql"
	rm -f "$CASE_DIR/design.db"
	if [ "$(grep -c '^CREATE TABLE' "$CASE_DIR/design.sql")" -ne 2 ] ||
	    ! sqlite3 -bail "$CASE_DIR/design.db" <"$CASE_DIR/design.sql" \
	    2>"$CASE_DIR/design.err"; then
		fail init-design-schema "cannot read the two CREATE TABLE" \
		    "statements of $DESIGN" "$(head -2 "$CASE_DIR/design.err")"
	else
		for table in decisions incidents; do
			table_info "$CASE_DIR/design.db" $table \
			    >"$CASE_DIR/design.$table"
			table_info "$new" $table >"$CASE_DIR/made.$table"
			n=$(wc -l <"$CASE_DIR/design.$table")
			extra=$(tail -n +$((n + 1)) "$CASE_DIR/made.$table" |
			    cut -d'|' -f1 | tr '\n' ' ' | sed 's/ $//')
			if [ "$n" -gt 0 ] && head -n "$n" "$CASE_DIR/made.$table" |
			    cmp -s - "$CASE_DIR/design.$table"; then
				pass "init-design-schema-$table ($n columns" \
				    "as in design.md${extra:+; the file adds: $extra})"
			else
				fail "init-design-schema-$table" \
				    "columns differ from design.md:" \
				    "$(head -n "$n" "$CASE_DIR/made.$table" |
				    diff "$CASE_DIR/design.$table" - |
				    grep '^[<>]' | head -6)"
			fi
		done
	fi
else
	pass "init-design-schema (skipped: $DESIGN is absent)"
fi

# 'charter log schema' builds, in an empty database, what log init makes.
rm -f "$CASE_DIR/schema.db"
if timeout 20 "$CHARTER" log schema >"$CASE_DIR/schema.sql" &&
    sqlite3 -bail :memory: <"$CASE_DIR/schema.sql" &&
    sqlite3 -bail "$CASE_DIR/schema.db" <"$CASE_DIR/schema.sql"; then
	q="SELECT type, name, tbl_name FROM sqlite_schema ORDER BY 2"
	same=1
	[ "$(sqlite3 "$new" "$q")" = "$(sqlite3 "$CASE_DIR/schema.db" "$q")" ] ||
	    same=0
	for table in decisions incidents; do
		[ "$(table_info "$new" $table)" = \
		    "$(table_info "$CASE_DIR/schema.db" $table)" ] || same=0
	done
	if [ $same -eq 1 ]; then
		pass log-schema
	else
		fail log-schema "'charter log schema' and 'charter log init'" \
		    "make different schemas"
	fi
else
	fail log-schema "'charter log schema' is not SQL that sqlite3 runs"
fi

# ---- 7. charter log sample -------------------------------------------------

sample() {
	timeout 20 "$CHARTER" log sample --content "$REPO" --as-of "$AS_OF" \
	    --days 30 --seed 7 -q "$@"
}
if mkrepo sample; then
	# An existing log is refused without --force, and left alone.
	before=$(snapshot "$REPO")
	sample >/dev/null 2>"$CASE_DIR/refuse.err"
	rc=$?
	if [ $rc -eq 4 ] && [ "$before" = "$(snapshot "$REPO")" ] &&
	    grep -q -- '--force' "$CASE_DIR/refuse.err"; then
		pass sample-refuses
	else
		fail sample-refuses "exit $rc (expected 4, the log unchanged)" \
		    "$(head -2 "$CASE_DIR/refuse.err")"
	fi
	# Deterministic: two runs with --force, the same bytes, no sidecar.
	if sample --force >/dev/null 2>"$CASE_DIR/force1.err" &&
	    cp "$REPO/$DB" "$CASE_DIR/first.db" &&
	    sample --force >/dev/null 2>"$CASE_DIR/force2.err" &&
	    cmp -s "$REPO/$DB" "$CASE_DIR/first.db"; then
		if [ "$(ls -A "$REPO/logs")" = invoice-triage.db ]; then
			pass sample-deterministic
		else
			fail sample-deterministic "files beside the log:" \
			    "$(ls -A "$REPO/logs" | tr '\n' ' ')"
		fi
	else
		fail sample-deterministic "two runs with --force differ or" \
		    "failed" "$(head -2 "$CASE_DIR/force1.err" \
		    "$CASE_DIR/force2.err")"
	fi
	# --force replaces a link, never the file it points to.
	printf 'outside\n' >"$CASE_DIR/outside"
	sum=$(cksum <"$CASE_DIR/outside")
	rm -f "$REPO/$DB"
	ln -s ../../outside "$REPO/$DB"
	sample --force >/dev/null 2>"$CASE_DIR/link.err"
	rc=$?
	# Refused (the walker refuses links) or the link replaced; the
	# target never written.
	if [ "$(cksum <"$CASE_DIR/outside")" = "$sum" ] &&
	    { { [ $rc -ne 0 ] && [ -L "$REPO/$DB" ]; } ||
	    { [ $rc -eq 0 ] && [ ! -L "$REPO/$DB" ]; }; }; then
		pass "sample-force-symlink (exit $rc, the target unchanged)"
	else
		fail sample-force-symlink "exit $rc; the link's target outside" \
		    "the repo $( [ "$(cksum <"$CASE_DIR/outside")" = "$sum" ] &&
		    echo unchanged || echo WRITTEN), the link" \
		    "$( [ -L "$REPO/$DB" ] && echo kept || echo replaced)" \
		    "$(head -2 "$CASE_DIR/link.err")"
	fi
else
	fail sample "setup failed"
fi

# ---- 8. a huge value (B11) -------------------------------------------------

# 5 MB of text in a column the checks read, over the 1 MiB default:
# log.limit naming the row and the column; read with --limit log-value=8M.
for col in input_ref case_ref; do
	if mkrepo huge-$col && writer huge 3 5000000 $col; then
		check huge-$col &&
		    expect huge-$col 3 log.limit "row 3" "'$col'"
		check huge-$col-raised --limit log-value=8M &&
		    readable huge-$col-raised
	else
		fail huge-$col "setup failed"
	fi
done

# 5 MB in rationale, which the decisions scan does not read (log.h): it is
# never loaded, so no limit applies; never a crash, a time-out or a changed
# folder (check).
if mkrepo huge-rationale && writer huge 3 5000000 rationale; then
	if check huge-rationale; then
		if [ "$RC" -le 1 ] && ! grep -qE '\[(log|input)\.' "$ERR"
		then
			pass "huge-rationale (not read, no finding)"
		else
			fail huge-rationale "exit $RC:" "$(head -3 "$ERR")"
		fi
	fi
	check huge-rationale-raised --limit log-value=8M &&
	    readable huge-rationale-raised
else
	fail huge-rationale "setup failed"
fi

echo "t-logdb: $T_FAILS failed"
[ "$T_FAILS" -eq 0 ]
