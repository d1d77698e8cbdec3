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
struct log_row;
struct model;
struct system;
struct xlsx;

struct xlsx_in {
	struct arena		*a;
	const struct model	*m;
	const struct log_evidence *ev;		/* complete by xlsx_close */
	const struct diag	*findings;	/* sorted, complete by xlsx_close;
						   the Findings sheet */
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
 * The workbook is written in three steps, so that the decision logs are
 * read once: xlsx_open starts it at path (created or replaced; callers
 * give a temporary name and rename it), the evidence pass hands it every
 * decision row through xlsx_row (an evidence_sink's row, ctx the struct
 * xlsx), and xlsx_close writes the registers and the cover from the
 * finished evidence and findings, closes the file and reads it back.  The
 * workbook's dates come from the model's as-of date, so the same inputs
 * give the same bytes.
 *
 * xlsx_open returns NULL after a message in err (an unknown system, or
 * no memory for the library).  xlsx_close always frees the workbook;
 * with abort set it writes nothing more and returns -1 (the caller
 * removes the file); otherwise 0, or -2 after a message in err
 * (libxlsxwriter failed, e.g. the disk is full, or stop said so).
 */
struct xlsx	*xlsx_open(const struct xlsx_in *, const char *path, char *err,
		    size_t errlen);
int		 xlsx_row(void *xlsx, const struct system *,
		    const struct log_row *);
int		 xlsx_close(struct xlsx *, int abort, struct xlsx_stats *,
		    char *err, size_t errlen);

/* The version of libxlsxwriter as loaded ("1.1.4"). */
const char	*xlsx_library_version(void);

#endif
