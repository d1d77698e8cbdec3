"""A real SQLite writer for tests/t-logdb.sh: leaves a decision log in the
state a live or crashed writer process would.  Standard library only.

    python3 writer.py MODE DB [ARG...]

hold READY [write]  BEGIN EXCLUSIVE (with write: then a large UPDATE that
                    spills, so a -journal with a live header exists), touch
                    READY (a path outside the content folder) and wait until
                    killed (at most 60 s)
live READY          BEGIN IMMEDIATE and a small UPDATE (a RESERVED lock and
                    a -journal, readers still allowed), touch READY, wait
fill N              append N valid decisions (committed, journal_mode DELETE)
crash-hot           journal_mode DELETE, BEGIN, a large UPDATE that spills
                    to the main file, then exit without commit or rollback
crash-early         BEGIN, a one-row UPDATE that does not spill, exit: the
                    -journal's header is still zero (not hot)
wal-crash N         journal_mode WAL, append N decisions, commit, exit
                    without a checkpoint (-wal with committed frames, -shm)
wal-clean           journal_mode WAL, checkpoint TRUNCATE, close (no -wal)
wal-empty N         journal_mode WAL, append N decisions, checkpoint
                    TRUNCATE, exit without closing (a 0-byte -wal, a -shm)
huge ID BYTES [COL] set decision ID's COL (default rationale) to BYTES
                    bytes of text
"""
import os
import signal
import sqlite3
import sys


def connect(db):
    # Autocommit: every transaction below is explicit.
    return sqlite3.connect(db, isolation_level=None, timeout=5)


def fill(con, n):
    # Valid rows like row 1 of the base log, one per minute before it.
    con.execute(
        "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k "
        "WHERE i < ?) "
        "INSERT INTO decisions (ts, system, case_ref, exception, actor, "
        "action, mode, confidence, amount, model_version, corrected, "
        "cycle_seconds, cost, input_ref, rationale) "
        "SELECT strftime('%Y-%m-%dT%H:%M:%SZ', '2026-11-20T08:00:00', "
        "'-' || i || ' minutes'), 'invoice-triage', 'FILL-' || i, NULL, "
        "'agent', 'auto_resolved', 'live', 0.99, 10, 'm-1', 0, 4, 0.05, "
        "'erp:FILL-' || i, 'three-way match ' || printf('%.200c', 'x') "
        "FROM k", (n,))


def big_update(con):
    # A tiny cache makes the pager spill: it syncs the journal (writing
    # its real header) and writes uncommitted pages into the main file.
    con.execute("PRAGMA cache_size=10")
    con.execute("UPDATE decisions SET rationale = upper(rationale)")


def ready(path):
    with open(path + ".tmp", "w") as f:
        f.write(str(os.getpid()))
    os.rename(path + ".tmp", path)


def wait_forever():
    signal.alarm(60)        # never outlive a broken test by much
    while True:
        signal.pause()


def main(argv):
    mode, db, args = argv[1], argv[2], argv[3:]
    con = connect(db)
    if mode == "hold":
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("BEGIN EXCLUSIVE")
        if args[1:] == ["write"]:
            big_update(con)
        ready(args[0])
        wait_forever()
    elif mode == "live":
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE decisions SET rationale = 'pending' WHERE id = 1")
        ready(args[0])
        wait_forever()
    elif mode == "fill":
        con.execute("BEGIN")
        fill(con, int(args[0]))
        con.execute("COMMIT")
        con.close()
    elif mode == "crash-hot":
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("BEGIN")
        big_update(con)
        os._exit(0)
    elif mode == "crash-early":
        con.execute("PRAGMA journal_mode=DELETE")
        con.execute("BEGIN")
        con.execute("UPDATE decisions SET rationale = 'lost' WHERE id = 1")
        os._exit(0)
    elif mode == "wal-crash":
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("BEGIN")
        fill(con, int(args[0]))
        con.execute("COMMIT")
        os._exit(0)
    elif mode == "wal-clean":
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        con.close()
    elif mode == "wal-empty":
        con.execute("PRAGMA journal_mode=WAL")
        con.execute("PRAGMA wal_autocheckpoint=0")
        con.execute("BEGIN")
        fill(con, int(args[0]))
        con.execute("COMMIT")
        row = con.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if row[0] != 0:
            sys.exit("checkpoint was blocked: %r" % (row,))
        os._exit(0)
    elif mode == "huge":
        col = args[2] if len(args) > 2 else "rationale"
        if col not in ("rationale", "input_ref", "case_ref"):
            sys.exit("not a text column: " + col)
        con.execute("UPDATE decisions SET %s = printf('%%.*c', ?, 'r') "
                    "WHERE id = ?" % col, (int(args[1]), int(args[0])))
        con.close()
    else:
        sys.exit("unknown mode " + mode)


if __name__ == "__main__":
    main(sys.argv)
