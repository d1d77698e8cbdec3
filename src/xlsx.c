/*
 * xlsx.c - the audit workbook, the only file that includes <xlsxwriter.h>.
 *
 * One sheet per register (systems, owners, decision rights, decision
 * tables, risk register, KPIs and their series, findings, incidents), a
 * cover with the counts and a table of contents, and the decision-log
 * evidence: every row of every log of the systems in scope, continued on
 * "Decisions (2)", "(3)", ... past Excel's row limit, never dropped.
 *
 * A log is read once: xlsx_open starts the workbook before the evidence
 * pass, which hands each row to xlsx_row as it reads it (rationale too),
 * and xlsx_close writes the registers, which need the pass's findings,
 * and the cover.
 *
 * The workbook is a hostile-text sink (hostile-inputs.md, 2D):
 *   - text is written only with worksheet_write_string (a shared or
 *     inline string, never evaluated: "=cmd|..." stays text), never as a
 *     formula, and numbers only from typed model fields and log columns;
 *   - every string passes cell_text first: invalid UTF-8 becomes U+FFFD
 *     (libxlsxwriter would write malformed XML), C0 controls other than
 *     tab and newline are dropped, bidi controls and invisible characters
 *     are shown as "[U+202E]" (hostile-inputs.md A10), a literal
 *     "_xHHHH_" is escaped the way Excel reads it, and text over Excel's 32,767 characters is cut with
 *     a visible marker;
 *   - formats are a fixed set made once (none derived from data), sheet
 *     names are sanitised and unique, hyperlinks are internal and counted
 *     against Excel's per-sheet limit.
 *
 * The workbook runs in constant-memory mode, so every sheet is written
 * row by row in order (memory does not grow with the log); the cover is
 * the first tab but is filled last, when the evidence counts are known.
 * Every lxw_error is checked: the first failure stops the writing (later
 * calls do nothing) and becomes the message of xlsx_write's -2.  The
 * creation date is the as-of date, so equal inputs give equal bytes.
 *
 * Temporary sheet data go beside the output (not to /tmp, which may be a
 * small tmpfs), and the finished file is read back and every part
 * inflated (zlib, included here only): libxlsxwriter 1.1.4 does not check
 * its writes to temporary files, so a disk that fills up at the wrong
 * moment would otherwise give a damaged workbook and no error.
 *
 * What this file must not do: include view.h (it works from the model),
 * read YAML, or talk to SQLite.
 */
#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <xlsxwriter.h>
#include <zlib.h>

#include "arena.h"
#include "diag.h"
#include "evidence.h"
#include "log.h"
#include "metrics.h"
#include "model.h"
#include "util.h"
#include "xlsx.h"

/* Excel's limits. */
#define SHEET_ROWS	1048576		/* rows in a sheet, with the header */
#define CELL_UNITS	32767		/* UTF-16 units in one cell */
#define SHEET_LINKS	65530		/* hyperlinks in one sheet */
#define NAME_UNITS	31		/* characters in a sheet name */

/* The marker that ends a cut cell, and its length in UTF-16 units. */
#define CUT_MARK	"\xe2\x80\xa6 [truncated, see HTML]"
#define CUT_MARK_UNITS	23

/* A cell whose log value had the wrong type, range or set. */
#define INVALID_TEXT	"(invalid value)"

/*
 * Cleaned text is at most CELL_UNITS units plus the marker: at most 3
 * bytes a unit (a 4-byte character is 2 units), with room for the first
 * pass to read a few characters past the limit.
 */
#define CELL_BYTES	(3 * (CELL_UNITS + 64) + 64)

/* Excel serial days: 1970-01-01, and the range Excel shows as dates. */
#define EXCEL_EPOCH	25569
#define EXCEL_FIRST	61		/* 1900-03-01; earlier serials hit
					   the 1900 leap-year bug */
#define EXCEL_LAST	2958465		/* 9999-12-31 */

/* The fixed set of formats. */
enum fmt {
	F_TEXT,			/* no format: a plain cell */
	F_HEADER, F_TITLE, F_DATE, F_DATETIME, F_PERCENT, F_PERCENT_UNIT,
	F_MONEY, F_ID, F_COUNT, F_GREEN, F_AMBER, F_RED, F_GREY, F_MAX
};

/* Status colours: the word is always written too, colour never alone. */
enum tone {
	TONE_NONE, TONE_GREEN, TONE_AMBER, TONE_RED
};

static const enum fmt tone_fmt[] = { F_GREY, F_GREEN, F_AMBER, F_RED };

/* Wording from model.c, metrics.c and evidence.c, as the site has it. */
static const enum tone status_tone[KPI_STATUS_MAX] = {
	TONE_NONE, TONE_GREEN, TONE_AMBER, TONE_RED
};
static const enum tone inc_tone[INC_STATE_MAX] = {
	TONE_NONE, TONE_GREEN, TONE_RED, TONE_RED, TONE_AMBER
};
static const enum tone sev_tone[SEV_MAX] = {
	TONE_NONE, TONE_AMBER, TONE_RED
};
static const enum tone lane_tone[LANE_MAX] = {
	TONE_GREEN, TONE_AMBER, TONE_RED
};

struct col {
	const char	*title;
	double		 width;
};

struct sheet {
	lxw_worksheet	*ws;
	const char	*name;		/* as the workbook has it */
	const struct col *cols;
	int		 ncols;
	lxw_row_t	 row;		/* the next row to write */
	lxw_col_t	 col;		/* the next cell in that row */
	size_t		 links;
	int		 done;		/* autofilter set */
};

/* The sheets in tab order; the evidence sheets follow. */
enum sheet_id {
	S_COVER, S_SYSTEMS, S_OWNERS, S_RIGHTS, S_TABLES, S_RISK, S_KPIS,
	S_SERIES, S_FINDINGS, S_INCIDENTS, S_MAX
};

struct xlsx {
	const struct xlsx_in *in;
	const struct model *m;
	struct arena	*a;
	const char	*path;
	lxw_workbook	*wb;
	lxw_format	*f[F_MAX];
	lxw_error	 err;		/* the first failure */
	const char	*what;		/* what was being done */
	const char	*cause;		/* why, if err does not say it */
	char		*clean;		/* cell_text's two buffers */
	char		*cell;

	const char	**names;	/* sheet names taken, folded */
	size_t		 nnames, capnames;

	struct sheet	 s[S_MAX];
	int		*in_scope;	/* per system */
	lxw_row_t	*sysrow;	/* per system: its row in Systems */
	long		*fsys;		/* per finding: system or -1 */
	int		(*sev)[SEV_MAX];	/* per system: findings */
	int		 total[SEV_MAX];	/* findings in scope */
	size_t		 nkpis, ninc;

	/* The evidence. */
	struct sheet	*ev;		/* the sheet being written */
	struct sheet	*evs;		/* every evidence sheet */
	size_t		 nevs, capevs;
	unsigned long	 per_sheet;
	unsigned long long rows;	/* written */
	int		 stopped;	/* by in->stop */
};

/* ---- errors ---------------------------------------------------------- */

/*
 * Record the first libxlsxwriter failure; once one is recorded, every
 * writer below does nothing.  Returns 0 for LXW_NO_ERROR, else -1.
 */
static int
check(struct xlsx *x, lxw_error e, const char *what)
{
	if (e == LXW_NO_ERROR)
		return 0;
	if (x->err == LXW_NO_ERROR) {
		x->err = e;
		x->what = what;
	}
	return -1;
}

/* ---- text ------------------------------------------------------------- */

/*
 * The length of the valid UTF-8 sequence at p and its code point, or 0
 * for an invalid one (overlong, surrogate, past U+10FFFF, cut short).
 * Stops at a NUL: a continuation byte is never 0.
 */
static int
utf8_next(const unsigned char *p, uint32_t *cp)
{
	uint32_t c, min;
	int n, k;

	if (p[0] < 0x80) {
		*cp = p[0];
		return 1;
	}
	if ((p[0] & 0xE0) == 0xC0) {
		n = 2; c = p[0] & 0x1F; min = 0x80;
	} else if ((p[0] & 0xF0) == 0xE0) {
		n = 3; c = p[0] & 0x0F; min = 0x800;
	} else if ((p[0] & 0xF8) == 0xF0) {
		n = 4; c = p[0] & 0x07; min = 0x10000;
	} else
		return 0;
	for (k = 1; k < n; k++) {
		if ((p[k] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (p[k] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return n;
}

static size_t
utf8_put(char *o, uint32_t cp)
{
	if (cp < 0x80) {
		o[0] = (char)cp;
		return 1;
	}
	if (cp < 0x800) {
		o[0] = (char)(0xC0 | (cp >> 6));
		o[1] = (char)(0x80 | (cp & 0x3F));
		return 2;
	}
	if (cp < 0x10000) {
		o[0] = (char)(0xE0 | (cp >> 12));
		o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		o[2] = (char)(0x80 | (cp & 0x3F));
		return 3;
	}
	o[0] = (char)(0xF0 | (cp >> 18));
	o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
	o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
	o[3] = (char)(0x80 | (cp & 0x3F));
	return 4;
}

static int
is_hex(int c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') ||
	    (c >= 'A' && c <= 'F');
}

/* Does s start with "_xHHHH_", which Excel reads as an escaped character? */
static int
is_x_escape(const char *s)
{
	return s[0] == '_' && s[1] == 'x' && is_hex(s[2]) && is_hex(s[3]) &&
	    is_hex(s[4]) && is_hex(s[5]) && s[6] == '_';
}

/*
 * Untrusted text made fit for a cell, in two passes.  The first makes it
 * valid XML text: invalid UTF-8 becomes U+FFFD, as do U+FFFE and U+FFFF
 * (not XML characters); C0 controls other than tab and newline are
 * dropped; bidi controls and invisible characters become their visible
 * marker "[U+202E]", as on the pages.  It stops a little past the cell's limit, so a long value costs
 * no more than a short one.  The second escapes a literal "_xHHHH_" as
 * "_x005F_xHHHH_" (Excel would show the character it names) and cuts the
 * text at the last character that leaves room for CUT_MARK when the whole
 * would be over CELL_UNITS UTF-16 units, counting the escapes: so the
 * string libxlsxwriter gets is never over its limit either.  Returns s
 * itself when there is nothing to do, else a buffer valid until the next
 * call; NULL gives "".
 */
static const char *
cell_text(struct xlsx *x, const char *s)
{
	const unsigned char *p = (const unsigned char *)(s != NULL ? s : "");
	char *c = x->clean, *o = x->cell;
	size_t n = 0, on = 0, cut = 0;
	unsigned long units = 0;
	uint32_t cp;
	int k, w, have_cut = 0;

	/*
	 * Most cells (ids, enum words, timestamps, references) are short
	 * printable ASCII with no "_x": nothing to clean, escape or cut.
	 */
	for (n = 0; n <= CELL_UNITS && p[n] >= 0x20 && p[n] < 0x80; n++)
		if (p[n] == '_' && p[n + 1] == 'x')
			break;
	if (n <= CELL_UNITS && p[n] == '\0')
		return (const char *)p;
	n = 0;

	/* Pass 1: valid text, a few characters past the limit at most. */
	while (*p != '\0' && units <= CELL_UNITS + 8) {
		if (*p >= 0x20 && *p < 0x80) {
			c[n++] = (char)*p++;
			units++;
			continue;
		}
		if ((k = utf8_next(p, &cp)) == 0) {
			cp = 0xFFFD;
			k = 1;
		}
		p += k;
		if (cp < 0x20 && cp != '\t' && cp != '\n')
			continue;
		if (cp == 0xFFFE || cp == 0xFFFF)
			cp = 0xFFFD;
		if (invisible_name(cp) != NULL) {
			/* Shown, not applied: Excel would reorder or hide text. */
			n += (size_t)snprintf(c + n, 16, "[U+%04X]", (unsigned)cp);
			units += 8;
			continue;
		}
		n += utf8_put(c + n, cp);
		units += cp >= 0x10000 ? 2 : 1;
	}
	c[n] = '\0';

	/* Pass 2: escape, count, cut. */
	units = 0;
	for (p = (const unsigned char *)c; *p != '\0'; p += k) {
		k = utf8_next(p, &cp);
		w = cp >= 0x10000 ? 2 : 1;
		if (cp == '_' && is_x_escape((const char *)p))
			w += 6;
		if (!have_cut && units + w > CELL_UNITS - CUT_MARK_UNITS) {
			cut = on;
			have_cut = 1;
		}
		if (units + w > CELL_UNITS) {
			memcpy(o + cut, CUT_MARK, sizeof(CUT_MARK));
			return o;
		}
		if (w > 2) {
			memcpy(o + on, "_x005F", 6);
			on += 6;
		}
		memcpy(o + on, p, (size_t)k);
		on += (size_t)k;
		units += (unsigned long)w;
	}
	o[on] = '\0';
	return o;
}

/* ---- cells ------------------------------------------------------------ */

/*
 * Each writer fills the next cell of the sheet's current row; row_end
 * moves to the next row.  After a failure they only move the cursor.
 */
static lxw_format *
fmt(struct xlsx *x, enum fmt f)
{
	return f == F_TEXT ? NULL : x->f[f];
}

/* Text from anywhere (the model, a log, our own words); NULL is blank. */
static void
put_str(struct xlsx *x, struct sheet *sh, const char *s, enum fmt f)
{
	lxw_col_t c = sh->col++;

	if (x->err != LXW_NO_ERROR || ((s == NULL || *s == '\0') &&
	    f == F_TEXT))
		return;
	if (s == NULL || *s == '\0') {
		check(x, worksheet_write_blank(sh->ws, sh->row, c, fmt(x, f)),
		    "writing a blank cell");
		return;
	}
	check(x, worksheet_write_string(sh->ws, sh->row, c, cell_text(x, s),
	    fmt(x, f)), "writing a text cell");
}

static void
put_blank(struct sheet *sh)
{
	sh->col++;
}

/* A number; a non-finite one (never from the model) as "n/a". */
static void
put_num(struct xlsx *x, struct sheet *sh, double v, enum fmt f)
{
	if (!isfinite(v)) {
		put_str(x, sh, "n/a", F_TEXT);
		return;
	}
	if (x->err == LXW_NO_ERROR)
		check(x, worksheet_write_number(sh->ws, sh->row, sh->col, v,
		    fmt(x, f)), "writing a number");
	sh->col++;
}

static void
put_count(struct xlsx *x, struct sheet *sh, unsigned long long n)
{
	put_num(x, sh, (double)n, F_COUNT);
}

/*
 * A day (days since 1970-01-01) and second as an Excel date or date-time;
 * outside the range Excel shows, the ISO text.
 */
static void
put_time(struct xlsx *x, struct sheet *sh, long day, int sec, int with_time)
{
	double serial = (double)day + EXCEL_EPOCH;
	char t[21];

	if (serial < EXCEL_FIRST || serial > EXCEL_LAST) {
		if (with_time)
			ts_format((long long)day * 86400 + sec, t);
		else
			date_format(day, t);
		put_str(x, sh, t, F_TEXT);
		return;
	}
	if (with_time)
		serial += (double)sec / 86400;
	put_num(x, sh, serial, with_time ? F_DATETIME : F_DATE);
}

/* A date or timestamp given as text: a real date when it parses. */
static void
put_when(struct xlsx *x, struct sheet *sh, const char *s)
{
	long day;
	int sec;

	if (s == NULL)
		put_blank(sh);
	else if (date_parse(s, &day) == 0)
		put_time(x, sh, day, 0, 0);
	else if (ts_parse(s, &day, &sec) == 0)
		put_time(x, sh, day, sec, 1);
	else
		put_str(x, sh, s, F_TEXT);
}

static void
put_tone(struct xlsx *x, struct sheet *sh, enum tone t, const char *word)
{
	put_str(x, sh, word, tone_fmt[t]);
}

static void
put_yes(struct xlsx *x, struct sheet *sh, int set, int v)
{
	put_str(x, sh, !set ? NULL : v ? "yes" : "no", F_TEXT);
}

/*
 * A link to row (0-based) of another sheet, shown as text.  Past Excel's
 * links per sheet, the text alone.
 */
static void
put_link(struct xlsx *x, struct sheet *sh, const struct sheet *to,
    lxw_row_t row, const char *text)
{
	const char *url, *shown;

	if (sh->links >= SHEET_LINKS || text == NULL || *text == '\0') {
		put_str(x, sh, text, F_TEXT);
		return;
	}
	if (x->err == LXW_NO_ERROR) {
		/* Our sheet names hold no apostrophe (sheet_name). */
		url = arena_printf(x->a, "internal:'%s'!A%lu", to->name,
		    (unsigned long)row + 1);
		shown = cell_text(x, text);
		sh->links++;
		check(x, worksheet_write_url_opt(sh->ws, sh->row, sh->col, url,
		    NULL, shown, NULL), "writing a link");
	}
	sh->col++;
}

/* A system's id, linked to its row in Systems. */
static void
put_system(struct xlsx *x, struct sheet *sh, size_t si)
{
	put_link(x, sh, &x->s[S_SYSTEMS], x->sysrow[si],
	    x->m->systems[si].id.s);
}

static void
row_end(struct sheet *sh)
{
	sh->row++;
	sh->col = 0;
}

/* ---- sheets ----------------------------------------------------------- */

/* ASCII case folding: the names made here are ASCII (see sheet_name). */
static int
name_taken(const struct xlsx *x, const char *name)
{
	size_t i;

	for (i = 0; i < x->nnames; i++)
		if (strcasecmp(x->names[i], name) == 0)
			return 1;
	return 0;
}

/*
 * A sheet name Excel accepts, made from want: printable ASCII only (so
 * Excel's and libxlsxwriter's character counts and case folding agree),
 * none of [ ] : * ? / \, no apostrophe at all (it would need quoting in
 * links), 1 to 31 characters, not "History" (reserved by Excel), and
 * unique without regard to case: a taken name gets "~2", "~3", ...
 */
static const char *
sheet_name(struct xlsx *x, const char *want)
{
	char base[NAME_UNITS + 1], name[NAME_UNITS + 1], sfx[24];
	size_t n = 0, keep;
	unsigned long k;
	const char *p;

	for (p = want; *p != '\0' && n < NAME_UNITS; p++) {
		unsigned char ch = (unsigned char)*p;

		if (ch < 0x20 || ch >= 0x7F || strchr("[]:*?/\\'", ch) != NULL)
			ch = '_';
		base[n++] = (char)ch;
	}
	while (n > 0 && base[n - 1] == ' ')
		n--;
	base[n] = '\0';
	if (n == 0)
		strcpy(base, "Sheet");
	strcpy(name, base);
	for (k = 2; name_taken(x, name) || strcasecmp(name, "History") == 0;
	    k++) {
		snprintf(sfx, sizeof(sfx), "~%lu", k);
		keep = strlen(base);
		if (keep > NAME_UNITS - strlen(sfx))
			keep = NAME_UNITS - strlen(sfx);
		snprintf(name, sizeof(name), "%.*s%s", (int)keep, base, sfx);
	}
	x->names = xgrow(x->names, &x->capnames, x->nnames + 1,
	    sizeof(*x->names));
	return x->names[x->nnames++] = arena_strdup(x->a, name);
}

/*
 * Add a sheet with its columns, a bold header row frozen at the top and
 * repeated on printed pages.  Returns 0 or -1 after a recorded failure.
 */
static int
sheet_new(struct xlsx *x, struct sheet *sh, const char *want,
    const struct col *cols, int ncols)
{
	int c;

	memset(sh, 0, sizeof(*sh));
	if (x->err != LXW_NO_ERROR)
		return -1;
	sh->name = sheet_name(x, want);
	sh->cols = cols;
	sh->ncols = ncols;
	/* Validated first: workbook_add_worksheet prints its complaints. */
	if (check(x, workbook_validate_sheet_name(x->wb, sh->name),
	    "naming a sheet") != 0)
		return -1;
	if ((sh->ws = workbook_add_worksheet(x->wb, sh->name)) == NULL)
		return check(x, LXW_ERROR_MEMORY_MALLOC_FAILED,
		    "adding a sheet");
	for (c = 0; c < ncols; c++)
		if (check(x, worksheet_set_column(sh->ws, (lxw_col_t)c,
		    (lxw_col_t)c, cols[c].width, NULL), "setting a column "
		    "width") != 0)
			return -1;
	worksheet_freeze_panes(sh->ws, 1, 0);
	if (check(x, worksheet_repeat_rows(sh->ws, 0, 0), "setting the "
	    "print titles") != 0)
		return -1;
	for (c = 0; c < ncols; c++)
		put_str(x, sh, cols[c].title, F_HEADER);
	row_end(sh);
	return x->err != LXW_NO_ERROR ? -1 : 0;
}

/* The autofilter over the header and every row written; not on the cover. */
static void
sheet_end(struct xlsx *x, struct sheet *sh)
{
	if (sh->ws == NULL || sh->done || x->err != LXW_NO_ERROR ||
	    sh == &x->s[S_COVER])
		return;
	sh->done = 1;
	check(x, worksheet_autofilter(sh->ws, 0, 0, sh->row - 1,
	    (lxw_col_t)(sh->ncols - 1)), "setting an autofilter");
}

/* ---- the model, as the registers show it ------------------------------ */

static const char *
enum_word(const char *const *names, int max, int v)
{
	return v >= 0 && v < max ? names[v] : NULL;
}

/* A path relative to the governance repo, as the site shows it. */
static const char *
repo_path(const struct xlsx *x, const char *file)
{
	size_t n = strlen(x->m->root);

	if (file != NULL && strcmp(x->m->root, ".") != 0 &&
	    strncmp(file, x->m->root, n) == 0 && file[n] == '/')
		return file + n + 1;
	return file;
}

/*
 * A person, team or owner:ROLE as people read it, with the id beside the
 * name for the auditor; *missing is set for an unassigned role.
 */
static const char *
party(struct xlsx *x, const char *ref, const struct system *s, int *missing)
{
	const struct person *pe;
	const struct team *t;
	const char *who;
	int role;

	*missing = 0;
	if (ref == NULL) {
		*missing = 1;
		return "unassigned";
	}
	if (strncmp(ref, "owner:", 6) == 0) {
		role = enum_lookup(role_names, ROLE_MAX, ref + 6);
		if (role < 0)
			return ref;
		if (s == NULL)
			return arena_printf(x->a, "%s owner",
			    role_labels[role]);
		if ((who = s->owners[role].s) == NULL) {
			*missing = 1;
			return arena_printf(x->a, "no %s owner",
			    role_labels[role]);
		}
		return arena_printf(x->a, "%s owner: %s", role_labels[role],
		    party(x, who, NULL, missing));
	}
	if ((pe = model_person(x->m, ref)) != NULL)
		return arena_printf(x->a, "%s (%s)", pe->name.s != NULL ?
		    pe->name.s : ref, ref);
	if ((t = model_team(x->m, ref)) != NULL)
		return arena_printf(x->a, "%s (team %s)", t->name.s != NULL ?
		    t->name.s : ref, ref);
	return ref;
}

/* A list of parties, "; " between them. */
static const char *
parties(struct xlsx *x, const struct slist *l, const struct system *s)
{
	const char *out = NULL;
	size_t i;
	int missing;

	for (i = 0; i < l->n; i++)
		out = out == NULL ? party(x, l->v[i].s, s, &missing) :
		    arena_printf(x->a, "%s; %s", out, party(x, l->v[i].s, s,
		    &missing));
	return out;
}

/* An slist's values joined with "; ". */
static const char *
joined(struct xlsx *x, const struct slist *l)
{
	const char *out = NULL;
	size_t i;

	for (i = 0; i < l->n; i++)
		out = out == NULL ? l->v[i].s : arena_printf(x->a, "%s; %s",
		    out, l->v[i].s);
	return out;
}

static const struct tier *
tier_of(const struct xlsx *x, const struct system *s)
{
	return s->risk_tier.s != NULL ? model_tier(x->m, s->risk_tier.s) :
	    NULL;
}

/* The number format for a KPI's values, from its unit. */
static enum fmt
kpi_fmt(const struct kpi *k)
{
	const char *u = k->unit.s;

	if (u == NULL)
		return F_TEXT;
	if (strcmp(u, "ratio") == 0)
		return F_PERCENT;
	if (strcmp(u, "%") == 0)
		return F_PERCENT_UNIT;
	/* An ISO 4217 code: three capital letters. */
	if (strlen(u) == 3 && u[0] >= 'A' && u[0] <= 'Z' && u[1] >= 'A' &&
	    u[1] <= 'Z' && u[2] >= 'A' && u[2] <= 'Z')
		return F_MONEY;
	return F_TEXT;
}

/* As chart_kpi_of in view.c reads a KPI's direction. */
static int
lower_is_better(const struct kpi *k)
{
	return k->direction.v == DIRECTION_DOWN ||
	    (k->direction.v < 0 && k->target.set && k->red.set &&
	    k->red.v > k->target.v) ||
	    (k->direction.v < 0 && !k->target.set && k->red.set &&
	    k->amber.set && k->red.v > k->amber.v);
}

static void
put_nval(struct xlsx *x, struct sheet *sh, const struct nval *v, enum fmt f)
{
	if (v->set)
		put_num(x, sh, v->v, f);
	else
		put_blank(sh);
}

/* ---- the registers ---------------------------------------------------- */

static const struct col systems_cols[] = {
	{ "System", 22 }, { "Name", 34 }, { "Stage", 12 }, { "Function", 14 },
	{ "Value", 12 }, { "Risk tier", 12 }, { "Lane", 11 },
	{ "EU AI Act classification", 22 }, { "EU AI Act role", 20 },
	{ "Outcome owner", 28 }, { "Model", 30 }, { "Decision log", 30 },
	{ "Log rows", 11 }, { "Last review", 12 }, { "Errors", 8 },
	{ "Warnings", 10 }, { "Notes", 8 }, { "Summary", 60 }, { "File", 32 }
};

static void
write_systems(struct xlsx *x)
{
	struct sheet *sh = &x->s[S_SYSTEMS];
	const struct sys_evidence *ev;
	const struct system *s;
	const struct tier *t;
	const char *model, *owner;
	size_t i;
	int missing;

	for (i = 0; i < x->m->nsystems && x->err == LXW_NO_ERROR; i++) {
		if (!x->in_scope[i])
			continue;
		s = &x->m->systems[i];
		t = tier_of(x, s);
		ev = &x->in->ev->v[i];
		put_str(x, sh, s->id.s, F_TEXT);
		put_str(x, sh, s->name.s, F_TEXT);
		put_str(x, sh, s->stage.v >= 0 ? stage_labels[s->stage.v] :
		    NULL, F_TEXT);
		put_str(x, sh, enum_word(function_names, FUNCTION_MAX,
		    s->function.v), F_TEXT);
		put_str(x, sh, enum_word(value_names, VALUE_MAX, s->value.v),
		    F_TEXT);
		put_str(x, sh, s->risk_tier.s, F_TEXT);
		if (t != NULL && t->lane.v >= 0)
			put_tone(x, sh, lane_tone[t->lane.v],
			    lane_names[t->lane.v]);
		else
			put_blank(sh);
		put_str(x, sh, s->eu.present && s->eu.classification.v >= 0 ?
		    euclass_labels[s->eu.classification.v] : "Not classified",
		    F_TEXT);
		put_str(x, sh, s->eu.present && s->eu.role.v >= 0 ?
		    eurole_labels[s->eu.role.v] : NULL, F_TEXT);
		owner = party(x, s->owners[ROLE_OUTCOME].s, s, &missing);
		put_str(x, sh, owner, missing ? F_RED : F_TEXT);
		model = NULL;
		if (s->has_model)
			model = arena_printf(x->a, "%s%s%s%s%s",
			    s->model_provider.s != NULL ? s->model_provider.s :
			    "", s->model_provider.s != NULL &&
			    s->model_name.s != NULL ? " " : "",
			    s->model_name.s != NULL ? s->model_name.s : "",
			    s->model_version.s != NULL ? " " : "",
			    s->model_version.s != NULL ? s->model_version.s :
			    "");
		put_str(x, sh, model, F_TEXT);
		put_str(x, sh, s->log_database.s, F_TEXT);
		if (ev->read)
			put_count(x, sh, ev->m.total.rows +
			    ev->rows_after_as_of);
		else
			put_str(x, sh, ev->db != NULL ? "not read" : NULL,
			    F_TEXT);
		put_when(x, sh, s->last_review.s);
		put_num(x, sh, x->sev[i][SEV_ERROR], F_COUNT);
		put_num(x, sh, x->sev[i][SEV_WARNING], F_COUNT);
		put_num(x, sh, x->sev[i][SEV_NOTE], F_COUNT);
		put_str(x, sh, s->summary.s, F_TEXT);
		put_str(x, sh, repo_path(x, s->file), F_TEXT);
		row_end(sh);
	}
}

static const struct col owners_cols[] = {
	{ "System", 22 }, { "Name", 34 }, { "Outcome", 26 },
	{ "Data domain", 26 }, { "Model behaviour", 26 },
	{ "Workflow impact", 26 }, { "Operating risk", 26 },
	{ "Exception path", 26 }, { "Failure mode", 26 }, { "Gaps", 8 }
};

static void
write_owners(struct xlsx *x)
{
	struct sheet *sh = &x->s[S_OWNERS];
	const struct system *s;
	const char *who;
	size_t i;
	int r, missing, gaps;

	for (i = 0; i < x->m->nsystems && x->err == LXW_NO_ERROR; i++) {
		if (!x->in_scope[i])
			continue;
		s = &x->m->systems[i];
		put_system(x, sh, i);
		put_str(x, sh, s->name.s, F_TEXT);
		for (r = 0, gaps = 0; r < ROLE_MAX; r++) {
			who = party(x, s->owners[r].s, s, &missing);
			put_str(x, sh, who, missing ? F_RED : F_TEXT);
			gaps += missing;
		}
		put_num(x, sh, gaps, F_COUNT);
		row_end(sh);
	}
}

static const struct col rights_cols[] = {
	{ "System", 22 }, { "Risk tier", 12 }, { "Decision", 24 },
	{ "Decision name", 30 }, { "Decides", 30 }, { "Consulted", 34 },
	{ "Informed", 34 }, { "Resolved from", 16 }
};

static void
write_rights(struct xlsx *x)
{
	const struct decision_rights *dr = x->m->rights;
	struct sheet *sh = &x->s[S_RIGHTS];
	const struct assignment *as;
	const struct decision *dc;
	const struct system *s;
	const char *who;
	size_t i, j;
	int missing;

	for (i = 0; dr != NULL && i < x->m->nsystems; i++) {
		if (!x->in_scope[i])
			continue;
		s = &x->m->systems[i];
		for (j = 0; j < dr->ndecisions && x->err == LXW_NO_ERROR; j++) {
			dc = &dr->decisions[j];
			as = s->risk_tier.s != NULL ? decision_assignment(dc,
			    s->risk_tier.s) : dc->has_default ? &dc->def :
			    NULL;
			put_system(x, sh, i);
			put_str(x, sh, s->risk_tier.s, F_TEXT);
			put_str(x, sh, dc->id.s, F_TEXT);
			put_str(x, sh, dc->name.s, F_TEXT);
			if (as == NULL) {
				put_tone(x, sh, TONE_RED, "unassigned");
				put_blank(sh);
				put_blank(sh);
				put_str(x, sh, "none", F_TEXT);
				row_end(sh);
				continue;
			}
			who = party(x, as->decides.s, s, &missing);
			put_str(x, sh, who, missing ? F_RED : F_TEXT);
			put_str(x, sh, parties(x, &as->consulted, s), F_TEXT);
			put_str(x, sh, parties(x, &as->informed, s), F_TEXT);
			put_str(x, sh, as == &dc->def ? "default" :
			    arena_printf(x->a, "tier %s", s->risk_tier.s),
			    F_TEXT);
			row_end(sh);
		}
	}
}

static const struct col tables_cols[] = {
	{ "System", 22 }, { "Exception", 24 }, { "Description", 44 },
	{ "AI may resolve", 14 }, { "Min confidence", 15 },
	{ "Max amount", 13 }, { "SLA hours", 11 }, { "Escalate to", 30 },
	{ "Documentation", 40 }
};

static void
write_tables(struct xlsx *x)
{
	struct sheet *sh = &x->s[S_TABLES];
	const struct table_row *t;
	const struct system *s;
	size_t i, j;
	int missing;

	for (i = 0; i < x->m->nsystems; i++) {
		if (!x->in_scope[i])
			continue;
		s = &x->m->systems[i];
		for (j = 0; j < s->ntable && x->err == LXW_NO_ERROR; j++) {
			t = &s->table[j];
			put_system(x, sh, i);
			put_str(x, sh, t->exception.s, F_TEXT);
			put_str(x, sh, t->description.s, F_TEXT);
			put_yes(x, sh, t->ai_may_resolve.set,
			    t->ai_may_resolve.v);
			put_nval(x, sh, &t->min_confidence, F_PERCENT);
			put_nval(x, sh, &t->max_amount, F_MONEY);
			put_nval(x, sh, &t->sla_hours, F_TEXT);
			put_str(x, sh, t->escalate_to.s != NULL ? party(x,
			    t->escalate_to.s, s, &missing) : NULL, F_TEXT);
			put_str(x, sh, joined(x, &t->documentation), F_TEXT);
			row_end(sh);
		}
	}
}

static const struct col risk_cols[] = {
	{ "System", 22 }, { "Name", 34 }, { "Stage", 12 }, { "Risk tier", 12 },
	{ "Tier name", 22 }, { "Lane", 11 }, { "Oversight required", 18 },
	{ "Oversight", 18 }, { "EU AI Act classification", 22 },
	{ "EU AI Act role", 20 }, { "Annex III", 11 },
	{ "Controls present", 36 }, { "Controls missing", 36 },
	{ "Controls", 12 }, { "Last review", 12 }
};

static void
write_risk(struct xlsx *x)
{
	struct sheet *sh = &x->s[S_RISK];
	const struct system *s;
	const struct tier *t;
	const char *missing;
	size_t i, j, k, nmissing;
	int has;

	for (i = 0; i < x->m->nsystems && x->err == LXW_NO_ERROR; i++) {
		if (!x->in_scope[i])
			continue;
		s = &x->m->systems[i];
		t = tier_of(x, s);
		put_system(x, sh, i);
		put_str(x, sh, s->name.s, F_TEXT);
		put_str(x, sh, s->stage.v >= 0 ? stage_labels[s->stage.v] :
		    NULL, F_TEXT);
		put_str(x, sh, s->risk_tier.s, F_TEXT);
		put_str(x, sh, t != NULL ? t->name.s : NULL, F_TEXT);
		if (t != NULL && t->lane.v >= 0)
			put_tone(x, sh, lane_tone[t->lane.v],
			    lane_names[t->lane.v]);
		else
			put_blank(sh);
		put_str(x, sh, t != NULL ? enum_word(oversight_names,
		    OVERSIGHT_MAX, t->oversight.v) : NULL, F_TEXT);
		put_str(x, sh, s->has_oversight ? enum_word(oversight_names,
		    OVERSIGHT_MAX, s->oversight_level.v) : NULL, F_TEXT);
		put_str(x, sh, s->eu.present && s->eu.classification.v >= 0 ?
		    euclass_labels[s->eu.classification.v] : "Not classified",
		    F_TEXT);
		put_str(x, sh, s->eu.present && s->eu.role.v >= 0 ?
		    eurole_labels[s->eu.role.v] : NULL, F_TEXT);
		put_str(x, sh, s->eu.annex_iii.s, F_TEXT);
		put_str(x, sh, joined(x, &s->controls), F_TEXT);
		missing = NULL;
		nmissing = 0;
		for (k = 0; t != NULL && k < t->required_controls.n; k++) {
			for (j = 0, has = 0; j < s->controls.n; j++)
				has |= strcmp(s->controls.v[j].s,
				    t->required_controls.v[k].s) == 0;
			if (has)
				continue;
			missing = missing == NULL ?
			    t->required_controls.v[k].s : arena_printf(x->a,
			    "%s; %s", missing, t->required_controls.v[k].s);
			nmissing++;
		}
		put_str(x, sh, missing, F_TEXT);
		if (t == NULL)
			put_tone(x, sh, TONE_NONE, "no tier");
		else if (nmissing == 0)
			put_tone(x, sh, TONE_GREEN, "complete");
		else
			put_tone(x, sh, TONE_RED, arena_printf(x->a,
			    "%zu missing", nmissing));
		put_when(x, sh, s->last_review.s);
		row_end(sh);
	}
}

static const struct col kpis_cols[] = {
	{ "System", 22 }, { "KPI", 24 }, { "Name", 34 }, { "Level", 12 },
	{ "Unit", 9 }, { "Direction", 17 }, { "Source", 14 },
	{ "Target", 11 }, { "Amber", 11 }, { "Red", 11 }, { "Baseline", 11 },
	{ "Latest period", 14 }, { "Latest value", 13 }, { "Status", 12 },
	{ "Series", 14 }
};

static const struct col series_cols[] = {
	{ "System", 22 }, { "KPI", 24 }, { "Period", 14 }, { "Value", 13 },
	{ "Status", 12 }
};

/* KPIs and their series side by side: each sheet still row by row. */
static void
write_kpis(struct xlsx *x)
{
	struct sheet *sh = &x->s[S_KPIS], *ss = &x->s[S_SERIES];
	const struct kpi_series *ks;
	const struct system *s;
	const struct kpi *k;
	enum kpi_status st;
	enum fmt f;
	size_t i, j, p;

	for (i = 0; i < x->m->nsystems; i++) {
		if (!x->in_scope[i])
			continue;
		s = &x->m->systems[i];
		for (j = 0; j < s->nkpis && x->err == LXW_NO_ERROR; j++) {
			k = &s->kpis[j];
			ks = &x->in->ev->v[i].kpis[j];
			f = kpi_fmt(k);
			x->nkpis++;
			put_system(x, sh, i);
			put_str(x, sh, k->id.s, F_TEXT);
			put_str(x, sh, k->name.s, F_TEXT);
			put_str(x, sh, enum_word(level_names, LEVEL_MAX,
			    k->level.v), F_TEXT);
			put_str(x, sh, k->unit.s, F_TEXT);
			put_str(x, sh, lower_is_better(k) ? "lower is better" :
			    "higher is better", F_TEXT);
			put_str(x, sh, k->metric.s != NULL ? "decision log" :
			    k->sql.s != NULL ? "SQL query" : k->has_values ?
			    "values" : NULL, F_TEXT);
			put_nval(x, sh, &k->target, f);
			put_nval(x, sh, &k->amber, f);
			put_nval(x, sh, &k->red, f);
			put_nval(x, sh, &k->baseline, f);
			if (ks->has_latest) {
				put_str(x, sh, ks->v[ks->n - 1].period, F_TEXT);
				put_num(x, sh, ks->latest, f);
				put_tone(x, sh, status_tone[ks->status],
				    kpi_status_words[ks->status]);
			} else {
				put_blank(sh);
				put_blank(sh);
				put_tone(x, sh, TONE_NONE, "no values");
			}
			if (ks->n > 0)
				put_link(x, sh, ss, ss->row, arena_printf(x->a,
				    "%zu point%s", ks->n, ks->n == 1 ? "" :
				    "s"));
			else
				put_str(x, sh, "none", F_TEXT);
			row_end(sh);
			for (p = 0; p < ks->n && x->err == LXW_NO_ERROR; p++) {
				st = kpi_status(k, ks->v[p].value);
				put_system(x, ss, i);
				put_str(x, ss, k->id.s, F_TEXT);
				put_str(x, ss, ks->v[p].period, F_TEXT);
				put_num(x, ss, ks->v[p].value, f);
				put_tone(x, ss, status_tone[st],
				    kpi_status_words[st]);
				row_end(ss);
			}
		}
	}
}

static const struct col findings_cols[] = {
	{ "Severity", 10 }, { "Rule", 30 }, { "System", 22 },
	{ "Location", 40 }, { "Basis", 34 }, { "Message", 90 }
};

static void
write_findings(struct xlsx *x)
{
	const struct diag *d = x->in->findings;
	struct sheet *sh = &x->s[S_FINDINGS];
	const struct finding *f;
	const char *file, *where;
	size_t i;

	for (i = 0; d != NULL && i < d->n && x->err == LXW_NO_ERROR; i++) {
		f = &d->v[i];
		if (x->in->system != NULL && (x->fsys[i] < 0 ||
		    !x->in_scope[x->fsys[i]]))
			continue;
		put_tone(x, sh, sev_tone[f->severity],
		    severity_names[f->severity]);
		put_str(x, sh, rule_table[f->rule].id, F_TEXT);
		if (x->fsys[i] >= 0)
			put_system(x, sh, (size_t)x->fsys[i]);
		else
			put_blank(sh);
		file = repo_path(x, f->loc.file);
		if (file == NULL)
			where = NULL;
		else if (f->table != NULL && f->rowid > 0)
			where = arena_printf(x->a, "%s:%s:%lld", file,
			    f->table, f->rowid);
		else if (f->loc.line > 0)
			where = arena_printf(x->a, "%s:%d:%d", file,
			    f->loc.line, f->loc.col);
		else
			where = file;
		put_str(x, sh, where, F_TEXT);
		put_str(x, sh, f->basis.file != NULL ? arena_printf(x->a,
		    "%s:%d:%d", repo_path(x, f->basis.file), f->basis.line,
		    f->basis.col) : NULL, F_TEXT);
		put_str(x, sh, f->message, F_TEXT);
		row_end(sh);
	}
}

static const struct col incidents_cols[] = {
	{ "System", 22 }, { "Incident", 10 }, { "Opened", 18 },
	{ "Severity", 10 }, { "Serious", 9 }, { "Category", 12 },
	{ "Summary", 50 }, { "Report deadline", 16 }, { "Reported", 18 },
	{ "Days to report", 15 }, { "Closed", 18 }, { "State", 18 }
};

static void
write_incidents(struct xlsx *x)
{
	struct sheet *sh = &x->s[S_INCIDENTS];
	const struct sys_evidence *ev;
	const struct incident *in;
	size_t i, j;

	for (i = 0; i < x->m->nsystems; i++) {
		if (!x->in_scope[i])
			continue;
		ev = &x->in->ev->v[i];
		for (j = 0; j < ev->ninc && x->err == LXW_NO_ERROR; j++) {
			in = &ev->inc[j];
			x->ninc++;
			put_system(x, sh, i);
			put_num(x, sh, (double)in->id, F_ID);
			put_when(x, sh, in->opened);
			put_str(x, sh, in->severity, F_TEXT);
			put_yes(x, sh, 1, in->serious);
			put_str(x, sh, in->category, F_TEXT);
			put_str(x, sh, in->summary, F_TEXT);
			if (in->deadline >= 0)
				put_time(x, sh, in->deadline, 0, 0);
			else
				put_blank(sh);
			put_when(x, sh, in->reported);
			if (in->days_to_report >= 0)
				put_num(x, sh, (double)in->days_to_report,
				    F_COUNT);
			else
				put_blank(sh);
			put_when(x, sh, in->closed);
			put_tone(x, sh, inc_tone[in->state],
			    inc_state_words[in->state]);
			row_end(sh);
		}
	}
}

/* ---- the decision-log evidence ---------------------------------------- */

static const struct col evidence_cols[] = {
	{ "System", 22 }, { "id", 10 }, { "ts", 20 }, { "system", 20 },
	{ "case_ref", 16 }, { "exception", 22 }, { "actor", 8 },
	{ "action", 15 }, { "mode", 8 }, { "confidence", 11 },
	{ "amount", 13 }, { "model_version", 16 }, { "reviewer", 14 },
	{ "human_action", 15 }, { "corrected", 10 }, { "cycle_seconds", 14 },
	{ "cost", 10 }, { "input_ref", 20 }, { "rationale", 60 }
};

/* Start the next evidence sheet: "Decisions", then "Decisions (2)", ... */
static int
ev_sheet(struct xlsx *x)
{
	const char *name;

	if (x->ev != NULL)
		sheet_end(x, x->ev);
	x->evs = xgrow(x->evs, &x->capevs, x->nevs + 1, sizeof(*x->evs));
	x->ev = &x->evs[x->nevs];
	name = x->nevs == 0 ? "Decisions" : arena_printf(x->a,
	    "Decisions (%zu)", x->nevs + 1);
	x->nevs++;
	return sheet_new(x, x->ev, name, evidence_cols,
	    (int)ARRAY_SIZE(evidence_cols));
}

/* Text column c: the value, blank for NULL, a marker for a wrong type. */
static void
ev_text(struct xlsx *x, struct sheet *sh, const struct log_row *r, int c,
    const char *s)
{
	if (s == NULL && (r->bad & COLBIT(c)))
		put_str(x, sh, INVALID_TEXT, F_AMBER);
	else
		put_str(x, sh, s, F_TEXT);
}

static void
ev_enum(struct xlsx *x, struct sheet *sh, int v, const char *const *names,
    int max)
{
	if (v == LOG_BAD)
		put_str(x, sh, INVALID_TEXT, F_AMBER);
	else
		put_str(x, sh, enum_word(names, max, v), F_TEXT);
}

/*
 * Numeric column c: the number, blank for NULL.  A number out of its
 * range (a confidence of 1.5) is shown, marked; a value of the wrong type
 * reaches us as 0 and becomes the marker.
 */
static void
ev_num(struct xlsx *x, struct sheet *sh, const struct log_row *r, int c,
    double v, enum fmt f)
{
	if (r->has & COLBIT(c))
		put_num(x, sh, v, f);
	else if ((r->bad & COLBIT(c)) && v != 0)
		put_num(x, sh, v, F_AMBER);
	else if (r->bad & COLBIT(c))
		put_str(x, sh, INVALID_TEXT, F_AMBER);
	else
		put_blank(sh);
}

/*
 * One decision row, as the evidence pass reads it (an evidence_sink): a
 * log is read once, for the checks and the workbook together.  Rows of
 * systems out of scope are skipped.  Returns non-zero to stop the reading
 * after a signal.  After a libxlsxwriter failure it writes nothing more
 * but lets the pass go on, so that the findings are complete.
 */
int
xlsx_row(void *ctx, const struct system *s, const struct log_row *r)
{
	struct xlsx *x = ctx;
	struct sheet *sh;
	size_t si = (size_t)(s - x->m->systems);

	if (x->stopped)
		return 1;
	if (x->err != LXW_NO_ERROR || !x->in_scope[si])
		return 0;
	/* The longest stretch without an outdir call: let a signal in. */
	if (x->in->stop != NULL && (x->rows & 1023) == 0 && x->in->stop()) {
		x->stopped = 1;
		return 1;
	}
	if (x->ev->row > x->per_sheet && ev_sheet(x) != 0)
		return 1;
	sh = x->ev;
	put_str(x, sh, s->id.s, F_TEXT);
	put_num(x, sh, (double)r->id, F_ID);
	if (r->ts == NULL)
		ev_text(x, sh, r, COL_TS, NULL);
	else if (r->bad & COLBIT(COL_TS))
		put_str(x, sh, r->ts, F_AMBER);
	else
		put_time(x, sh, r->day, r->sec, 1);
	ev_text(x, sh, r, COL_SYSTEM, r->system);
	ev_text(x, sh, r, COL_CASE_REF, r->case_ref);
	ev_text(x, sh, r, COL_EXCEPTION, r->exception);
	ev_enum(x, sh, r->actor, actor_names, ACTOR_MAX);
	ev_enum(x, sh, r->action, action_names, ACTION_MAX);
	ev_enum(x, sh, r->mode, mode_names, MODE_MAX);
	ev_num(x, sh, r, COL_CONFIDENCE, r->confidence, F_PERCENT);
	ev_num(x, sh, r, COL_AMOUNT, r->amount, F_MONEY);
	ev_text(x, sh, r, COL_MODEL_VERSION, r->model_version);
	ev_text(x, sh, r, COL_REVIEWER, r->reviewer);
	ev_enum(x, sh, r->human_action, action_names, ACTION_MAX);
	ev_num(x, sh, r, COL_CORRECTED, r->corrected, F_ID);
	ev_num(x, sh, r, COL_CYCLE_SECONDS, r->cycle_seconds, F_TEXT);
	ev_num(x, sh, r, COL_COST, r->cost, F_MONEY);
	ev_text(x, sh, r, COL_INPUT_REF, r->input_ref);
	ev_text(x, sh, r, COL_RATIONALE, r->rationale);
	row_end(sh);
	x->rows++;
	return 0;
}

/* ---- the cover -------------------------------------------------------- */

static const struct col cover_cols[] = {
	{ "Audit workbook", 34 }, { "", 90 }
};

/* One "label: value" line of the cover, the value as text. */
static void
cover_line(struct xlsx *x, const char *label, const char *value)
{
	struct sheet *sh = &x->s[S_COVER];

	put_str(x, sh, label, F_TITLE);
	put_str(x, sh, value, F_TEXT);
	row_end(sh);
}

static void
cover_count(struct xlsx *x, const char *label, unsigned long long n)
{
	struct sheet *sh = &x->s[S_COVER];

	put_str(x, sh, label, F_TITLE);
	put_count(x, sh, n);
	row_end(sh);
}

static void
cover_toc(struct xlsx *x, const struct sheet *to, const char *what)
{
	struct sheet *sh = &x->s[S_COVER];

	put_link(x, sh, to, 0, to->name);
	put_str(x, sh, what, F_TEXT);
	row_end(sh);
}

static void
write_cover(struct xlsx *x)
{
	static const char *const what[S_MAX] = {
		NULL,
		"the systems register: one row per system",
		"owners: systems x the seven owner roles, gaps marked",
		"decision rights resolved for each system's risk tier",
		"the decision tables of every system",
		"risk register: tier, lane, oversight, classification, "
		    "Annex III, controls present and missing",
		"KPIs: targets, the latest value and its status",
		"every KPI value, period by period",
		"findings: rule, severity, location and message",
		"incidents against their Art. 73 report deadlines",
	};
	const struct organization *org = x->m->org;
	struct sheet *sh = &x->s[S_COVER];
	const struct sys_evidence *ev;
	const char *unread = NULL, *log;
	unsigned long long not_kept = 0;
	size_t i, j, nsys = 0;
	int k;

	for (i = 0; i < x->m->nsystems; i++) {
		if (!x->in_scope[i])
			continue;
		nsys++;
		ev = &x->in->ev->v[i];
		not_kept += ev->incidents_not_kept;
		if (ev->db == NULL || ev->read)
			continue;
		/*
		 * Not read (--no-logs): no row of it is listed.  A log that
		 * cannot be read is an input error, and no workbook is made.
		 */
		log = x->m->systems[i].log_database.s;
		for (j = 0; j < i; j++)
			if (x->in_scope[j] && x->m->systems[j].log_database.s !=
			    NULL && strcmp(x->m->systems[j].log_database.s,
			    log) == 0)
				break;
		if (j == i)	/* else named with system j */
			unread = arena_printf(x->a, "%s%s%s", unread != NULL ?
			    unread : "", unread != NULL ? "; " : "", log);
	}
	cover_line(x, "Organisation", org == NULL ? "(no organisation "
	    "document)" : org->name.s != NULL ? org->name.s : org->id.s);
	put_str(x, sh, "As-of date", F_TITLE);
	put_time(x, sh, x->m->as_of, 0, 0);
	row_end(sh);
	cover_line(x, "Scope", x->in->system != NULL ? arena_printf(x->a,
	    "system %s", x->in->system) : "all systems");
	/* The library writing it, as loaded: its version shapes the bytes. */
	cover_line(x, "Generated by", arena_printf(x->a, "Charter "
	    CHARTER_VERSION " (libxlsxwriter %s)", xlsx_library_version()));
	cover_count(x, "Systems", nsys);
	cover_count(x, "KPIs", x->nkpis);
	for (k = SEV_MAX - 1; k >= 0; k--)
		cover_count(x, arena_printf(x->a, "Findings: %ss",
		    severity_names[k]), (unsigned long long)x->total[k]);
	if (x->in->findings != NULL && x->in->findings->dropped > 0)
		cover_count(x, "Findings counted, not listed",
		    x->in->findings->dropped);
	cover_count(x, "Incidents", x->ninc);
	if (not_kept > 0)
		cover_count(x, "Incidents judged, not listed", not_kept);
	cover_count(x, "Decision-log rows", x->rows);
	cover_line(x, "Decision logs not read", unread != NULL ?
	    arena_printf(x->a, "%s (see Findings)", unread) : "none");
	row_end(sh);
	put_str(x, sh, "Contents", F_HEADER);
	put_str(x, sh, "", F_HEADER);
	row_end(sh);
	for (i = 1; i < S_MAX; i++)
		cover_toc(x, &x->s[i], what[i]);
	for (i = 0; i < x->nevs; i++)
		cover_toc(x, &x->evs[i], arena_printf(x->a, "decision-log "
		    "evidence, every column%s", x->nevs == 1 ? "" :
		    arena_printf(x->a, " (part %zu of %zu)", i + 1, x->nevs)));
}

/* ---- the workbook ----------------------------------------------------- */

/*
 * libxlsxwriter 1.1.4 does not check its writes to a constant-memory
 * sheet's temporary file: a full disk there would give a workbook with
 * rows missing and no error.  So each sheet's last row is written out
 * now (as workbook_close would; the call is a no-op when nothing is
 * pending) and the file is flushed and its error flag read.  The fields
 * and the function are in the library's public headers.  Returns 0 or -1
 * after a recorded failure.
 */
static int
sheet_flush(struct xlsx *x, struct sheet *sh)
{
	FILE *fp;

	if (sh->ws == NULL || x->err != LXW_NO_ERROR)
		return x->err != LXW_NO_ERROR ? -1 : 0;
	lxw_worksheet_write_single_row(sh->ws);
	if ((fp = sh->ws->optimize_tmpfile) == NULL)
		return 0;
	errno = 0;
	if (fflush(fp) != 0 || ferror(fp)) {
		x->cause = errno != 0 ? strerror(errno) : "a write failed";
		return check(x, LXW_ERROR_CREATING_TMPFILE, arena_printf(x->a,
		    "writing the temporary data of sheet '%s'", sh->name));
	}
	return 0;
}

/* ---- reading the file back ---------------------------------------------- */

/* Little-endian fields of zip headers. */
static unsigned long
le16(const unsigned char *p)
{
	return (unsigned long)p[0] | (unsigned long)p[1] << 8;
}

static unsigned long
le32(const unsigned char *p)
{
	return le16(p) | le16(p + 2) << 16;
}

#define ZIP_EOCD	0x06054b50UL	/* end of central directory */
#define ZIP_CDH		0x02014b50UL	/* central directory entry */
#define ZIP_LFH		0x04034b50UL	/* local file header */
#define PART_EDGE	256		/* bytes kept of each part's ends */

/*
 * Inflate one part (method 8, or 0 stored) of csize bytes at fp's
 * position: its size and CRC must be the central directory's, and an XML
 * part must end with the end tag of its root element.  Returns NULL or
 * what is wrong.
 */
static const char *
verify_part(FILE *fp, const char *name, int method, unsigned long csize,
    unsigned long usize, unsigned long crc)
{
	static unsigned char in[1 << 16], out[1 << 16];
	unsigned char head[PART_EDGE], tail[PART_EDGE];
	unsigned long left = csize, total = 0, sum = crc32(0L, Z_NULL, 0);
	size_t nhead = 0, ntail = 0, n, k, len;
	const char *why = NULL;
	char root[64];
	z_stream z;
	int zr = Z_OK;

	memset(&z, 0, sizeof(z));
	if (method == 8 && inflateInit2(&z, -MAX_WBITS) != Z_OK)
		return "cannot start zlib";
	while (left > 0 && why == NULL && zr != Z_STREAM_END) {
		n = left < sizeof(in) ? left : sizeof(in);
		if (fread(in, 1, n, fp) != n) {
			why = "cut short";
			break;
		}
		left -= n;
		z.next_in = in;
		z.avail_in = (uInt)n;
		do {
			if (method == 8) {
				z.next_out = out;
				z.avail_out = sizeof(out);
				zr = inflate(&z, Z_NO_FLUSH);
				if (zr != Z_OK && zr != Z_STREAM_END) {
					why = "not a valid deflate stream";
					break;
				}
				len = sizeof(out) - z.avail_out;
			} else {
				memcpy(out, in, n);
				len = n;
				z.avail_in = 0;
			}
			sum = crc32(sum, out, (uInt)len);
			total += len;
			for (k = 0; k < len && nhead < sizeof(head); k++)
				head[nhead++] = out[k];
			if (len >= sizeof(tail)) {
				memcpy(tail, out + len - sizeof(tail),
				    sizeof(tail));
				ntail = sizeof(tail);
			} else if (len > 0) {
				k = ntail + len > sizeof(tail) ? ntail + len -
				    sizeof(tail) : 0;
				memmove(tail, tail + k, ntail - k);
				memcpy(tail + ntail - k, out, len);
				ntail = ntail - k + len;
			}
		} while (method == 8 && zr != Z_STREAM_END && (z.avail_in > 0 ||
		    z.avail_out == 0));
	}
	if (method == 8)
		inflateEnd(&z);
	if (why == NULL && (left != 0 || (method == 8 && zr != Z_STREAM_END)))
		why = "its compressed data do not end where they should";
	if (why == NULL && (total != usize || sum != crc))
		why = "its size or checksum is wrong";
	n = strlen(name);
	if (why != NULL || !((n > 4 && strcmp(name + n - 4, ".xml") == 0) ||
	    (n > 5 && strcmp(name + n - 5, ".rels") == 0)))
		return why;
	/* The root element: the first tag that is not <?...?>. */
	for (k = 0; k + 1 < nhead; k++)
		if (head[k] == '<' && head[k + 1] != '?')
			break;
	for (n = 0, k++; k < nhead && n + 1 < sizeof(root) &&
	    strchr(" \t\r\n/>", head[k]) == NULL; k++)
		root[n++] = (char)head[k];
	root[n] = '\0';
	while (ntail > 0 && strchr(" \t\r\n", tail[ntail - 1]) != NULL)
		ntail--;
	len = strlen(root);
	if (n == 0 || ntail < len + 3 || tail[ntail - len - 3] != '<' ||
	    tail[ntail - len - 2] != '/' || memcmp(tail + ntail - len - 1,
	    root, len) != 0 || tail[ntail - 1] != '>')
		return "it is cut short (no end tag)";
	return NULL;
}

/*
 * Read the finished file back.  libxlsxwriter 1.1.4 copies each part into
 * a temporary file before compressing it and does not check those writes:
 * a disk that fills up there (the biggest sheet is then on it twice) gives
 * a workbook with a part cut short, and workbook_close says nothing.  So
 * every part in the zip's central directory is inflated and checked.
 * Returns NULL or what is wrong, in the arena.
 */
static const char *
verify_file(struct arena *a, const char *path)
{
	unsigned char eocd[22 + 0xFFFF], *cd = NULL, *p, lfh[30];
	unsigned long nent, cdsize, cdoff, i, crc, csize, usize, off;
	const char *why = NULL;
	char name[256];
	size_t got, k, nlen;
	FILE *fp;
	long size, from;
	int method;

	if ((fp = fopen(path, "rb")) == NULL)
		return arena_printf(a, "cannot read it back: %s",
		    strerror(errno));
	if (fseek(fp, 0, SEEK_END) != 0 || (size = ftell(fp)) < 22) {
		fclose(fp);
		return "it is too short for a zip file";
	}
	from = size > (long)sizeof(eocd) ? size - (long)sizeof(eocd) : 0;
	if (fseek(fp, from, SEEK_SET) != 0 ||
	    (got = fread(eocd, 1, (size_t)(size - from), fp)) <
	    (size_t)(size - from)) {
		fclose(fp);
		return "cannot read its end";
	}
	for (k = got - 22 + 1; k-- > 0;)
		if (le32(eocd + k) == ZIP_EOCD)
			break;
	if (k == (size_t)-1) {
		fclose(fp);
		return "no zip directory at its end";
	}
	nent = le16(eocd + k + 10);
	cdsize = le32(eocd + k + 12);
	cdoff = le32(eocd + k + 16);
	if (cdoff + cdsize > (unsigned long)size || nent == 0) {
		fclose(fp);
		return "its zip directory is out of bounds";
	}
	cd = xmalloc(cdsize + 1);
	if (fseek(fp, (long)cdoff, SEEK_SET) != 0 ||
	    fread(cd, 1, cdsize, fp) != cdsize)
		why = "cannot read its zip directory";
	for (i = 0, p = cd; why == NULL && i < nent; i++) {
		if ((unsigned long)(p - cd) + 46 > cdsize ||
		    le32(p) != ZIP_CDH) {
			why = "its zip directory is damaged";
			break;
		}
		method = (int)le16(p + 10);
		crc = le32(p + 16);
		csize = le32(p + 20);
		usize = le32(p + 24);
		nlen = le16(p + 28);
		off = le32(p + 42);
		if ((unsigned long)(p - cd) + 46 + nlen > cdsize ||
		    nlen >= sizeof(name) || (method != 0 && method != 8)) {
			why = "its zip directory is damaged";
			break;
		}
		memcpy(name, p + 46, nlen);
		name[nlen] = '\0';
		p += 46 + nlen + le16(p + 30) + le16(p + 32);
		if (fseek(fp, (long)off, SEEK_SET) != 0 ||
		    fread(lfh, 1, sizeof(lfh), fp) != sizeof(lfh) ||
		    le32(lfh) != ZIP_LFH || fseek(fp, (long)(le16(lfh + 26) +
		    le16(lfh + 28)), SEEK_CUR) != 0)
			why = arena_printf(a, "part %s has no header", name);
		else if ((why = verify_part(fp, name, method, csize, usize,
		    crc)) != NULL)
			why = arena_printf(a, "part %s: %s", name, why);
	}
	free(cd);
	fclose(fp);
	return why;
}

/* The folder of path, where the temporary sheet data go. */
static char *
folder_of(struct arena *a, const char *path)
{
	const char *slash = strrchr(path, '/');

	if (slash == NULL)
		return arena_strdup(a, ".");
	if (slash == path)
		return arena_strdup(a, "/");
	return arena_strndup(a, path, (size_t)(slash - path));
}

static lxw_format *
new_format(struct xlsx *x, const char *num, int bold, lxw_color_t bg,
    lxw_color_t fg)
{
	lxw_format *f = workbook_add_format(x->wb);

	if (f == NULL) {
		check(x, LXW_ERROR_MEMORY_MALLOC_FAILED, "adding a format");
		return NULL;
	}
	if (num != NULL)
		format_set_num_format(f, num);
	if (bold)
		format_set_bold(f);
	if (bg != 0) {
		format_set_pattern(f, LXW_PATTERN_SOLID);
		format_set_bg_color(f, bg);
	}
	if (fg != 0)
		format_set_font_color(f, fg);
	return f;
}

static void
make_formats(struct xlsx *x)
{
	x->f[F_HEADER] = new_format(x, NULL, 1, 0xD9E1F2, 0);
	if (x->f[F_HEADER] != NULL)
		format_set_bottom(x->f[F_HEADER], LXW_BORDER_THIN);
	x->f[F_TITLE] = new_format(x, NULL, 1, 0, 0);
	x->f[F_DATE] = new_format(x, "yyyy-mm-dd", 0, 0, 0);
	x->f[F_DATETIME] = new_format(x, "yyyy-mm-dd hh:mm:ss", 0, 0, 0);
	x->f[F_PERCENT] = new_format(x, "0.0%", 0, 0, 0);
	x->f[F_PERCENT_UNIT] = new_format(x, "0.0\"%\"", 0, 0, 0);
	x->f[F_MONEY] = new_format(x, "#,##0.00", 0, 0, 0);
	x->f[F_ID] = new_format(x, "0", 0, 0, 0);
	x->f[F_COUNT] = new_format(x, "#,##0", 0, 0, 0);
	x->f[F_GREEN] = new_format(x, NULL, 0, 0xC6EFCE, 0x006100);
	x->f[F_AMBER] = new_format(x, NULL, 0, 0xFFEB9C, 0x9C5700);
	x->f[F_RED] = new_format(x, NULL, 0, 0xFFC7CE, 0x9C0006);
	x->f[F_GREY] = new_format(x, NULL, 0, 0xEDEDED, 0x404040);
}

/*
 * What is in scope and each system's row in Systems.  Returns 0, or -2
 * with a message for an unknown system.
 */
static int
plan_scope(struct xlsx *x, char *err, size_t errlen)
{
	const struct model *m = x->m;
	lxw_row_t row = 1;
	size_t i, found = 0;

	x->in_scope = arena_alloc(x->a, (m->nsystems + 1) *
	    sizeof(*x->in_scope));
	x->sysrow = arena_alloc(x->a, (m->nsystems + 1) * sizeof(*x->sysrow));
	for (i = 0; i < m->nsystems; i++) {
		if (x->in->system != NULL &&
		    strcmp(m->systems[i].id.s, x->in->system) != 0)
			continue;
		x->in_scope[i] = 1;
		x->sysrow[i] = row++;
		found++;
	}
	if (x->in->system != NULL && found == 0) {
		snprintf(err, errlen, "no system '%s' in the governance repo",
		    x->in->system);
		return -2;
	}
	return 0;
}

/* The findings of each system, and of the scope. */
static void
plan_findings(struct xlsx *x)
{
	const struct model *m = x->m;
	const struct diag *d = x->in->findings;
	size_t i, n = d != NULL ? d->n : 0;

	x->sev = arena_alloc(x->a, (m->nsystems + 1) * sizeof(*x->sev));
	x->fsys = arena_alloc(x->a, (n + 1) * sizeof(*x->fsys));
	for (i = 0; i < n; i++) {
		x->fsys[i] = model_finding_system(m, &d->v[i]);
		if (x->fsys[i] >= 0)
			x->sev[x->fsys[i]][d->v[i].severity]++;
		if (x->in->system == NULL || (x->fsys[i] >= 0 &&
		    x->in_scope[x->fsys[i]]))
			x->total[d->v[i].severity]++;
	}
}

static void
xlsx_free(struct xlsx *x)
{
	free(x->clean);
	free(x->cell);
	free(x->names);
	free(x->evs);
	free(x);
}

const char *
xlsx_library_version(void)
{
	return lxw_version();
}

struct xlsx *
xlsx_open(const struct xlsx_in *in, const char *path, char *err,
    size_t errlen)
{
	static const struct {
		const char	*name;
		const struct col *cols;
		int		 ncols;
	} sheets[S_MAX] = {
#define SHEET(n, c)	{ n, c, (int)ARRAY_SIZE(c) }
		SHEET("Cover", cover_cols),
		SHEET("Systems", systems_cols),
		SHEET("Owners", owners_cols),
		SHEET("Decision rights", rights_cols),
		SHEET("Decision tables", tables_cols),
		SHEET("Risk register", risk_cols),
		SHEET("KPIs", kpis_cols),
		SHEET("KPI series", series_cols),
		SHEET("Findings", findings_cols),
		SHEET("Incidents", incidents_cols),
#undef SHEET
	};
	lxw_workbook_options opt;
	lxw_doc_properties props;
	struct xlsx *x;
	size_t i;

	if (errlen > 0)
		err[0] = '\0';
	x = xcalloc(1, sizeof(*x));
	x->in = in;
	x->m = in->m;
	x->a = in->a;
	x->path = arena_strdup(x->a, path);
	x->per_sheet = in->sheet_rows;
	if (x->per_sheet == 0 || x->per_sheet > SHEET_ROWS - 1)
		x->per_sheet = SHEET_ROWS - 1;
	if (plan_scope(x, err, errlen) != 0) {
		xlsx_free(x);
		return NULL;
	}

	/*
	 * Constant memory: rows go to temporary files as they are written.
	 * They are made beside the output, on the disk that must hold the
	 * workbook anyway, not in /tmp, which may be a small tmpfs.
	 */
	memset(&opt, 0, sizeof(opt));
	opt.constant_memory = 1;
	opt.tmpdir = folder_of(x->a, path);
	if ((x->wb = workbook_new_opt(path, &opt)) == NULL) {
		snprintf(err, errlen, "cannot start the workbook: %s",
		    lxw_strerror(LXW_ERROR_MEMORY_MALLOC_FAILED));
		xlsx_free(x);
		return NULL;
	}
	x->clean = xmalloc(CELL_BYTES);
	x->cell = xmalloc(CELL_BYTES);

	/*
	 * Created at the as-of day's midnight, UTC: libxlsxwriter takes 0
	 * for "now", so 1970-01-01 itself becomes its first second.
	 */
	memset(&props, 0, sizeof(props));
	props.title = (char *)"Audit workbook";
	props.author = (char *)"Charter";
	props.comments = (char *)"Generated by Charter " CHARTER_VERSION;
	props.created = (time_t)x->m->as_of * 86400;
	if (props.created == 0)
		props.created = 1;
	check(x, workbook_set_properties(x->wb, &props), "setting the "
	    "document properties");
	make_formats(x);
	/*
	 * Every tab now, in order; in constant-memory mode each sheet has a
	 * file of its own, so the evidence rows can come first and the
	 * registers (which need the findings) last.
	 */
	for (i = 0; i < S_MAX; i++)
		sheet_new(x, &x->s[i], sheets[i].name, sheets[i].cols,
		    sheets[i].ncols);
	ev_sheet(x);
	return x;
}

int
xlsx_close(struct xlsx *x, int abort, struct xlsx_stats *stats, char *err,
    size_t errlen)
{
	lxw_error e;
	size_t i;
	int rc = abort ? -1 : 0;

	if (errlen > 0)
		err[0] = '\0';
	memset(stats, 0, sizeof(*stats));
	if (rc == 0 && x->stopped) {
		x->what = "reading the decision logs";
		x->cause = "interrupted";
		rc = -2;
	}
	if (rc == 0 && x->err == LXW_NO_ERROR) {
		plan_findings(x);
		write_systems(x);
		write_owners(x);
		write_rights(x);
		write_tables(x);
		write_risk(x);
		write_kpis(x);
		write_findings(x);
		write_incidents(x);
		write_cover(x);
	}
	for (i = 0; rc == 0 && i < S_MAX; i++) {
		sheet_end(x, &x->s[i]);
		sheet_flush(x, &x->s[i]);
	}
	for (i = 0; rc == 0 && i < x->nevs; i++) {
		sheet_end(x, &x->evs[i]);
		sheet_flush(x, &x->evs[i]);
	}
	stats->rows = x->rows;
	stats->sheets = x->nevs;

	if (rc == 0 && x->err != LXW_NO_ERROR)
		rc = -2;
	if (rc != 0) {
		/* Nothing more is written; the caller removes the file. */
		lxw_workbook_free(x->wb);
	} else {
		/* Where the file is written: a full disk shows here. */
		errno = 0;
		if ((e = workbook_close(x->wb)) != LXW_NO_ERROR) {
			x->err = e;
			x->what = "writing the file";
			if (errno != 0)
				x->cause = arena_printf(x->a, "%s (%s)",
				    strerror(errno), lxw_strerror(e));
			rc = -2;
		} else if ((x->cause = verify_file(x->a, x->path)) != NULL) {
			x->err = LXW_ERROR_ZIP_FILE_OPERATION;
			x->what = "checking the file written";
			rc = -2;
		}
	}
	if (rc == -2)
		snprintf(err, errlen, "cannot write the workbook: %s: %s",
		    x->what != NULL ? x->what : "writing", x->cause != NULL ?
		    x->cause : lxw_strerror(x->err));
	xlsx_free(x);
	return rc;
}
