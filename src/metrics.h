/*
 * metrics.h - the built-in decision-log metrics, computed in one streaming
 * pass: rows are added to accumulators as they are read, and memory grows
 * with the number of systems, exception categories and periods, never with
 * the number of rows.  Cycle-time percentiles come from a log-bucketed
 * histogram with a relative error of at most 1 %.
 *
 * Nothing here reads a file or knows SQLite; evidence.c feeds the rows.
 *
 * Definitions (the README's "Metrics" table is the user-facing copy):
 *   volume             live decisions
 *   exception_rate     live decisions with an exception / live decisions
 *   autonomous_rate    live agent auto_resolved with an exception /
 *                      live decisions with an exception
 *   escalation_rate    live escalated / live decisions
 *   info_request_rate  live requested_info / live decisions
 *   human_review_rate  live decisions by a human or with a reviewer /
 *                      live decisions
 *   shadow_agreement   shadow agent decisions whose action equals
 *                      human_action / shadow agent decisions with a
 *                      human_action
 *   error_rate         live corrected / live decisions
 *   cycle_p50, _p90    nearest-rank percentiles of live cycle_seconds
 *   cost_per_case      sum of live cost / live decisions with a cost
 *   boundary_breaches  live decisions outside the decision table's authority
 *   log_completeness   decisions (live and shadow) carrying every Art. 12
 *                      field / decisions
 * Rates are fractions 0..1; a rate with a zero denominator is undefined.
 */
#ifndef CHARTER_METRICS_H
#define CHARTER_METRICS_H

#include <stddef.h>
#include <stdint.h>

struct buf;
struct kpi;
struct log_row;

enum metric {
	M_VOLUME, M_EXCEPTION_RATE, M_AUTONOMOUS_RATE, M_ESCALATION_RATE,
	M_INFO_REQUEST_RATE, M_HUMAN_REVIEW_RATE, M_SHADOW_AGREEMENT,
	M_ERROR_RATE, M_CYCLE_P50, M_CYCLE_P90, M_COST_PER_CASE,
	M_BOUNDARY_BREACHES, M_LOG_COMPLETENESS, M_MAX
};

/* In the order of the system schema's `metric` enum. */
extern const char *const metric_names[M_MAX];

enum period {
	PERIOD_DAY, PERIOD_WEEK, PERIOD_MONTH, PERIOD_MAX
};

extern const char *const period_names[PERIOD_MAX];

/*
 * The period a day (days since 1970-01-01) falls in, as a key that sorts in
 * time order: the day itself, the Monday of its ISO week, or the first of
 * its month.  period_label writes "2026-03-04", "2026-W10" (the ISO
 * week-numbering year) or "2026-03" into out (at least 11 bytes).
 */
long	 period_key(enum period, long day);
void	 period_label(enum period, long key, char out[11]);

/*
 * A histogram of non-negative values with logarithmic buckets (relative
 * width 2 %, so a bucket's midpoint is within 1 % of every value in it),
 * zero counted apart.  Its bucket array grows to the range of values seen.
 */
struct sketch {
	uint64_t	 n, zeros;
	uint32_t	*count;
	int		 lo;		/* bucket index of count[0] */
	int		 len;
};

/* Flags for macc_add, from the rules evidence.c applies to each row. */
#define MF_BREACH	1u	/* outside the decision table's authority */
#define MF_COMPLETE	2u	/* carries every Art. 12 field */
#define MF_NO_PERIOD	4u	/* count in the total and category only */

/* One group's counts. */
struct macc {
	uint64_t	 rows;		/* live and shadow */
	uint64_t	 live, exceptions, auto_exceptions, escalated, info,
			 reviewed, corrected, breaches, costed;
	uint64_t	 shadow, shadow_compared, shadow_agreed;
	uint64_t	 complete;
	double		 cost;
	struct sketch	 cycle;
};

void	 macc_add(struct macc *, const struct log_row *, unsigned flags);
/* Merge b into a. */
void	 macc_merge(struct macc *a, const struct macc *b);
void	 macc_free(struct macc *);

/* The metric's value; 0 (and *defined = 0) when undefined. */
double	 macc_value(const struct macc *, enum metric, int *defined);

/* Nearest-rank percentile q (0 < q <= 1) of a sketch; -1 when empty. */
double	 sketch_quantile(const struct sketch *, double q);

/* Accumulators per period, sorted by key. */
struct mseries {
	long		*key;
	struct macc	*acc;
	size_t		 n, cap;
	size_t		 last;		/* index of the last lookup */
};

/* The accumulator for key, created when absent. */
struct macc	*mseries_get(struct mseries *, long key);
void		 mseries_free(struct mseries *);

/*
 * A system's metrics: the whole window, each exception category, and each
 * day, ISO week and month.  Categories are indexed as the decision table's
 * rows; index ncat - 2 holds clean cases (no exception) and ncat - 1
 * exceptions the table does not list.
 */
struct msys {
	struct macc	 total;
	struct macc	*cat;
	size_t		 ncat;
	struct mseries	 by[PERIOD_MAX];
	long long	 first, last;	/* ts of the oldest and newest decision,
					   seconds since the epoch; 0 with no
					   rows */
};

void	 msys_init(struct msys *, size_t ntable);
/* Add one row to the total, its category and its three periods. */
void	 msys_add(struct msys *, const struct log_row *, size_t cat,
	    unsigned flags);
void	 msys_free(struct msys *);

/*
 * Shadow-mode promotion: a category is ready to go autonomous when its
 * shadow agreement reaches min_agreement over at least min_cases compared
 * shadow decisions.
 */
struct readiness {
	uint64_t	 compared, agreed;
	double		 agreement;	/* 0 when compared == 0 */
	int		 ready;
};

void	 readiness_eval(const struct macc *, double min_agreement,
	    uint64_t min_cases, struct readiness *);

/*
 * KPI status against target, amber and red, read in the KPI's direction
 * (given, else inferred: red below target means up is better; without a
 * target, red above amber means down is better).  Beyond red
 * is red, beyond amber is amber, else green; with only a target, missing it
 * is amber.  KPI_NONE when there is nothing to compare against.
 */
enum kpi_status {
	KPI_NONE, KPI_GREEN, KPI_AMBER, KPI_RED, KPI_STATUS_MAX
};

extern const char *const kpi_status_names[KPI_STATUS_MAX];
/* In words for people: colour is never the only signal. */
extern const char *const kpi_status_words[KPI_STATUS_MAX];

enum kpi_status	 kpi_status(const struct kpi *, double value);

/*
 * Print one metric value for people: rates as percentages with one
 * decimal, cycle times in seconds, money with two decimals, counts whole;
 * "n/a" when undefined.
 */
void	 metric_format(struct buf *, enum metric, double v, int defined);

#endif
