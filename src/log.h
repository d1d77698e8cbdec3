/*
 * log.h - decision logs: the only module that talks to SQLite.
 *
 * A log is opened strictly read-only and checked before anything is
 * trusted: no symbolic link anywhere on its path below the content folder,
 * the SQLite header, no hot journal or un-checkpointed WAL beside it, a
 * quick_check that answers exactly "ok", and the expected tables and
 * columns.  The connection is configured defensively (no triggers, views,
 * ATTACH or untrusted schema; length limits; a bounded busy timeout) and
 * never creates a file beside the database.
 *
 * Rows are streamed to a callback with their values type-checked: memory
 * does not grow with the number of rows.  Every problem becomes a finding
 * on the struct diag given to log_open.
 *
 * log_create and the writer functions are the other direction: they make a
 * new log with exactly the documented schema (charter log init) and fill it
 * (charter log sample).  They refuse to touch an existing file.
 */
#ifndef CHARTER_LOG_H
#define CHARTER_LOG_H

#include <stddef.h>

#include "diag.h"

struct arena;
struct contract;

enum log_actor {
	ACTOR_AGENT, ACTOR_HUMAN, ACTOR_MAX
};
enum log_action {
	ACTION_AUTO_RESOLVED, ACTION_ESCALATED, ACTION_REQUESTED_INFO,
	ACTION_APPROVED, ACTION_REJECTED, ACTION_MAX
};
enum log_mode {
	MODE_LIVE, MODE_SHADOW, MODE_MAX
};

/* The enum fields of struct log_row hold these for NULL and bad values. */
#define LOG_NULL	(-1)
#define LOG_BAD		(-2)

extern const char *const actor_names[ACTOR_MAX];
extern const char *const action_names[ACTION_MAX];
extern const char *const mode_names[MODE_MAX];

/* The columns of the decisions table, in the documented order. */
enum log_col {
	COL_ID, COL_TS, COL_SYSTEM, COL_CASE_REF, COL_EXCEPTION, COL_ACTOR,
	COL_ACTION, COL_MODE, COL_CONFIDENCE, COL_AMOUNT, COL_MODEL_VERSION,
	COL_REVIEWER, COL_HUMAN_ACTION, COL_CORRECTED, COL_CYCLE_SECONDS,
	COL_COST, COL_INPUT_REF, COL_RATIONALE, COL_MAX
};

extern const char *const log_col_names[COL_MAX];

#define COLBIT(c)	(1u << (c))

/*
 * One decision, valid only during the callback.  Text is NULL for SQL
 * NULL and is not guaranteed to be valid UTF-8.  Each value is checked as
 * it is read: bit COLBIT(c) of `bad` is set when column c holds a value of
 * the wrong type, a NULL where the schema says NOT NULL, a text outside its
 * set (actor, action, mode, human_action), a ts that is not ISO 8601, a
 * confidence outside 0..1, a corrected other than 0 or 1, or a negative
 * cycle_seconds.  Bit COLBIT(c) of `has` is set when a numeric column is
 * not NULL and usable.
 */
struct log_row {
	long long	 id;		/* the rowid (= id) */
	const char	*ts, *system, *case_ref, *exception, *model_version,
			*reviewer, *input_ref, *rationale;
	long		 day;		/* ts: days since 1970-01-01, UTC */
	int		 sec;		/* ts: seconds into that day */
	int		 actor, action, mode, human_action;	/* enums or
					   LOG_NULL or LOG_BAD */
	double		 confidence, amount, cycle_seconds, cost;
	int		 corrected;
	unsigned	 has, bad;
};

/* A row of the incidents table; the same conventions. */
enum inc_col {
	ICOL_ID, ICOL_SYSTEM, ICOL_OPENED, ICOL_SEVERITY, ICOL_SERIOUS,
	ICOL_SUMMARY, ICOL_REPORTED, ICOL_CLOSED, ICOL_CATEGORY, ICOL_MAX
};

extern const char *const inc_col_names[ICOL_MAX];

enum inc_severity {
	INC_LOW, INC_MEDIUM, INC_HIGH, INC_CRITICAL, INC_SEVERITY_MAX
};
/* Art. 73 report deadline categories (the optional `category` column). */
enum inc_category {
	INC_GENERAL, INC_DEATH, INC_WIDESPREAD, INC_CATEGORY_MAX
};

extern const char *const inc_severity_names[INC_SEVERITY_MAX];
extern const char *const inc_category_names[INC_CATEGORY_MAX];

struct log_incident {
	long long	 id;
	const char	*system, *opened, *severity_text, *summary, *reported,
			*closed;
	int		 severity;	/* enum inc_severity or LOG_BAD */
	int		 category;	/* INC_GENERAL when NULL or absent;
					   LOG_BAD when unknown */
	int		 serious;
	long		 opened_day, reported_day, closed_day;	/* -1 when NULL
					   or not a date */
	unsigned	 bad;
};

/* Knobs the caller takes from struct limits. */
struct log_limits {
	long		 busy_ms;	/* wait this long for a locked file */
	long long	 sql_steps;	/* VM steps for one sql: KPI query */
	size_t		 sql_rows;	/* rows one sql: KPI query may return */
	size_t		 max_value;	/* bytes in one text or blob value */
};

void	 log_limits_default(struct log_limits *);

struct logdb;

/*
 * Open root/rel read-only and check it as described above (with
 * LOG_OPEN_DATA, all but the decisions and incidents schema).  Problems are
 * findings located at the database (display path root/rel), with `decl`
 * (the YAML that named the file) as their basis: log.unreadable,
 * log.corrupt, log.needs-recovery, log.schema.  Returns NULL after such a
 * finding.  The handle and its strings live until log_close.
 */
struct logdb	*log_open(struct arena *, struct diag *, const char *root,
		    const char *rel, const struct loc *decl,
		    const struct log_limits *, unsigned flags);

/*
 * log_open flags: a database only data contracts read (no decisions); a
 * database this run has already opened and integrity-checked (the
 * workbook's second pass), so PRAGMA quick_check is not repeated: a page
 * damaged since still fails the scan with log.corrupt.
 */
#define LOG_OPEN_DATA		1u
#define LOG_OPEN_CHECKED	2u
void		 log_close(struct logdb *);

/* The display path used in findings, e.g. "content/logs/x.db". */
const char	*log_path(const struct logdb *);

/* Whether the database has an incidents table (it is optional). */
int		 log_has_incidents(const struct logdb *);

/*
 * Stream every row of decisions (rowid order) or incidents to fn (the
 * decisions scan leaves rationale NULL: nothing it feeds reads it); a
 * non-zero return from fn stops the scan and is returned.  Returns 0, or
 * -1 after a finding (a value over max_value, corruption found mid-scan:
 * log.limit, log.corrupt).
 */
typedef int	(*log_row_fn)(void *ctx, const struct log_row *);
typedef int	(*log_incident_fn)(void *ctx, const struct log_incident *);
int		 log_scan_decisions(struct logdb *, log_row_fn, void *ctx);
/*
 * log_scan_decisions with rationale read too, for the workbook's evidence
 * sheets; a rationale over max_value is log.limit like any other value.
 */
int		 log_scan_all(struct logdb *, log_row_fn, void *ctx);
int		 log_scan_incidents(struct logdb *, log_incident_fn, void *ctx);

/*
 * Run a KPI's sql: exactly one SELECT statement, authorised to read and to
 * call an allow-list of deterministic built-in functions only, within the
 * step and row limits.  fn gets each row's period (text; NULL becomes the
 * empty string) and value.  Returns 0, or -1 after a kpi.sql finding at
 * `at` saying what was wrong (syntax, a refused operation, more than one
 * statement, not two columns, a value that is not a number, a limit hit).
 */
typedef void	(*log_point_fn)(void *ctx, const char *period, double value);
int		 log_query_series(struct logdb *, const char *sql,
		    const struct loc *at, log_point_fn, void *ctx);

/*
 * Evaluate every clause of a data contract against its table: not_null,
 * unique, allowed_values and fresh_within_hours (newest ts against
 * as_of_sec, seconds since the epoch).  Each violation is a contract.*
 * finding at the database row, with the clause's YAML as its basis; at most
 * a handful of rows are named, with a count of the rest.  A table or column
 * that does not exist is contract.schema.  Returns the number of findings.
 */
int		 log_check_contract(struct logdb *, const struct contract *,
		    long long as_of_sec);

/*
 * Writing.  log_create makes path (which must not exist: O_EXCL, no
 * symbolic link followed) holding the documented schema plus the indexes
 * the metrics use, and returns a writer inside one transaction; on error
 * it prints one line to stderr naming the path and returns NULL.
 * log_writer_close commits (or, with abort set, removes the file).
 * Returns 0 or -1 after a message.
 */
struct logw;
struct logw	*log_create(const char *path);

/*
 * 1 when path is a regular file, no symbolic link and with no journal or
 * WAL beside it, whose decisions and incidents tables exist and hold no
 * row (as log init leaves it), so replacing it loses nothing; else 0.
 */
int		 log_is_empty(const char *path);
int		 log_write_decision(struct logw *, const struct log_row *);
int		 log_write_incident(struct logw *, const struct log_incident *);
int		 log_writer_close(struct logw *, int abort);

/* The schema log_create writes, for the README and `charter log schema`. */
extern const char log_schema_sql[];

#endif
