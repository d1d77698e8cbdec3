/*
 * sample.c - synthetic decision logs (`charter log sample`) for the shipped
 * example, demos and benchmarks.  The rows look like what an agent runtime
 * writes, follow each system's decision table and stage, and are never
 * evidence of anything.
 *
 * Everything is derived from the model and the options: a splitmix64-seeded
 * xoshiro256** generator per system (seed and a hash of the system id), the
 * as-of date for time, no rand(), no clock.  The same model, options and
 * as-of date give byte-identical files.
 *
 * How rows are made.  Each system gets cases per day (business-hours
 * weighted, fewer at weekends; a production system logs every day, with one
 * case before 08:00 and one after, so the log.gap rule stays quiet).  A case
 * is clean (exception NULL) or carries one of the decision table's
 * exceptions.  The agent resolves it only where the table lets it (allowed
 * category, confidence at least min_confidence, amount at most max_amount),
 * otherwise it escalates, and a person approves or rejects in a later row;
 * some cases first ask for information and are decided again later.  Rows
 * of one file are merged in time order through a heap of pending events.
 * In shadow mode each case is one agent row in mode 'shadow': the agent's
 * proposal in `action`, the human's handling in the same vocabulary in
 * `human_action` (auto_resolved: resolved routinely; escalated: needed the
 * escalation path; requested_info), the human in `reviewer`.  A pilot logs
 * a planning batch twice a week; approve-all systems escalate every live
 * case.
 *
 * Planted problems, only with --problems, so a demo has findings to show:
 * the first production system (by id) whose table has both a reserved and
 * a confidence-bounded category gets seven live boundary breaches and an
 * incident about them; the first high-risk system with a log gets one
 * serious incident reported 19 days after it was opened (Art. 73(2) allows
 * 15).  Everything else is clean: no breach, no unknown exception, every
 * Art. 12 field, no gap.
 *
 * Memory does not grow with the number of rows: one event per pending row
 * in the heap, strings built in stack buffers.
 */
#include <sys/stat.h>

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "log.h"
#include "model.h"
#include "sample.h"
#include "util.h"

/* --- random numbers ------------------------------------------------------- */

struct rng {
	uint64_t	 s[4];
};

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z = (*x += 0x9e3779b97f4a7c15ULL);

	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&seed);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

/* xoshiro256** */
static uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s, out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

/* Uniform in [0, 1). */
static double
unif(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

/* Standard normal (Box-Muller, one value per call). */
static double
norm(struct rng *r)
{
	double u1 = ((double)(rng_next(r) >> 11) + 1) * 0x1.0p-53;
	double u2 = unif(r);

	return sqrt(-2 * log(u1)) * cos(6.283185307179586 * u2);
}

static double
lognorm(struct rng *r, double median, double sigma)
{
	return median * exp(sigma * norm(r));
}

static double
clamp(double x, double lo, double hi)
{
	return x < lo ? lo : x > hi ? hi : x;
}

/*
 * Round to a number of decimals.  Dividing by a power of ten gives the
 * double nearest the decimal, so 0.954 is stored as 0.954, not as
 * 0.9540000000000001.
 */
static double
round_dec(double x, int decimals)
{
	static const double p10[] = { 1, 10, 100, 1000, 10000 };

	return floor(x * p10[decimals] + 0.5) / p10[decimals];
}

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* --- time ----------------------------------------------------------------- */

/* Monday 0 .. Sunday 6; day 0 (1970-01-01) was a Thursday. */
static int
weekday(long day)
{
	return (int)(((day % 7) + 7 + 3) % 7);
}

/* Hour-of-day weights: office work, a service desk, round the clock. */
enum profile {
	PROF_OFFICE, PROF_SERVICE, PROF_ROUND, PROF_BATCH, PROF_MAX
};

static const double hour_weights[PROF_MAX][24] = {
	{ 0.2, 0.2, 0.2, 0.2, 0.2, 0.4, 1, 3, 8, 10, 10, 9,
	  6, 8, 9, 8, 6, 3, 1.5, 0.8, 0.5, 0.4, 0.3, 0.2 },
	{ 1, 0.7, 0.5, 0.5, 0.6, 1, 2, 5, 9, 10, 10, 9,
	  8, 9, 9, 8, 7, 6, 5, 4.5, 4, 3, 2, 1.5 },
	{ 5, 5, 4.5, 4.5, 4.5, 5, 6, 8, 9, 9, 9, 9,
	  9, 9, 9, 9, 8, 8, 7, 6.5, 6, 6, 5.5, 5 },
	/* a nightly planning run */
	{ 0, 0, 0, 0, 0, 6, 4, 0, 0, 0, 0, 0,
	  0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 },
};

/*
 * Move a human's action into working hours (Monday to Friday, 07:00 to
 * 19:00 UTC): outside them it happens the next working morning.
 */
static long long
office_hours(struct rng *r, long long ts)
{
	long day = (long)(ts / 86400);
	int sec = (int)(ts % 86400);

	if (weekday(day) < 5 && sec >= 7 * 3600 && sec < 19 * 3600)
		return ts;
	if (sec >= 7 * 3600)
		day++;
	while (weekday(day) >= 5)
		day++;
	return (long long)day * 86400 + 7 * 3600 +
	    (long long)(unif(r) * 3 * 3600);
}

/* --- generators ----------------------------------------------------------- */

enum why {
	WHY_CLEAN, WHY_AUTHORITY, WHY_RESERVED, WHY_CONF, WHY_AMOUNT,
	WHY_UNCLEAR, WHY_APPROVAL, WHY_INFO, WHY_MAX
};

enum next {
	NEXT_NONE, NEXT_HUMAN, NEXT_RETRY
};

/* One decision-table row, prepared. */
struct cat {
	const char	*id;
	double		 cum;		/* cumulative weight for picking */
	int		 allowed;
	double		 min_conf;	/* 0 when unset */
	double		 max_amount;	/* < 0 when unset */
	double		 sla_h;		/* 0 when unset */
	double		 agree;		/* shadow agreement probability */
	const char	**who;		/* reviewer candidates (person ids) */
	size_t		 nwho;
	char		*why[WHY_MAX];
};

struct plant {
	long		 day;
	int		 cat;
	int		 low_conf;
};

#define NPLANT	7

struct gen {
	const struct system *sys;
	const char	*key;		/* log system key */
	char		 prefix[8];	/* case_ref prefix */
	char		*input_pre;	/* "inputs/KEY/" */
	char		*model_version;
	struct rng	 rng;
	struct cat	*cat;
	size_t		 ncat;
	double		 wsum;
	const char	**who;		/* reviewers for clean cases */
	size_t		 nwho;
	int		 stage;
	enum profile	 profile;
	int		 office_humans;	/* humans work office hours */
	int		 approve_all;
	int		 money;		/* an amount on every case */
	double		 amount_median;
	double		 p_exc;
	double		 weekday, weekend;	/* mean cases per day */
	double		 agent_cycle, agent_cost, err;
	double		 q;		/* today's confidence-gap factor */
	long		 start, end;	/* active days [start, end) */
	uint64_t	 casenum;
	uint64_t	 rows, incidents;
	struct plant	 plant[NPLANT];
	int		 nplant;
	int		 late_incident;
};

/* One pending row. */
struct ev {
	long long	 ts;
	uint64_t	 seq;
	uint64_t	 casenum;
	double		 conf, amount, cycle, cost;
	const char	*reviewer;
	int		 gen;
	int		 cat;		/* -1: clean */
	signed char	 actor, action, mode, human_action;
	unsigned char	 next, why, corrected, has_amount;
};

struct heap {
	struct ev	*v;
	size_t		 n, cap;
};

static int
ev_before(const struct ev *a, const struct ev *b)
{
	return a->ts < b->ts || (a->ts == b->ts && a->seq < b->seq);
}

static void
heap_push(struct heap *h, const struct ev *e)
{
	size_t i, p;

	h->v = xgrow(h->v, &h->cap, h->n + 1, sizeof(*h->v));
	i = h->n++;
	while (i > 0) {
		p = (i - 1) / 2;
		if (!ev_before(e, &h->v[p]))
			break;
		h->v[i] = h->v[p];
		i = p;
	}
	h->v[i] = *e;
}

static void
heap_pop(struct heap *h, struct ev *out)
{
	struct ev last;
	size_t i = 0, c;

	*out = h->v[0];
	last = h->v[--h->n];
	for (;;) {
		c = 2 * i + 1;
		if (c >= h->n)
			break;
		if (c + 1 < h->n && ev_before(&h->v[c + 1], &h->v[c]))
			c++;
		if (!ev_before(&h->v[c], &last))
			break;
		h->v[i] = h->v[c];
		i = c;
	}
	if (h->n > 0)
		h->v[i] = last;
}

/* --- people --------------------------------------------------------------- */

/* Append the people behind a party ref to *v; depth bounds owner: refs. */
static void
party_people(const struct model *m, const struct system *sys,
    const char *ref, const char ***v, size_t *n, size_t *cap, int depth)
{
	const struct team *t;
	size_t i;
	int role;

	if (ref == NULL || m->org == NULL || depth > 2)
		return;
	if (strncmp(ref, "owner:", 6) == 0) {
		role = enum_lookup(role_names, ROLE_MAX, ref + 6);
		if (role >= 0)
			party_people(m, sys, sys->owners[role].s, v, n, cap,
			    depth + 1);
		return;
	}
	if (model_person(m, ref) != NULL) {
		*v = xgrow(*v, cap, *n + 1, sizeof(**v));
		(*v)[(*n)++] = model_person(m, ref)->id.s;
		return;
	}
	if ((t = model_team(m, ref)) == NULL)
		return;
	for (i = 0; i < m->org->npeople; i++) {
		if (m->org->people[i].team.s == NULL ||
		    strcmp(m->org->people[i].team.s, ref) != 0)
			continue;
		*v = xgrow(*v, cap, *n + 1, sizeof(**v));
		(*v)[(*n)++] = m->org->people[i].id.s;
	}
	if (*n == 0 && t->lead.s != NULL)
		party_people(m, sys, t->lead.s, v, n, cap, depth + 1);
}

/*
 * The people who may act on a case escalated to ref: ref's people, else
 * the oversight reviewer's, the exception-path owner's, the first person.
 */
static const char **
reviewers(const struct model *m, const struct system *sys, const char *ref,
    size_t *n)
{
	static const char *nobody = "reviewer";
	const char **v = NULL;
	size_t cap = 0;

	*n = 0;
	party_people(m, sys, ref, &v, n, &cap, 0);
	if (*n == 0)
		party_people(m, sys, sys->oversight_reviewer.s, &v, n, &cap, 0);
	if (*n == 0)
		party_people(m, sys, sys->owners[ROLE_EXCEPTION_PATH].s, &v, n,
		    &cap, 0);
	if (*n == 0) {
		v = xgrow(v, &cap, 1, sizeof(*v));
		v[(*n)++] = m->org != NULL && m->org->npeople > 0 ?
		    m->org->people[0].id.s : nobody;
	}
	return v;
}

static const char *
pick_who(struct rng *r, const char **who, size_t n)
{
	return who[(size_t)(unif(r) * (double)n) % n];
}

/* --- setting up a system -------------------------------------------------- */

static int
contains_word(const char *s, const char *w)
{
	size_t i, n = strlen(w);

	for (; s != NULL && *s != '\0'; s++) {
		for (i = 0; i < n; i++) {
			char c = s[i];

			if (c >= 'A' && c <= 'Z')
				c = (char)(c - 'A' + 'a');
			if (c != w[i])
				break;
		}
		if (i == n)
			return 1;
	}
	return 0;
}

/* The latest change in [lo, hi) whose summary mentions word; -1 if none. */
static long
change_day(const struct system *sys, const char *word, long lo, long hi)
{
	long d, best = -1;
	size_t i;

	for (i = 0; i < sys->nchanges; i++) {
		if (sys->changes[i].date.s == NULL ||
		    date_parse(sys->changes[i].date.s, &d) != 0)
			continue;
		if (d >= lo && d < hi && d > best &&
		    contains_word(sys->changes[i].summary.s, word))
			best = d;
	}
	return best;
}

static char *
xprintf(const char *fmt, const char *a)
{
	int n = snprintf(NULL, 0, fmt, a);
	char *s = xmalloc((size_t)n + 1);

	snprintf(s, (size_t)n + 1, fmt, a);
	return s;
}

static void
cat_texts(struct cat *c)
{
	static const char *const fmt[WHY_MAX] = {
		"%s: standard handling",
		"%s: within the decision table's limits; resolved",
		"%s: reserved for people; brief sent for a decision",
		"%s: confidence below the table's minimum; escalated",
		"%s: amount above the table's maximum; escalated",
		"%s: unclear case; escalated",
		"%s: proposal sent for human approval",
		"%s: information missing; requested",
	};
	int i;

	for (i = 0; i < WHY_MAX; i++)
		c->why[i] = xprintf(fmt[i], c->id);
}

static const char *const clean_why[WHY_MAX] = {
	"clean case; standard handling",
	"clean case; resolved",
	"clean case; escalated",
	"clean case; confidence too low; escalated",
	"clean case; escalated",
	"unclear case; escalated",
	"proposal sent for human approval",
	"information missing; requested",
};

/* Mean cases per weekday by function. */
static double
base_volume(int function)
{
	switch (function) {
	case FUNCTION_FINANCE:
		return 150;
	case FUNCTION_SUPPORT:
		return 340;
	case FUNCTION_IT:
		return 300;
	case FUNCTION_HR:
		return 40;
	case FUNCTION_SUPPLY_CHAIN:
		return 70;
	case FUNCTION_PROCUREMENT:
		return 110;
	default:
		return 100;
	}
}

static double
weekend_share(int function)
{
	switch (function) {
	case FUNCTION_SUPPORT:
		return 0.35;
	case FUNCTION_IT:
		return 0.85;
	case FUNCTION_HR:
		return 0.12;
	case FUNCTION_FINANCE:
	case FUNCTION_PROCUREMENT:
		return 0.06;
	default:
		return 0.2;
	}
}

/* Shadow agreement by category rank: some reach 95 %, some do not. */
static const double agree_allowed[4] = { 0.975, 0.925, 0.966, 0.945 };
static const double agree_reserved[4] = { 0.92, 0.962, 0.905, 0.95 };

static void
gen_init(struct gen *g, const struct model *m, const struct system *sys,
    const struct sample_opts *o)
{
	const char *p;
	size_t i, k, nallowed = 0, nreserved = 0;
	double w, mult;
	long lo = m->as_of - o->days, d;
	int fn = sys->function.v;

	memset(g, 0, sizeof(*g));
	g->sys = sys;
	g->key = sys->log_system_key.s != NULL ? sys->log_system_key.s :
	    sys->id.s;
	rng_seed(&g->rng, o->seed ^ hash_str(sys->id.s));
	g->stage = sys->stage.v;

	/* "ap-invoice-agent" gives "AIA". */
	k = 0;
	for (p = g->key; *p != '\0' && k < 6; p++)
		if ((p == g->key || p[-1] == '-' || p[-1] == '_' ||
		    p[-1] == '.') && *p != '-' && *p != '_' && *p != '.') {
			char c = *p;

			g->prefix[k++] = (char)(c >= 'a' && c <= 'z' ?
			    c - 'a' + 'A' : c);
		}
	g->prefix[k] = '\0';
	g->input_pre = xprintf("inputs/%s/", g->key);
	if (sys->model_name.s != NULL && sys->model_version.s != NULL) {
		size_t n = strlen(sys->model_name.s) +
		    strlen(sys->model_version.s) + 2;

		g->model_version = xmalloc(n);
		snprintf(g->model_version, n, "%s@%s", sys->model_name.s,
		    sys->model_version.s);
	} else
		g->model_version = xstrdup(sys->model_version.s != NULL ?
		    sys->model_version.s : sys->model_name.s != NULL ?
		    sys->model_name.s : "1.0");

	/* The table: allowed categories common, reserved ones rarer. */
	g->ncat = sys->ntable;
	g->cat = xcalloc(g->ncat ? g->ncat : 1, sizeof(*g->cat));
	for (i = 0; i < g->ncat; i++) {
		const struct table_row *t = &sys->table[i];
		struct cat *c = &g->cat[i];

		c->id = t->exception.s != NULL ? t->exception.s : "unknown";
		c->allowed = t->ai_may_resolve.set && t->ai_may_resolve.v;
		c->min_conf = t->min_confidence.set ? t->min_confidence.v : 0;
		c->max_amount = t->max_amount.set ? t->max_amount.v : -1;
		c->sla_h = t->sla_hours.set ? t->sla_hours.v : 0;
		if (c->allowed) {
			w = 3.0 / (1 + 0.5 * (double)nallowed);
			c->agree = agree_allowed[nallowed++ % 4];
		} else {
			w = (fn == FUNCTION_HR ? 3.0 : 0.4) /
			    (1 + 0.4 * (double)nreserved);
			c->agree = agree_reserved[nreserved++ % 4];
		}
		if (c->sla_h > 0 && c->sla_h <= 4 && !c->allowed)
			w *= 0.5;
		w *= 0.7 + 0.6 * unif(&g->rng);
		g->wsum += w;
		c->cum = g->wsum;
		c->who = reviewers(m, sys, t->escalate_to.s, &c->nwho);
		cat_texts(c);
	}
	g->who = reviewers(m, sys, sys->oversight_reviewer.s, &g->nwho);

	g->profile = fn == FUNCTION_IT ? PROF_ROUND :
	    fn == FUNCTION_SUPPORT ? PROF_SERVICE : PROF_OFFICE;
	g->office_humans = fn != FUNCTION_IT;
	g->approve_all = sys->oversight_level.v == OVERSIGHT_APPROVE_ALL;
	g->money = fn == FUNCTION_FINANCE || fn == FUNCTION_PROCUREMENT ||
	    fn == FUNCTION_SUPPLY_CHAIN;
	g->amount_median = fn == FUNCTION_SUPPLY_CHAIN ? 9000 : 900;
	g->p_exc = g->ncat == 0 ? 0 : fn == FUNCTION_HR ? 0.5 :
	    0.13 + 0.06 * unif(&g->rng);
	mult = 0.8 + 0.4 * unif(&g->rng);
	g->weekday = base_volume(fn) * mult;
	g->weekend = g->weekday * weekend_share(fn);
	g->err = 0.008 + 0.01 * unif(&g->rng);
	switch (sys->model_type.v) {
	case MODEL_LLM:
		g->agent_cycle = 14;
		g->agent_cost = 0.07;
		break;
	case MODEL_ML:
	case MODEL_RULES:
		g->agent_cycle = 6;
		g->agent_cost = 0.02;
		break;
	default:
		g->agent_cycle = 30;
		g->agent_cost = 0.09;
		break;
	}
	if (sys->model_name.s != NULL &&
	    (contains_word(sys->model_name.s, "mini") ||
	    contains_word(sys->model_name.s, "small")))
		g->agent_cost *= 0.4;

	/* Active days. */
	g->start = lo;
	g->end = m->as_of;
	switch (g->stage) {
	case STAGE_SHADOW:
		if ((d = change_day(sys, "shadow", lo, m->as_of)) > lo)
			g->start = d;
		break;
	case STAGE_PILOT:
		g->profile = PROF_BATCH;
		g->weekday *= 0.6;
		if ((d = change_day(sys, "pilot", lo, m->as_of)) > lo)
			g->start = d;
		break;
	case STAGE_RETIRED:
		d = change_day(sys, "retire", m->as_of - 3660, m->as_of);
		g->end = d > 0 ? d : m->as_of - 60;
		g->start = g->end - o->days;
		break;
	case STAGE_PRODUCTION:
		break;
	default:
		g->end = g->start;
		break;
	}
	g->casenum = 100000 + (hash_str(g->key) % 800000);
	g->q = 1;
}

static void
gen_free(struct gen *g)
{
	size_t i;
	int k;

	for (i = 0; i < g->ncat; i++) {
		free(g->cat[i].who);
		for (k = 0; k < WHY_MAX; k++)
			free(g->cat[i].why[k]);
	}
	free(g->cat);
	free(g->who);
	free(g->input_pre);
	free(g->model_version);
}

/* Mean cases on a day, before noise. */
static double
day_mean(const struct gen *g, long day)
{
	int wd = weekday(day);
	double f = 0.92 + 0.16 * (double)(day - g->start) /
	    (double)(g->end - g->start);

	if (g->profile == PROF_BATCH)
		return (wd == 0 ? g->weekday : wd == 3 ? 0.6 * g->weekday : 0) *
		    f;
	return (wd >= 5 ? g->weekend : g->weekday) * f;
}

/* Rows one case makes on average, roughly. */
static double
rows_per_case(const struct gen *g)
{
	double reserved = 0;
	size_t i;

	if (g->stage == STAGE_SHADOW)
		return 1;
	if (g->approve_all)
		return 2;
	for (i = 0; i < g->ncat; i++)
		if (!g->cat[i].allowed)
			reserved += g->cat[i].cum - (i > 0 ? g->cat[i - 1].cum :
			    0);
	reserved = g->wsum > 0 ? reserved / g->wsum : 0;
	return 1.0 + g->p_exc * (0.3 * (1 - reserved) + 1.1 * reserved);
}

static double
expected_rows(const struct gen *g)
{
	double n = 0, mean;
	long d;

	for (d = g->start; d < g->end; d++) {
		mean = day_mean(g, d);
		if (g->stage == STAGE_PRODUCTION && mean < 2)
			mean = 2;
		n += mean;
	}
	return n * rows_per_case(g);
}

/*
 * Breaches planted in one production system: five live auto_resolved
 * cases on reserved categories over two days (a bad release) and two
 * below min_confidence.
 */
static void
plan_breaches(struct gen *g)
{
	long span = g->end - g->start;
	int r1 = -1, r2 = -1, lc = -1;
	size_t i;

	for (i = 0; i < g->ncat; i++) {
		if (!g->cat[i].allowed) {
			if (r1 < 0)
				r1 = (int)i;
			else if (r2 < 0)
				r2 = (int)i;
		} else if (g->cat[i].min_conf > 0 && lc < 0)
			lc = (int)i;
	}
	if (r2 < 0)
		r2 = r1;
	g->plant[0] = (struct plant){ g->start + span * 79 / 100, r1, 0 };
	g->plant[1] = (struct plant){ g->start + span * 79 / 100, r1, 0 };
	g->plant[2] = (struct plant){ g->start + span * 80 / 100, r1, 0 };
	g->plant[3] = (struct plant){ g->start + span * 80 / 100, r2, 0 };
	g->plant[4] = (struct plant){ g->start + span * 80 / 100, r2, 0 };
	g->plant[5] = (struct plant){ g->start + span * 45 / 100, lc, 1 };
	g->plant[6] = (struct plant){ g->start + span * 88 / 100, lc, 1 };
	g->nplant = NPLANT;
}

static int
can_plant(const struct gen *g)
{
	int reserved = 0, bounded = 0;
	size_t i;

	if (g->stage != STAGE_PRODUCTION || g->approve_all ||
	    g->end - g->start < 10)
		return 0;
	for (i = 0; i < g->ncat; i++) {
		if (!g->cat[i].allowed)
			reserved = 1;
		else if (g->cat[i].min_conf > 0)
			bounded = 1;
	}
	return reserved && bounded;
}

/* --- making cases --------------------------------------------------------- */

/* A case of the day being made, before its time is sorted. */
struct daycase {
	int		 tod;		/* seconds into the day */
	int		 cat;
	int		 planted;	/* 0, 1 reserved, 2 low confidence */
	long		 i;		/* draw order, for a stable sort */
};

struct file {
	const char	*display;	/* root/rel */
	struct gen	*g;
	size_t		 ng;
	struct heap	 heap;
	uint64_t	 seq;
	uint64_t	 rows;
	struct logw	*w;
	const struct sample_opts *o;
	int		 replace;	/* an empty log is there: replace it */
	uint64_t	*total;		/* rows over all files */
	long		 dayp;		/* day of tsp */
	char		 tsp[16];	/* "YYYY-MM-DDT" */
	struct daycase	*dc;		/* one day's cases, reused */
	size_t		 capdc;
};

static double
draw_conf(struct gen *g, const struct cat *c)
{
	double min = c != NULL && c->min_conf > 0 ? c->min_conf : 0.9;
	double g0 = c == NULL ? 0.03 : c->allowed ? (1 - min) * 0.4 : 0.12;

	return round_dec(clamp(1 - g0 * g->q * exp(0.7 * norm(&g->rng)),
	    0.05, 0.999), 3);
}

static double
draw_amount(struct gen *g, const struct cat *c)
{
	double med = g->amount_median;

	if (!g->money && c != NULL && c->max_amount > 0)
		med = c->max_amount * 0.35;
	if (c != NULL && !c->allowed)
		med *= 2;
	return round_dec(clamp(lognorm(&g->rng, med, 0.9), 1, 1e7), 2);
}

static double
agent_cycle(struct gen *g)
{
	return round_dec(clamp(lognorm(&g->rng, g->agent_cycle, 0.6), 1,
	    600), 1);
}

static double
agent_cost(struct gen *g)
{
	return round_dec(clamp(lognorm(&g->rng, g->agent_cost, 0.5), 0.01,
	    0.4), 4);
}

/*
 * What the agent does with a case under its table: resolve, ask for
 * information (not on a retry), or escalate.  Sets e->action and e->why.
 */
static void
decide(struct gen *g, struct ev *e, int live, int retry)
{
	const struct cat *c = e->cat >= 0 ? &g->cat[e->cat] : NULL;
	double u = unif(&g->rng);

	e->action = ACTION_ESCALATED;
	if (live && g->approve_all) {
		e->why = WHY_APPROVAL;
		return;
	}
	if (c == NULL) {
		if (!retry && u < 0.025) {
			e->action = ACTION_REQUESTED_INFO;
			e->why = WHY_INFO;
		} else if (e->conf < 0.8)
			e->why = WHY_UNCLEAR;
		else {
			e->action = ACTION_AUTO_RESOLVED;
			e->why = WHY_CLEAN;
		}
		return;
	}
	if (!retry && u < (c->allowed ? 0.06 : 0.1)) {
		e->action = ACTION_REQUESTED_INFO;
		e->why = WHY_INFO;
	} else if (!c->allowed)
		e->why = WHY_RESERVED;
	else if (c->min_conf > 0 && e->conf < c->min_conf)
		e->why = WHY_CONF;
	else if (c->max_amount >= 0 && e->has_amount &&
	    e->amount > c->max_amount)
		e->why = WHY_AMOUNT;
	else {
		e->action = ACTION_AUTO_RESOLVED;
		e->why = WHY_AUTHORITY;
	}
}

/* A different handling than the agent's, for a shadow disagreement. */
static int
other_action(struct rng *r, int action)
{
	double u = unif(r);

	switch (action) {
	case ACTION_AUTO_RESOLVED:
		return u < 0.7 ? ACTION_ESCALATED : ACTION_REQUESTED_INFO;
	case ACTION_ESCALATED:
		return u < 0.6 ? ACTION_AUTO_RESOLVED : ACTION_REQUESTED_INFO;
	default:
		return u < 0.6 ? ACTION_AUTO_RESOLVED : ACTION_ESCALATED;
	}
}

static int
pick_cat(struct gen *g)
{
	double x;
	size_t i;

	if (g->ncat == 0 || unif(&g->rng) >= g->p_exc)
		return -1;
	x = unif(&g->rng) * g->wsum;
	for (i = 0; i + 1 < g->ncat && x >= g->cat[i].cum; i++)
		;
	return (int)i;
}

/* A new case at ts: its first row. */
static void
new_case(struct file *f, int gi, long long ts, int cat, int planted)
{
	struct gen *g = &f->g[gi];
	struct cat *c;
	struct ev e;
	int shadow = g->stage == STAGE_SHADOW;

	memset(&e, 0, sizeof(e));
	e.ts = ts;
	e.seq = f->seq++;
	e.gen = gi;
	e.casenum = g->casenum++;
	e.cat = cat;
	e.human_action = LOG_NULL;
	e.actor = ACTOR_AGENT;
	e.mode = shadow ? MODE_SHADOW : MODE_LIVE;
	c = cat >= 0 ? &g->cat[cat] : NULL;
	e.conf = draw_conf(g, c);
	if (g->money || (c != NULL && c->max_amount > 0)) {
		e.has_amount = 1;
		e.amount = draw_amount(g, c);
	}
	e.cycle = agent_cycle(g);
	e.cost = agent_cost(g);
	if (planted) {
		/* Outside the table's authority on purpose. */
		e.action = ACTION_AUTO_RESOLVED;
		e.why = WHY_AUTHORITY;
		if (planted == 2) {
			e.conf = round_dec(c->min_conf - 0.02 -
			    0.06 * unif(&g->rng), 3);
			if (e.has_amount && c->max_amount > 0 &&
			    e.amount > c->max_amount)
				e.amount = round_dec(c->max_amount *
				    (0.2 + 0.5 * unif(&g->rng)), 2);
		} else {
			e.conf = round_dec(0.9 + 0.08 * unif(&g->rng), 3);
			e.corrected = 1;
		}
		heap_push(&f->heap, &e);
		return;
	}
	decide(g, &e, !shadow, 0);
	if (shadow) {
		double agree = c != NULL ? c->agree : 0.98;

		e.human_action = (signed char)(unif(&g->rng) < agree ?
		    e.action : other_action(&g->rng, e.action));
		e.reviewer = pick_who(&g->rng, c != NULL ? c->who : g->who,
		    c != NULL ? c->nwho : g->nwho);
	} else if (e.action == ACTION_ESCALATED)
		e.next = NEXT_HUMAN;
	else if (e.action == ACTION_REQUESTED_INFO)
		e.next = NEXT_RETRY;
	e.corrected = unif(&g->rng) < (e.action == ACTION_AUTO_RESOLVED ?
	    1.5 : 0.5) * g->err;
	heap_push(&f->heap, &e);
}

/* Push what follows row e, if it falls before the system's end. */
static void
follow_up(struct file *f, const struct ev *e)
{
	struct gen *g = &f->g[e->gen];
	const struct cat *c = e->cat >= 0 ? &g->cat[e->cat] : NULL;
	struct ev n = *e;
	double med;

	n.seq = f->seq++;
	n.next = NEXT_NONE;
	n.corrected = 0;
	if (e->next == NEXT_HUMAN) {
		med = c != NULL && c->sla_h > 0 ?
		    clamp(0.3 * c->sla_h * 3600, 600, 8 * 3600) : 3 * 3600;
		n.ts = e->ts + (long long)clamp(lognorm(&g->rng, med, 0.9),
		    300, 172800);
		if (g->office_humans)
			n.ts = office_hours(&g->rng, n.ts);
		n.actor = ACTOR_HUMAN;
		n.action = unif(&g->rng) < 0.82 ? ACTION_APPROVED :
		    ACTION_REJECTED;
		n.reviewer = c != NULL ? pick_who(&g->rng, c->who, c->nwho) :
		    pick_who(&g->rng, g->who, g->nwho);
		n.cycle = (double)(n.ts - e->ts);
		n.cost = round_dec(clamp(lognorm(&g->rng, 9, 0.6) * 0.75, 2,
		    25), 2);
		n.corrected = unif(&g->rng) < 0.3 * g->err;
	} else {
		n.ts = e->ts + (long long)clamp(lognorm(&g->rng, 18 * 3600,
		    0.8), 3600, 5 * 86400);
		if (g->office_humans)
			n.ts = office_hours(&g->rng, n.ts);
		n.reviewer = NULL;
		n.conf = draw_conf(g, c);
		n.cycle = agent_cycle(g);
		n.cost = agent_cost(g);
		decide(g, &n, 1, 1);
		if (n.action == ACTION_ESCALATED)
			n.next = NEXT_HUMAN;
		n.corrected = unif(&g->rng) < (n.action ==
		    ACTION_AUTO_RESOLVED ? 1.5 : 0.5) * g->err;
	}
	if (n.ts < (long long)g->end * 86400)
		heap_push(&f->heap, &n);
}

/* Seconds into a day for a case, by the system's hours. */
static int
time_of_day(struct gen *g)
{
	const double *w = hour_weights[g->profile];
	double sum = 0, x;
	int h;

	for (h = 0; h < 24; h++)
		sum += w[h];
	x = unif(&g->rng) * sum;
	for (h = 0; h < 23 && x >= w[h]; h++)
		x -= w[h];
	return h * 3600 + (int)(unif(&g->rng) * 3600);
}

static int
cmp_daycase(const void *pa, const void *pb)
{
	const struct daycase *a = pa, *b = pb;

	if (a->tod != b->tod)
		return a->tod < b->tod ? -1 : 1;
	return a->i < b->i ? -1 : a->i > b->i;
}

/*
 * Every case that opens on day for system gi, numbered in time order as a
 * ticketing system would.
 */
static void
gen_day(struct file *f, int gi, long day)
{
	struct gen *g = &f->g[gi];
	struct daycase *dc;
	long long base = (long long)day * 86400;
	double mean = day_mean(g, day);
	long n, i, nd = 0;
	int k;

	g->q = 1.15 - 0.3 * (double)(day - g->start) /
	    (double)(g->end - g->start);
	n = (long)floor(mean * (1 + 0.12 * norm(&g->rng)) + unif(&g->rng));
	if (n < 0)
		n = 0;
	if (g->stage == STAGE_PRODUCTION && n < 2)
		n = 2;
	f->dc = xgrow(f->dc, &f->capdc, (size_t)n + NPLANT, sizeof(*f->dc));
	for (i = 0; i < n; i++) {
		dc = &f->dc[nd];
		dc->i = nd++;
		/*
		 * A production day opens before 08:00 and has a case after
		 * it, so no two consecutive cases are a day apart.
		 */
		if (g->stage == STAGE_PRODUCTION && i == 0)
			dc->tod = (int)(unif(&g->rng) * 8 * 3600);
		else if (g->stage == STAGE_PRODUCTION && i == 1)
			dc->tod = 8 * 3600 + (int)(unif(&g->rng) * 10 * 3600);
		else
			dc->tod = time_of_day(g);
		dc->cat = pick_cat(g);
		dc->planted = 0;
	}
	for (k = 0; k < g->nplant; k++) {
		if (g->plant[k].day != day || g->plant[k].cat < 0)
			continue;
		dc = &f->dc[nd];
		dc->i = nd++;
		dc->tod = 9 * 3600 + (int)(unif(&g->rng) * 8 * 3600);
		dc->cat = g->plant[k].cat;
		dc->planted = g->plant[k].low_conf ? 2 : 1;
	}
	qsort(f->dc, (size_t)nd, sizeof(*f->dc), cmp_daycase);
	for (i = 0; i < nd; i++)
		new_case(f, gi, base + f->dc[i].tod, f->dc[i].cat,
		    f->dc[i].planted);
}

/* Decimal digits of v at p; returns the end. */
static char *
put_u64(char *p, uint64_t v)
{
	char tmp[24];
	int n = 0;

	do
		tmp[n++] = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	while (n > 0)
		*p++ = tmp[--n];
	return p;
}

static void
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
}

/* Write row e and queue what follows it. */
static int
emit(struct file *f, const struct ev *e)
{
	struct gen *g = &f->g[e->gen];
	const struct cat *c = e->cat >= 0 ? &g->cat[e->cat] : NULL;
	struct log_row r;
	char ts[24], cref[48], iref[256], *p;
	size_t n;
	int y, mo, d, sec;

	memset(&r, 0, sizeof(r));
	r.id = (long long)++f->rows;
	r.day = (long)(e->ts / 86400);
	r.sec = sec = (int)(e->ts % 86400);
	if (r.day != f->dayp) {
		civil_from_days(r.day, &y, &mo, &d);
		snprintf(f->tsp, sizeof(f->tsp), "%04d-%02d-%02dT", y, mo, d);
		f->dayp = r.day;
	}
	memcpy(ts, f->tsp, 11);
	put2(ts + 11, sec / 3600);
	ts[13] = ':';
	put2(ts + 14, sec / 60 % 60);
	ts[16] = ':';
	put2(ts + 17, sec % 60);
	ts[19] = 'Z';
	ts[20] = '\0';
	r.ts = ts;

	n = strlen(g->prefix);
	memcpy(cref, g->prefix, n);
	p = cref + n;
	*p++ = '-';
	memcpy(p, ts, 4);
	p += 4;
	*p++ = '-';
	*put_u64(p, e->casenum) = '\0';
	snprintf(iref, sizeof(iref), "%s%s", g->input_pre, cref);

	r.system = g->key;
	r.case_ref = cref;
	r.input_ref = iref;
	r.exception = c != NULL ? c->id : NULL;
	r.actor = e->actor;
	r.action = e->action;
	r.mode = e->mode;
	r.human_action = e->human_action;
	r.reviewer = e->reviewer;
	r.corrected = e->corrected;
	r.cycle_seconds = e->cycle;
	r.cost = e->cost;
	r.has = COLBIT(COL_CYCLE_SECONDS) | COLBIT(COL_COST);
	if (e->has_amount) {
		r.amount = e->amount;
		r.has |= COLBIT(COL_AMOUNT);
	}
	if (e->actor == ACTOR_AGENT) {
		r.confidence = e->conf;
		r.has |= COLBIT(COL_CONFIDENCE);
		r.model_version = g->model_version;
		r.rationale = c != NULL ? c->why[e->why] : clean_why[e->why];
	} else
		r.rationale = e->action == ACTION_APPROVED ?
		    "approved after review of the agent's brief" :
		    "recommendation rejected after review";
	if (log_write_decision(f->w, &r) != 0)
		return -1;
	g->rows++;
	if (++*f->total % 1000000 == 0 && !f->o->quiet)
		fprintf(stderr, "charter: %llu rows written\n",
		    (unsigned long long)*f->total);
	if (e->next != NEXT_NONE)
		follow_up(f, e);
	return 0;
}

/* --- incidents ------------------------------------------------------------ */

struct inc {
	long		 opened, reported, closed;	/* -1: none */
	int		 severity, serious, category;
	const char	*system;
	char		 summary[240];
};

struct incs {
	struct inc	*v;
	size_t		 n, cap;
};

static struct inc *
inc_new(struct incs *is, const struct gen *g, long opened, int severity,
    long as_of, struct rng *r)
{
	struct inc *x;
	long closed;

	is->v = xgrow(is->v, &is->cap, is->n + 1, sizeof(*is->v));
	x = &is->v[is->n++];
	memset(x, 0, sizeof(*x));
	x->system = g->key;
	x->opened = opened;
	x->reported = -1;
	x->severity = severity;
	x->category = LOG_NULL;
	closed = opened + 1 + (long)(unif(r) * 9);
	x->closed = closed < as_of ? closed : -1;
	return x;
}

/* A few everyday incidents per system, and the planted ones. */
static void
gen_incidents(struct gen *g, struct incs *is, long as_of)
{
	static const char *const tpl[] = {
		"Model endpoint timeouts for %d minutes; cases fell back to "
		"the manual queue",
		"Reviewers reversed %d auto-resolved '%s' cases after a "
		"reference-data change",
		"Decision-log writes delayed by %d hours after a platform "
		"upgrade; no rows lost",
		"'%s' escalations missed their SLA in %d cases after an "
		"upstream format change",
		"Agent briefs quoted the wrong case reference in %d cases; "
		"corrected before use",
	};
	static const int sev[] = { INC_LOW, INC_MEDIUM, INC_LOW, INC_MEDIUM,
	    INC_LOW };
	struct rng *r = &g->rng;
	struct inc *x;
	const char *cid;
	long span = g->end - g->start, day;
	size_t ci, j;
	int n, k, t, num, live;

	if (span <= 0)
		return;
	n = g->stage == STAGE_PRODUCTION ? 2 + (unif(r) < 0.5) :
	    g->stage == STAGE_RETIRED || g->stage == STAGE_PILOT ? 1 :
	    1 + (unif(r) < 0.5);
	for (k = 0; k < n; k++) {
		day = g->start + (long)((double)span * (k + 0.15 + 0.7 *
		    unif(r)) / n);
		t = (int)(unif(r) * (double)ARRAY_SIZE(tpl)) %
		    (int)ARRAY_SIZE(tpl);
		/*
		 * Reversals need a category the agent resolves live, missed
		 * SLAs a live escalation path; else a timeout.
		 */
		live = g->stage == STAGE_PRODUCTION ||
		    g->stage == STAGE_PILOT || g->stage == STAGE_RETIRED;
		ci = g->ncat > 0 ? (size_t)(unif(r) * (double)g->ncat) %
		    g->ncat : 0;
		if (t == 1) {
			for (j = 0; j < g->ncat && !g->cat[(ci + j) %
			    g->ncat].allowed; j++)
				;
			if (j == g->ncat || !live || g->approve_all)
				t = 0;
			else
				ci = (ci + j) % g->ncat;
		}
		if (t == 3 && (g->ncat == 0 || !live))
			t = 0;
		cid = g->ncat > 0 ? g->cat[ci].id : "";
		x = inc_new(is, g, day, sev[t], as_of, r);
		num = 2 + (int)(unif(r) * 40);
		if (t == 1)
			snprintf(x->summary, sizeof(x->summary), tpl[t], num,
			    cid);
		else if (t == 3)
			snprintf(x->summary, sizeof(x->summary), tpl[t], cid,
			    num);
		else
			snprintf(x->summary, sizeof(x->summary), tpl[t],
			    t == 2 ? 1 + num / 10 : num);
	}
	if (g->nplant > 0) {
		x = inc_new(is, g, g->plant[3].day + 1, INC_HIGH, as_of, r);
		snprintf(x->summary, sizeof(x->summary), "A configuration "
		    "release let the agent auto-resolve 5 live cases in "
		    "categories reserved for people ('%s', '%s'); cases "
		    "blocked and the release rolled back",
		    g->cat[g->plant[0].cat].id, g->cat[g->plant[3].cat].id);
	}
	if (g->late_incident) {
		day = as_of - 40 >= g->start ? as_of - 40 : g->start;
		if (day + 19 > as_of - 1)
			day = as_of - 20;
		x = inc_new(is, g, day + 9 < as_of ? day + 9 : day, INC_MEDIUM,
		    as_of, r);
		snprintf(x->summary, sizeof(x->summary), "Quarterly bias "
		    "examination flagged a selection-rate ratio of 0.82 for "
		    "one group; examined, no systematic effect");
		x = inc_new(is, g, day, INC_HIGH, as_of, r);
		x->serious = 1;
		x->category = INC_GENERAL;
		x->reported = day + 19;
		x->closed = day + 26 < as_of ? day + 26 : -1;
		snprintf(x->summary, sizeof(x->summary), "Upstream redaction "
		    "failed for %d cases: personal attributes that must be "
		    "removed reached the model%s", 30 + (int)(unif(r) * 20),
		    g->stage == STAGE_SHADOW ? " (shadow mode, no effect on "
		    "decisions)" : "");
	}
}

static int
cmp_inc(const void *pa, const void *pb)
{
	const struct inc *a = pa, *b = pb;
	int c;

	if (a->opened != b->opened)
		return a->opened < b->opened ? -1 : 1;
	if ((c = strcmp(a->system, b->system)) != 0)
		return c;
	return strcmp(a->summary, b->summary);
}

static int
write_incidents(struct file *f, long as_of, uint64_t *n)
{
	struct incs is;
	struct log_incident li;
	size_t i, k;
	int rc = 0;

	memset(&is, 0, sizeof(is));
	for (i = 0; i < f->ng; i++) {
		k = is.n;
		gen_incidents(&f->g[i], &is, as_of);
		f->g[i].incidents = is.n - k;
	}
	if (is.n > 0)
		qsort(is.v, is.n, sizeof(*is.v), cmp_inc);
	for (i = 0; i < is.n && rc == 0; i++) {
		memset(&li, 0, sizeof(li));
		li.id = (long long)i + 1;
		li.system = is.v[i].system;
		li.opened_day = is.v[i].opened;
		li.reported_day = is.v[i].reported;
		li.closed_day = is.v[i].closed;
		li.severity = is.v[i].severity;
		li.serious = is.v[i].serious;
		li.category = is.v[i].category;
		li.summary = is.v[i].summary;
		rc = log_write_incident(f->w, &li);
	}
	*n = is.n;
	free(is.v);
	return rc;
}

/* --- files ---------------------------------------------------------------- */


/*
 * Check (make 0) or create (make 1) the folders between root and the file
 * path root/rel, refusing symbolic links.  0 or -1 after a message.
 */
static int
parents(const char *path, size_t rootlen, int make)
{
	char *dir = xstrdup(path), *p;
	struct stat st;
	int rc = 0;

	for (p = dir + rootlen + 1; (p = strchr(p, '/')) != NULL; p++) {
		*p = '\0';
		if (lstat(dir, &st) == 0) {
			if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
				fprintf(stderr, "charter: %s: %s\n", dir,
				    S_ISLNK(st.st_mode) ? "is a symbolic "
				    "link; not followed" : "not a folder");
				rc = -1;
				break;
			}
		} else if (errno != ENOENT) {
			fprintf(stderr, "charter: %s: %s\n", dir,
			    strerror(errno));
			rc = -1;
			break;
		} else if (make && mkdir(dir, 0777) != 0) {
			fprintf(stderr, "charter: cannot create '%s': %s\n",
			    dir, strerror(errno));
			rc = -1;
			break;
		} else if (!make)
			break;
		*p = '/';
	}
	free(dir);
	return rc;
}

static int
remove_old(const char *path)
{
	static const char *const side[] = { "", "-journal", "-wal", "-shm" };
	char buf[4096];
	size_t i;

	for (i = 0; i < ARRAY_SIZE(side); i++) {
		snprintf(buf, sizeof(buf), "%s%s", path, side[i]);
		if (unlink(buf) != 0 && errno != ENOENT) {
			fprintf(stderr, "charter: cannot remove '%s': %s\n",
			    buf, strerror(errno));
			return -1;
		}
	}
	return 0;
}

static int
write_file(struct file *f, const struct model *m, size_t rootlen)
{
	struct ev e;
	uint64_t ninc;
	long day, lo = 0, hi = 0;
	size_t i;
	int rc = 0, first = 1;

	if (parents(f->display, rootlen, 1) != 0)
		return -1;
	if ((f->o->force || f->replace) && remove_old(f->display) != 0)
		return -1;
	if ((f->w = log_create(f->display)) == NULL)
		return -1;
	for (i = 0; i < f->ng; i++) {
		if (f->g[i].end <= f->g[i].start)
			continue;
		if (first || f->g[i].start < lo)
			lo = f->g[i].start;
		if (first || f->g[i].end > hi)
			hi = f->g[i].end;
		first = 0;
	}
	f->dayp = -1;
	for (day = lo; day < hi && rc == 0; day++) {
		for (i = 0; i < f->ng; i++)
			if (day >= f->g[i].start && day < f->g[i].end)
				gen_day(f, (int)i, day);
		while (rc == 0 && f->heap.n > 0 &&
		    f->heap.v[0].ts < (long long)(day + 1) * 86400) {
			heap_pop(&f->heap, &e);
			rc = emit(f, &e);
		}
	}
	/* What is still pending happens on or after the as-of date. */
	f->heap.n = 0;
	if (rc == 0)
		rc = write_incidents(f, m->as_of, &ninc);
	if (rc != 0) {
		log_writer_close(f->w, 1);
		return -1;
	}
	if (log_writer_close(f->w, 0) != 0)
		return -1;
	if (!f->o->quiet)
		printf("wrote %s: %llu decisions, %llu incidents\n",
		    f->display, (unsigned long long)f->rows,
		    (unsigned long long)ninc);
	return 0;
}

static int
high_risk(const struct system *s)
{
	return s->eu.present && s->eu.classification.v == EUCLASS_HIGH_RISK;
}

int
sample_write(const struct model *m, const struct sample_opts *o)
{
	struct file *files = NULL;
	struct gen *gens;
	struct stat st;
	const struct system *s;
	size_t i, j, k, nfiles = 0, ngen = 0, rootlen = strlen(m->root);
	uint64_t total = 0;
	double expect = 0, scale;
	int rc = 0, planted = 0, late = 0;

	gens = xcalloc(m->nsystems ? m->nsystems : 1, sizeof(*gens));
	files = xcalloc(m->nsystems ? m->nsystems : 1, sizeof(*files));
	for (i = 0; i < m->nsystems; i++) {
		s = &m->systems[i];
		if (!s->has_log || s->log_database.s == NULL)
			continue;
		if (!rel_path_ok(s->log_database.s)) {
			fprintf(stderr, "charter: %s: log.database '%s' is not "
			    "a relative path inside the content folder\n",
			    s->file, s->log_database.s);
			rc = -1;
			goto out;
		}
		gen_init(&gens[ngen], m, s, o);
		if (o->problems && !planted && can_plant(&gens[ngen])) {
			plan_breaches(&gens[ngen]);
			planted = 1;
		}
		if (o->problems && !late && high_risk(s) && gens[ngen].end >
		    gens[ngen].start) {
			gens[ngen].late_incident = 1;
			late = 1;
		}
		expect += expected_rows(&gens[ngen]);
		ngen++;
	}

	/* Benchmark mode: scale every system's volume to the total asked. */
	if (o->rows > 0 && expect > 0) {
		scale = (double)o->rows / expect;
		for (i = 0; i < ngen; i++) {
			gens[i].weekday *= scale;
			gens[i].weekend *= scale;
		}
	}

	/* One file per database, holding the rows of all its systems. */
	for (i = 0; i < ngen; i++) {
		const char *rel = gens[i].sys->log_database.s;

		for (j = 0; j < nfiles; j++)
			if (strcmp(files[j].display + rootlen + 1, rel) == 0)
				break;
		if (j == nfiles) {
			size_t n = rootlen + strlen(rel) + 2;
			char *path = xmalloc(n);

			snprintf(path, n, "%s/%s", m->root, rel);
			files[nfiles].display = path;
			files[nfiles].g = xcalloc(ngen, sizeof(struct gen));
			files[nfiles].o = o;
			files[nfiles].total = &total;
			nfiles++;
		}
		files[j].g[files[j].ng++] = gens[i];
	}

	/* Read everything, then write: refuse before the first file. */
	for (j = 0; j < nfiles; j++) {
		if (parents(files[j].display, rootlen, 0) != 0) {
			rc = -1;
			goto out;
		}
		if (o->force || lstat(files[j].display, &st) != 0)
			continue;
		/* An empty log (what init made) has nothing to lose. */
		if (log_is_empty(files[j].display)) {
			files[j].replace = 1;
			continue;
		}
		fprintf(stderr, "charter: %s: already exists and is not an "
		    "empty log; use --force to replace it\n",
		    files[j].display);
		rc = -1;
		goto out;
	}
	for (j = 0; j < nfiles && rc == 0; j++)
		rc = write_file(&files[j], m, rootlen);
out:
	for (j = 0; j < nfiles; j++) {
		free((char *)files[j].display);
		free(files[j].g);
		free(files[j].heap.v);
		free(files[j].dc);
	}
	free(files);
	for (k = 0; k < ngen; k++)
		gen_free(&gens[k]);
	free(gens);
	return rc;
}
