/*
 * diag.h - findings: the rule table, source locations, severities, and the
 * text, JSON and SARIF printers.
 *
 * Every diagnostic Charter can give is a row of the rule table (rule_table
 * in diag.c), as mandoc keeps its messages: the README's rule reference,
 * `charter rules`, JSON and SARIF output and the tests that name rules all
 * come from it.  Findings live in the run's arena.
 */
#ifndef CHARTER_DIAG_H
#define CHARTER_DIAG_H

#include <stdint.h>
#include <stdio.h>

struct arena;
struct buf;

/* A place in an input: 1-based line and column (code points); 0 = unknown. */
struct loc {
	const char	*file;
	int		 line, col;
};

enum severity {
	SEV_NOTE,
	SEV_WARNING,
	SEV_ERROR,
	SEV_MAX
};

extern const char *const severity_names[SEV_MAX];

/*
 * Rule ids.  RULE_CLASS_INPUT rules mean an input could not be read or
 * parsed (exit 3); all others are governance findings (exit 1 on error).
 */
enum rule {
	R_INPUT_UNREADABLE,
	R_INPUT_SYMLINK,
	R_INPUT_NOT_REGULAR,
	R_INPUT_TOO_LARGE,
	R_YAML_SYNTAX,
	R_YAML_ENCODING,
	R_PAGE_ENCODING,
	R_PAGE_NAME,
	R_YAML_DUPLICATE_KEY,
	R_YAML_DEPTH,
	R_YAML_ALIAS,
	R_YAML_TAG,
	R_YAML_MERGE_KEY,
	R_TEMPLATE_SYNTAX,
	R_TEMPLATE_MISSING,
	R_TEMPLATE_LIMIT,
	R_SCHEMA_KIND,
	R_SCHEMA_TYPE,
	R_SCHEMA_REQUIRED,
	R_SCHEMA_UNKNOWN_KEY,
	R_SCHEMA_ENUM,
	R_SCHEMA_PATTERN,
	R_SCHEMA_RANGE,
	R_SCHEMA_SIZE,
	R_SCHEMA_ONE_OF,
	R_SCHEMA_NOT,
	R_SCHEMA_UNIQUE,
	R_SCHEMA_DATE,
	R_SCHEMA_SINGLETON,
	R_SCHEMA_DUPLICATE_ID,
	R_REF_UNKNOWN,
	R_OWNERS_UNASSIGNED,
	R_TIER_PROHIBITED_IN_USE,
	R_TIER_CLASSIFICATION,
	R_TIER_MISSING_CONTROL,
	R_TIER_OVERSIGHT,
	R_EUAIA_PROHIBITED,
	R_EUAIA_MISSING_CLASSIFICATION,
	R_EUAIA_ANNEX_III,
	R_EUAIA_MISSING_EXEMPTION,
	R_EUAIA_PROFILING,
	R_EUAIA_MISSING_OVERSIGHT,
	R_EUAIA_MISSING_LOG,
	R_EUAIA_MISSING_INCIDENT_RESPONSE,
	R_EUAIA_MISSING_CONFORMITY,
	R_EUAIA_MISSING_FRIA,
	R_EUAIA_MISSING_REGISTRATION,
	R_RIGHTS_MISSING_DECISION,
	R_RIGHTS_NO_DECIDER,
	R_RIGHTS_UNRESOLVED,
	R_TABLE_DUPLICATE,
	R_TABLE_ESCALATION_WITHOUT_RIGHT,
	R_KPI_MISSING,
	R_KPI_NO_BUSINESS,
	R_KPI_DUPLICATE,
	R_KPI_ORPHAN,
	R_KPI_CYCLE,
	R_KPI_VANITY,
	R_REVIEW_OVERDUE,
	R_REVIEW_MISSING,
	R_LOG_RETENTION_TOO_SHORT,
	R_LOG_UNREADABLE,
	R_LOG_CORRUPT,
	R_LOG_NEEDS_RECOVERY,
	R_LOG_SCHEMA,
	R_LOG_LIMIT,
	R_LOG_INVALID_VALUE,
	R_LOG_NO_ROWS,
	R_LOG_SHARED_KEY,
	R_LOG_UNKNOWN_EXCEPTION,
	R_LOG_BOUNDARY_BREACH,
	R_LOG_INCOMPLETE,
	R_LOG_GAP,
	R_INCIDENT_LATE_REPORT,
	R_INCIDENT_REPORT_DUE,
	R_INCIDENT_INVALID,
	R_KPI_NO_LOG,
	R_KPI_SQL,
	R_CONTRACT_SCHEMA,
	R_CONTRACT_NOT_NULL,
	R_CONTRACT_UNIQUE,
	R_CONTRACT_ALLOWED_VALUES,
	R_CONTRACT_FRESHNESS,
	RULE_MAX
};

enum rule_class {
	RULE_CLASS_INPUT,	/* unreadable or unparsable input: exit 3 */
	RULE_CLASS_FINDING	/* a governance finding: exit 1 on error */
};

struct rule_info {
	const char	*id;
	enum severity	 severity;	/* default severity */
	enum rule_class	 class;
	const char	*summary;	/* one line, for --help and SARIF */
};

extern const struct rule_info rule_table[RULE_MAX];

/*
 * A finding is located in a YAML or Markdown file (loc), or in a decision
 * log: loc.file is then the database, `table` and `rowid` (0: none) the
 * row, and `basis` the YAML that declared what the row was checked
 * against (basis.file NULL: none).
 */
struct finding {
	enum rule	 rule;
	enum severity	 severity;
	struct loc	 loc;
	const char	*table;
	long long	 rowid;
	struct loc	 basis;
	const char	*message;
};

struct diag {
	struct arena	*arena;
	struct finding	*v;
	size_t		 n, cap;
	int		 count[SEV_MAX];
	int		 input_errors;	/* findings of RULE_CLASS_INPUT */
	size_t		 max_findings;	/* beyond it, findings are counted only */
	size_t		 dropped;
};

void	 diag_init(struct diag *, struct arena *);
void	 diag_release(struct diag *);

/*
 * Record a finding at loc (may be NULL) with the rule's default severity.
 * The message is formatted now; user text in it is escaped when printed.
 */
void	 diag_emit(struct diag *, enum rule, const struct loc *,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
void	 diag_emit_sev(struct diag *, enum rule, enum severity,
	    const struct loc *, const char *fmt, ...)
	    __attribute__((format(printf, 5, 6)));

/*
 * Record a finding in a database: db is its display path, table (may be
 * NULL) and rowid (0: none) the row, basis (may be NULL) the YAML that
 * declared what was checked.  Text: "DB:TABLE:ROWID: error: ...", then
 * "BASIS: note: declared here".
 */
void	 diag_emit_row(struct diag *, enum rule, enum severity,
	    const char *db, const char *table, long long rowid,
	    const struct loc *basis, const char *fmt, ...)
	    __attribute__((format(printf, 8, 9)));

/*
 * Append from's findings and counts to d (both in the same arena's
 * lifetime); from keeps its own.
 */
void	 diag_merge(struct diag *d, const struct diag *from);

/* Sort findings by file, line, column, rule and message: a total order. */
void	 diag_sort(struct diag *);

/* Printers.  Text goes to fp in GCC form, ending with a summary line. */
void	 diag_print_text(const struct diag *, FILE *fp, int color);
void	 diag_print_json(const struct diag *, struct buf *, const char *as_of);
void	 diag_print_sarif(const struct diag *, struct buf *);
/*
 * GitLab Code Quality (the Code Climate issue format): a JSON array, one
 * object per finding with description, check_name (the rule), severity
 * (blocker/critical/major/minor/info: error is major, warning minor, note
 * info), location (path, lines.begin, at least 1) and a fingerprint, the
 * SHA-256 of the finding's rule, place and message (and its rank among
 * equal ones), stable from run to run.
 */
void	 diag_print_codequality(const struct diag *, struct buf *);

/* The rule reference as a Markdown table or a JSON array. */
void	 diag_rules_markdown(struct buf *);
void	 diag_rules_json(struct buf *);

/*
 * Escape s for a terminal or CI log: control characters, DEL, C1 controls
 * and invisible characters (below) become \xHH or \u{HHHH}, invalid UTF-8
 * bytes \xHH.  Result in the arena.
 */
char	*term_escape(struct arena *, const char *s);

/*
 * Invisible characters: those that can reorder or hide text on a screen
 * without showing a glyph (Trojan Source spoofing).  The bidi controls
 * U+061C, U+200E, U+200F, U+202A..U+202E and U+2066..U+2069; the zero-width
 * and other invisible format characters U+180E, U+200B..U+200D,
 * U+2060..U+2064, U+206A..U+206F and U+FEFF; and the line and paragraph
 * separators U+2028 and U+2029.  Ids refuse them (they are not ASCII); in
 * free text they are kept, but no output writes them raw: the terminal
 * shows \u{202e}, pages and packs a visible marker, "[U+202E]".
 *
 * invisible_name: the character's Unicode name ("RIGHT-TO-LEFT OVERRIDE"),
 * or NULL when cp is not one of them.
 * invisible_at: the length in bytes of the invisible character s starts
 * with, its code point in *cp; 0 when s starts with anything else.  s is
 * NUL-terminated; it need not be valid UTF-8.
 */
const char	*invisible_name(uint32_t cp);
size_t		 invisible_at(const char *s, uint32_t *cp);

/*
 * The marker for invisible character cp, appended to b: "[U+202E]" as
 * plain text (MARK_TEXT: terminals aside, any medium, HTML attributes and
 * the text of <title> too), "\[U+202E\]" as literal Markdown text
 * (MARK_MARKDOWN), or, for text in an HTML element (MARK_HTML), the same
 * in a <span class="char-mark"> whose title names the character.  Returns
 * 0, or -1 when b is over its cap (buf.h).
 */
enum mark_style { MARK_TEXT, MARK_MARKDOWN, MARK_HTML };
int		 invisible_mark(struct buf *, uint32_t cp, enum mark_style);

/*
 * s with every invisible character replaced by its MARK_TEXT marker, in
 * the arena; s itself when it has none (or is NULL).  For text that an
 * escaper of its own (the SVG charts) writes out.
 */
const char	*invisible_text(struct arena *, const char *s);

/*
 * The same with another matcher: match returns the length of the
 * invisible character (or a reference to one) s starts with, its code
 * point in *cp, or 0 (invisible_at is one).
 */
const char	*invisible_replace(struct arena *, const char *s,
		    size_t (*match)(const char *, uint32_t *));

/* Exit status for these findings (0, 1 or 3), strict counting warnings. */
int	 diag_exit_status(const struct diag *, int strict);

#endif
