/*
 * evidence.h - what the decision logs say about each system: metrics per
 * period and exception category, KPI series and status, shadow-mode
 * promotion readiness, incidents against their Art. 73 deadlines, and the
 * findings of the log rules (log.*, incident.*, contract.*, kpi.sql).
 *
 * Each database is opened once however many systems and contracts name
 * it, and its decisions are read in one streaming pass that feeds every
 * system's accumulators and rules at once.  The result is what the site,
 * the packs, the workbook and `charter metrics` show.
 */
#ifndef CHARTER_EVIDENCE_H
#define CHARTER_EVIDENCE_H

#include <stddef.h>
#include <stdint.h>

#include "metrics.h"

struct arena;
struct buf;
struct diag;
struct euaia_facts;
struct kpi;
struct log_limits;
struct log_row;
struct model;
struct system;

struct kpi_point {
	const char	*period;
	double		 value;
};

struct kpi_series {
	const struct kpi *kpi;
	struct kpi_point *v;		/* in period order */
	size_t		  n;
	int		  has_latest;
	double		  latest;	/* the last point's value */
	enum kpi_status	  status;	/* of the latest value */
};

enum inc_state {
	INC_NOT_SERIOUS,	/* no Art. 73 report needed */
	INC_ON_TIME,		/* reported within the deadline */
	INC_LATE,		/* reported after the deadline */
	INC_OVERDUE,		/* unreported, the deadline passed */
	INC_DUE,		/* unreported, the deadline ahead */
	INC_STATE_MAX
};

extern const char *const inc_state_names[INC_STATE_MAX];
/* For the site and the workbook. */
extern const char *const inc_state_words[INC_STATE_MAX];

struct incident {
	long long	 id;
	const char	*opened, *reported, *closed, *severity, *summary,
			*category;
	int		 serious;
	int		 deadline_days;	/* 0 when not serious */
	long		 deadline;	/* day number; -1 when none */
	long		 days_to_report; /* -1 when unreported */
	enum inc_state	 state;
};

/* The rows behind one kind of finding: how many, and the first few ids. */
#define EV_ROWS	5
struct rowref {
	uint64_t	 n;
	long long	 id[EV_ROWS];
};

struct sys_evidence {
	const struct system *sys;
	const char	*db;		/* display path; NULL without a log */
	int		 read;		/* the log was read */
	struct msys	 m;
	uint64_t	 rows_after_as_of;	/* ignored: newer than as-of */
	struct kpi_series *kpis;	/* one per sys->kpis */
	struct readiness *ready;	/* one per category (m.ncat) */
	struct incident	*inc;
	size_t		 ninc;
	uint64_t	 incidents_not_kept;	/* judged, beyond the 10,000
					   kept for display */
	uint64_t	*shadow_breaches;	/* per category: shadow rows that
					   would break min_confidence or
					   max_amount (not ready while any) */
	uint64_t	 rows_before_window;	/* ts over ten years before
					   as-of: in totals, not periods */
	uint64_t	 gaps;		/* gaps over a day (production) */
	long long	 longest_gap;	/* seconds */
};

struct log_evidence {
	struct sys_evidence *v;		/* parallel to model->systems */
	size_t		 n;
	double		 min_agreement;
	uint64_t	 min_cases;
	long long	 as_of_sec;	/* the as-of day at 00:00 UTC */
};

/*
 * Where the decision rows go as they are read, so that a log is read once
 * whatever else needs its rows (the workbook's evidence sheets).  row gets
 * every row whose system key a system of the model claims (the first of
 * them by id when two claim it), rationale included, whatever its date;
 * a non-zero return stops reading that log, which then counts as not read.
 */
struct evidence_sink {
	int	(*row)(void *ctx, const struct system *,
		    const struct log_row *);
	void	*ctx;
};

/*
 * Read every log the model names and evaluate the log rules into diag.
 * With read_logs 0, no database is opened: metric and sql KPIs stay empty
 * and no log rule runs (`check --no-logs`).  sink may be NULL.
 */
void	 evidence_build(struct log_evidence *, struct arena *, struct diag *,
	    const struct model *, const struct euaia_facts *,
	    const struct log_limits *, int read_logs,
	    const struct evidence_sink *);
void	 evidence_free(struct log_evidence *);

/* `charter metrics`: one system (id) or all (NULL), as text or JSON. */
void	 evidence_print_text(const struct log_evidence *, const struct model *,
	    const char *id, enum period, struct buf *);
void	 evidence_print_json(const struct log_evidence *, const struct model *,
	    const char *id, struct buf *);

#endif
