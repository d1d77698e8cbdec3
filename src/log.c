/*
 * log.c - decision logs in SQLite, the only file that includes <sqlite3.h>.
 *
 * Reading: a log is a hostile input.  It is reached through directory
 * descriptors (openat with O_NOFOLLOW) so no symbolic link below the content
 * folder is followed, its header and sidecar files are checked by hand
 * before SQLite sees it, and the connection is opened read-only with a
 * defensive configuration and checked with PRAGMA quick_check.  Nothing is
 * ever created or changed next to the file: a WAL-mode database without a
 * -wal file is opened "immutable" (no -shm), a rollback-journal database
 * read-only (no file at all), and anything needing a writer is refused.
 * Identifiers reach SQL only after they matched the real schema, quoted;
 * values are always bound.
 *
 * Writing: log_create makes a new file (never an existing one) with the
 * documented schema and fills it in one transaction.
 *
 * Every sqlite3 call's result is checked; SQLite codes become findings
 * (reading) or one line on stderr (writing) here, at the module's edge.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <sqlite3.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "input.h"
#include "log.h"
#include "model.h"
#include "util.h"

/* One process-wide cap on SQLite's heap, so no log can exhaust memory. */
#define HEAP_LIMIT	(512LL << 20)
/* Bytes of database text echoed in a message. */
#define ECHO_MAX	80
/* Rows or values named in one finding; the rest are counted. */
#define NAME_MAX_ROWS	5
/* Where SQLite's rollback locks live in the file (os_unix.c). */
#define PENDING_BYTE	0x40000000
#define RESERVED_BYTE	(PENDING_BYTE + 1)

const char *const actor_names[ACTOR_MAX] = { "agent", "human" };
const char *const action_names[ACTION_MAX] = {
	"auto_resolved", "escalated", "requested_info", "approved", "rejected"
};
const char *const mode_names[MODE_MAX] = { "live", "shadow" };

const char *const log_col_names[COL_MAX] = {
	"id", "ts", "system", "case_ref", "exception", "actor", "action",
	"mode", "confidence", "amount", "model_version", "reviewer",
	"human_action", "corrected", "cycle_seconds", "cost", "input_ref",
	"rationale"
};

const char *const inc_col_names[ICOL_MAX] = {
	"id", "system", "opened", "severity", "serious", "summary", "reported",
	"closed", "category"
};

const char *const inc_severity_names[INC_SEVERITY_MAX] = {
	"low", "medium", "high", "critical"
};
const char *const inc_category_names[INC_CATEGORY_MAX] = {
	"general", "death", "widespread"
};

/*
 * The schema, as design.md gives it, plus the optional incidents.category
 * (the Art. 73 deadline category) and the indexes the metrics use.  The
 * writer creates the tables first and the indexes after the bulk insert,
 * which is much faster than keeping them up to date row by row.
 */
#define SCHEMA_TABLES \
"CREATE TABLE decisions (\n" \
"  id            INTEGER PRIMARY KEY,\n" \
"  ts            TEXT NOT NULL,   -- ISO 8601 UTC, e.g. " \
"2026-03-04T09:15:02Z\n" \
"  system        TEXT NOT NULL,   -- system id (or its log.system_key)\n" \
"  case_ref      TEXT,            -- ticket / transaction id the decision " \
"belongs to\n" \
"  exception     TEXT,            -- decision-table exception id; NULL for " \
"a clean case\n" \
"  actor         TEXT NOT NULL,   -- 'agent' | 'human'\n" \
"  action        TEXT NOT NULL,   -- 'auto_resolved' | 'escalated' | " \
"'requested_info' | 'approved' | 'rejected'\n" \
"  mode          TEXT NOT NULL DEFAULT 'live',  -- 'live' | 'shadow'\n" \
"  confidence    REAL,            -- 0..1, agent decisions\n" \
"  amount        REAL,            -- money at stake, if any\n" \
"  model_version TEXT,\n" \
"  reviewer      TEXT,            -- person id when a human acted or " \
"reviewed\n" \
"  human_action  TEXT,            -- shadow mode: what the human decided " \
"for the same case\n" \
"  corrected     INTEGER NOT NULL DEFAULT 0,  -- 1 when the decision was " \
"later found wrong\n" \
"  cycle_seconds REAL,\n" \
"  cost          REAL,\n" \
"  input_ref     TEXT,            -- reference to the input data (Art. 12)\n" \
"  rationale     TEXT\n" \
");\n" \
"CREATE TABLE incidents (\n" \
"  id INTEGER PRIMARY KEY, system TEXT NOT NULL, opened TEXT NOT NULL,\n" \
"  severity TEXT NOT NULL,        -- 'low' | 'medium' | 'high' | 'critical'\n" \
"  serious INTEGER NOT NULL DEFAULT 0,   -- a serious incident in the " \
"sense of Art. 3(49)\n" \
"  summary TEXT NOT NULL, reported TEXT, closed TEXT,\n" \
"  category TEXT                  -- optional, Art. 73 deadline: 'general' " \
"| 'death' | 'widespread'\n" \
");\n"
#define SCHEMA_INDEXES \
"CREATE INDEX decisions_system_ts ON decisions(system, ts);\n" \
"CREATE INDEX incidents_system ON incidents(system);\n"

const char log_schema_sql[] = SCHEMA_TABLES SCHEMA_INDEXES;

struct logdb {
	sqlite3			*db;
	struct arena		*arena;
	struct diag		*d;
	const char		*path;		/* display path, also opened */
	struct loc		 decl;
	int			 has_decl;
	struct log_limits	 lim;
	int			 has_incidents;
	int			 has_category;	/* incidents.category */
};

void
log_limits_default(struct log_limits *l)
{
	l->busy_ms = 2000;
	/*
	 * A KPI aggregate over ten million rows takes a few hundred million
	 * VM steps; a billion stops a runaway query within seconds.
	 */
	l->sql_steps = 1000000000LL;
	l->sql_rows = 10000;
	/* SQLite checks each text or blob value against it as it is read. */
	l->max_value = 1 << 20;
}

/*
 * Database text, made fit for a message: at most max bytes copied into the
 * arena, invalid UTF-8 and NUL bytes replaced by U+FFFD, "..." appended
 * when cut.  Never splits a character.
 */
static char *
echo_text(struct arena *a, const char *s, size_t len, size_t max)
{
	const unsigned char *u = (const unsigned char *)s;
	char *out, *o;
	size_t i = 0, n, bad;

	o = out = arena_alloc(a, max + 8);
	if (s == NULL)
		return out;
	while (i < len) {
		if (u[i] < 0x80)
			n = 1;
		else if ((u[i] & 0xE0) == 0xC0)
			n = 2;
		else if ((u[i] & 0xF0) == 0xE0)
			n = 3;
		else
			n = 4;
		if (i + n > len || utf8_valid(s + i, n, &bad) != 0 ||
		    u[i] == 0)
			n = 0;
		if ((size_t)(o - out) + (n ? n : 3) > max) {
			memcpy(o, "...", 3);
			o += 3;
			break;
		}
		if (n == 0) {
			memcpy(o, "\xEF\xBF\xBD", 3);
			o += 3;
			i++;
		} else {
			memcpy(o, s + i, n);
			o += n;
			i += n;
		}
	}
	*o = '\0';
	return out;
}

/* A column's value as text for a message: quoted text, a number, a blob. */
static const char *
echo_value(struct arena *a, sqlite3_stmt *st, int c)
{
	const char *s;

	switch (sqlite3_column_type(st, c)) {
	case SQLITE_NULL:
		return "NULL";
	case SQLITE_BLOB:
		return arena_printf(a, "a blob of %d bytes",
		    sqlite3_column_bytes(st, c));
	case SQLITE_TEXT:
		s = (const char *)sqlite3_column_text(st, c);
		return arena_printf(a, "'%s'", echo_text(a, s,
		    (size_t)sqlite3_column_bytes(st, c), ECHO_MAX));
	default:
		s = (const char *)sqlite3_column_text(st, c);
		return arena_strdup(a, s != NULL ? s : "?");
	}
}

/* SQLite's message for the connection, made fit for a finding. */
static const char *
errmsg(struct logdb *l)
{
	const char *m = sqlite3_errmsg(l->db);

	return echo_text(l->arena, m, strlen(m), 160);
}

/* A finding about the log at table:rowid with the rule's severity. */
#define finding(l, r, table, rowid, basis, ...) \
	diag_emit_row((l)->d, (r), rule_table[(r)].severity, (l)->path, \
	    (table), (rowid), (basis), __VA_ARGS__)

/* A finding about the whole file, based on the YAML that named it. */
#define FILE_FINDING(l, r, ...) \
	finding((l), (r), NULL, 0, (l)->has_decl ? &(l)->decl : NULL, \
	    __VA_ARGS__)

/*
 * The finding an SQLite error deserves; what says what was being done.
 * Returns -1 so callers can return its value.
 */
static int
sql_fail(struct logdb *l, int rc, const char *table, long long rowid,
    const struct loc *basis, const char *what)
{
	const struct loc *b = basis;

	if (b == NULL && l->has_decl)
		b = &l->decl;
	switch (rc & 0xff) {
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		finding(l, R_LOG_UNREADABLE, NULL, 0, b,
		    "decision log is locked by another process");
		break;
	case SQLITE_CORRUPT:
	case SQLITE_NOTADB:
		finding(l, R_LOG_CORRUPT, table, rowid, b,
		    "decision log is corrupt (%s while %s)", errmsg(l), what);
		break;
	case SQLITE_CANTOPEN:
	case SQLITE_READONLY:
		if (rc == SQLITE_READONLY_ROLLBACK)
			finding(l, R_LOG_NEEDS_RECOVERY, NULL, 0, b,
			    "hot journal beside the database: needs recovery "
			    "by a writer: open it once with sqlite3 and "
			    "commit");
		else if (rc == SQLITE_READONLY_RECOVERY ||
		    rc == SQLITE_READONLY_CANTINIT)
			finding(l, R_LOG_NEEDS_RECOVERY, NULL, 0, b,
			    "cannot be read without a writer (%s): run "
			    "PRAGMA wal_checkpoint(TRUNCATE) and commit the "
			    "database", errmsg(l));
		else
			finding(l, R_LOG_UNREADABLE, table, rowid, b,
			    "cannot read the decision log (%s while %s)",
			    errmsg(l), what);
		break;
	case SQLITE_NOMEM:
		finding(l, R_LOG_LIMIT, table, rowid, b,
		    "out of memory while %s (SQLite may use %lld MiB)", what,
		    HEAP_LIMIT >> 20);
		break;
	case SQLITE_TOOBIG:
		finding(l, R_LOG_LIMIT, table, rowid, b,
		    "a value is longer than %zu bytes while %s (limit "
		    "log-value)", l->lim.max_value, what);
		break;
	default:
		finding(l, R_LOG_UNREADABLE, table, rowid, b,
		    "cannot read the decision log (%s while %s)", errmsg(l),
		    what);
		break;
	}
	return -1;
}

/*
 * Percent-encode path into a file: URI.  Even a plain open goes through a
 * URI so that a path which happens to start with "file:" means the file.
 */
static char *
file_uri(struct arena *a, const char *path, const char *query)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(path), i;
	char *u, *o;

	u = o = arena_alloc(a, 8 + 3 * n + strlen(query) + 1);
	memcpy(o, "file:", 5);
	o += 5;
	/* An absolute path gets an empty authority: file:///abs. */
	if (path[0] == '/') {
		memcpy(o, "//", 2);
		o += 2;
	}
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)path[i];

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || c == '/' || c == '.' ||
		    c == '-' || c == '_' || c == '~')
			*o++ = (char)c;
		else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	strcpy(o, query);
	return u;
}

/* Whether another process holds SQLite's RESERVED lock on fd's file. */
static int
reserved_by_other(int fd)
{
	struct flock fl;

	memset(&fl, 0, sizeof(fl));
	fl.l_type = F_WRLCK;
	fl.l_whence = SEEK_SET;
	fl.l_start = RESERVED_BYTE;
	fl.l_len = 1;
	if (fcntl(fd, F_GETLK, &fl) != 0)
		return 0;
	return fl.l_type != F_UNLCK;
}

/*
 * Check the sidecar base+suffix in dirfd.  Returns 1 when it exists and
 * is not empty, 0 when absent or empty, -1 after a finding.  *first gets
 * its first byte.
 */
static int
sidecar(struct logdb *l, int dirfd, const char *base, const char *suffix,
    unsigned char *first)
{
	const char *name = arena_printf(l->arena, "%s%s", base, suffix);
	struct stat st;
	int fd;

	*first = 0;
	if (fstatat(dirfd, name, &st, AT_SYMLINK_NOFOLLOW) != 0) {
		if (errno == ENOENT)
			return 0;
		FILE_FINDING(l, R_LOG_UNREADABLE, "cannot check '%s' beside "
		    "the database: %s", name, strerror(errno));
		return -1;
	}
	if (!S_ISREG(st.st_mode)) {
		/* SQLite would follow a linked journal out of the folder. */
		FILE_FINDING(l, R_LOG_UNREADABLE, "'%s' beside the database is "
		    "not a regular file", name);
		return -1;
	}
	if (st.st_size == 0)
		return 0;
	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	/* What cannot be read is taken as a live header: the safe side. */
	*first = 1;
	if (fd >= 0) {
		if (pread(fd, first, 1, 0) != 1)
			*first = 1;
		close(fd);
	}
	return 1;
}

/*
 * Walk root/rel one component at a time, refusing symbolic links and
 * anything but a regular file, and check what SQLite would not tell us
 * safely: the header, a hot journal, an un-checkpointed WAL.  Sets *wal
 * for a WAL-mode database.  Returns 0 or -1 after a finding.
 */
static int
precheck(struct logdb *l, const char *root, const char *rel, int *wal)
{
	static const char magic[16] = "SQLite format 3";
	unsigned char hdr[100], first;
	struct stat st;
	const char *p, *e, *base;
	char *part;
	ssize_t n;
	int dirfd, fd, next, hot, r, ret = -1;

	*wal = 0;
	if (!rel_path_ok(rel)) {
		FILE_FINDING(l, R_LOG_UNREADABLE, "not a relative path inside "
		    "the content folder");
		return -1;
	}
	if ((dirfd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) < 0) {
		FILE_FINDING(l, R_LOG_UNREADABLE, "cannot open the content "
		    "folder: %s", strerror(errno));
		return -1;
	}
	for (p = rel; (e = strchr(p, '/')) != NULL; p = e + 1) {
		part = arena_strndup(l->arena, p, (size_t)(e - p));
		next = openat(dirfd, part, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			int err = errno;
			const char *upto = arena_strndup(l->arena, rel,
			    (size_t)(e - rel));

			if (err == ELOOP || (fstatat(dirfd, part, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode)))
				FILE_FINDING(l, R_LOG_UNREADABLE, "'%s' is a "
				    "symbolic link; decision logs must be "
				    "regular files inside the content folder",
				    upto);
			else if (err == ENOENT)
				FILE_FINDING(l, R_LOG_UNREADABLE, "decision "
				    "log not found: no folder '%s'", upto);
			else
				FILE_FINDING(l, R_LOG_UNREADABLE, "cannot open "
				    "folder '%s': %s", upto, strerror(err));
			goto out;
		}
		close(dirfd);
		dirfd = next;
	}
	base = p;
	fd = openat(dirfd, base, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0) {
		if (errno == ELOOP)
			FILE_FINDING(l, R_LOG_UNREADABLE, "a symbolic link; "
			    "decision logs must be regular files inside the "
			    "content folder");
		else if (errno == ENOENT)
			FILE_FINDING(l, R_LOG_UNREADABLE, "decision log not "
			    "found");
		else
			FILE_FINDING(l, R_LOG_UNREADABLE, "cannot open: %s",
			    strerror(errno));
		goto out;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		FILE_FINDING(l, R_LOG_UNREADABLE, "not a regular file");
		close(fd);
		goto out;
	}
	n = pread(fd, hdr, sizeof(hdr), 0);
	if (n < 0) {
		FILE_FINDING(l, R_LOG_UNREADABLE, "cannot read: %s",
		    strerror(errno));
		close(fd);
		goto out;
	}
	/* A 0-byte file is a valid empty database (it has no tables). */
	if (n > 0 && (n < 16 || memcmp(hdr, magic, 16) != 0)) {
		FILE_FINDING(l, R_LOG_UNREADABLE, "not an SQLite database");
		close(fd);
		goto out;
	}
	/* Write and read format versions 2 mean WAL mode. */
	*wal = n >= 20 && (hdr[18] == 2 || hdr[19] == 2);
	if ((hot = sidecar(l, dirfd, base, "-journal", &first)) < 0) {
		close(fd);
		goto out;
	}
	/*
	 * A journal is hot (left by a crashed writer) unless a live writer
	 * holds the RESERVED lock or its header was zeroed (journal_mode
	 * PERSIST), as SQLite itself decides.  A live writer's journal is
	 * not hot: the read below waits for it or reports the lock.
	 */
	if (hot && first != 0 && !reserved_by_other(fd)) {
		FILE_FINDING(l, R_LOG_NEEDS_RECOVERY, "hot journal "
		    "'%s-journal' beside it: needs recovery by a writer: open "
		    "it once with sqlite3 and commit", base);
		close(fd);
		goto out;
	}
	/* Our descriptor goes before SQLite opens: closing it later would
	   drop SQLite's POSIX locks on the same file. */
	close(fd);
	if ((r = sidecar(l, dirfd, base, "-wal", &first)) < 0)
		goto out;
	if (r > 0) {
		FILE_FINDING(l, R_LOG_NEEDS_RECOVERY, "un-checkpointed WAL "
		    "'%s-wal': run PRAGMA wal_checkpoint(TRUNCATE) and commit "
		    "the database", base);
		goto out;
	}
	ret = 0;
out:
	close(dirfd);
	return ret;
}

/* Run sql that returns no rows we need; 0 or the SQLite code. */
static int
exec(sqlite3 *db, const char *sql)
{
	return sqlite3_exec(db, sql, NULL, NULL, NULL);
}

/* The defensive configuration, before the first read of the file. */
static int
configure(struct logdb *l)
{
	static const struct {
		int	op, v;
	} cfg[] = {
		{ SQLITE_DBCONFIG_DEFENSIVE, 1 },
		{ SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0 },
		{ SQLITE_DBCONFIG_ENABLE_TRIGGER, 0 },
		{ SQLITE_DBCONFIG_ENABLE_VIEW, 0 },
		{ SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0 },
	};
	size_t i;
	int rc, got;

	for (i = 0; i < ARRAY_SIZE(cfg); i++) {
		got = -1;
		rc = sqlite3_db_config(l->db, cfg[i].op, cfg[i].v, &got);
		if (rc != SQLITE_OK || got != cfg[i].v)
			return sql_fail(l, rc != SQLITE_OK ? rc : SQLITE_ERROR,
			    NULL, 0, NULL, "configuring the connection");
	}
	sqlite3_limit(l->db, SQLITE_LIMIT_ATTACHED, 0);
	sqlite3_limit(l->db, SQLITE_LIMIT_SQL_LENGTH, 100000);
	sqlite3_limit(l->db, SQLITE_LIMIT_EXPR_DEPTH, 100);
	sqlite3_limit(l->db, SQLITE_LIMIT_COMPOUND_SELECT, 20);
	if ((rc = sqlite3_busy_timeout(l->db, l->lim.busy_ms > INT_MAX ?
	    INT_MAX : (int)l->lim.busy_ms)) != SQLITE_OK)
		return sql_fail(l, rc, NULL, 0, NULL,
		    "configuring the connection");
	/*
	 * Temporary files (sorting for a contract's unique clause) stay in
	 * SQLite's default: an unlinked file in SQLITE_TMPDIR, TMPDIR or
	 * /var/tmp, never beside the input; in memory they would run into
	 * the heap limit on a big log.
	 */
	if ((rc = exec(l->db, "PRAGMA mmap_size=0; PRAGMA cell_size_check=ON;"
	    " PRAGMA temp_store=FILE;")) != SQLITE_OK)
		return sql_fail(l, sqlite3_extended_errcode(l->db), NULL, 0,
		    NULL, "configuring the connection");
	return 0;
}

/* Exactly one row "ok", else corrupt. */
static int
quick_check(struct logdb *l)
{
	sqlite3_stmt *st;
	const char *s;
	char *first = NULL;
	int rc, rows = 0, ok = 0;

	rc = sqlite3_prepare_v2(l->db, "PRAGMA quick_check(10)", -1, &st,
	    NULL);
	if (rc != SQLITE_OK)
		return sql_fail(l, sqlite3_extended_errcode(l->db), NULL, 0,
		    NULL, "checking its integrity");
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		s = (const char *)sqlite3_column_text(st, 0);
		if (rows++ == 0 && s != NULL) {
			static const char head[] = "*** in database main ***\n";
			size_t n = (size_t)sqlite3_column_bytes(st, 0);
			char *p;

			ok = strcmp(s, "ok") == 0;
			/* Drop SQLite's banner; one line per problem. */
			if (strncmp(s, head, sizeof(head) - 1) == 0) {
				s += sizeof(head) - 1;
				n -= sizeof(head) - 1;
			}
			first = echo_text(l->arena, s, n, ECHO_MAX);
			while ((p = strchr(first, '\n')) != NULL)
				*p = ';';
		}
	}
	if (rc != SQLITE_DONE) {
		rc = sqlite3_extended_errcode(l->db);
		sqlite3_finalize(st);
		return sql_fail(l, rc, NULL, 0, NULL, "checking its integrity");
	}
	sqlite3_finalize(st);
	if (rows == 1 && ok)
		return 0;
	FILE_FINDING(l, R_LOG_CORRUPT, "decision log is corrupt: quick_check "
	    "reports %s%s", rows == 0 ? "nothing" : arena_printf(l->arena,
	    "'%s'", first), rows > 1 ? arena_printf(l->arena, " and %d more "
	    "problem%s", rows - 1, rows == 2 ? "" : "s") : "");
	return -1;
}

/*
 * What kind of object name is: 1 a rowid table, 0 absent, -1 after a
 * finding (r) that it is a view, a virtual or WITHOUT ROWID table, or
 * after an error.  The real name goes to *real.
 */
static int
table_kind(struct logdb *l, const char *name, enum rule r,
    const struct loc *basis, const char **real)
{
	sqlite3_stmt *st;
	const char *type = NULL, *kind = NULL;
	int rc, wr = 0;

	*real = NULL;
	rc = sqlite3_prepare_v2(l->db, "SELECT type, name FROM sqlite_schema "
	    "WHERE name = ?1 COLLATE NOCASE AND type IN ('table', 'view')",
	    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(l, sqlite3_extended_errcode(l->db), NULL, 0,
		    basis, "reading the schema");
	if ((rc = sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC)) !=
	    SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		type = arena_strdup(l->arena, (const char *)
		    sqlite3_column_text(st, 0) ? (const char *)
		    sqlite3_column_text(st, 0) : "");
		*real = arena_strdup(l->arena, (const char *)
		    sqlite3_column_text(st, 1) ? (const char *)
		    sqlite3_column_text(st, 1) : name);
	} else if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	if (type == NULL)
		return 0;
	if (strcmp(type, "table") != 0) {
		finding(l, r, NULL, 0, basis, "'%s' is a %s, not a table",
		    name, echo_text(l->arena, type, strlen(type), 20));
		return -1;
	}
	rc = sqlite3_prepare_v2(l->db, "SELECT type, wr FROM "
	    "pragma_table_list(?1) WHERE schema = 'main'", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(l, sqlite3_extended_errcode(l->db), NULL, 0,
		    basis, "reading the schema");
	if ((rc = sqlite3_bind_text(st, 1, *real, -1, SQLITE_STATIC)) !=
	    SQLITE_OK)
		goto fail;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *t = (const char *)sqlite3_column_text(st, 0);

		wr = sqlite3_column_int(st, 1);
		if (t == NULL || strcmp(t, "table") != 0)
			kind = "virtual table";
	} else if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	if (kind == NULL && wr)
		kind = "WITHOUT ROWID table";
	if (kind != NULL) {
		finding(l, r, NULL, 0, basis, "'%s' is a %s; a table with "
		    "rowids is needed", name, kind);
		return -1;
	}
	return 1;
fail:
	rc = sqlite3_extended_errcode(l->db);
	sqlite3_finalize(st);
	return sql_fail(l, rc, NULL, 0, basis, "reading the schema");
}

/* A table's columns, from the real schema. */
struct columns {
	const char	**name;
	size_t		  n;
	int		  id_is_rowid;	/* id is the INTEGER PRIMARY KEY */
};

/* Read table's columns; 0 or -1 after a finding. */
static int
table_columns(struct logdb *l, const char *table, const struct loc *basis,
    struct columns *c)
{
	sqlite3_stmt *st;
	const char *s, *type;
	size_t cap = 0;
	int rc, pks = 0, idpk = 0;

	memset(c, 0, sizeof(*c));
	rc = sqlite3_prepare_v2(l->db, "SELECT name, type, pk FROM "
	    "pragma_table_info(?1)", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sql_fail(l, sqlite3_extended_errcode(l->db), NULL, 0,
		    basis, "reading the schema");
	if ((rc = sqlite3_bind_text(st, 1, table, -1, SQLITE_STATIC)) !=
	    SQLITE_OK)
		goto fail;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((s = (const char *)sqlite3_column_text(st, 0)) == NULL)
			continue;
		if (c->n == cap) {
			const char **v;

			cap = cap ? 2 * cap : 32;
			v = arena_alloc(l->arena, cap * sizeof(*v));
			if (c->n)
				memcpy(v, c->name, c->n * sizeof(*v));
			c->name = v;
		}
		c->name[c->n++] = arena_strdup(l->arena, s);
		if (sqlite3_column_int(st, 2) != 0) {
			pks++;
			type = (const char *)sqlite3_column_text(st, 1);
			if (strcasecmp(s, "id") == 0 && type != NULL &&
			    strcasecmp(type, "INTEGER") == 0)
				idpk = 1;
		}
	}
	if (rc != SQLITE_DONE)
		goto fail;
	sqlite3_finalize(st);
	c->id_is_rowid = idpk && pks == 1;
	return 0;
fail:
	rc = sqlite3_extended_errcode(l->db);
	sqlite3_finalize(st);
	return sql_fail(l, rc, NULL, 0, basis, "reading the schema");
}

/* The real name of column name, or NULL. */
static const char *
column_find(const struct columns *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->n; i++)
		if (strcasecmp(c->name[i], name) == 0)
			return c->name[i];
	return NULL;
}

/*
 * Check that table holds the n columns of names (those in the optional mask
 * may be absent) and that id is its rowid.  *present gets a bit per column
 * found.  Returns 0 or -1 after one log.schema finding naming every
 * missing column.
 */
static int
check_columns(struct logdb *l, const char *table, const char *const *names,
    int n, unsigned optional, unsigned *present)
{
	struct columns c;
	struct buf miss, all;
	int i, nmiss = 0, ret = 0;

	*present = 0;
	if (table_columns(l, table, l->has_decl ? &l->decl : NULL, &c) != 0)
		return -1;
	buf_init(&miss, 0);
	buf_init(&all, 0);
	for (i = 0; i < n; i++) {
		buf_printf(&all, "%s%s", i ? ", " : "", names[i]);
		if (column_find(&c, names[i]) != NULL)
			*present |= COLBIT(i);
		else if (!(optional & COLBIT(i)))
			buf_printf(&miss, "%s'%s'", nmiss++ ? ", " : "",
			    names[i]);
	}
	if (nmiss > 0) {
		FILE_FINDING(l, R_LOG_SCHEMA, "table '%s' lacks the column%s "
		    "%s; expected: %s", table, nmiss > 1 ? "s" : "", miss.data,
		    all.data);
		ret = -1;
	} else if (!c.id_is_rowid) {
		FILE_FINDING(l, R_LOG_SCHEMA, "column 'id' of table '%s' must "
		    "be its INTEGER PRIMARY KEY (the rowid)", table);
		ret = -1;
	}
	buf_release(&miss);
	buf_release(&all);
	return ret;
}

static int
check_schema(struct logdb *l)
{
	const struct loc *decl = l->has_decl ? &l->decl : NULL;
	const char *real;
	unsigned present;
	int k;

	if ((k = table_kind(l, "decisions", R_LOG_SCHEMA, decl, &real)) < 0)
		return -1;
	if (k == 0) {
		FILE_FINDING(l, R_LOG_SCHEMA, "decision log has no table "
		    "'decisions'");
		return -1;
	}
	if (check_columns(l, "decisions", log_col_names, COL_MAX, 0,
	    &present) != 0)
		return -1;
	if ((k = table_kind(l, "incidents", R_LOG_SCHEMA, decl, &real)) < 0)
		return -1;
	if (k == 0)
		return 0;
	if (check_columns(l, "incidents", inc_col_names, ICOL_MAX,
	    COLBIT(ICOL_CATEGORY), &present) != 0)
		return -1;
	l->has_incidents = 1;
	l->has_category = (present & COLBIT(ICOL_CATEGORY)) != 0;
	return 0;
}

struct logdb *
log_open(struct arena *a, struct diag *d, const char *root, const char *rel,
    const struct loc *decl, const struct log_limits *lim, unsigned flags)
{
	static int heap_limited;
	struct logdb *l;
	const char *uri;
	long long len;
	int wal, rc;

	if (!heap_limited) {
		sqlite3_hard_heap_limit64(HEAP_LIMIT);
		heap_limited = 1;
	}
	l = arena_alloc(a, sizeof(*l));
	l->arena = a;
	l->d = d;
	l->lim = *lim;
	if (decl != NULL) {
		l->decl = *decl;
		l->has_decl = 1;
	}
	l->path = input_display(a, root, rel);
	if (precheck(l, root, rel, &wal) != 0)
		return NULL;
	/*
	 * A WAL database without a -wal file is complete in the main file;
	 * immutable keeps SQLite from creating a -shm beside it.  A -wal with
	 * data was refused above, since immutable would silently ignore it.
	 */
	uri = file_uri(a, l->path, wal ? "?mode=ro&immutable=1" : "?mode=ro");
	/*
	 * NOMUTEX: a handle is used by one thread, and the connection mutex
	 * otherwise costs a lock per column read, a tenth of a scan.
	 */
	rc = sqlite3_open_v2(uri, &l->db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		if (l->db == NULL)
			FILE_FINDING(l, R_LOG_UNREADABLE, "cannot open: out "
			    "of memory");
		else
			sql_fail(l, sqlite3_extended_errcode(l->db), NULL, 0,
			    NULL, "opening it");
		goto fail;
	}
	if (configure(l) != 0 ||
	    (!(flags & LOG_OPEN_CHECKED) && quick_check(l) != 0) ||
	    (!(flags & LOG_OPEN_DATA) && check_schema(l) != 0))
		goto fail;
	/*
	 * The length limit applies to every record SQLite reads, its own
	 * schema included, so it is set once the schema is read: a small
	 * max-value must not refuse a long CREATE TABLE.  Until then the
	 * heap limit bounds memory.
	 */
	len = (long long)l->lim.max_value;
	if (len > INT_MAX || len <= 0)
		len = INT_MAX;
	sqlite3_limit(l->db, SQLITE_LIMIT_LENGTH, (int)len);
	return l;
fail:
	sqlite3_close(l->db);
	l->db = NULL;
	return NULL;
}

void
log_close(struct logdb *l)
{
	if (l == NULL || l->db == NULL)
		return;
	/* Every statement was finalized where it was made. */
	if (sqlite3_close(l->db) != SQLITE_OK)
		BUG("log_close: statements left open");
	l->db = NULL;
}

const char *
log_path(const struct logdb *l)
{
	return l->path;
}

int
log_has_incidents(const struct logdb *l)
{
	return l->has_incidents;
}

/*
 * After SQLITE_TOOBIG in a scan of table: find the row past after_id and
 * the column holding the long value, and report them.  Reading rowids
 * needs no payload; the column search raises the length limit for a
 * moment, the heap limit still bounding memory.
 */
static int
too_big(struct logdb *l, const char *table, const char *const *cols,
    int ncols, long long after_id, int have_after)
{
	const struct loc *decl = l->has_decl ? &l->decl : NULL;
	sqlite3_stmt *st;
	const char *sql, *col = NULL;
	long long id = 0;
	int c, old, found = 0;

	sql = arena_printf(l->arena, "SELECT id FROM \"%s\" WHERE id > ?1 "
	    "ORDER BY id LIMIT 1", table);
	if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
		goto unknown;
	if (sqlite3_bind_int64(st, 1, have_after ? after_id : LLONG_MIN) ==
	    SQLITE_OK && sqlite3_step(st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		found = 1;
	}
	sqlite3_finalize(st);
	if (!found)
		goto unknown;
	old = sqlite3_limit(l->db, SQLITE_LIMIT_LENGTH, 256 << 20);
	for (c = 0; c < ncols && col == NULL; c++) {
		sql = arena_printf(l->arena, "SELECT length(CAST(\"%s\" AS "
		    "BLOB)) FROM \"%s\" WHERE id = ?1", cols[c], table);
		if (sqlite3_prepare_v2(l->db, sql, -1, &st, NULL) != SQLITE_OK)
			continue;
		if (sqlite3_bind_int64(st, 1, id) == SQLITE_OK &&
		    sqlite3_step(st) == SQLITE_ROW &&
		    (size_t)sqlite3_column_int64(st, 0) > l->lim.max_value)
			col = cols[c];
		sqlite3_finalize(st);
	}
	sqlite3_limit(l->db, SQLITE_LIMIT_LENGTH, old);
	if (col != NULL)
		finding(l, R_LOG_LIMIT, table, id, decl, "row %lld: column "
		    "'%s' holds a value longer than %zu bytes (limit "
		    "log-value)", id, col, l->lim.max_value);
	else
		finding(l, R_LOG_LIMIT, table, id, decl, "row %lld holds a "
		    "value longer than %zu bytes (limit log-value)", id,
		    l->lim.max_value);
	return -1;
unknown:
	if (have_after)
		finding(l, R_LOG_LIMIT, table, 0, decl, "a row after row %lld "
		    "holds a value longer than %zu bytes (limit log-value)",
		    after_id, l->lim.max_value);
	else
		finding(l, R_LOG_LIMIT, table, 0, decl, "a row holds a value "
		    "longer than %zu bytes (limit log-value)",
		    l->lim.max_value);
	return -1;
}

/* A scan step failed with rc: the finding for it; returns -1. */
static int
scan_fail(struct logdb *l, int rc, const char *table,
    const char *const *cols, int ncols, long long last, int have_last)
{
	if ((rc & 0xff) == SQLITE_TOOBIG)
		return too_big(l, table, cols, ncols, last, have_last);
	return sql_fail(l, rc, table, 0, NULL, arena_printf(l->arena,
	    have_last ? "reading table '%s' after row %lld" :
	    "reading table '%s'", table, last));
}

/* SELECT of ncols columns (absent ones as NULL) of table in id order. */
static sqlite3_stmt *
scan_prepare(struct logdb *l, const char *table, const char *const *cols,
    int ncols, unsigned absent)
{
	sqlite3_stmt *st;
	struct buf b;
	int c, rc;

	buf_init(&b, 0);
	buf_puts(&b, "SELECT ");
	for (c = 0; c < ncols; c++) {
		if (c > 0)
			buf_puts(&b, ", ");
		buf_printf(&b, absent & COLBIT(c) ? "NULL" : "\"%s\"", cols[c]);
	}
	buf_printf(&b, " FROM \"%s\" ORDER BY \"id\"", table);
	rc = sqlite3_prepare_v3(l->db, b.data, -1, SQLITE_PREPARE_PERSISTENT,
	    &st, NULL);
	buf_release(&b);
	if (rc != SQLITE_OK) {
		sql_fail(l, sqlite3_extended_errcode(l->db), table, 0, NULL,
		    arena_printf(l->arena, "reading table '%s'", table));
		return NULL;
	}
	return st;
}

/*
 * The per-row readers take the column's sqlite3_value once: the value
 * accessors skip the statement API's per-call bookkeeping, which on ten
 * million rows of eighteen columns is most of the reader's own cost.  The
 * value is valid until the next step.
 */

/* Column c as text; NULL for NULL (bad when notnull) and wrong types. */
static inline const char *
col_text(sqlite3_stmt *st, int c, unsigned *bad, int notnull)
{
	sqlite3_value *v = sqlite3_column_value(st, c);

	switch (sqlite3_value_type(v)) {
	case SQLITE_TEXT:
		return (const char *)sqlite3_value_text(v);
	case SQLITE_NULL:
		if (notnull)
			*bad |= COLBIT(c);
		return NULL;
	default:
		*bad |= COLBIT(c);
		return NULL;
	}
}

/* Column c as an index of names; LOG_NULL or LOG_BAD. */
static inline int
col_enum(sqlite3_stmt *st, int c, const char *const *names, int n,
    unsigned *bad, int notnull)
{
	sqlite3_value *v = sqlite3_column_value(st, c);
	const char *s;
	int i, len;

	switch (sqlite3_value_type(v)) {
	case SQLITE_TEXT:
		break;
	case SQLITE_NULL:
		if (!notnull)
			return LOG_NULL;
		/* FALLTHROUGH */
	default:
		*bad |= COLBIT(c);
		return LOG_BAD;
	}
	s = (const char *)sqlite3_value_text(v);
	len = sqlite3_value_bytes(v);
	/* The length check refuses "agent" followed by a NUL and more. */
	for (i = 0; s != NULL && i < n; i++)
		if (s[0] == names[i][0] && strcmp(s, names[i]) == 0 &&
		    (size_t)len == strlen(names[i]))
			return i;
	*bad |= COLBIT(c);
	return LOG_BAD;
}

/* Column c as a finite number; 1 when usable (has bit set). */
static inline int
col_num(sqlite3_stmt *st, int c, double *out, unsigned *bad, unsigned *has)
{
	sqlite3_value *v = sqlite3_column_value(st, c);

	*out = 0;
	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		*out = sqlite3_value_double(v);
		if (!isfinite(*out)) {
			*out = 0;
			break;
		}
		*has |= COLBIT(c);
		return 1;
	case SQLITE_NULL:
		return 0;
	}
	*bad |= COLBIT(c);
	return 0;
}

/* Column c as 0 or 1; -1 otherwise (bad, and for NULL when notnull). */
static inline int
col_bool(sqlite3_stmt *st, int c, unsigned *bad, int notnull)
{
	sqlite3_value *v = sqlite3_column_value(st, c);
	double d;

	switch (sqlite3_value_type(v)) {
	case SQLITE_INTEGER:
	case SQLITE_FLOAT:
		d = sqlite3_value_double(v);
		if (d == 0 || d == 1)
			return (int)d;
		break;
	case SQLITE_NULL:
		if (!notnull)
			return -1;
		break;
	}
	*bad |= COLBIT(c);
	return -1;
}

/* Clear the has bit and set the bad bit of column c. */
#define MARK_BAD(r, c)	((r).has &= ~COLBIT(c), (r).bad |= COLBIT(c))

/*
 * Both decisions scans: every column but rationale (the last) for the
 * rules and metrics, which never read it (each column read costs SQLite a
 * decode on every row), or every column for the workbook's evidence.  The
 * length limit set in log_open applies to rationale as to the others.
 */
static int
scan_decisions(struct logdb *l, log_row_fn fn, void *ctx, int rationale)
{
	sqlite3_stmt *st;
	struct log_row r;
	long long last = 0;
	int rc, ret = 0, have_last = 0, v;

	if ((st = scan_prepare(l, "decisions", log_col_names, rationale ?
	    COL_MAX : COL_RATIONALE, 0)) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.has = r.bad = 0;
		r.id = sqlite3_column_int64(st, COL_ID);
		r.ts = col_text(st, COL_TS, &r.bad, 1);
		r.day = 0;
		r.sec = 0;
		if (r.ts != NULL && ts_parse(r.ts, &r.day, &r.sec) != 0)
			r.bad |= COLBIT(COL_TS);
		r.system = col_text(st, COL_SYSTEM, &r.bad, 1);
		r.case_ref = col_text(st, COL_CASE_REF, &r.bad, 0);
		r.exception = col_text(st, COL_EXCEPTION, &r.bad, 0);
		r.actor = col_enum(st, COL_ACTOR, actor_names, ACTOR_MAX,
		    &r.bad, 1);
		r.action = col_enum(st, COL_ACTION, action_names, ACTION_MAX,
		    &r.bad, 1);
		r.mode = col_enum(st, COL_MODE, mode_names, MODE_MAX, &r.bad,
		    1);
		if (col_num(st, COL_CONFIDENCE, &r.confidence, &r.bad,
		    &r.has) && (r.confidence < 0 || r.confidence > 1))
			MARK_BAD(r, COL_CONFIDENCE);
		col_num(st, COL_AMOUNT, &r.amount, &r.bad, &r.has);
		r.model_version = col_text(st, COL_MODEL_VERSION, &r.bad, 0);
		r.reviewer = col_text(st, COL_REVIEWER, &r.bad, 0);
		r.human_action = col_enum(st, COL_HUMAN_ACTION, action_names,
		    ACTION_MAX, &r.bad, 0);
		v = col_bool(st, COL_CORRECTED, &r.bad, 1);
		r.corrected = v > 0;
		if (v >= 0)
			r.has |= COLBIT(COL_CORRECTED);
		if (col_num(st, COL_CYCLE_SECONDS, &r.cycle_seconds, &r.bad,
		    &r.has) && r.cycle_seconds < 0)
			MARK_BAD(r, COL_CYCLE_SECONDS);
		col_num(st, COL_COST, &r.cost, &r.bad, &r.has);
		r.input_ref = col_text(st, COL_INPUT_REF, &r.bad, 0);
		r.rationale = rationale ? col_text(st, COL_RATIONALE, &r.bad,
		    0) : NULL;
		last = r.id;
		have_last = 1;
		if ((ret = fn(ctx, &r)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = scan_fail(l, sqlite3_extended_errcode(l->db),
		    "decisions", log_col_names, COL_MAX, last, have_last);
	sqlite3_finalize(st);
	return ret;
}

int
log_scan_decisions(struct logdb *l, log_row_fn fn, void *ctx)
{
	return scan_decisions(l, fn, ctx, 0);
}

int
log_scan_all(struct logdb *l, log_row_fn fn, void *ctx)
{
	return scan_decisions(l, fn, ctx, 1);
}

/* A date or timestamp as a day; -1 (and bad) when it is neither. */
static long
col_day(sqlite3_stmt *st, int c, const char **text, unsigned *bad,
    int notnull)
{
	long day;
	int sec;

	if ((*text = col_text(st, c, bad, notnull)) == NULL)
		return -1;
	if (ts_parse(*text, &day, &sec) == 0 || date_parse(*text, &day) == 0)
		return day;
	*bad |= COLBIT(c);
	return -1;
}

int
log_scan_incidents(struct logdb *l, log_incident_fn fn, void *ctx)
{
	sqlite3_stmt *st;
	struct log_incident r;
	long long last = 0;
	int rc, ret = 0, have_last = 0, v;

	if (!l->has_incidents)
		return 0;
	if ((st = scan_prepare(l, "incidents", inc_col_names, ICOL_MAX,
	    l->has_category ? 0 : COLBIT(ICOL_CATEGORY))) == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		r.bad = 0;
		r.id = sqlite3_column_int64(st, ICOL_ID);
		r.system = col_text(st, ICOL_SYSTEM, &r.bad, 1);
		r.opened_day = col_day(st, ICOL_OPENED, &r.opened, &r.bad, 1);
		r.severity_text = col_text(st, ICOL_SEVERITY, &r.bad, 1);
		r.severity = LOG_BAD;
		if (r.severity_text != NULL && (r.severity = enum_lookup(
		    inc_severity_names, INC_SEVERITY_MAX,
		    r.severity_text)) < 0) {
			r.severity = LOG_BAD;
			r.bad |= COLBIT(ICOL_SEVERITY);
		}
		v = col_bool(st, ICOL_SERIOUS, &r.bad, 1);
		r.serious = v > 0;
		r.summary = col_text(st, ICOL_SUMMARY, &r.bad, 1);
		r.reported_day = col_day(st, ICOL_REPORTED, &r.reported,
		    &r.bad, 0);
		r.closed_day = col_day(st, ICOL_CLOSED, &r.closed, &r.bad, 0);
		r.category = col_enum(st, ICOL_CATEGORY, inc_category_names,
		    INC_CATEGORY_MAX, &r.bad, 0);
		if (r.category == LOG_NULL)
			r.category = INC_GENERAL;
		last = r.id;
		have_last = 1;
		if ((ret = fn(ctx, &r)) != 0)
			break;
	}
	if (ret == 0 && rc != SQLITE_DONE)
		ret = scan_fail(l, sqlite3_extended_errcode(l->db),
		    "incidents", inc_col_names, l->has_category ? ICOL_MAX :
		    ICOL_MAX - 1, last, have_last);
	sqlite3_finalize(st);
	return ret;
}

/*
 * KPI queries.  The authorizer is the gate: a statement is compiled only if
 * every operation in it is a SELECT, a read of an ordinary table, a
 * recursive CTE, or a call of a deterministic built-in on this list.
 */
static const char *const kpi_functions[] = {
	"abs", "avg", "count", "max", "min", "sum", "total", "round",
	"substr", "substring", "strftime", "date", "time", "datetime",
	"julianday", "coalesce", "ifnull", "iif", "nullif", "length", "lower",
	"upper", "trim", "ltrim", "rtrim", "instr", "replace", "printf",
	"format", "typeof", "hex", "quote", "unicode", "char", "like", "glob"
};

struct kpi_ctx {
	struct logdb	*l;
	char		 denied[120];	/* what was refused first */
	long long	 steps;
};

/* Remember the first refusal: it names what the author wrote. */
static int
deny(struct kpi_ctx *k, const char *what, const char *name)
{
	if (k->denied[0] == '\0')
		snprintf(k->denied, sizeof(k->denied), what, name != NULL ?
		    name : "?");
	return SQLITE_DENY;
}

static int
kpi_authorize(void *arg, int action, const char *a3, const char *a4,
    const char *a5, const char *a6)
{
	struct kpi_ctx *k = arg;
	char num[16];
	size_t i;

	(void)a5;
	(void)a6;
	switch (action) {
	case SQLITE_SELECT:
	case SQLITE_RECURSIVE:
		return SQLITE_OK;
	case SQLITE_READ:
		/*
		 * Eponymous virtual tables expose more than the log's rows
		 * (pages, prepared statements, pragmas): not for KPIs.
		 */
		if (a3 != NULL && strncmp(a3, "pragma_", 7) != 0 &&
		    strcmp(a3, "dbstat") != 0 && strcmp(a3, "sqlite_stmt") != 0
		    && strcmp(a3, "sqlite_dbpage") != 0)
			return SQLITE_OK;
		return deny(k, "reading '%s'", a3);
	case SQLITE_FUNCTION:
		for (i = 0; a4 != NULL && i < ARRAY_SIZE(kpi_functions); i++)
			if (strcasecmp(a4, kpi_functions[i]) == 0)
				return SQLITE_OK;
		return deny(k, "function '%s'", a4);
	case SQLITE_ATTACH:
	case SQLITE_DETACH:
		return deny(k, "%s", "ATTACH");
	case SQLITE_PRAGMA:
		return deny(k, "PRAGMA %s", a3);
	case SQLITE_INSERT:
	case SQLITE_UPDATE:
	case SQLITE_DELETE:
		/* A virtual table in use is entered in the schema first. */
		if (a3 != NULL && (strcmp(a3, "sqlite_master") == 0 ||
		    strcmp(a3, "sqlite_temp_master") == 0))
			return deny(k, "%s", "changing the schema or using a "
			    "virtual table");
		return deny(k, "writing to '%s'", a3);
	default:
		snprintf(num, sizeof(num), "%d", action);
		return deny(k, "operation %s (an authorizer code)", num);
	}
}

static int
kpi_progress(void *arg)
{
	struct kpi_ctx *k = arg;

	k->steps += 1000;
	return k->steps > k->l->lim.sql_steps;
}

/* Skip white space, SQL comments and empty statements. */
static const char *
skip_blank(const char *s)
{
	for (;;) {
		while (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r' ||
		    *s == '\f' || *s == '\v' || *s == ';')
			s++;
		if (s[0] == '-' && s[1] == '-') {
			while (*s != '\0' && *s != '\n')
				s++;
		} else if (s[0] == '/' && s[1] == '*') {
			const char *e = strstr(s + 2, "*/");

			s = e != NULL ? e + 2 : s + strlen(s);
		} else
			return s;
	}
}

/*
 * Does sql hold the string literal 'now' or 'localtime' (any case)?  The
 * date functions the authorizer allows read the wall clock or the time
 * zone through them, which would make a build depend on when and where it
 * ran.  CURRENT_DATE and friends are functions the authorizer refuses.
 */
static int
mentions_clock(const char *sql)
{
	static const char *const words[] = { "now", "localtime" };
	const char *p;
	size_t i, n;

	for (p = sql; *p != '\0'; p++) {
		if (*p != '\'' && *p != '"')
			continue;
		for (i = 0; i < ARRAY_SIZE(words); i++) {
			n = strlen(words[i]);
			if (strncasecmp(p + 1, words[i], n) == 0 && p[n + 1] == *p)
				return 1;
		}
	}
	return 0;
}

int
log_query_series(struct logdb *l, const char *sql, const struct loc *at,
    log_point_fn fn, void *ctx)
{
	struct kpi_ctx k;
	sqlite3_stmt *st = NULL;
	const char *tail, *period, *msg = NULL;
	size_t rows = 0, bad;
	int rc, t, n;
	double v;

	memset(&k, 0, sizeof(k));
	k.l = l;
	if ((rc = sqlite3_set_authorizer(l->db, kpi_authorize, &k)) !=
	    SQLITE_OK) {
		diag_emit(l->d, R_KPI_SQL, at, "cannot set up the query: %s",
		    errmsg(l));
		return -1;
	}
	rc = sqlite3_prepare_v3(l->db, sql, -1, 0, &st, &tail);
	if (rc != SQLITE_OK) {
		if (k.denied[0] != '\0')
			msg = arena_printf(l->arena, "%s is not allowed (only "
			    "a single read-only SELECT)", k.denied);
		else if ((rc & 0xff) == SQLITE_TOOBIG)
			msg = "sql is longer than 100000 bytes";
		else
			msg = arena_printf(l->arena, "sql does not compile: "
			    "%s", errmsg(l));
		goto out;
	}
	if (st == NULL) {
		msg = "sql holds no statement";
		goto out;
	}
	if (*skip_blank(tail) != '\0') {
		msg = "sql holds two statements; only a single read-only "
		    "SELECT is allowed";
		goto out;
	}
	if (!sqlite3_stmt_readonly(st)) {
		msg = "sql is not read-only (only a single read-only SELECT)";
		goto out;
	}
	if (mentions_clock(sql)) {
		msg = "sql reads the clock ('now' or 'localtime'), so the same "
		    "inputs would give another result tomorrow; compute from "
		    "the ts column instead";
		goto out;
	}
	if ((n = sqlite3_column_count(st)) != 2) {
		msg = arena_printf(l->arena, "sql returns %d column%s; "
		    "expected two: period and value", n, n == 1 ? "" : "s");
		goto out;
	}
	sqlite3_progress_handler(l->db, 1000, kpi_progress, &k);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (++rows > l->lim.sql_rows) {
			msg = arena_printf(l->arena, "sql returns more than "
			    "%zu rows (limit sql-rows)", l->lim.sql_rows);
			break;
		}
		/*
		 * A NULL value is a period without data (avg() over no
		 * rows): it is left out, as a gap.  Text is an error.
		 */
		t = sqlite3_column_type(st, 1);
		if (t == SQLITE_NULL)
			continue;
		if (t != SQLITE_INTEGER && t != SQLITE_FLOAT) {
			msg = arena_printf(l->arena, "row %zu: value %s is not "
			    "a number", rows, echo_value(l->arena, st, 1));
			break;
		}
		v = sqlite3_column_double(st, 1);
		if (!isfinite(v)) {
			msg = arena_printf(l->arena, "row %zu: value is not a "
			    "finite number", rows);
			break;
		}
		if (sqlite3_column_type(st, 0) == SQLITE_BLOB) {
			msg = arena_printf(l->arena, "row %zu: period is a "
			    "blob, not text", rows);
			break;
		}
		period = (const char *)sqlite3_column_text(st, 0);
		if (period == NULL)
			period = "";
		else if (utf8_valid(period, (size_t)sqlite3_column_bytes(st,
		    0), &bad) != 0 || strlen(period) !=
		    (size_t)sqlite3_column_bytes(st, 0)) {
			msg = arena_printf(l->arena, "row %zu: period %s is "
			    "not valid UTF-8 text", rows,
			    echo_value(l->arena, st, 0));
			break;
		}
		fn(ctx, period, v);
	}
	if (msg == NULL && rc != SQLITE_DONE) {
		rc = sqlite3_extended_errcode(l->db);
		if (rc == SQLITE_INTERRUPT)
			msg = arena_printf(l->arena, "sql stopped after %lld "
			    "steps (limit sql-steps)", k.steps);
		else if ((rc & 0xff) == SQLITE_TOOBIG)
			msg = arena_printf(l->arena, "sql makes a value longer "
			    "than %zu bytes (limit log-value)",
			    l->lim.max_value);
		else if ((rc & 0xff) == SQLITE_NOMEM)
			msg = arena_printf(l->arena, "sql ran out of memory "
			    "(SQLite may use %lld MiB)", HEAP_LIMIT >> 20);
		else
			msg = arena_printf(l->arena, "sql failed: %s",
			    errmsg(l));
	}
	sqlite3_progress_handler(l->db, 0, NULL, NULL);
out:
	sqlite3_finalize(st);
	/* Clearing cannot fail; the next statement runs unguarded anyway. */
	(void)sqlite3_set_authorizer(l->db, NULL, NULL);
	if (msg == NULL)
		return 0;
	diag_emit(l->d, R_KPI_SQL, at, "%s", msg);
	return -1;
}

/*
 * Data contracts.  Every identifier from the YAML is first matched against
 * the real schema; the real name is then quoted with %w.  Values are bound.
 */
struct contract_ctx {
	struct logdb		*l;
	const struct contract	*c;
	const char		*table;		/* the real name */
	struct columns		 cols;
	int			 findings;
};

/* The most precise YAML location available for a clause. */
static const struct loc *
basis_of(const struct contract *c, const struct loc *a, const struct loc *b)
{
	if (a != NULL && a->line > 0)
		return a;
	if (b != NULL && b->line > 0)
		return b;
	return &c->loc;
}

/* The real name of a column the contract names, or NULL after a finding. */
static const char *
contract_column(struct contract_ctx *x, const char *name,
    const struct loc *basis)
{
	const char *real;

	if (name != NULL && (real = column_find(&x->cols, name)) != NULL)
		return real;
	finding(x->l, R_CONTRACT_SCHEMA, x->table, 0, basis, "table '%s' has "
	    "no column '%s'", x->table, name != NULL ? name : "");
	x->findings++;
	return NULL;
}

static sqlite3_stmt *
contract_prepare(struct contract_ctx *x, const char *sql,
    const struct loc *basis)
{
	sqlite3_stmt *st;

	if (sql == NULL) {
		finding(x->l, R_LOG_LIMIT, x->table, 0, basis, "out of memory "
		    "while checking the data contract");
		x->findings++;
		return NULL;
	}
	if (sqlite3_prepare_v2(x->l->db, sql, -1, &st, NULL) != SQLITE_OK) {
		sql_fail(x->l, sqlite3_extended_errcode(x->l->db), x->table, 0,
		    basis, "checking the data contract");
		x->findings++;
		st = NULL;
	}
	sqlite3_free((char *)sql);
	return st;
}

/* A step loop ended with rc: a finding unless SQLITE_DONE; 0 or -1. */
static int
contract_done(struct contract_ctx *x, sqlite3_stmt *st, int rc,
    const struct loc *basis)
{
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return 0;
	}
	rc = sqlite3_extended_errcode(x->l->db);
	sqlite3_finalize(st);
	sql_fail(x->l, rc, x->table, 0, basis, "checking the data contract");
	x->findings++;
	return -1;
}

/*
 * not_null: one scan for every column named.  Each column with NULLs gets a
 * finding at its first such row, naming a few more and counting the rest.
 */
static void
check_not_null(struct contract_ctx *x)
{
	const struct slist *nn = &x->c->not_null;
	const char **real;
	long long *count, (*rows)[NAME_MAX_ROWS];
	struct buf b, where;
	sqlite3_stmt *st;
	size_t i, k, m = 0;
	char *q;
	int rc;

	if (nn->n == 0)
		return;
	real = xcalloc(nn->n, sizeof(*real));
	count = xcalloc(nn->n, sizeof(*count));
	rows = xcalloc(nn->n, sizeof(*rows));
	buf_init(&b, 0);
	buf_init(&where, 0);
	for (i = 0; i < nn->n; i++) {
		real[i] = contract_column(x, nn->v[i].s, basis_of(x->c,
		    &nn->v[i].loc, &nn->loc));
		if (real[i] == NULL)
			continue;
		/* sqlite3_mprintf's %w doubles the quotes in a name. */
		if ((q = sqlite3_mprintf("\"%w\"", real[i])) == NULL)
			continue;
		buf_printf(&b, ", %s IS NULL", q);
		buf_printf(&where, "%s%s IS NULL", m++ ? " OR " : "", q);
		sqlite3_free(q);
	}
	if (m == 0)
		goto out;
	st = contract_prepare(x, sqlite3_mprintf("SELECT rowid%s FROM \"%w\" "
	    "WHERE %s ORDER BY rowid", b.data, x->table, where.data),
	    basis_of(x->c, &nn->loc, NULL));
	if (st == NULL)
		goto out;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		for (i = 0, k = 1; i < nn->n; i++) {
			if (real[i] == NULL)
				continue;
			if (sqlite3_column_int(st, (int)k++) == 0)
				continue;
			if (count[i] < NAME_MAX_ROWS)
				rows[i][count[i]] = sqlite3_column_int64(st, 0);
			count[i]++;
		}
	}
	if (contract_done(x, st, rc, basis_of(x->c, &nn->loc, NULL)) != 0)
		goto out;
	for (i = 0; i < nn->n; i++) {
		if (count[i] == 0)
			continue;
		b.len = 0;
		b.data[0] = '\0';
		for (k = 0; k < (size_t)count[i] && k < NAME_MAX_ROWS; k++)
			buf_printf(&b, "%s%lld", k ? ", " : "", rows[i][k]);
		if (count[i] > NAME_MAX_ROWS)
			buf_printf(&b, " and %lld more", count[i] -
			    NAME_MAX_ROWS);
		finding(x->l, R_CONTRACT_NOT_NULL, x->table, rows[i][0],
		    basis_of(x->c, &nn->v[i].loc, &nn->loc), "column '%s' is "
		    "NULL in %lld row%s (%s)", real[i], count[i],
		    count[i] == 1 ? "" : "s", b.data);
		x->findings++;
	}
out:
	buf_release(&b);
	buf_release(&where);
	free(real);
	free(count);
	free(rows);
}

/* unique: values that occur more than once, in the order first seen. */
static void
check_unique(struct contract_ctx *x)
{
	const struct slist *u = &x->c->unique;
	const struct loc *basis;
	const char *real;
	sqlite3_stmt *st;
	struct buf b;
	long long first = 0, values;
	size_t i;
	int rc;

	buf_init(&b, 0);
	for (i = 0; i < u->n; i++) {
		basis = basis_of(x->c, &u->v[i].loc, &u->loc);
		if ((real = contract_column(x, u->v[i].s, basis)) == NULL)
			continue;
		st = contract_prepare(x, sqlite3_mprintf("SELECT \"%w\", "
		    "count(*), min(rowid) FROM \"%w\" WHERE \"%w\" IS NOT NULL "
		    "GROUP BY 1 HAVING count(*) > 1 ORDER BY 3", real,
		    x->table, real), basis);
		if (st == NULL)
			continue;
		b.len = 0;
		b.data[0] = '\0';
		values = 0;
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			if (values == 0)
				first = sqlite3_column_int64(st, 2);
			if (values < NAME_MAX_ROWS)
				buf_printf(&b, "%s%s (%lld rows from row "
				    "%lld)", values ? ", " : "",
				    echo_value(x->l->arena, st, 0),
				    sqlite3_column_int64(st, 1),
				    sqlite3_column_int64(st, 2));
			values++;
		}
		if (contract_done(x, st, rc, basis) != 0 || values == 0)
			continue;
		if (values > NAME_MAX_ROWS)
			buf_printf(&b, " and %lld more", values -
			    NAME_MAX_ROWS);
		finding(x->l, R_CONTRACT_UNIQUE, x->table, first, basis,
		    "column '%s' repeats %lld value%s: %s", real, values,
		    values == 1 ? "" : "s", b.data);
		x->findings++;
	}
	buf_release(&b);
}

/* Whether s is a decimal number as YAML writes one (no hex, inf, nan). */
static int
is_number(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (digits == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

/*
 * allowed_values.  The YAML keeps numbers as their literal text, and a
 * column's declared type is not trusted, so a value matches when its text
 * form equals a listed literal (CAST(x AS TEXT) = '1'), or when both are
 * numbers and equal numerically (a REAL 1.0 matches the literal 1).  NULL
 * is never a violation here; not_null covers it.
 */
static void
check_allowed(struct contract_ctx *x, const struct allowed_values *av)
{
	const struct loc *basis = basis_of(x->c, &av->column.loc, NULL);
	const char *real;
	sqlite3_stmt *st;
	struct buf b;
	long long count = 0, first = 0;
	size_t i, nnum = 0;
	char *q = NULL, *t = NULL;
	int rc, p;

	if ((real = contract_column(x, av->column.s, basis)) == NULL ||
	    av->nvalues == 0)
		return;
	buf_init(&b, 0);
	/* Identifiers quoted here; b becomes the statement itself. */
	if ((q = sqlite3_mprintf("\"%w\"", real)) == NULL ||
	    (t = sqlite3_mprintf("\"%w\"", x->table)) == NULL)
		goto out;
	buf_printf(&b, "SELECT rowid, %s FROM %s WHERE %s IS NOT NULL AND "
	    "NOT (CAST(%s AS TEXT) IN (", q, t, q, q);
	for (i = 0; i < av->nvalues; i++)
		buf_printf(&b, "%s?%zu", i ? ", " : "", i + 1);
	buf_puts(&b, ")");
	for (i = 0; i < av->nvalues; i++) {
		if (av->values[i].s == NULL || !is_number(av->values[i].s))
			continue;
		if (nnum++ == 0)
			buf_printf(&b, " OR (typeof(%s) IN ('integer', "
			    "'real') AND %s + 0 IN (", q, q);
		else
			buf_puts(&b, ", ");
		buf_printf(&b, "?%zu", av->nvalues + i + 1);
	}
	buf_puts(&b, nnum ? "))) ORDER BY rowid" : ") ORDER BY rowid");
	st = contract_prepare(x, sqlite3_mprintf("%s", b.data), basis);
	b.len = 0;
	b.data[0] = '\0';
	if (st == NULL)
		goto out;
	for (i = 0, rc = SQLITE_OK; i < av->nvalues && rc == SQLITE_OK; i++) {
		p = (int)(i + 1);
		rc = sqlite3_bind_text(st, p, av->values[i].s != NULL ?
		    av->values[i].s : "", -1, SQLITE_STATIC);
		if (rc == SQLITE_OK && av->values[i].s != NULL &&
		    is_number(av->values[i].s))
			rc = sqlite3_bind_double(st, (int)av->nvalues + p,
			    strtod(av->values[i].s, NULL));
	}
	if (rc != SQLITE_OK) {
		contract_done(x, st, rc, basis);
		goto out;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (count == 0)
			first = sqlite3_column_int64(st, 0);
		if (count < NAME_MAX_ROWS)
			buf_printf(&b, "%s%s (row %lld)", count ? ", " : "",
			    echo_value(x->l->arena, st, 1),
			    sqlite3_column_int64(st, 0));
		count++;
	}
	if (contract_done(x, st, rc, basis) != 0 || count == 0)
		goto out;
	if (count > NAME_MAX_ROWS)
		buf_printf(&b, " and %lld more", count - NAME_MAX_ROWS);
	finding(x->l, R_CONTRACT_ALLOWED_VALUES, x->table, first, basis,
	    "column '%s' holds a value outside allowed_values in %lld row%s: "
	    "%s", real, count, count == 1 ? "" : "s", b.data);
	x->findings++;
out:
	sqlite3_free(q);
	sqlite3_free(t);
	buf_release(&b);
}

/* fresh_within_hours: the newest ts against the as-of time. */
static void
check_fresh(struct contract_ctx *x, long long as_of_sec)
{
	const struct nval *h = &x->c->fresh_within_hours;
	const struct loc *basis = basis_of(x->c, &h->loc, NULL);
	const char *real, *ts, *shown;
	sqlite3_stmt *st;
	long day;
	int sec, rc, have = 0;
	double age;

	if (!h->set)
		return;
	if ((real = column_find(&x->cols, "ts")) == NULL) {
		finding(x->l, R_CONTRACT_SCHEMA, x->table, 0, basis, "table "
		    "'%s' has no column 'ts' for fresh_within_hours", x->table);
		x->findings++;
		return;
	}
	/*
	 * ISO 8601 text in UTC sorts in time order, so max() is the newest;
	 * values that do not start with a date are left out, or one row of
	 * "unknown" would hide how old the rest is.
	 */
	st = contract_prepare(x, sqlite3_mprintf("SELECT max(\"%w\") FROM "
	    "\"%w\" WHERE typeof(\"%w\") = 'text' AND \"%w\" GLOB "
	    "'[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*'", real, x->table,
	    real, real), basis);
	if (st == NULL)
		return;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		ts = (const char *)sqlite3_column_text(st, 0);
		shown = echo_value(x->l->arena, st, 0);
		if (ts == NULL) {
			finding(x->l, R_CONTRACT_FRESHNESS, x->table, 0, basis,
			    "table '%s' has no row with a dated ts", x->table);
			x->findings++;
		} else if (ts_parse(ts, &day, &sec) != 0) {
			finding(x->l, R_CONTRACT_FRESHNESS, x->table, 0, basis,
			    "the newest ts %s is not an ISO 8601 timestamp",
			    shown);
			x->findings++;
		} else
			have = 1;
		rc = sqlite3_step(st);
	}
	if (contract_done(x, st, rc, basis) != 0 || !have)
		return;
	age = (double)(as_of_sec - ((long long)day * 86400 + sec)) / 3600;
	if (age > h->v) {
		finding(x->l, R_CONTRACT_FRESHNESS, x->table, 0, basis, "the "
		    "newest row (ts %s) is %.1f hours old at the as-of time; "
		    "the contract allows %g", shown, age, h->v);
		x->findings++;
	}
}

int
log_check_contract(struct logdb *l, const struct contract *c,
    long long as_of_sec)
{
	struct contract_ctx x;
	const struct loc *basis;
	size_t i;
	int k;

	if (c == NULL || c->table.s == NULL)
		return 0;
	memset(&x, 0, sizeof(x));
	x.l = l;
	x.c = c;
	basis = basis_of(c, &c->table.loc, NULL);
	k = table_kind(l, c->table.s, R_CONTRACT_SCHEMA, basis, &x.table);
	if (k < 0)
		return 1;
	if (k == 0) {
		finding(l, R_CONTRACT_SCHEMA, NULL, 0, basis, "the database "
		    "has no table '%s'", c->table.s);
		return 1;
	}
	if (table_columns(l, x.table, basis, &x.cols) != 0)
		return 1;
	check_not_null(&x);
	check_unique(&x);
	for (i = 0; i < c->nallowed; i++)
		check_allowed(&x, &c->allowed[i]);
	check_fresh(&x, as_of_sec);
	return x.findings;
}

/*
 * Writing.  A new file only: created with O_EXCL (and O_NOFOLLOW) before
 * SQLite opens it.  The rows go in one transaction with an in-memory
 * journal, so nothing but the database appears beside it and a failure
 * leaves no half-written file (it is removed).  Rollback-journal mode is
 * SQLite's default and is not stored in the file: the result is a plain
 * database that is safe to commit.
 */
struct logw {
	sqlite3		*db;
	sqlite3_stmt	*dec, *inc;
	char		*path;
};

static void
werr(const struct logw *w, const char *what)
{
	fprintf(stderr, "charter: %s: %s: %s\n", w->path, what,
	    w->db != NULL ? sqlite3_errmsg(w->db) : "out of memory");
}

/* Close and remove the file; always -1. */
static int
w_discard(struct logw *w)
{
	sqlite3_finalize(w->dec);
	sqlite3_finalize(w->inc);
	sqlite3_close(w->db);
	unlink(w->path);
	free(w->path);
	free(w);
	return -1;
}

struct logw *
log_create(const char *path)
{
	struct arena a;
	struct logw *w;
	const char *uri;
	int fd, rc;

	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0644);
	if (fd < 0) {
		fprintf(stderr, "charter: %s: %s\n", path, errno == EEXIST ?
		    "already exists; a new log is never written over a file" :
		    strerror(errno));
		return NULL;
	}
	close(fd);
	w = xcalloc(1, sizeof(*w));
	w->path = xstrdup(path);
	arena_init(&a);
	uri = file_uri(&a, path, "?mode=rw");
	rc = sqlite3_open_v2(uri, &w->db, SQLITE_OPEN_READWRITE |
	    SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_URI | SQLITE_OPEN_EXRESCODE |
	    SQLITE_OPEN_NOMUTEX, NULL);
	arena_release(&a);
	if (rc != SQLITE_OK) {
		werr(w, "cannot open");
		w_discard(w);
		return NULL;
	}
	/* synchronous=OFF: the file is new and removed if anything fails. */
	if (exec(w->db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF; "
	    "PRAGMA cache_size=-65536; PRAGMA temp_store=MEMORY; "
	    "BEGIN; " SCHEMA_TABLES) != SQLITE_OK) {
		werr(w, "cannot create the schema");
		w_discard(w);
		return NULL;
	}
	if (sqlite3_prepare_v3(w->db, "INSERT INTO decisions (id, ts, system, "
	    "case_ref, exception, actor, action, mode, confidence, amount, "
	    "model_version, reviewer, human_action, corrected, cycle_seconds, "
	    "cost, input_ref, rationale) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
	    "?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)", -1,
	    SQLITE_PREPARE_PERSISTENT, &w->dec, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v3(w->db, "INSERT INTO incidents (id, system, "
	    "opened, severity, serious, summary, reported, closed, category) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)", -1,
	    SQLITE_PREPARE_PERSISTENT, &w->inc, NULL) != SQLITE_OK) {
		werr(w, "cannot prepare");
		w_discard(w);
		return NULL;
	}
	return w;
}

/* Bind text or NULL to parameter p. */
static int
bind_text(sqlite3_stmt *st, int p, const char *s)
{
	if (s == NULL)
		return sqlite3_bind_null(st, p);
	return sqlite3_bind_text(st, p, s, -1, SQLITE_STATIC);
}

static int
bind_enum(sqlite3_stmt *st, int p, int v, const char *const *names, int n)
{
	return bind_text(st, p, v >= 0 && v < n ? names[v] : NULL);
}

static int
bind_num(sqlite3_stmt *st, int p, int has, double v)
{
	return has ? sqlite3_bind_double(st, p, v) : sqlite3_bind_null(st, p);
}

/* Step st, a bound insert; 0 or -1 after a message. */
static int
w_step(struct logw *w, sqlite3_stmt *st, int rc)
{
	if (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_DONE) {
		sqlite3_reset(st);
		return 0;
	}
	werr(w, "cannot write a row");
	sqlite3_reset(st);
	return -1;
}

int
log_is_empty(const char *path)
{
	static const char *const sides[] = { "-journal", "-wal" };
	sqlite3_stmt *st = NULL;
	sqlite3 *db = NULL;
	struct stat sb;
	char side[PATH_MAX];
	size_t i;
	int empty = 0;

	if (lstat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
		return 0;
	for (i = 0; i < ARRAY_SIZE(sides); i++) {
		if ((size_t)snprintf(side, sizeof(side), "%s%s", path,
		    sides[i]) >= sizeof(side) || lstat(side, &sb) == 0)
			return 0;
	}
	if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY |
	    SQLITE_OPEN_NOFOLLOW, NULL) == SQLITE_OK &&
	    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, NULL) ==
	    SQLITE_OK &&
	    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_VIEW, 0, NULL) ==
	    SQLITE_OK &&
	    sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, NULL) ==
	    SQLITE_OK &&
	    sqlite3_prepare_v2(db, "SELECT NOT EXISTS (SELECT 1 FROM "
	    "decisions) AND NOT EXISTS (SELECT 1 FROM incidents)", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		empty = sqlite3_column_int(st, 0) == 1;
	sqlite3_finalize(st);
	sqlite3_close(db);
	return empty;
}

int
log_write_decision(struct logw *w, const struct log_row *r)
{
	sqlite3_stmt *st = w->dec;
	char ts[32];
	int rc;

	if (r->ts == NULL)
		ts_format((long long)r->day * 86400 + r->sec, ts);
	rc = r->id > 0 ? sqlite3_bind_int64(st, 1, r->id) :
	    sqlite3_bind_null(st, 1);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 2, r->ts != NULL ? r->ts : ts);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 3, r->system);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 4, r->case_ref);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 5, r->exception);
	if (rc == SQLITE_OK)
		rc = bind_enum(st, 6, r->actor, actor_names, ACTOR_MAX);
	if (rc == SQLITE_OK)
		rc = bind_enum(st, 7, r->action, action_names, ACTION_MAX);
	if (rc == SQLITE_OK)
		rc = bind_enum(st, 8, r->mode, mode_names, MODE_MAX);
	if (rc == SQLITE_OK)
		rc = bind_num(st, 9, r->has & COLBIT(COL_CONFIDENCE),
		    r->confidence);
	if (rc == SQLITE_OK)
		rc = bind_num(st, 10, r->has & COLBIT(COL_AMOUNT), r->amount);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 11, r->model_version);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 12, r->reviewer);
	if (rc == SQLITE_OK)
		rc = bind_enum(st, 13, r->human_action, action_names,
		    ACTION_MAX);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 14, r->corrected != 0);
	if (rc == SQLITE_OK)
		rc = bind_num(st, 15, r->has & COLBIT(COL_CYCLE_SECONDS),
		    r->cycle_seconds);
	if (rc == SQLITE_OK)
		rc = bind_num(st, 16, r->has & COLBIT(COL_COST), r->cost);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 17, r->input_ref);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 18, r->rationale);
	return w_step(w, st, rc);
}

int
log_write_incident(struct logw *w, const struct log_incident *r)
{
	sqlite3_stmt *st = w->inc;
	char opened[32], reported[32], closed[32];
	const char *sev;
	int rc;

	/* A NULL text with a day set is written as that day's date. */
	if (r->opened == NULL && r->opened_day >= 0)
		date_format(r->opened_day, opened);
	if (r->reported == NULL && r->reported_day >= 0)
		date_format(r->reported_day, reported);
	if (r->closed == NULL && r->closed_day >= 0)
		date_format(r->closed_day, closed);
	sev = r->severity_text;
	if (sev == NULL && r->severity >= 0 && r->severity < INC_SEVERITY_MAX)
		sev = inc_severity_names[r->severity];
	rc = r->id > 0 ? sqlite3_bind_int64(st, 1, r->id) :
	    sqlite3_bind_null(st, 1);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 2, r->system);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 3, r->opened != NULL ? r->opened :
		    r->opened_day >= 0 ? opened : NULL);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 4, sev);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, 5, r->serious != 0);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 6, r->summary);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 7, r->reported != NULL ? r->reported :
		    r->reported_day >= 0 ? reported : NULL);
	if (rc == SQLITE_OK)
		rc = bind_text(st, 8, r->closed != NULL ? r->closed :
		    r->closed_day >= 0 ? closed : NULL);
	if (rc == SQLITE_OK)
		rc = bind_enum(st, 9, r->category, inc_category_names,
		    INC_CATEGORY_MAX);
	return w_step(w, st, rc);
}

int
log_writer_close(struct logw *w, int abort)
{
	int rc;

	if (w == NULL)
		return 0;
	if (abort) {
		w_discard(w);
		return 0;
	}
	rc = sqlite3_finalize(w->dec);
	w->dec = NULL;
	if (sqlite3_finalize(w->inc) != SQLITE_OK)
		rc = SQLITE_ERROR;
	w->inc = NULL;
	/* The indexes are built once, after the rows: far faster. */
	if (rc != SQLITE_OK || exec(w->db, SCHEMA_INDEXES "COMMIT; "
	    "PRAGMA journal_mode=DELETE;") != SQLITE_OK) {
		werr(w, "cannot commit");
		return w_discard(w);
	}
	if (sqlite3_close(w->db) != SQLITE_OK) {
		werr(w, "cannot close");
		w->db = NULL;
		return w_discard(w);
	}
	free(w->path);
	free(w);
	return 0;
}
