/*
 * diff.h - `charter diff`: what changed, in governance terms, between two
 * governance repos that main.c has loaded and checked.
 *
 * The comparison works on two models and their findings only: it never
 * reads a file, opens a log or prints a repo's findings as such.  Systems
 * are matched by id; their stage, risk tier, EU AI Act classification,
 * owners, oversight, decision table, KPIs, log retention and controls are
 * compared field by field; decision rights per decision and tier present
 * in both repos; findings by rule, severity, the system they are about and
 * message, never by file, line or column, so a moved line is no change.
 */
#ifndef CHARTER_DIFF_H
#define CHARTER_DIFF_H

#include <stddef.h>

struct arena;
struct buf;
struct diag;
struct model;

enum diff_format {
	DIFF_MARKDOWN, DIFF_TEXT, DIFF_JSON, DIFF_FORMAT_MAX
};

/* One side of the comparison: the folder as given, its model, findings. */
struct diff_side {
	const char		*label;
	const struct model	*m;
	const struct diag	*d;
};

/*
 * What the caller needs for the exit status: changes counts systems,
 * decision rights and findings that differ; new_errors the findings of
 * severity error in NEW that OLD does not have.
 */
struct diff_summary {
	size_t	 changes;
	size_t	 new_errors;
};

/*
 * Compare old with new and append the report in fmt to out: Markdown for
 * a pull-request comment (every value from the repos backslash-escaped,
 * newlines folded, so it stays literal text), plain text (control
 * characters escaped as in diagnostics) or one JSON object.  Output is
 * ordered by id and the same for the same inputs.  Scratch memory comes
 * from a, which the caller frees; the findings need not be sorted.
 */
void	 diff_report(struct arena *a, const struct diff_side *old,
	    const struct diff_side *new, enum diff_format fmt, struct buf *out,
	    struct diff_summary *sum);

#endif
