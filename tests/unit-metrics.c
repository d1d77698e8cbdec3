/*
 * unit-metrics.c - unit tests of metrics.c against hand-computed values:
 * period keys and labels (ISO weeks across year boundaries), every metric
 * of a small hand-made log, the percentile sketch against exact
 * nearest-rank percentiles, merging, per-period series, per-system
 * spreading, shadow readiness, KPI status and number formatting.
 *
 * Standalone: links metrics.c, util.c and buf.c only.  Prints PASS:/FAIL:
 * lines for tests/run.sh and "N passed, N failed" last; exits 1 on any
 * failure.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "log.h"
#include "metrics.h"
#include "model.h"
#include "util.h"

static int passed, failed;

#define CHECK(name, cond) do {						\
	if (cond) {							\
		printf("PASS: %s\n", (name));				\
		passed++;						\
	} else {							\
		printf("FAIL: %s\n    %s:%d: %s\n", (name), __FILE__,	\
		    __LINE__, #cond);					\
		failed++;						\
	}								\
} while (0)

/* Like CHECK, with a printf-style explanation on failure. */
#define CHECKF(name, cond, ...) do {					\
	if (cond) {							\
		printf("PASS: %s\n", (name));				\
		passed++;						\
	} else {							\
		printf("FAIL: %s: ", (name));				\
		printf(__VA_ARGS__);					\
		printf("\n    %s:%d: %s\n", __FILE__, __LINE__, #cond);	\
		failed++;						\
	}								\
} while (0)

static int
near(double a, double b)
{
	return fabs(a - b) <= 1e-12 * (fabs(b) > 1 ? fabs(b) : 1);
}

/* A deterministic generator (xorshift64*), so failures reproduce. */
static uint64_t rng_state = 0x9E3779B97F4A7C15ull;

static uint64_t
rng(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545F4914F6CDD1Dull;
}

static double
rng_unit(void)
{
	return (double)(rng() >> 11) / 9007199254740992.0;
}

/* ---- periods ---- */

static void
label_is(const char *name, enum period p, int y, int m, int d,
    const char *want)
{
	char out[11];

	period_label(p, period_key(p, days_from_civil(y, m, d)), out);
	CHECKF(name, strcmp(out, want) == 0, "got '%s', want '%s'", out,
	    want);
}

static void
test_periods(void)
{
	char out[11], ref[32], name[64];
	long day, key, bad = 0, first_bad = 0;
	struct tm tm;
	time_t t;

	CHECK("period.names", strcmp(period_names[PERIOD_DAY], "day") == 0 &&
	    strcmp(period_names[PERIOD_WEEK], "week") == 0 &&
	    strcmp(period_names[PERIOD_MONTH], "month") == 0);

	day = days_from_civil(2026, 3, 4);
	CHECK("period.day-key", period_key(PERIOD_DAY, day) == day);
	label_is("period.day-label", PERIOD_DAY, 2026, 3, 4, "2026-03-04");
	label_is("period.day-label-epoch", PERIOD_DAY, 1970, 1, 1,
	    "1970-01-01");
	label_is("period.day-label-pre-epoch", PERIOD_DAY, 1969, 12, 31,
	    "1969-12-31");

	/* 2026-03-04 is a Wednesday: its Monday is 2026-03-02. */
	CHECK("period.week-key", period_key(PERIOD_WEEK, day) ==
	    days_from_civil(2026, 3, 2));
	CHECK("period.week-key-monday", period_key(PERIOD_WEEK,
	    days_from_civil(2026, 3, 2)) == days_from_civil(2026, 3, 2));
	CHECK("period.week-key-sunday", period_key(PERIOD_WEEK,
	    days_from_civil(2026, 3, 8)) == days_from_civil(2026, 3, 2));
	/* 1970-01-01 was a Thursday; the key is before the epoch. */
	CHECK("period.week-key-epoch", period_key(PERIOD_WEEK, 0) == -3);
	CHECK("period.week-key-negative", period_key(PERIOD_WEEK,
	    days_from_civil(1969, 12, 28)) == days_from_civil(1969, 12, 22));
	label_is("period.week-label", PERIOD_WEEK, 2026, 3, 4, "2026-W10");
	label_is("period.week-2020-12-31", PERIOD_WEEK, 2020, 12, 31,
	    "2020-W53");
	label_is("period.week-2021-01-03", PERIOD_WEEK, 2021, 1, 3,
	    "2020-W53");
	label_is("period.week-2021-01-04", PERIOD_WEEK, 2021, 1, 4,
	    "2021-W01");
	label_is("period.week-2024-12-30", PERIOD_WEEK, 2024, 12, 30,
	    "2025-W01");
	label_is("period.week-2025-01-05", PERIOD_WEEK, 2025, 1, 5,
	    "2025-W01");
	label_is("period.week-2015-12-31", PERIOD_WEEK, 2015, 12, 31,
	    "2015-W53");
	label_is("period.week-2016-01-03", PERIOD_WEEK, 2016, 1, 3,
	    "2015-W53");
	label_is("period.week-2008-12-29", PERIOD_WEEK, 2008, 12, 29,
	    "2009-W01");
	label_is("period.week-2010-01-03", PERIOD_WEEK, 2010, 1, 3,
	    "2009-W53");
	label_is("period.week-1970-01-01", PERIOD_WEEK, 1970, 1, 1,
	    "1970-W01");
	label_is("period.week-1969-12-29", PERIOD_WEEK, 1969, 12, 29,
	    "1970-W01");
	label_is("period.week-2026-12-31", PERIOD_WEEK, 2026, 12, 31,
	    "2026-W53");
	label_is("period.week-2027-01-01", PERIOD_WEEK, 2027, 1, 1,
	    "2026-W53");

	/* Every day 1900..2199 against the C library's %G-W%V. */
	for (day = days_from_civil(1900, 1, 1);
	    day < days_from_civil(2200, 1, 1); day++) {
		t = (time_t)day * 86400;
		if (gmtime_r(&t, &tm) == NULL ||
		    strftime(ref, sizeof(ref), "%G-W%V", &tm) == 0)
			continue;
		period_label(PERIOD_WEEK, period_key(PERIOD_WEEK, day), out);
		key = period_key(PERIOD_WEEK, day);
		if (strcmp(out, ref) != 0 || key > day || day - key > 6 ||
		    (key + 3) % 7 != 0) {
			if (bad++ == 0)
				first_bad = day;
		}
	}
	snprintf(name, sizeof(name), "period.week-vs-strftime");
	CHECKF(name, bad == 0, "%ld days differ, first day %ld", bad,
	    first_bad);

	CHECK("period.month-key", period_key(PERIOD_MONTH, day =
	    days_from_civil(2024, 2, 29)) == days_from_civil(2024, 2, 1));
	CHECK("period.month-key-first", period_key(PERIOD_MONTH,
	    days_from_civil(2024, 3, 1)) == days_from_civil(2024, 3, 1));
	CHECK("period.month-key-pre-epoch", period_key(PERIOD_MONTH,
	    days_from_civil(1969, 12, 31)) == days_from_civil(1969, 12, 1));
	label_is("period.month-label", PERIOD_MONTH, 2026, 3, 4, "2026-03");
	label_is("period.month-label-dec", PERIOD_MONTH, 2024, 12, 31,
	    "2024-12");
	CHECK("period.keys-sort", period_key(PERIOD_MONTH,
	    days_from_civil(2024, 12, 31)) < period_key(PERIOD_MONTH,
	    days_from_civil(2025, 1, 1)) && period_key(PERIOD_WEEK,
	    days_from_civil(2025, 1, 5)) < period_key(PERIOD_WEEK,
	    days_from_civil(2025, 1, 6)));
}

/* ---- a hand-made log ---- */

#define NONE	(-1.0)		/* for mkrow: the column is NULL */

static struct log_row
mkrow(int mode, int actor, int action, const char *exception,
    const char *reviewer, int human_action, int corrected, double cycle,
    double cost)
{
	struct log_row r;

	memset(&r, 0, sizeof(r));
	r.mode = mode;
	r.actor = actor;
	r.action = action;
	r.exception = exception;
	r.reviewer = reviewer;
	r.human_action = human_action;
	r.corrected = corrected;
	r.ts = "2026-03-04T09:15:02Z";
	r.day = days_from_civil(2026, 3, 4);
	r.sec = 9 * 3600 + 15 * 60 + 2;
	if (cycle != NONE) {
		r.cycle_seconds = cycle;
		r.has |= COLBIT(COL_CYCLE_SECONDS);
	}
	if (cost != NONE) {
		r.cost = cost;
		r.has |= COLBIT(COL_COST);
	}
	return r;
}

#define NROWS	11

static struct log_row rows[NROWS];
static unsigned rflags[NROWS];

/*
 * Live: 1-5 and 12 (6 rows); shadow: 6-9; bad mode: 10.
 *
 *  #  mode    actor action  exc    reviewer hum  corr cycle cost flags
 *  1  live    agent auto    price  -        -    0    10    2    C
 *  2  live    agent escal   price  -        -    0    20    -    C B
 *  3  live    human appr    -      p1       -    1    30    4    -
 *  4  live    agent info    dup    p2       -    0    -     3    C
 *  5  live    agent auto    -      -        -    0    40    -    B
 *  6  shadow  agent auto    price  -        auto 0    5     1    C B
 *  7  shadow  agent escal   -      -        appr 1    -     -    -
 *  8  shadow  agent appr    -      -        NULL 0    -     -    C
 *  9  shadow  human appr    -      -        appr 0    -     -    -
 * 10  BAD     agent auto    x      -        -    0    7     7    C B
 * 12  live    agent escal   -      -        -    0    -5    NaN  -
 *
 * Row 12's negative cycle time and NaN cost carry their `has` bits and
 * must be skipped; row 6's breach and row 10's everything but rows and
 * complete must not count.
 */
static void
make_rows(void)
{
	int i = 0;

	rows[i] = mkrow(MODE_LIVE, ACTOR_AGENT, ACTION_AUTO_RESOLVED, "price",
	    NULL, LOG_NULL, 0, 10, 2);
	rflags[i++] = MF_COMPLETE;
	rows[i] = mkrow(MODE_LIVE, ACTOR_AGENT, ACTION_ESCALATED, "price",
	    NULL, LOG_NULL, 0, 20, NONE);
	rflags[i++] = MF_COMPLETE | MF_BREACH;
	rows[i] = mkrow(MODE_LIVE, ACTOR_HUMAN, ACTION_APPROVED, NULL, "p1",
	    LOG_NULL, 1, 30, 4);
	rflags[i++] = 0;
	rows[i] = mkrow(MODE_LIVE, ACTOR_AGENT, ACTION_REQUESTED_INFO, "dup",
	    "p2", LOG_NULL, 0, NONE, 3);
	rflags[i++] = MF_COMPLETE;
	rows[i] = mkrow(MODE_LIVE, ACTOR_AGENT, ACTION_AUTO_RESOLVED, NULL,
	    NULL, LOG_NULL, 0, 40, NONE);
	rflags[i++] = MF_BREACH;
	rows[i] = mkrow(MODE_SHADOW, ACTOR_AGENT, ACTION_AUTO_RESOLVED,
	    "price", NULL, ACTION_AUTO_RESOLVED, 0, 5, 1);
	rflags[i++] = MF_COMPLETE | MF_BREACH;
	rows[i] = mkrow(MODE_SHADOW, ACTOR_AGENT, ACTION_ESCALATED, NULL,
	    NULL, ACTION_APPROVED, 1, NONE, NONE);
	rflags[i++] = 0;
	rows[i] = mkrow(MODE_SHADOW, ACTOR_AGENT, ACTION_APPROVED, NULL,
	    NULL, LOG_NULL, 0, NONE, NONE);
	rflags[i++] = MF_COMPLETE;
	rows[i] = mkrow(MODE_SHADOW, ACTOR_HUMAN, ACTION_APPROVED, NULL,
	    NULL, ACTION_APPROVED, 0, NONE, NONE);
	rflags[i++] = 0;
	rows[i] = mkrow(LOG_BAD, ACTOR_AGENT, ACTION_AUTO_RESOLVED, "x",
	    NULL, LOG_NULL, 0, 7, 7);
	rows[i].bad |= COLBIT(COL_MODE);
	rflags[i++] = MF_COMPLETE | MF_BREACH;
	rows[i] = mkrow(MODE_LIVE, ACTOR_AGENT, ACTION_ESCALATED, NULL,
	    NULL, LOG_NULL, 0, -5, NAN);
	rflags[i++] = 0;
}

struct want {
	enum metric	 m;
	double		 v;
	int		 defined;
	int		 approx;	/* within 1 % (percentiles) */
};

static void
check_values(const char *prefix, const struct macc *a,
    const struct want *w, size_t n)
{
	char name[96];
	double v;
	size_t i;
	int def, ok;

	for (i = 0; i < n; i++) {
		def = -1;
		v = macc_value(a, w[i].m, &def);
		if (w[i].approx)
			ok = fabs(v - w[i].v) <= 0.01 * w[i].v;
		else
			ok = near(v, w[i].v);
		snprintf(name, sizeof(name), "%s.%s", prefix,
		    metric_names[w[i].m]);
		CHECKF(name, ok && def == w[i].defined,
		    "got %.17g defined %d, want %.17g defined %d", v, def,
		    w[i].v, w[i].defined);
	}
}

static void
test_names(void)
{
	static const char *const want[M_MAX] = {
		"volume", "exception_rate", "autonomous_rate",
		"escalation_rate", "info_request_rate", "human_review_rate",
		"shadow_agreement", "error_rate", "cycle_p50", "cycle_p90",
		"cost_per_case", "boundary_breaches", "log_completeness"
	};
	int i, ok = 1;

	for (i = 0; i < M_MAX; i++)
		ok &= metric_names[i] != NULL &&
		    strcmp(metric_names[i], want[i]) == 0;
	CHECK("metric.names", ok);
	CHECK("kpi.status-names", strcmp(kpi_status_names[KPI_NONE],
	    "none") == 0 && strcmp(kpi_status_names[KPI_GREEN], "green") ==
	    0 && strcmp(kpi_status_names[KPI_AMBER], "amber") == 0 &&
	    strcmp(kpi_status_names[KPI_RED], "red") == 0);
}

static const struct want all_want[] = {
	{ M_VOLUME, 6, 1, 0 },
	{ M_EXCEPTION_RATE, 3.0 / 6, 1, 0 },
	{ M_AUTONOMOUS_RATE, 1.0 / 3, 1, 0 },
	{ M_ESCALATION_RATE, 2.0 / 6, 1, 0 },
	{ M_INFO_REQUEST_RATE, 1.0 / 6, 1, 0 },
	{ M_HUMAN_REVIEW_RATE, 2.0 / 6, 1, 0 },
	{ M_SHADOW_AGREEMENT, 1.0 / 2, 1, 0 },
	{ M_ERROR_RATE, 1.0 / 6, 1, 0 },
	{ M_CYCLE_P50, 20, 1, 1 },
	{ M_CYCLE_P90, 40, 1, 1 },
	{ M_COST_PER_CASE, 9.0 / 3, 1, 0 },
	{ M_BOUNDARY_BREACHES, 2, 1, 0 },
	{ M_LOG_COMPLETENESS, 6.0 / 11, 1, 0 },
};

static void
test_values(void)
{
	static const struct want empty[] = {
		{ M_VOLUME, 0, 1, 0 },
		{ M_EXCEPTION_RATE, 0, 0, 0 },
		{ M_AUTONOMOUS_RATE, 0, 0, 0 },
		{ M_ESCALATION_RATE, 0, 0, 0 },
		{ M_INFO_REQUEST_RATE, 0, 0, 0 },
		{ M_HUMAN_REVIEW_RATE, 0, 0, 0 },
		{ M_SHADOW_AGREEMENT, 0, 0, 0 },
		{ M_ERROR_RATE, 0, 0, 0 },
		{ M_CYCLE_P50, 0, 0, 0 },
		{ M_CYCLE_P90, 0, 0, 0 },
		{ M_COST_PER_CASE, 0, 0, 0 },
		{ M_BOUNDARY_BREACHES, 0, 1, 0 },
		{ M_LOG_COMPLETENESS, 0, 0, 0 },
	};
	/* Shadow rows only: no live denominator, but agreement is defined. */
	static const struct want shadow[] = {
		{ M_VOLUME, 0, 1, 0 },
		{ M_EXCEPTION_RATE, 0, 0, 0 },
		{ M_ERROR_RATE, 0, 0, 0 },
		{ M_CYCLE_P50, 0, 0, 0 },
		{ M_COST_PER_CASE, 0, 0, 0 },
		{ M_BOUNDARY_BREACHES, 0, 1, 0 },
		{ M_SHADOW_AGREEMENT, 0.5, 1, 0 },
		{ M_LOG_COMPLETENESS, 0.5, 1, 0 },
	};
	/* Rows 3 and 5: live, no exception: autonomous_rate undefined. */
	static const struct want clean[] = {
		{ M_VOLUME, 2, 1, 0 },
		{ M_EXCEPTION_RATE, 0, 1, 0 },
		{ M_AUTONOMOUS_RATE, 0, 0, 0 },
		{ M_SHADOW_AGREEMENT, 0, 0, 0 },
		{ M_CYCLE_P50, 30, 1, 1 },
		{ M_CYCLE_P90, 40, 1, 1 },
		{ M_COST_PER_CASE, 4, 1, 0 },
	};
	struct macc a, s, c;
	double v;
	int i;

	memset(&a, 0, sizeof(a));
	memset(&s, 0, sizeof(s));
	memset(&c, 0, sizeof(c));
	for (i = 0; i < NROWS; i++) {
		macc_add(&a, &rows[i], rflags[i]);
		if (rows[i].mode == MODE_SHADOW)
			macc_add(&s, &rows[i], rflags[i]);
	}
	macc_add(&c, &rows[2], rflags[2]);
	macc_add(&c, &rows[4], rflags[4]);

	CHECK("macc.counts", a.rows == 11 && a.live == 6 &&
	    a.exceptions == 3 && a.auto_exceptions == 1 &&
	    a.escalated == 2 && a.info == 1 && a.reviewed == 2 &&
	    a.corrected == 1 && a.breaches == 2 && a.costed == 3 &&
	    a.cost == 9 && a.shadow == 4 && a.shadow_compared == 2 &&
	    a.shadow_agreed == 1 && a.complete == 6);
	CHECK("macc.cycle-count", a.cycle.n == 4 && a.cycle.zeros == 0);
	check_values("value", &a, all_want, ARRAY_SIZE(all_want));

	/* The sketch's representative values, exactly as documented. */
	v = macc_value(&a, M_CYCLE_P50, NULL);
	CHECKF("value.cycle-representative", near(v, 2 * pow(1.02,
	    ceil(log(20) / log(1.02))) / 2.02), "got %.17g", v);

	macc_free(&s);
	for (i = 0; i < NROWS; i++)
		if (rows[i].mode == MODE_SHADOW)
			macc_add(&s, &rows[i], rflags[i]);
	CHECK("macc.free-reuses", s.rows == 4 && s.shadow == 4);
	check_values("value-empty", &(struct macc){ 0 }, empty,
	    ARRAY_SIZE(empty));
	check_values("value-shadow", &s, shadow, ARRAY_SIZE(shadow));
	check_values("value-clean", &c, clean, ARRAY_SIZE(clean));
	macc_free(&a);
	macc_free(&s);
	macc_free(&c);
	CHECK("macc.free-zeroes", a.rows == 0 && a.cycle.count == NULL &&
	    a.cycle.len == 0);
}

/* ---- the sketch ---- */

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

static void
add_cycle(struct macc *a, double v)
{
	struct log_row r = mkrow(MODE_LIVE, ACTOR_AGENT, ACTION_ESCALATED,
	    NULL, NULL, LOG_NULL, 0, v, NONE);

	macc_add(a, &r, 0);
}

/* Draw a value: zeros, 0.001, 1e7 and a wide log-uniform spread. */
static double
draw(void)
{
	double u = rng_unit();

	if (u < 0.08)
		return 0;
	if (u < 0.12)
		return 0.001;
	if (u < 0.16)
		return 1e7;
	if (u < 0.20)
		return (double)(1 + rng() % 100);	/* ties */
	return exp(-7 + 23.1 * rng_unit());		/* 0.0009 .. 1e7 */
}

/*
 * Compare the sketch with the exact nearest-rank percentile for several
 * q; returns the number of (q) mismatches beyond 1 % and reports the
 * worst relative error.
 */
static int
compare_sketch(const struct sketch *sk, double *v, size_t n, double *worst)
{
	static const int pct[] = { 1, 5, 7, 10, 25, 33, 50, 67, 75, 90, 95,
	    99, 100 };
	double got, want, err;
	size_t i, rank;
	int bad = 0;

	qsort(v, n, sizeof(*v), cmp_double);
	for (i = 0; i < ARRAY_SIZE(pct); i++) {
		rank = ((size_t)pct[i] * n + 99) / 100;
		if (rank < 1)
			rank = 1;
		want = v[rank - 1];
		got = sketch_quantile(sk, pct[i] / 100.0);
		if (want == 0)
			err = got == 0 ? 0 : INFINITY;
		else
			err = fabs(got - want) / want;
		if (err > *worst)
			*worst = err;
		if (err > 0.01)
			bad++;
	}
	return bad;
}

/* Zeros plus every bucket's count, which must equal n. */
static uint64_t
sketch_total(const struct sketch *sk)
{
	uint64_t t = sk->zeros;
	int i;

	for (i = 0; i < sk->len; i++)
		t += sk->count[i];
	return t;
}

static void
test_sketch(void)
{
	static const size_t sizes[] = { 1, 2, 3, 7, 10, 100, 1000, 20000,
	    200000 };
	struct macc a, b;
	double *v, worst, got;
	size_t i, k, n;
	char name[64];
	int bad;

	memset(&a, 0, sizeof(a));
	CHECK("sketch.empty", sketch_quantile(&a.cycle, 0.5) == -1);

	add_cycle(&a, 42);
	got = sketch_quantile(&a.cycle, 0.5);
	CHECKF("sketch.n1", fabs(got - 42) <= 0.42 &&
	    sketch_quantile(&a.cycle, 0.01) == got &&
	    sketch_quantile(&a.cycle, 1) == got, "got %.17g", got);
	macc_free(&a);

	add_cycle(&a, 0);
	CHECK("sketch.n1-zero", a.cycle.zeros == 1 &&
	    sketch_quantile(&a.cycle, 0.5) == 0);
	add_cycle(&a, 1e-12);		/* below 1e-9: counted as zero */
	add_cycle(&a, NAN);		/* skipped by macc_add */
	add_cycle(&a, -1);		/* skipped by macc_add */
	CHECK("sketch.tiny-and-invalid", a.cycle.n == 2 &&
	    a.cycle.zeros == 2 && a.cycle.len == 0 && a.live == 4);
	macc_free(&a);

	/* Hostile values cannot make the bucket array large. */
	add_cycle(&a, 1e300);
	add_cycle(&a, INFINITY);
	add_cycle(&a, 1e-8);
	add_cycle(&a, 5e-324);
	got = sketch_quantile(&a.cycle, 1);
	CHECKF("sketch.bounded", a.cycle.n == 4 && a.cycle.len > 0 &&
	    a.cycle.len <= 2500 && fabs(got - 1e12) <= 1e10 &&
	    sketch_quantile(&a.cycle, 0.25) == 0,
	    "len %d, p100 %.17g", a.cycle.len, got);
	macc_free(&a);

	/*
	 * Distinct values 1..n: q = p / n must give exactly rank p, although
	 * q * n is not always an exact integer in floating point (0.07 * 100
	 * is 7.000000000000001).
	 */
	for (n = 100; n <= 1000; n *= 10) {
		for (i = 1; i <= n; i++)
			add_cycle(&a, (double)i);
		bad = 0;
		for (i = 1; i <= n; i++) {
			got = sketch_quantile(&a.cycle, (double)i / (double)n);
			if (fabs(got - (double)i) > 0.01 * (double)i)
				bad++;
		}
		snprintf(name, sizeof(name), "sketch.exact-rank-n%zu", n);
		CHECKF(name, bad == 0, "%d ranks off", bad);
		macc_free(&a);
	}

	/* Descending values: the array grows downwards (memmove). */
	for (i = 0; i < 2000; i++)
		add_cycle(&a, 1e6 / (double)(i + 1));
	v = xmalloc(200000 * sizeof(*v));
	for (i = 0; i < 2000; i++)
		v[i] = 1e6 / (double)(i + 1);
	worst = 0;
	bad = compare_sketch(&a.cycle, v, 2000, &worst);
	CHECKF("sketch.grow-down", bad == 0, "%d off, worst %.4f %%", bad,
	    worst * 100);
	macc_free(&a);

	for (k = 0; k < ARRAY_SIZE(sizes); k++) {
		n = sizes[k];
		for (i = 0; i < n; i++) {
			v[i] = draw();
			add_cycle(&a, v[i]);
		}
		worst = 0;
		bad = compare_sketch(&a.cycle, v, n, &worst);
		snprintf(name, sizeof(name), "sketch.random-n%zu", n);
		CHECKF(name, bad == 0 && a.cycle.n == n,
		    "%d quantiles off by more than 1 %%, worst %.4f %%", bad,
		    worst * 100);
		macc_free(&a);
	}

	/*
	 * Merging two sketches equals one fed everything: b's range entirely
	 * above a's, then below it, then interleaved with it.
	 */
	memset(&b, 0, sizeof(b));
	for (k = 0; k < 3; k++) {
		for (i = 0; i < 50000; i++) {
			v[i] = i < 25000 ? 0.01 + rng_unit() :
			    1e5 * (1 + rng_unit());
			if (i % 5 == 0)
				v[i] = 0;
			add_cycle(k == 2 ? (i % 2 ? &a : &b) :
			    (i < 25000) == (k == 0) ? &a : &b, v[i]);
		}
		macc_merge(&a, &b);
		worst = 0;
		bad = compare_sketch(&a.cycle, v, 50000, &worst);
		snprintf(name, sizeof(name), "sketch.merge-%s",
		    k == 0 ? "above" : k == 1 ? "below" : "interleaved");
		CHECKF(name, bad == 0 && a.cycle.n == 50000 &&
		    a.cycle.zeros == 10000 && sketch_total(&a.cycle) == 50000,
		    "%d off, worst %.4f %%", bad, worst * 100);
		macc_free(&a);
		macc_free(&b);
	}
	free(v);
}

/* ---- merge ---- */

static int
macc_equal(const struct macc *x, const struct macc *y)
{
	static const double q[] = { 0.01, 0.25, 0.5, 0.9, 1 };
	size_t i;

	if (x->rows != y->rows || x->live != y->live ||
	    x->exceptions != y->exceptions ||
	    x->auto_exceptions != y->auto_exceptions ||
	    x->escalated != y->escalated || x->info != y->info ||
	    x->reviewed != y->reviewed || x->corrected != y->corrected ||
	    x->breaches != y->breaches || x->costed != y->costed ||
	    x->cost != y->cost || x->shadow != y->shadow ||
	    x->shadow_compared != y->shadow_compared ||
	    x->shadow_agreed != y->shadow_agreed ||
	    x->complete != y->complete || x->cycle.n != y->cycle.n ||
	    x->cycle.zeros != y->cycle.zeros)
		return 0;
	for (i = 0; i < ARRAY_SIZE(q); i++)
		if (sketch_quantile(&x->cycle, q[i]) !=
		    sketch_quantile(&y->cycle, q[i]))
			return 0;
	return 1;
}

static void
test_merge(void)
{
	struct macc all, a, b, e;
	int i;

	memset(&all, 0, sizeof(all));
	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	memset(&e, 0, sizeof(e));
	for (i = 0; i < NROWS; i++) {
		macc_add(&all, &rows[i], rflags[i]);
		macc_add(i < 5 ? &a : &b, &rows[i], rflags[i]);
	}
	macc_merge(&a, &b);
	CHECK("merge.halves", macc_equal(&a, &all));
	check_values("merge.value", &a, all_want, ARRAY_SIZE(all_want));
	macc_merge(&e, &all);
	CHECK("merge.into-empty", macc_equal(&e, &all));
	macc_free(&b);
	macc_merge(&e, &b);
	CHECK("merge.empty-into", macc_equal(&e, &all));
	macc_free(&all);
	macc_free(&a);
	macc_free(&e);
}

/* ---- series ---- */

static void
test_series(void)
{
	static const long keys[] = { 5, 3, 9, 3, 1, 7, 9, 9, -2 };
	struct mseries s;
	struct log_row r = rows[0];
	struct macc *p;
	size_t i;
	int ok;

	memset(&s, 0, sizeof(s));
	for (i = 0; i < ARRAY_SIZE(keys); i++)
		macc_add(mseries_get(&s, keys[i]), &r, 0);
	ok = s.n == 6 && s.key[0] == -2 && s.key[1] == 1 && s.key[2] == 3 &&
	    s.key[3] == 5 && s.key[4] == 7 && s.key[5] == 9;
	CHECK("series.sorted", ok);
	CHECK("series.counts", ok && s.acc[0].rows == 1 &&
	    s.acc[1].rows == 1 && s.acc[2].rows == 2 && s.acc[3].rows == 1 &&
	    s.acc[4].rows == 1 && s.acc[5].rows == 3);
	p = mseries_get(&s, 3);
	CHECK("series.find", p == &s.acc[2] && s.last == 2 && s.n == 6);
	CHECK("series.find-last", mseries_get(&s, 3) == &s.acc[2]);
	p = mseries_get(&s, 4);
	CHECK("series.insert-middle", s.n == 7 && p == &s.acc[3] &&
	    p->rows == 0 && s.key[3] == 4 && s.key[4] == 5 &&
	    s.acc[4].rows == 1 && s.acc[2].rows == 2);
	mseries_free(&s);
	CHECK("series.free", s.n == 0 && s.key == NULL && s.acc == NULL);

	/* Many keys in random order come out sorted, each counted once. */
	for (i = 0; i < 3000; i++)
		macc_add(mseries_get(&s, (long)(rng() % 1000) - 500), &r, 0);
	for (i = 0; i < 1000; i++)
		macc_add(mseries_get(&s, (long)i - 500), &r, 0);
	ok = s.n == 1000;
	for (i = 0; ok && i < s.n; i++)
		ok = s.key[i] == (long)i - 500 && s.acc[i].rows >= 1;
	CHECK("series.random-sorted", ok);
	mseries_free(&s);
}

/* ---- per system ---- */

static void
at(struct log_row *r, int y, int m, int d, int sec)
{
	r->day = days_from_civil(y, m, d);
	r->sec = sec;
}

static void
test_msys(void)
{
	struct msys m;
	struct log_row r;
	char lab[11];
	long long t0;
	uint64_t sum;
	size_t i;
	int p;

	msys_init(&m, 2);
	CHECK("msys.init", m.ncat == 4 && m.cat != NULL &&
	    m.cat[3].rows == 0 && m.first == 0 && m.last == 0 &&
	    m.by[PERIOD_DAY].n == 0);

	/* Out of time order on purpose. */
	r = rows[0];			/* live, exception, cycle 10 */
	at(&r, 2025, 1, 6, 100);	/* Monday of 2025-W02 */
	msys_add(&m, &r, 0, MF_COMPLETE);
	at(&r, 2024, 12, 30, 50);	/* Monday of 2025-W01 */
	msys_add(&m, &r, 0, MF_COMPLETE);
	r = rows[2];			/* live, clean, human */
	at(&r, 2024, 12, 31, 86399);
	msys_add(&m, &r, 2, 0);
	at(&r, 2025, 1, 1, 0);
	msys_add(&m, &r, 2, MF_BREACH);
	r = rows[5];			/* shadow, agrees */
	at(&r, 2025, 1, 5, 10);		/* Sunday of 2025-W01 */
	msys_add(&m, &r, 1, 0);
	r = rows[0];			/* bad ts: total and category only */
	r.bad |= COLBIT(COL_TS);
	r.day = 0;
	r.sec = 0;
	msys_add(&m, &r, 3, 0);

	CHECK("msys.total", m.total.rows == 6 && m.total.live == 5 &&
	    m.total.shadow == 1 && m.total.breaches == 1 &&
	    m.total.complete == 2 && m.total.cycle.n == 5);
	CHECK("msys.category", m.cat[0].rows == 2 && m.cat[1].rows == 1 &&
	    m.cat[2].rows == 2 && m.cat[3].rows == 1 &&
	    m.cat[1].shadow_agreed == 1 && m.cat[2].breaches == 1);
	CHECK("msys.day", m.by[PERIOD_DAY].n == 5 &&
	    m.by[PERIOD_DAY].key[0] == days_from_civil(2024, 12, 30) &&
	    m.by[PERIOD_DAY].key[4] == days_from_civil(2025, 1, 6));
	CHECK("msys.week", m.by[PERIOD_WEEK].n == 2 &&
	    m.by[PERIOD_WEEK].key[0] == days_from_civil(2024, 12, 30) &&
	    m.by[PERIOD_WEEK].acc[0].rows == 4 &&
	    m.by[PERIOD_WEEK].acc[1].rows == 1);
	period_label(PERIOD_WEEK, m.by[PERIOD_WEEK].key[0], lab);
	CHECK("msys.week-label", strcmp(lab, "2025-W01") == 0);
	CHECK("msys.month", m.by[PERIOD_MONTH].n == 2 &&
	    m.by[PERIOD_MONTH].key[0] == days_from_civil(2024, 12, 1) &&
	    m.by[PERIOD_MONTH].acc[0].rows == 2 &&
	    m.by[PERIOD_MONTH].key[1] == days_from_civil(2025, 1, 1) &&
	    m.by[PERIOD_MONTH].acc[1].rows == 3 &&
	    m.by[PERIOD_MONTH].acc[1].breaches == 1);
	for (p = 0; p < PERIOD_MAX; p++) {
		sum = 0;
		for (i = 0; i < m.by[p].n; i++)
			sum += m.by[p].acc[i].rows;
		CHECKF(p == 0 ? "msys.sum-day" : p == 1 ? "msys.sum-week" :
		    "msys.sum-month", sum == 5, "sum %llu",
		    (unsigned long long)sum);
	}
	t0 = (long long)days_from_civil(2024, 12, 30) * 86400 + 50;
	CHECK("msys.first-last", m.first == t0 &&
	    m.last == (long long)days_from_civil(2025, 1, 6) * 86400 + 100);
	msys_free(&m);
	CHECK("msys.free", m.cat == NULL && m.ncat == 0 &&
	    m.by[PERIOD_DAY].n == 0);

	/* A system whose only row has a bad ts keeps first = last = 0. */
	msys_init(&m, 0);
	msys_add(&m, &r, 1, 0);
	CHECK("msys.bad-ts-only", m.total.rows == 1 && m.cat[1].rows == 1 &&
	    m.first == 0 && m.last == 0 && m.by[PERIOD_WEEK].n == 0);
	msys_free(&m);
}

/* ---- readiness ---- */

static void
test_readiness(void)
{
	struct readiness rd;
	struct macc a;

	memset(&a, 0, sizeof(a));
	a.shadow_compared = 100;
	a.shadow_agreed = 95;
	readiness_eval(&a, 0.95, 100, &rd);
	CHECK("ready.at-both-thresholds", rd.ready && rd.compared == 100 &&
	    rd.agreed == 95 && near(rd.agreement, 0.95));
	readiness_eval(&a, 0.95, 101, &rd);
	CHECK("ready.too-few-cases", !rd.ready);
	readiness_eval(&a, 0.96, 100, &rd);
	CHECK("ready.too-little-agreement", !rd.ready);
	a.shadow_agreed = 94;
	readiness_eval(&a, 0.95, 100, &rd);
	CHECK("ready.one-below", !rd.ready && near(rd.agreement, 0.94));
	a.shadow_compared = 50;
	a.shadow_agreed = 49;
	readiness_eval(&a, 0.98, 50, &rd);
	CHECK("ready.at-0.98", rd.ready);
	a.shadow_compared = 500;
	a.shadow_agreed = 490;
	readiness_eval(&a, 0.98, 500, &rd);
	CHECK("ready.at-0.98-500", rd.ready);
	a.shadow_compared = 0;
	a.shadow_agreed = 0;
	readiness_eval(&a, 0, 0, &rd);
	CHECK("ready.no-evidence", !rd.ready && rd.agreement == 0 &&
	    rd.compared == 0);
}

/* ---- KPI status ---- */

static struct kpi
mkkpi(int dir, double target, double amber, double red)
{
	struct kpi k;

	memset(&k, 0, sizeof(k));
	k.direction.v = dir;
	k.level.v = -1;
	if (!isnan(target)) {
		k.target.v = target;
		k.target.set = 1;
	}
	if (!isnan(amber)) {
		k.amber.v = amber;
		k.amber.set = 1;
	}
	if (!isnan(red)) {
		k.red.v = red;
		k.red.set = 1;
	}
	return k;
}

static void
status_is(const char *name, struct kpi k, double v, enum kpi_status want)
{
	enum kpi_status got = kpi_status(&k, v);

	CHECKF(name, got == want, "value %g: got %s, want %s", v,
	    kpi_status_names[got], kpi_status_names[want]);
}

static void
test_kpi(void)
{
	struct kpi up = mkkpi(DIRECTION_UP, 90, 80, 70);
	struct kpi down = mkkpi(DIRECTION_DOWN, 5, 10, 20);
	struct kpi k;

	status_is("kpi.up-above-target", up, 95, KPI_GREEN);
	status_is("kpi.up-at-target", up, 90, KPI_GREEN);
	status_is("kpi.up-below-target", up, 85, KPI_GREEN);
	status_is("kpi.up-at-amber", up, 80, KPI_AMBER);
	status_is("kpi.up-amber", up, 75, KPI_AMBER);
	status_is("kpi.up-at-red", up, 70, KPI_RED);
	status_is("kpi.up-red", up, 10, KPI_RED);
	status_is("kpi.down-green", down, 3, KPI_GREEN);
	status_is("kpi.down-above-target", down, 9.9, KPI_GREEN);
	status_is("kpi.down-at-amber", down, 10, KPI_AMBER);
	status_is("kpi.down-amber", down, 15, KPI_AMBER);
	status_is("kpi.down-at-red", down, 20, KPI_RED);
	status_is("kpi.down-red", down, 25, KPI_RED);

	/* Direction inferred from red against target. */
	k = mkkpi(-1, 90, NAN, 70);
	status_is("kpi.infer-up-red", k, 70, KPI_RED);
	status_is("kpi.infer-up-green", k, 80, KPI_GREEN);
	k = mkkpi(-1, 5, NAN, 20);
	status_is("kpi.infer-down-red", k, 21, KPI_RED);
	status_is("kpi.infer-down-green", k, 6, KPI_GREEN);
	/* Then from amber, when red is absent or equals the target. */
	k = mkkpi(-1, 5, 10, NAN);
	status_is("kpi.infer-down-amber", k, 12, KPI_AMBER);
	status_is("kpi.infer-down-amber-green", k, 4, KPI_GREEN);
	k = mkkpi(-1, 90, 95, 90);
	status_is("kpi.infer-red-equals-target", k, 80, KPI_GREEN);
	k = mkkpi(-1, 90, 80, NAN);
	status_is("kpi.infer-up-amber", k, 80, KPI_AMBER);
	status_is("kpi.infer-up-amber-green", k, 85, KPI_GREEN);
	/* Amber equal to the target says nothing: up. */
	k = mkkpi(-1, 90, 90, NAN);
	status_is("kpi.infer-amber-equals-target", k, 85, KPI_AMBER);
	/* Without a target, red beyond amber says which way is worse. */
	k = mkkpi(-1, NAN, 3600, 7200);
	status_is("kpi.infer-no-target-down-green", k, 5, KPI_GREEN);
	status_is("kpi.infer-no-target-down-amber", k, 4000, KPI_AMBER);
	status_is("kpi.infer-no-target-down-red", k, 8000, KPI_RED);
	k = mkkpi(-1, NAN, 0.8, 0.6);
	status_is("kpi.infer-no-target-up-red", k, 0.5, KPI_RED);
	status_is("kpi.infer-no-target-up-green", k, 0.9, KPI_GREEN);
	/* Else up. */
	k = mkkpi(-1, NAN, NAN, 70);
	status_is("kpi.infer-only-red", k, 60, KPI_RED);
	status_is("kpi.infer-only-red-green", k, 71, KPI_GREEN);

	/* Only a target: missing it is amber. */
	k = mkkpi(DIRECTION_UP, 90, NAN, NAN);
	status_is("kpi.target-only-up-miss", k, 89, KPI_AMBER);
	status_is("kpi.target-only-up-hit", k, 90, KPI_GREEN);
	k = mkkpi(DIRECTION_DOWN, 5, NAN, NAN);
	status_is("kpi.target-only-down-miss", k, 6, KPI_AMBER);
	status_is("kpi.target-only-down-hit", k, 5, KPI_GREEN);
	k = mkkpi(-1, 90, NAN, NAN);
	status_is("kpi.target-only-inferred", k, 89, KPI_AMBER);

	/* Amber and red without a target. */
	k = mkkpi(DIRECTION_DOWN, NAN, 10, 20);
	status_is("kpi.no-target-amber", k, 10, KPI_AMBER);
	status_is("kpi.no-target-red", k, 30, KPI_RED);
	status_is("kpi.no-target-green", k, 1, KPI_GREEN);

	/* Nothing to compare against, or no number. */
	k = mkkpi(DIRECTION_UP, NAN, NAN, NAN);
	status_is("kpi.none", k, 50, KPI_NONE);
	k = mkkpi(-1, NAN, NAN, NAN);
	status_is("kpi.none-inferred", k, 50, KPI_NONE);
	status_is("kpi.nan", up, NAN, KPI_NONE);
}

/* ---- formatting ---- */

static void
format_is(const char *name, enum metric m, double v, int defined,
    const char *want)
{
	struct buf b;

	buf_init(&b, 0);
	metric_format(&b, m, v, defined);
	CHECKF(name, strcmp(b.data, want) == 0, "got '%s', want '%s'",
	    b.data, want);
	buf_release(&b);
}

static void
test_format(void)
{
	format_is("format.rate", M_EXCEPTION_RATE, 0.125, 1, "12.5 %");
	format_is("format.rate-third", M_AUTONOMOUS_RATE, 1.0 / 3, 1,
	    "33.3 %");
	format_is("format.rate-one", M_LOG_COMPLETENESS, 1, 1, "100.0 %");
	format_is("format.rate-zero", M_ERROR_RATE, 0, 1, "0.0 %");
	format_is("format.rate-negative-zero", M_SHADOW_AGREEMENT, -0.0, 1,
	    "0.0 %");
	format_is("format.rate-undefined", M_HUMAN_REVIEW_RATE, 0, 0, "n/a");
	format_is("format.volume", M_VOLUME, 1234567, 1, "1234567");
	format_is("format.volume-zero", M_VOLUME, 0, 1, "0");
	format_is("format.breaches", M_BOUNDARY_BREACHES, 12, 1, "12");
	format_is("format.cycle-small", M_CYCLE_P50, 4.24, 1, "4.2 s");
	format_is("format.cycle-ten", M_CYCLE_P90, 10, 1, "10 s");
	format_is("format.cycle-large", M_CYCLE_P90, 3600.4, 1, "3600 s");
	format_is("format.cycle-zero", M_CYCLE_P50, 0, 1, "0.0 s");
	format_is("format.cycle-undefined", M_CYCLE_P50, 0, 0, "n/a");
	format_is("format.cost", M_COST_PER_CASE, 3.1, 1, "3.10");
	format_is("format.cost-round", M_COST_PER_CASE, 2.005001, 1, "2.01");
	format_is("format.cost-undefined", M_COST_PER_CASE, 0, 0, "n/a");
	format_is("format.nan", M_ESCALATION_RATE, NAN, 1, "n/a");
}

int
main(void)
{
	make_rows();
	test_names();
	test_periods();
	test_values();
	test_sketch();
	test_merge();
	test_series();
	test_msys();
	test_readiness();
	test_kpi();
	test_format();
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
