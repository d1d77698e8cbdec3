/*
 * metrics.c - the built-in decision-log metrics: per-group counters, a
 * log-bucketed histogram for cycle-time percentiles, per-period series,
 * shadow-mode readiness and KPI status.
 *
 * Rows are streamed in by evidence.c; nothing here keeps a row, reads a
 * file or knows SQLite.  A row's contribution (which counters it bumps and
 * which histogram bucket its cycle time falls in) is worked out once and
 * then applied to every group the row belongs to, so the log() and the
 * branches on the row's fields are paid once per row, not once per group.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "log.h"
#include "metrics.h"
#include "model.h"
#include "util.h"

const char *const metric_names[M_MAX] = {
	"volume", "exception_rate", "autonomous_rate", "escalation_rate",
	"info_request_rate", "human_review_rate", "shadow_agreement",
	"error_rate", "cycle_p50", "cycle_p90", "cost_per_case",
	"boundary_breaches", "log_completeness"
};

const char *const period_names[PERIOD_MAX] = {
	"day", "week", "month"
};

const char *const kpi_status_names[KPI_STATUS_MAX] = {
	"none", "green", "amber", "red"
};
const char *const kpi_status_words[KPI_STATUS_MAX] = {
	"no target", "on target", "at risk", "off target"
};

/*
 * Sketch buckets: bucket i holds (GAMMA^(i-1), GAMMA^i] and stands for
 * 2 GAMMA^i / (GAMMA + 1), which is within 1 / (GAMMA + 1) < 1 % of every
 * value in it.  Values are clamped to SK_VMIN..SK_VMAX (a nanosecond to
 * 31,000 years) so a hostile value cannot make the bucket array large:
 * the index range is at most SK_IMAX - SK_IMIN + 1 (about 2,450) buckets.
 */
#define GAMMA		1.02
#define SK_VMIN		1e-9
#define SK_VMAX		1e12
#define SK_IMIN		(-1047)		/* ceil(log(1e-9) / log(1.02)) - 1 */
#define SK_IMAX		1396		/* ceil(log(1e12) / log(1.02)) */
#define SK_SLACK	16		/* spare buckets added when growing */

/* Bucket "indexes" for a row without a cycle time, and for zero. */
#define IDX_NONE	INT_MIN
#define IDX_ZERO	(INT_MIN + 1)

/* The bucket of a cycle time; IDX_ZERO for values the sketch counts as 0. */
static int
sketch_index(double v)
{
	double x;
	int i;

	/* Written so that NaN and negatives land in zeros too. */
	if (!(v >= SK_VMIN))
		return IDX_ZERO;
	if (v > SK_VMAX)
		v = SK_VMAX;
	x = ceil(log(v) / log(GAMMA));
	i = (int)x;
	if (i < SK_IMIN)
		i = SK_IMIN;
	if (i > SK_IMAX)
		i = SK_IMAX;
	return i;
}

static double
sketch_value(int i)
{
	return 2.0 * pow(GAMMA, i) / (GAMMA + 1.0);
}

/*
 * Make count cover the buckets lo..hi (inclusive), both within
 * SK_IMIN..SK_IMAX.  With slack, room for a few more buckets on the side
 * that grew is added so that a slowly widening range does not realloc on
 * every new bucket.
 */
static void
sketch_cover(struct sketch *s, int lo, int hi, int slack)
{
	int nlo, nhi, oldhi, pad;
	size_t nlen;

	if (s->len == 0) {
		nlo = lo - slack;
		nhi = hi + slack;
	} else {
		oldhi = s->lo + s->len - 1;
		if (lo >= s->lo && hi <= oldhi)
			return;
		pad = slack ? (s->len / 2 > slack ? s->len / 2 : slack) : 0;
		nlo = lo < s->lo ? lo - pad : s->lo;
		nhi = hi > oldhi ? hi + pad : oldhi;
	}
	if (nlo < SK_IMIN)
		nlo = SK_IMIN;
	if (nhi > SK_IMAX)
		nhi = SK_IMAX;
	nlen = (size_t)(nhi - nlo + 1);
	s->count = xrealloc(s->count, nlen * sizeof(*s->count));
	if (s->len > 0 && nlo < s->lo)
		memmove(s->count + (s->lo - nlo), s->count,
		    (size_t)s->len * sizeof(*s->count));
	/* Zero what is new: below the old range and above it. */
	if (s->len == 0)
		memset(s->count, 0, nlen * sizeof(*s->count));
	else {
		memset(s->count, 0, (size_t)(s->lo - nlo) * sizeof(*s->count));
		memset(s->count + (s->lo - nlo) + s->len, 0,
		    (size_t)(nhi - (s->lo + s->len - 1)) * sizeof(*s->count));
	}
	s->lo = nlo;
	s->len = (int)nlen;
}

/* Count one value whose bucket sketch_index gave. */
static void
sketch_put(struct sketch *s, int i)
{
	s->n++;
	if (i == IDX_ZERO) {
		s->zeros++;
		return;
	}
	if (i < s->lo || i >= s->lo + s->len)
		sketch_cover(s, i, i, SK_SLACK);
	s->count[i - s->lo]++;
}

static void
sketch_merge(struct sketch *a, const struct sketch *b)
{
	int first, last, i;

	a->n += b->n;
	a->zeros += b->zeros;
	for (first = 0; first < b->len && b->count[first] == 0; first++)
		;
	if (first == b->len)
		return;
	for (last = b->len - 1; b->count[last] == 0; last--)
		;
	sketch_cover(a, b->lo + first, b->lo + last, 0);
	for (i = first; i <= last; i++)
		a->count[b->lo + i - a->lo] += b->count[i];
}

double
sketch_quantile(const struct sketch *s, double q)
{
	uint64_t rank, seen;
	double x;
	int i;

	if (s->n == 0)
		return -1;
	/*
	 * rank = ceil(q n).  q n carries a rounding error of a few ulps
	 * (0.07 * 100 is 7.000000000000001), which would push an exact
	 * integer to the next rank; take it off before rounding up.
	 */
	x = q * (double)s->n;
	x = ceil(x - x * 4 * DBL_EPSILON);
	if (!(x >= 1))
		rank = 1;
	else if (x >= (double)s->n)
		rank = s->n;
	else
		rank = (uint64_t)x;
	if (rank <= s->zeros)
		return 0;
	seen = s->zeros;
	for (i = 0; i < s->len; i++) {
		seen += s->count[i];
		if (seen >= rank)
			return sketch_value(s->lo + i);
	}
	/* Unreachable while n equals zeros plus the counts. */
	BUG("sketch counts do not add up");
}

/*
 * What one row adds to a group, worked out once per row.  Every counter is
 * 0 or 1, so applying it is a run of additions without branches.
 */
struct rowinc {
	uint64_t	 live, exceptions, auto_exceptions, escalated, info,
			 reviewed, corrected, breaches, costed;
	uint64_t	 shadow, shadow_compared, shadow_agreed;
	uint64_t	 complete;
	double		 cost;
	int		 cycle;		/* bucket, IDX_ZERO or IDX_NONE */
};

static void
rowinc_make(struct rowinc *d, const struct log_row *r, unsigned flags)
{
	int live, shadow, exc, cmp;

	memset(d, 0, sizeof(*d));
	d->cycle = IDX_NONE;
	d->complete = (flags & MF_COMPLETE) != 0;
	live = r->mode == MODE_LIVE;
	shadow = r->mode == MODE_SHADOW;
	exc = r->exception != NULL;
	if (live) {
		d->live = 1;
		d->exceptions = exc;
		d->auto_exceptions = exc && r->actor == ACTOR_AGENT &&
		    r->action == ACTION_AUTO_RESOLVED;
		d->escalated = r->action == ACTION_ESCALATED;
		d->info = r->action == ACTION_REQUESTED_INFO;
		d->reviewed = r->actor == ACTOR_HUMAN || r->reviewer != NULL;
		d->corrected = r->corrected == 1;
		d->breaches = (flags & MF_BREACH) != 0;
		if ((r->has & COLBIT(COL_COST)) && isfinite(r->cost)) {
			d->costed = 1;
			d->cost = r->cost;
		}
		/* "!(x < 0)" would let NaN through; ">= 0" does not. */
		if ((r->has & COLBIT(COL_CYCLE_SECONDS)) &&
		    r->cycle_seconds >= 0)
			d->cycle = sketch_index(r->cycle_seconds);
	} else if (shadow) {
		d->shadow = 1;
		cmp = r->actor == ACTOR_AGENT && r->human_action >= 0 &&
		    r->human_action < ACTION_MAX;
		d->shadow_compared = cmp;
		d->shadow_agreed = cmp && r->action == r->human_action;
	}
}

static void
rowinc_apply(struct macc *a, const struct rowinc *d)
{
	a->rows++;
	a->live += d->live;
	a->exceptions += d->exceptions;
	a->auto_exceptions += d->auto_exceptions;
	a->escalated += d->escalated;
	a->info += d->info;
	a->reviewed += d->reviewed;
	a->corrected += d->corrected;
	a->breaches += d->breaches;
	a->costed += d->costed;
	a->cost += d->cost;
	a->shadow += d->shadow;
	a->shadow_compared += d->shadow_compared;
	a->shadow_agreed += d->shadow_agreed;
	a->complete += d->complete;
	if (d->cycle != IDX_NONE)
		sketch_put(&a->cycle, d->cycle);
}

/*
 * Add one row to a group.  flags are MF_BREACH and MF_COMPLETE, decided by
 * the caller.  The accumulator must start zeroed.
 */
void
macc_add(struct macc *a, const struct log_row *r, unsigned flags)
{
	struct rowinc d;

	rowinc_make(&d, r, flags);
	rowinc_apply(a, &d);
}

/* Merge b into a; b is unchanged. */
void
macc_merge(struct macc *a, const struct macc *b)
{
	a->rows += b->rows;
	a->live += b->live;
	a->exceptions += b->exceptions;
	a->auto_exceptions += b->auto_exceptions;
	a->escalated += b->escalated;
	a->info += b->info;
	a->reviewed += b->reviewed;
	a->corrected += b->corrected;
	a->breaches += b->breaches;
	a->costed += b->costed;
	a->cost += b->cost;
	a->shadow += b->shadow;
	a->shadow_compared += b->shadow_compared;
	a->shadow_agreed += b->shadow_agreed;
	a->complete += b->complete;
	sketch_merge(&a->cycle, &b->cycle);
}

/*
 * Free what the accumulator owns (the histogram) and zero it, leaving it
 * ready for reuse; the struct itself is the caller's (it usually sits in
 * an array).
 */
void
macc_free(struct macc *a)
{
	free(a->cycle.count);
	memset(a, 0, sizeof(*a));
}

static double
ratio(uint64_t num, uint64_t den, int *defined)
{
	*defined = den > 0;
	return den > 0 ? (double)num / (double)den : 0;
}

/*
 * The metric's value as defined in metrics.h.  *defined (defined may be
 * NULL) is 0 for a rate with a zero denominator, a percentile of no cycle
 * times, or a cost per case with no costs; the value is 0 then.
 */
double
macc_value(const struct macc *a, enum metric m, int *defined)
{
	int dummy;
	double v;

	if (defined == NULL)
		defined = &dummy;
	*defined = 1;
	switch (m) {
	case M_VOLUME:
		return (double)a->live;
	case M_EXCEPTION_RATE:
		return ratio(a->exceptions, a->live, defined);
	case M_AUTONOMOUS_RATE:
		return ratio(a->auto_exceptions, a->exceptions, defined);
	case M_ESCALATION_RATE:
		return ratio(a->escalated, a->live, defined);
	case M_INFO_REQUEST_RATE:
		return ratio(a->info, a->live, defined);
	case M_HUMAN_REVIEW_RATE:
		return ratio(a->reviewed, a->live, defined);
	case M_SHADOW_AGREEMENT:
		return ratio(a->shadow_agreed, a->shadow_compared, defined);
	case M_ERROR_RATE:
		return ratio(a->corrected, a->live, defined);
	case M_CYCLE_P50:
	case M_CYCLE_P90:
		v = sketch_quantile(&a->cycle, m == M_CYCLE_P50 ? 0.5 : 0.9);
		*defined = v >= 0;
		return v >= 0 ? v : 0;
	case M_COST_PER_CASE:
		*defined = a->costed > 0;
		return a->costed > 0 ? a->cost / (double)a->costed : 0;
	case M_BOUNDARY_BREACHES:
		return (double)a->breaches;
	case M_LOG_COMPLETENESS:
		return ratio(a->complete, a->rows, defined);
	case M_MAX:
		break;
	}
	BUG("unknown metric");
}

/* Day of the week, Monday 0; 1970-01-01 was a Thursday. */
static long
weekday(long day)
{
	long w = (day + 3) % 7;

	return w < 0 ? w + 7 : w;
}

/*
 * The key of the period day falls in: the day, its ISO week's Monday, or
 * the first of its month.  Keys sort in time order.
 */
long
period_key(enum period p, long day)
{
	int y, m, d;

	switch (p) {
	case PERIOD_DAY:
		return day;
	case PERIOD_WEEK:
		return day - weekday(day);
	case PERIOD_MONTH:
		civil_from_days(day, &y, &m, &d);
		return day - (d - 1);
	case PERIOD_MAX:
		break;
	}
	BUG("unknown period");
}

/*
 * The label of a period key from period_key.  The ISO week-numbering year
 * is the year of the week's Thursday, and week 1 is the week holding that
 * year's first Thursday.  snprintf keeps a key far outside years 0..9999
 * from overrunning out.
 */
void
period_label(enum period p, long key, char out[11])
{
	int y, m, d;
	long thu;

	switch (p) {
	case PERIOD_DAY:
		date_format(key, out);
		return;
	case PERIOD_WEEK:
		thu = key - weekday(key) + 3;
		civil_from_days(thu, &y, &m, &d);
		snprintf(out, 11, "%04d-W%02d", y,
		    (int)((thu - days_from_civil(y, 1, 1)) / 7 + 1));
		return;
	case PERIOD_MONTH:
		civil_from_days(key, &y, &m, &d);
		snprintf(out, 11, "%04d-%02d", y, m);
		return;
	case PERIOD_MAX:
		break;
	}
	BUG("unknown period");
}

/*
 * The accumulator for key, created zeroed when absent; keys stay sorted.
 * Rows mostly arrive in time order, so the last key looked up and the end
 * of the array are tried before a binary search.  The pointer is valid
 * until the next mseries_get on the same series, which may move the array.
 */
struct macc *
mseries_get(struct mseries *s, long key)
{
	size_t lo, hi, mid, kcap;

	if (s->n > 0 && s->last < s->n && s->key[s->last] == key)
		return &s->acc[s->last];
	if (s->n == 0 || key > s->key[s->n - 1])
		lo = s->n;
	else {
		lo = 0;
		hi = s->n;
		while (lo < hi) {
			mid = lo + (hi - lo) / 2;
			if (s->key[mid] < key)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (s->key[lo] == key) {
			s->last = lo;
			return &s->acc[lo];
		}
	}
	/* Both arrays share cap; grow them in step. */
	kcap = s->cap;
	s->key = xgrow(s->key, &kcap, s->n + 1, sizeof(*s->key));
	s->acc = xgrow(s->acc, &s->cap, s->n + 1, sizeof(*s->acc));
	memmove(s->key + lo + 1, s->key + lo, (s->n - lo) * sizeof(*s->key));
	memmove(s->acc + lo + 1, s->acc + lo, (s->n - lo) * sizeof(*s->acc));
	s->key[lo] = key;
	memset(&s->acc[lo], 0, sizeof(s->acc[lo]));
	s->n++;
	s->last = lo;
	return &s->acc[lo];
}

/* Free every accumulator and the arrays, and zero the series. */
void
mseries_free(struct mseries *s)
{
	size_t i;

	for (i = 0; i < s->n; i++)
		macc_free(&s->acc[i]);
	free(s->key);
	free(s->acc);
	memset(s, 0, sizeof(*s));
}

/*
 * Prepare m for a system whose decision table has ntable rows; release
 * with msys_free.
 */
void
msys_init(struct msys *m, size_t ntable)
{
	memset(m, 0, sizeof(*m));
	m->ncat = ntable + 2;
	m->cat = xcalloc(m->ncat, sizeof(*m->cat));
}

/*
 * Add one row to the total, category cat (< ncat) and, when its ts is
 * valid, its day, ISO week and month.  A row with a bad ts still counts
 * in the total and its category but in no period, and does not move
 * first and last.
 */
void
msys_add(struct msys *m, const struct log_row *r, size_t cat, unsigned flags)
{
	struct rowinc d;
	long long t;
	int p;

	if (cat >= m->ncat)
		BUG("category out of range");
	rowinc_make(&d, r, flags);
	rowinc_apply(&m->total, &d);
	rowinc_apply(&m->cat[cat], &d);
	if ((r->bad & COLBIT(COL_TS)) || (flags & MF_NO_PERIOD))
		return;
	t = (long long)r->day * 86400 + r->sec;
	/* No day yet means no row with a valid ts yet. */
	if (m->by[PERIOD_DAY].n == 0)
		m->first = m->last = t;
	else if (t < m->first)
		m->first = t;
	else if (t > m->last)
		m->last = t;
	for (p = 0; p < PERIOD_MAX; p++)
		rowinc_apply(mseries_get(&m->by[p], period_key(p, r->day)),
		    &d);
}

/* Free everything m owns and zero it. */
void
msys_free(struct msys *m)
{
	size_t i;
	int p;

	macc_free(&m->total);
	for (i = 0; i < m->ncat; i++)
		macc_free(&m->cat[i]);
	free(m->cat);
	for (p = 0; p < PERIOD_MAX; p++)
		mseries_free(&m->by[p]);
	memset(m, 0, sizeof(*m));
}

/*
 * Shadow-mode readiness of one group.  At least one compared decision is
 * required even when min_cases is 0: no evidence is never ready.
 */
void
readiness_eval(const struct macc *a, double min_agreement,
    uint64_t min_cases, struct readiness *out)
{
	out->compared = a->shadow_compared;
	out->agreed = a->shadow_agreed;
	out->agreement = out->compared > 0 ?
	    (double)out->agreed / (double)out->compared : 0;
	out->ready = out->compared > 0 && out->compared >= min_cases &&
	    out->agreement >= min_agreement;
}

/*
 * A KPI's status.  Down is handled as up on negated numbers, so one set of
 * comparisons serves both directions.
 */
enum kpi_status
kpi_status(const struct kpi *k, double value)
{
	double target, amber, red, ref;
	int up;

	if (isnan(value) ||
	    (!k->target.set && !k->amber.set && !k->red.set))
		return KPI_NONE;
	if (k->direction.v == DIRECTION_UP)
		up = 1;
	else if (k->direction.v == DIRECTION_DOWN)
		up = 0;
	else if (k->direction.v < 0) {
		/* Inferred: a threshold below the target means up. */
		up = 1;
		if (k->target.set && (k->red.set || k->amber.set)) {
			ref = k->red.set && k->red.v != k->target.v ?
			    k->red.v : k->amber.set ? k->amber.v : k->red.v;
			if (ref > k->target.v)
				up = 0;
		} else if (k->red.set && k->amber.set && k->red.v > k->amber.v)
			up = 0;	/* no target: red beyond amber */
	} else
		BUG("unknown direction");
	target = up ? k->target.v : -k->target.v;
	amber = up ? k->amber.v : -k->amber.v;
	red = up ? k->red.v : -k->red.v;
	if (!up)
		value = -value;
	if (k->red.set && value <= red)
		return KPI_RED;
	if (k->amber.set && value <= amber)
		return KPI_AMBER;
	if (k->target.set && !k->amber.set && !k->red.set && value < target)
		return KPI_AMBER;
	return KPI_GREEN;
}

/*
 * Append v as people read it: "12.5 %", "42", "37 s", "4.2 s", "3.10",
 * or "n/a" when undefined (or not a finite number).  No locale: the
 * program never calls setlocale, so the decimal point is '.'.
 */
void
metric_format(struct buf *b, enum metric m, double v, int defined)
{
	if (!defined || !isfinite(v)) {
		buf_puts(b, "n/a");
		return;
	}
	if (v == 0)
		v = 0;		/* no "-0" */
	switch (m) {
	case M_VOLUME:
	case M_BOUNDARY_BREACHES:
		buf_printf(b, "%.0f", v);
		return;
	case M_EXCEPTION_RATE:
	case M_AUTONOMOUS_RATE:
	case M_ESCALATION_RATE:
	case M_INFO_REQUEST_RATE:
	case M_HUMAN_REVIEW_RATE:
	case M_SHADOW_AGREEMENT:
	case M_ERROR_RATE:
	case M_LOG_COMPLETENESS:
		buf_printf(b, "%.1f %%", v * 100);
		return;
	case M_CYCLE_P50:
	case M_CYCLE_P90:
		buf_printf(b, v >= 10 ? "%.0f s" : "%.1f s", v);
		return;
	case M_COST_PER_CASE:
		buf_printf(b, "%.2f", v);
		return;
	case M_MAX:
		break;
	}
	BUG("unknown metric");
}
