/*
 * xlsx.h - the audit workbook (audit.xlsx): every register and the
 * decision-log evidence, written with libxlsxwriter (xlsx.c is the only
 * file that includes <xlsxwriter.h>).
 */
#ifndef CHARTER_XLSX_H
#define CHARTER_XLSX_H

#include <stddef.h>

struct arena;
struct diag;
struct log_evidence;
struct log_limits;
struct model;

struct xlsx_in {
	struct arena		*a;
	const struct model	*m;
	const struct log_evidence *ev;
	const struct diag	*findings;	/* sorted; the Findings sheet */
	const struct log_limits	*ll;		/* for reading the logs again */
	const char		*system;	/* only this system, or NULL */
	unsigned long		 sheet_rows;	/* evidence rows per sheet before
						   "Decisions (2)"; 0: Excel's
						   limit less the header row */
	int			(*stop)(void);	/* non-zero: stop writing (a
						   signal); may be NULL */
};

struct xlsx_stats {
	unsigned long long	 rows;		/* evidence rows written */
	size_t			 sheets;	/* evidence sheets */
};

/*
 * Write the workbook to path (created or replaced; callers give a
 * temporary name and rename it).  The workbook's dates come from the
 * model's as-of date, so the same inputs give the same bytes.  Returns 0;
 * -1 after a finding in d (a log that cannot be read again); -2 after a
 * message in err (libxlsxwriter failed, e.g. the disk is full).
 */
int	 xlsx_write(const struct xlsx_in *, struct diag *d, const char *path,
	    struct xlsx_stats *, char *err, size_t errlen);

#endif
