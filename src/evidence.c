/*
 * evidence.c - read the decision logs once and turn them into metrics, KPI
 * series, promotion readiness, incident deadlines and log findings.
 *
 * The scan is one callback per decision (on_row): it finds the row's system
 * by its key, its exception category in that system's decision table, and
 * checks the row against the table's authority, Art. 12 completeness and
 * the value rules, then adds it to the accumulators.  Findings are only
 * counted during the scan (with the first few row ids) and emitted after
 * it, one per system, rule and reason: a log with a million bad rows gives
 * a handful of findings that name the rows, not a million lines.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "euaia.h"
#include "evidence.h"
#include "input.h"
#include "log.h"
#include "metrics.h"
#include "model.h"
#include "util.h"

const char *const inc_state_names[INC_STATE_MAX] = {
	"no report required", "reported on time", "reported late",
	"overdue", "due"
};
const char *const inc_state_words[INC_STATE_MAX] = {
	"no report needed", "reported on time", "reported late",
	"overdue", "report due"
};

/* Art. 73 paragraph for each enum inc_category. */
static const char *const inc_article[INC_CATEGORY_MAX] = {
	"Art. 73(2)", "Art. 73(4)", "Art. 73(3)"
};

/* Ten years, the Art. 18 documentation period: older rows count in the
 * totals, not in the period series or the gap rule. */
#define EV_WINDOW_DAYS	3660

enum breach_reason {
	BR_NOT_ALLOWED, BR_CONFIDENCE, BR_AMOUNT, BR_MAX
};

/* The Art. 12 fields a row may lack, for log.incomplete. */
enum art12 {
	A12_TS, A12_CASE_REF, A12_MODEL_VERSION, A12_INPUT_REF, A12_REVIEWER,
	A12_MAX
};

static const char *const art12_names[A12_MAX] = {
	"valid ts", "case_ref", "model_version (agent decisions)",
	"input_ref", "reviewer (human decisions)"
};

/* What a valid value of each decisions column looks like. */
static const char *const col_expect[COL_MAX] = {
	[COL_ID] = "an integer id",
	[COL_TS] = "an ISO 8601 timestamp such as 2026-03-04T09:15:02Z",
	[COL_SYSTEM] = "a system id (text, not NULL)",
	[COL_CASE_REF] = "text",
	[COL_EXCEPTION] = "text",
	[COL_ACTOR] = "'agent' or 'human'",
	[COL_ACTION] = "'auto_resolved', 'escalated', 'requested_info', "
	    "'approved' or 'rejected'",
	[COL_MODE] = "'live' or 'shadow'",
	[COL_CONFIDENCE] = "a number from 0 to 1",
	[COL_AMOUNT] = "a number",
	[COL_MODEL_VERSION] = "text",
	[COL_REVIEWER] = "text",
	[COL_HUMAN_ACTION] = "one of the action values",
	[COL_CORRECTED] = "0 or 1",
	[COL_CYCLE_SECONDS] = "a number of seconds, not negative",
	[COL_COST] = "a number",
	[COL_INPUT_REF] = "text",
	[COL_RATIONALE] = "text",
};

/* Distinct values seen (unknown exceptions, unclaimed system keys). */
#define EV_VALUES	16
#define EV_VALUE_LEN	200

struct valref {
	char		*raw;		/* the first EV_VALUE_LEN bytes */
	struct rowref	 rows;
	uint64_t	 auto_agent;	/* of them, agent auto_resolved */
};

struct values {
	struct valref	 v[EV_VALUES];
	size_t		 n;
	uint64_t	 more;		/* rows with further values */
};

/* First and last decision of one day, for log.gap. */
struct dayspan {
	long		 day;
	int		 min, max;
	long long	 min_id;
};

struct scan_sys {
	struct sys_evidence *ev;
	const struct system *sys;
	const char	*key;
	struct rowref	 invalid[COL_MAX];
	struct rowref	 incomplete[A12_MAX];
	struct rowref	*breach;	/* ntable * BR_MAX */
	struct values	 unknown;
	struct dayspan	*days;
	size_t		 ndays, capdays, lastday;
	size_t		 lastcat;	/* the last row's category */
	int		 shared;	/* another system reads its key */
};

struct scan_db {
	const char	*rel;
	struct logdb	*db;
	int		 opened;	/* open attempted */
	const struct loc *decl;		/* the first YAML naming it */
	struct scan_sys **sys;		/* claiming this file, by key */
	size_t		 nsys;
	struct scan_sys	*cache;		/* the last row's system */
	struct values	 other;		/* keys no system claims */
	struct rowref	 null_system;
	long		 as_of;
	struct arena	*arena;
	const struct evidence_sink *sink;	/* or NULL */
};

static void
rowref_add(struct rowref *r, long long id)
{
	if (r->n < EV_ROWS)
		r->id[r->n] = id;
	r->n++;
}

/* "rows 3, 9, 12 and 41 more" */
static const char *
rows_text(struct arena *a, const struct rowref *r)
{
	struct buf b;
	const char *s;
	size_t i, n = r->n < EV_ROWS ? (size_t)r->n : EV_ROWS;

	buf_init(&b, 0);
	buf_puts(&b, r->n == 1 ? "row " : "rows ");
	for (i = 0; i < n; i++)
		buf_printf(&b, "%s%lld", i == 0 ? "" : i + 1 == r->n ? " and " :
		    ", ", r->id[i]);
	if (r->n > n)
		buf_printf(&b, " and %llu more", (unsigned long long)(r->n - n));
	s = arena_strdup(a, b.data);
	buf_release(&b);
	return s;
}

/*
 * Database text for a message: valid UTF-8 (bad bytes become U+FFFD), at
 * most 80 bytes, "..." when cut.  Terminal escaping happens when printed.
 */
static const char *
clean_text(struct arena *a, const char *s)
{
	struct buf b;
	const char *out;
	size_t len, bad, i = 0;
	int n;
	uint32_t cp;

	buf_init(&b, 0);
	len = strlen(s);
	while (i < len && b.len < 80) {
		if (utf8_valid(s + i, len - i, &bad) == 0)
			bad = len - i;
		if (bad == 0) {
			buf_puts(&b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		/* Copy whole code points up to the next bad byte. */
		while (bad > 0 && b.len < 80) {
			n = utf8_decode((const unsigned char *)s + i, &cp);
			buf_append(&b, s + i, (size_t)n);
			i += (size_t)n;
			bad -= (size_t)n;
		}
	}
	if (i < len)
		buf_puts(&b, "...");
	out = arena_strdup(a, b.data);
	buf_release(&b);
	return out;
}

static void
values_add(struct arena *a, struct values *vs, const char *s, long long id,
    int auto_agent)
{
	struct valref *v;
	size_t i;

	for (i = 0; i < vs->n; i++)
		if (strncmp(vs->v[i].raw, s, EV_VALUE_LEN) == 0)
			break;
	if (i == vs->n) {
		if (vs->n == EV_VALUES) {
			vs->more++;
			return;
		}
		vs->v[vs->n++].raw = arena_strndup(a, s, strnlen(s,
		    EV_VALUE_LEN));
	}
	v = &vs->v[i];
	rowref_add(&v->rows, id);
	v->auto_agent += auto_agent != 0;
}

static struct scan_sys *
find_sys(struct scan_db *s, const char *key)
{
	size_t lo = 0, hi = s->nsys, mid;

	if (s->cache != NULL && strcmp(s->cache->key, key) == 0)
		return s->cache;
	/* The first with the key: of two sharing it, the lower id. */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (strcmp(s->sys[mid]->key, key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == s->nsys || strcmp(s->sys[lo]->key, key) != 0)
		return NULL;
	return s->cache = s->sys[lo];
}

static void
day_span(struct scan_sys *ss, const struct log_row *r)
{
	struct dayspan *d;
	size_t lo, hi, mid;

	if (ss->ndays > 0 && ss->days[ss->lastday].day == r->day)
		d = &ss->days[ss->lastday];
	else {
		lo = 0;
		hi = ss->ndays;
		while (lo < hi) {
			mid = (lo + hi) / 2;
			if (ss->days[mid].day < r->day)
				lo = mid + 1;
			else
				hi = mid;
		}
		if (lo == ss->ndays || ss->days[lo].day != r->day) {
			ss->days = xgrow(ss->days, &ss->capdays, ss->ndays + 1,
			    sizeof(*ss->days));
			memmove(&ss->days[lo + 1], &ss->days[lo],
			    (ss->ndays - lo) * sizeof(*ss->days));
			ss->ndays++;
			d = &ss->days[lo];
			d->day = r->day;
			d->min = d->max = r->sec;
			d->min_id = r->id;
		} else
			d = &ss->days[lo];
		ss->lastday = (size_t)(d - ss->days);
	}
	if (r->sec < d->min) {
		d->min = r->sec;
		d->min_id = r->id;
	}
	if (r->sec > d->max)
		d->max = r->sec;
}

static int
on_row(void *ctx, const struct log_row *r)
{
	struct scan_db *s = ctx;
	const struct table_row *t;
	struct scan_sys *ss;
	unsigned flags = MF_COMPLETE, bad;
	size_t cat, ntable;
	int c, agent_auto, ts_ok, br;

	if (r->system == NULL) {
		rowref_add(&s->null_system, r->id);
		return 0;
	}
	if ((ss = find_sys(s, r->system)) == NULL) {
		values_add(s->arena, &s->other, r->system, r->id, 0);
		return 0;
	}
	if (s->sink != NULL && s->sink->row(s->sink->ctx, ss->sys, r) != 0)
		return 1;
	ts_ok = !(r->bad & COLBIT(COL_TS));
	if (ts_ok && r->day > s->as_of) {
		ss->ev->rows_after_as_of++;
		return 0;
	}
	for (bad = r->bad, c = 0; bad != 0; c++, bad >>= 1) {
		if (!(bad & 1))
			continue;
		rowref_add(&ss->invalid[c], r->id);
	}

	/* The exception category: a row of the table, clean, or unlisted. */
	ntable = ss->sys->ntable;
	if (r->exception == NULL)
		cat = ntable;
	else if (ss->lastcat < ntable &&
	    strcmp(ss->sys->table[ss->lastcat].exception.s, r->exception) == 0)
		cat = ss->lastcat;
	else {
		for (cat = 0; cat < ntable; cat++)
			if (ss->sys->table[cat].exception.s != NULL &&
			    strcmp(ss->sys->table[cat].exception.s,
			    r->exception) == 0)
				break;
		if (cat == ntable)
			cat = ntable + 1;
		else
			ss->lastcat = cat;
	}
	agent_auto = r->actor == ACTOR_AGENT &&
	    r->action == ACTION_AUTO_RESOLVED;
	if (cat == ntable + 1)
		values_add(s->arena, &ss->unknown, r->exception, r->id,
		    agent_auto && r->mode == MODE_LIVE);

	/*
	 * The authority boundary.  It fails closed: a missing confidence or
	 * amount where the table sets a limit is a breach, and a row whose
	 * mode is missing or unknown counts as live.  A shadow row takes no
	 * effect; one that would break a limit that stays after promotion
	 * (min_confidence, max_amount) holds its category back from being
	 * ready to go autonomous.
	 */
	if (agent_auto && cat < ntable) {
		t = &ss->sys->table[cat];
		br = -1;
		if (t->ai_may_resolve.set && !t->ai_may_resolve.v)
			br = BR_NOT_ALLOWED;
		else if (t->min_confidence.set &&
		    (!(r->has & COLBIT(COL_CONFIDENCE)) ||
		    r->confidence < t->min_confidence.v))
			br = BR_CONFIDENCE;
		else if (t->max_amount.set &&
		    (!(r->has & COLBIT(COL_AMOUNT)) ||
		    r->amount > t->max_amount.v))
			br = BR_AMOUNT;
		if (br >= 0 && r->mode != MODE_SHADOW) {
			rowref_add(&ss->breach[cat * BR_MAX + (size_t)br],
			    r->id);
			flags |= MF_BREACH;
		} else if (br > BR_NOT_ALLOWED)
			ss->ev->shadow_breaches[cat]++;
	}

	/* Art. 12: what every row must carry to be traceable. */
	if (!ts_ok) {
		rowref_add(&ss->incomplete[A12_TS], r->id);
		flags &= ~MF_COMPLETE;
	}
	if (r->case_ref == NULL) {
		rowref_add(&ss->incomplete[A12_CASE_REF], r->id);
		flags &= ~MF_COMPLETE;
	}
	if (r->input_ref == NULL) {
		rowref_add(&ss->incomplete[A12_INPUT_REF], r->id);
		flags &= ~MF_COMPLETE;
	}
	if (r->actor == ACTOR_AGENT && r->model_version == NULL) {
		rowref_add(&ss->incomplete[A12_MODEL_VERSION], r->id);
		flags &= ~MF_COMPLETE;
	}
	if (r->actor == ACTOR_HUMAN && r->reviewer == NULL) {
		rowref_add(&ss->incomplete[A12_REVIEWER], r->id);
		flags &= ~MF_COMPLETE;
	}
	/*
	 * Periods (and gaps) cover the last EV_WINDOW_DAYS: a hostile ts a
	 * century back would otherwise cost an accumulator per day.
	 */
	if (ts_ok && r->day < s->as_of - EV_WINDOW_DAYS) {
		flags |= MF_NO_PERIOD;
		ss->ev->rows_before_window++;
	} else if (ts_ok)
		day_span(ss, r);
	msys_add(&ss->ev->m, r, cat, flags);
	return 0;
}

static int
cmp_sys_key(const void *pa, const void *pb)
{
	const struct scan_sys *const *a = pa, *const *b = pb;
	int c = strcmp((*a)->key, (*b)->key);

	return c != 0 ? c : strcmp((*a)->sys->id.s, (*b)->sys->id.s);
}

static int
high_risk(const struct system *sys)
{
	return sys->eu.present &&
	    sys->eu.classification.v == EUCLASS_HIGH_RISK;
}

static const struct loc *
log_decl(const struct system *sys)
{
	return sys->log_database.s != NULL ? &sys->log_database.loc :
	    &sys->log_loc;
}

static const char *
plural(uint64_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/* The hint for a system without rows: the keys the file does hold. */
static const char *
other_keys(struct arena *a, const struct scan_db *s)
{
	struct buf b;
	const char *out;
	size_t i;

	if (s->other.n == 0)
		return "";
	buf_init(&b, 0);
	buf_puts(&b, "; the file holds rows for ");
	for (i = 0; i < s->other.n && i < 3; i++)
		buf_printf(&b, "%s'%s' (%llu)", i ? ", " : "",
		    clean_text(a, s->other.v[i].raw),
		    (unsigned long long)s->other.v[i].rows.n);
	if (s->other.n > 3 || s->other.more)
		buf_puts(&b, " and others");
	buf_puts(&b, "; set log.system_key to the right one");
	out = arena_strdup(a, b.data);
	buf_release(&b);
	return out;
}

/* "3 days 4 hours" */
static void
duration_text(char *out, size_t n, long long sec)
{
	long long d = sec / 86400, h = (sec % 86400) / 3600;

	if (d > 0)
		snprintf(out, n, "%lld day%s %lld hour%s", d, d == 1 ? "" : "s",
		    h, h == 1 ? "" : "s");
	else
		snprintf(out, n, "%lld hour%s", h, h == 1 ? "" : "s");
}

static void
check_gaps(struct diag *d, struct scan_sys *ss, const char *db,
    long long as_of_sec)
{
	const struct system *sys = ss->sys;
	struct sys_evidence *ev = ss->ev;
	enum severity sev = high_risk(sys) ? SEV_ERROR : SEV_WARNING;
	long long from = 0, to = 0, first_id = 0, g, last;
	char dur[64], t1[32], t2[32];
	size_t i;

	if (sys->stage.v != STAGE_PRODUCTION || ss->ndays == 0)
		return;
	for (i = 1; i < ss->ndays; i++) {
		last = (long long)ss->days[i - 1].day * 86400 +
		    ss->days[i - 1].max;
		g = (long long)ss->days[i].day * 86400 + ss->days[i].min -
		    last;
		if (g <= 86400)
			continue;
		if (ev->gaps++ == 0) {
			from = last;
			to = last + g;
			first_id = ss->days[i].min_id;
		}
		if (g > ev->longest_gap)
			ev->longest_gap = g;
	}
	if (ev->gaps > 0) {
		duration_text(dur, sizeof(dur), to - from);
		ts_format(from, t1);
		ts_format(to, t2);
		diag_emit_row(d, R_LOG_GAP, sev, db, "decisions", first_id,
		    &sys->stage.loc, "production system '%s' logged no decision "
		    "for %s, from %s to %s%s", sys->id.s, dur, t1, t2,
		    ev->gaps > 1 ? " (and further gaps over a day)" : "");
	}
	last = (long long)ss->days[ss->ndays - 1].day * 86400 +
	    ss->days[ss->ndays - 1].max;
	if (as_of_sec - last > 86400) {
		ev->gaps++;
		if (as_of_sec - last > ev->longest_gap)
			ev->longest_gap = as_of_sec - last;
		duration_text(dur, sizeof(dur), as_of_sec - last);
		ts_format(last, t1);
		diag_emit_row(d, R_LOG_GAP, sev, db, "decisions", 0,
		    &sys->stage.loc, "production system '%s' has logged no "
		    "decision since %s, %s before the as-of date", sys->id.s,
		    t1, dur);
	}
}

/* Every finding the scan counted for one system. */
static void
emit_system(struct arena *a, struct diag *d, struct scan_db *s,
    struct scan_sys *ss, long long as_of_sec)
{
	static const char *const why[BR_MAX] = {
		"which the decision table reserves for people "
		"(ai_may_resolve: false)",
		"below the table's min_confidence",
		"above the table's max_amount",
	};
	const struct system *sys = ss->sys;
	const char *db = log_path(s->db);
	const struct table_row *t;
	const struct loc *basis;
	const struct rowref *r;
	const char *hint;
	enum severity sev;
	size_t i, k, best;
	int dist, bestd;
	char num[64];

	/* With a shared key, log.shared-key already says where rows went. */
	if (ss->ev->m.total.rows == 0 && !ss->shared &&
	    (sys->stage.v == STAGE_SHADOW ||
	    sys->stage.v == STAGE_PRODUCTION))
		diag_emit_row(d, R_LOG_NO_ROWS, SEV_WARNING, db, "decisions", 0,
		    log_decl(sys), "no decision in the log for system key '%s' "
		    "although '%s' is in %s%s", ss->key, sys->id.s,
		    stage_names[sys->stage.v], other_keys(a, s));

	for (i = 0; i < COL_MAX; i++) {
		r = &ss->invalid[i];
		if (r->n == 0)
			continue;
		diag_emit_row(d, R_LOG_INVALID_VALUE, SEV_ERROR, db,
		    "decisions", r->id[0], log_decl(sys), "%llu %s of '%s' "
		    "%s an invalid %s (expected %s): %s",
		    (unsigned long long)r->n, plural(r->n, "decision",
		    "decisions"), sys->id.s, plural(r->n, "has", "have"),
		    log_col_names[i], col_expect[i], rows_text(a, r));
	}

	for (i = 0; i < ss->unknown.n; i++) {
		const struct valref *v = &ss->unknown.v[i];

		hint = "";
		best = sys->ntable;
		bestd = 3;
		for (k = 0; k < sys->ntable; k++) {
			if (sys->table[k].exception.s == NULL)
				continue;
			dist = edit_distance(v->raw, sys->table[k].exception.s,
			    2);
			if (dist < bestd) {
				bestd = dist;
				best = k;
			}
		}
		if (best < sys->ntable)
			hint = arena_printf(a, " (did you mean '%s'?)",
			    sys->table[best].exception.s);
		num[0] = '\0';
		if (v->auto_agent > 0)
			snprintf(num, sizeof(num), ", %llu auto_resolved live "
			    "by the agent", (unsigned long long)v->auto_agent);
		diag_emit_row(d, R_LOG_UNKNOWN_EXCEPTION, SEV_ERROR, db,
		    "decisions", v->rows.id[0], sys->ntable > 0 ?
		    &sys->table_loc : &sys->loc, "%llu %s of '%s' on "
		    "exception '%s', which its decision table does not list%s"
		    "%s: %s", (unsigned long long)v->rows.n,
		    plural(v->rows.n, "decision", "decisions"), sys->id.s,
		    clean_text(a, v->raw), hint, num, rows_text(a, &v->rows));
	}
	if (ss->unknown.more > 0)
		diag_emit_row(d, R_LOG_UNKNOWN_EXCEPTION, SEV_ERROR, db,
		    "decisions", 0, sys->ntable > 0 ? &sys->table_loc :
		    &sys->loc, "%llu further %s of '%s' on exceptions its "
		    "decision table does not list",
		    (unsigned long long)ss->unknown.more, plural(
		    ss->unknown.more, "decision", "decisions"), sys->id.s);

	for (i = 0; i < sys->ntable; i++) {
		t = &sys->table[i];
		for (k = 0; k < BR_MAX; k++) {
			r = &ss->breach[i * BR_MAX + k];
			if (r->n == 0)
				continue;
			basis = k == BR_NOT_ALLOWED ? &t->ai_may_resolve.loc :
			    k == BR_CONFIDENCE ? &t->min_confidence.loc :
			    &t->max_amount.loc;
			if (k == BR_CONFIDENCE)
				snprintf(num, sizeof(num), " %g",
				    t->min_confidence.v);
			else if (k == BR_AMOUNT)
				snprintf(num, sizeof(num), " %g",
				    t->max_amount.v);
			else
				num[0] = '\0';
			diag_emit_row(d, R_LOG_BOUNDARY_BREACH, SEV_ERROR, db,
			    "decisions", r->id[0], basis, "the agent of '%s' "
			    "auto_resolved %llu live '%s' %s %s%s%s: %s",
			    sys->id.s, (unsigned long long)r->n,
			    t->exception.s, plural(r->n, "case", "cases"),
			    why[k], num, k == BR_NOT_ALLOWED ? "" :
			    " or without one logged", rows_text(a, r));
		}
	}

	sev = high_risk(sys) ? SEV_ERROR : SEV_WARNING;
	for (i = 0; i < A12_MAX; i++) {
		r = &ss->incomplete[i];
		if (r->n == 0)
			continue;
		diag_emit_row(d, R_LOG_INCOMPLETE, sev, db, "decisions",
		    r->id[0], log_decl(sys), "%llu %s of '%s' %s no %s, an "
		    "Art. 12 record-keeping field: %s",
		    (unsigned long long)r->n, plural(r->n, "decision",
		    "decisions"), sys->id.s, plural(r->n, "has", "have"),
		    art12_names[i], rows_text(a, r));
	}
	check_gaps(d, ss, db, as_of_sec);
}

/* --- incidents ------------------------------------------------------------ */

struct inc_ctx {
	struct scan_db		*s;
	const struct model	*m;
	const struct euaia_facts *facts;
	struct diag		*d;
	struct incident		**tmp;	/* per scan_sys, malloc'd */
	size_t			*ntmp, *captmp;
	uint64_t		*ninvalid, *dropped;
};

/* Incidents kept per system; beyond this they are counted only. */
#define EV_INCIDENTS	10000

static int
on_incident(void *ctx, const struct log_incident *li)
{
	struct inc_ctx *c = ctx;
	struct scan_db *s = c->s;
	struct arena *a = s->arena;
	const struct system *sys;
	const struct loc *basis;
	struct scan_sys *ss;
	struct incident x;
	const char *db = log_path(s->db);
	size_t k, col;
	long as_of = s->as_of;
	char due[16], opened[16];
	int cat;

	if (li->system == NULL || (ss = find_sys(s, li->system)) == NULL)
		return 0;
	for (k = 0; k < s->nsys && s->sys[k] != ss; k++)
		;
	sys = ss->sys;
	basis = sys->has_incident_response ? &sys->incident_loc :
	    log_decl(sys);
	if (li->bad != 0 && c->ninvalid[k]++ < EV_ROWS) {
		for (col = 0; col < ICOL_MAX && !(li->bad & COLBIT(col)); col++)
			;
		diag_emit_row(c->d, R_INCIDENT_INVALID, SEV_ERROR, db,
		    "incidents", li->id, basis, "incident %lld of '%s' has an "
		    "invalid %s", li->id, sys->id.s,
		    col < ICOL_MAX ? inc_col_names[col] : "value");
	}
	if (li->opened_day < 0 || li->opened_day > as_of)
		return 0;
	memset(&x, 0, sizeof(x));
	x.id = li->id;
	x.opened = clean_text(a, li->opened);
	x.reported = li->reported ? clean_text(a, li->reported) : NULL;
	x.closed = li->closed ? clean_text(a, li->closed) : NULL;
	x.severity = li->severity_text ? clean_text(a, li->severity_text) : "";
	x.summary = li->summary ? clean_text(a, li->summary) : "";
	/* An unknown category gets the strictest deadline, not the mildest. */
	cat = li->category >= 0 ? li->category : INC_WIDESPREAD;
	x.category = inc_category_names[cat];
	x.serious = li->serious;
	x.deadline = -1;
	x.days_to_report = li->reported_day >= 0 ?
	    li->reported_day - li->opened_day : -1;
	/*
	 * Art. 73 binds providers of high-risk systems (deployers inform
	 * the provider at once, Art. 26(5)): the deadline applies to serious
	 * incidents of high-risk systems in an EU organisation.
	 */
	if (!li->serious || !high_risk(sys) || c->m->org == NULL ||
	    !c->m->org->eu)
		x.state = INC_NOT_SERIOUS;
	else {
		x.deadline_days = (int)c->facts->incident_days[cat];
		x.deadline = li->opened_day + x.deadline_days;
		if (li->reported_day >= 0 && li->reported_day <= as_of)
			x.state = li->reported_day <= x.deadline ?
			    INC_ON_TIME : INC_LATE;
		else
			x.state = as_of > x.deadline ? INC_OVERDUE : INC_DUE;
	}
	date_format(x.deadline, due);
	date_format(li->opened_day, opened);
	if (x.state == INC_LATE)
		diag_emit_row(c->d, R_INCIDENT_LATE_REPORT, SEV_ERROR, db,
		    "incidents", li->id, basis, "serious incident %lld of '%s' "
		    "(opened %s) was reported %ld days later; %s allows %d",
		    li->id, sys->id.s, opened, x.days_to_report,
		    inc_article[cat], x.deadline_days);
	else if (x.state == INC_OVERDUE)
		diag_emit_row(c->d, R_INCIDENT_LATE_REPORT, SEV_ERROR, db,
		    "incidents", li->id, basis, "serious incident %lld of '%s' "
		    "(opened %s) is not reported; %s required a report by %s",
		    li->id, sys->id.s, opened, inc_article[cat], due);
	else if (x.state == INC_DUE)
		diag_emit_row(c->d, R_INCIDENT_REPORT_DUE, SEV_NOTE, db,
		    "incidents", li->id, basis, "serious incident %lld of '%s' "
		    "(opened %s) must be reported by %s (%s, %ld days left)",
		    li->id, sys->id.s, opened, due, inc_article[cat],
		    x.deadline - as_of);
	/* Every incident is judged; only the first EV_INCIDENTS are kept. */
	if (c->ntmp[k] >= EV_INCIDENTS) {
		c->dropped[k]++;
		return 0;
	}
	c->tmp[k] = xgrow(c->tmp[k], &c->captmp[k], c->ntmp[k] + 1,
	    sizeof(**c->tmp));
	c->tmp[k][c->ntmp[k]++] = x;
	return 0;
}

static void
scan_incidents(struct scan_db *s, const struct model *m,
    const struct euaia_facts *facts, struct diag *d)
{
	struct inc_ctx c;
	size_t i;

	if (!log_has_incidents(s->db) || s->nsys == 0)
		return;
	memset(&c, 0, sizeof(c));
	c.s = s;
	c.m = m;
	c.facts = facts;
	c.d = d;
	c.tmp = xcalloc(s->nsys, sizeof(*c.tmp));
	c.ntmp = xcalloc(s->nsys, sizeof(*c.ntmp));
	c.captmp = xcalloc(s->nsys, sizeof(*c.captmp));
	c.ninvalid = xcalloc(s->nsys, sizeof(*c.ninvalid));
	c.dropped = xcalloc(s->nsys, sizeof(*c.dropped));
	log_scan_incidents(s->db, on_incident, &c);
	for (i = 0; i < s->nsys; i++) {
		const struct system *sys = s->sys[i]->sys;

		if (c.ninvalid[i] > EV_ROWS)
			diag_emit_row(d, R_INCIDENT_INVALID, SEV_ERROR,
			    log_path(s->db), "incidents", 0,
			    log_decl(sys), "%llu further incidents of '%s' "
			    "have invalid values",
			    (unsigned long long)(c.ninvalid[i] - EV_ROWS),
			    sys->id.s);
		s->sys[i]->ev->incidents_not_kept = c.dropped[i];
		if (c.ntmp[i] > 0) {
			s->sys[i]->ev->inc = arena_alloc(s->arena,
			    c.ntmp[i] * sizeof(struct incident));
			memcpy(s->sys[i]->ev->inc, c.tmp[i],
			    c.ntmp[i] * sizeof(struct incident));
			s->sys[i]->ev->ninc = c.ntmp[i];
		}
		free(c.tmp[i]);
	}
	free(c.tmp);
	free(c.ntmp);
	free(c.captmp);
	free(c.ninvalid);
	free(c.dropped);
}

/* --- KPI series ----------------------------------------------------------- */

struct points {
	struct kpi_point *v;
	size_t		  n, cap, max;
	struct arena	*arena;
};

static void
on_point(void *ctx, const char *period, double value)
{
	struct points *p = ctx;

	if (p->n >= p->max)
		return;
	p->v = xgrow(p->v, &p->cap, p->n + 1, sizeof(*p->v));
	p->v[p->n].period = clean_text(p->arena, period);
	p->v[p->n++].value = value;
}

/*
 * Points in period order (the text sorts: 2026-03 before 2026-10, 2026-W09
 * before 2026-W10), a period given twice keeping its last value, so the
 * latest value never depends on the order a query or a YAML list chose.
 */
struct ipoint {
	struct kpi_point p;
	size_t		 seq;
};

static int
cmp_ipoint(const void *pa, const void *pb)
{
	const struct ipoint *a = pa, *b = pb;
	int c = strcmp(a->p.period, b->p.period);

	if (c != 0)
		return c;
	return a->seq < b->seq ? -1 : a->seq > b->seq;
}

static size_t
sort_points(struct kpi_point *v, size_t n)
{
	struct ipoint *t;
	size_t i, out = 0;

	if (n < 2)
		return n;
	t = xcalloc(n, sizeof(*t));
	for (i = 0; i < n; i++) {
		t[i].p = v[i];
		t[i].seq = i;
	}
	qsort(t, n, sizeof(*t), cmp_ipoint);
	for (i = 0; i < n; i++) {
		if (out > 0 && strcmp(v[out - 1].period, t[i].p.period) == 0)
			out--;
		v[out++] = t[i].p;
	}
	free(t);
	return out;
}

static void
kpi_series_build(struct arena *a, struct diag *d, struct sys_evidence *ev,
    struct logdb *db, size_t ki)
{
	const struct system *sys = ev->sys;
	const struct kpi *k = &sys->kpis[ki];
	struct kpi_series *ks = &ev->kpis[ki];
	const struct mseries *ms;
	struct points p;
	char label[11];
	double v;
	size_t i;
	int def, metric;

	ks->kpi = k;
	memset(&p, 0, sizeof(p));
	p.arena = a;
	p.max = 100000;
	if (k->has_values) {
		ks->v = arena_alloc(a, k->nvalues * sizeof(*ks->v));
		for (i = 0; i < k->nvalues; i++) {
			ks->v[i].period = k->values[i].period.s;
			ks->v[i].value = k->values[i].value.v;
		}
		ks->n = k->nvalues;
	} else if (k->metric.s != NULL || k->sql.s != NULL) {
		if (sys->log_database.s == NULL) {
			diag_emit(d, R_KPI_NO_LOG, &k->loc, "KPI '%s' of '%s' "
			    "takes its values from the decision log, but the "
			    "system has no log.database", k->id.s, sys->id.s);
			return;
		}
		if (db == NULL || !ev->read)
			return;
		if (k->sql.s != NULL)
			log_query_series(db, k->sql.s, &k->loc, on_point, &p);
		else {
			metric = enum_lookup(metric_names, M_MAX, k->metric.s);
			if (metric < 0)
				BUG("a KPI metric the schema let through");
			ms = &ev->m.by[k->period.v];
			for (i = 0; i < ms->n; i++) {
				v = macc_value(&ms->acc[i], (enum metric)metric,
				    &def);
				if (!def)
					continue;
				period_label((enum period)k->period.v,
				    ms->key[i], label);
				on_point(&p, label, v);
			}
		}
		if (p.n > 0) {
			ks->v = arena_alloc(a, p.n * sizeof(*ks->v));
			memcpy(ks->v, p.v, p.n * sizeof(*ks->v));
			ks->n = p.n;
		}
		free(p.v);
	}
	ks->n = sort_points(ks->v, ks->n);
	if (ks->n > 0) {
		ks->has_latest = 1;
		ks->latest = ks->v[ks->n - 1].value;
		ks->status = kpi_status(k, ks->latest);
	}
}

/* --- the whole run -------------------------------------------------------- */

static struct scan_db *
db_for(struct scan_db *dbs, size_t n, const char *rel)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strcmp(dbs[i].rel, rel) == 0)
			return &dbs[i];
	return NULL;
}

static int
cmp_db(const void *pa, const void *pb)
{
	const struct scan_db *a = pa, *b = pb;

	return strcmp(a->rel, b->rel);
}

void
evidence_build(struct log_evidence *e, struct arena *a, struct diag *d,
    const struct model *m, const struct euaia_facts *facts,
    const struct log_limits *lim, int read_logs,
    const struct evidence_sink *sink)
{
	struct scan_sys *ss, *sss;
	struct scan_db *dbs = NULL, *s;
	struct sys_evidence *ev;
	const struct system *sys;
	const struct contract *c;
	size_t i, j, ndbs = 0, capdbs = 0;

	memset(e, 0, sizeof(*e));
	e->n = m->nsystems;
	e->v = arena_alloc(a, (e->n ? e->n : 1) * sizeof(*e->v));
	e->as_of_sec = (long long)m->as_of * 86400;
	e->min_agreement = 0.95;
	e->min_cases = 200;
	if (m->org != NULL) {
		e->min_agreement = m->org->shadow_min_agreement.v;
		e->min_cases = (uint64_t)m->org->shadow_min_cases.v;
	}
	sss = xcalloc(e->n ? e->n : 1, sizeof(*sss));

	/* Every database named, by a log or by a data contract. */
	for (i = 0; i < m->nsystems; i++) {
		sys = &m->systems[i];
		ev = &e->v[i];
		ev->sys = sys;
		msys_init(&ev->m, sys->ntable);
		ev->kpis = arena_alloc(a, (sys->nkpis ? sys->nkpis : 1) *
		    sizeof(*ev->kpis));
		ev->ready = arena_alloc(a, ev->m.ncat * sizeof(*ev->ready));
		ev->shadow_breaches = arena_alloc(a, ev->m.ncat *
		    sizeof(*ev->shadow_breaches));
		ss = &sss[i];
		ss->ev = ev;
		ss->sys = sys;
		ss->key = sys->log_system_key.s != NULL ?
		    sys->log_system_key.s : sys->id.s;
		ss->breach = xcalloc(sys->ntable * BR_MAX + 1,
		    sizeof(*ss->breach));
		for (j = 0; j <= sys->ndata; j++) {
			const char *rel;
			const struct loc *decl;

			if (j == sys->ndata) {
				rel = sys->log_database.s;
				decl = log_decl(sys);
			} else if ((c = sys->data[j].contract) != NULL) {
				rel = c->database.s != NULL ? c->database.s :
				    sys->log_database.s;
				decl = c->database.s != NULL ?
				    &c->database.loc : &c->loc;
			} else
				continue;
			if (rel == NULL || db_for(dbs, ndbs, rel) != NULL)
				continue;
			dbs = xgrow(dbs, &capdbs, ndbs + 1, sizeof(*dbs));
			memset(&dbs[ndbs], 0, sizeof(*dbs));
			dbs[ndbs].rel = rel;
			dbs[ndbs].decl = decl;
			dbs[ndbs].as_of = m->as_of;
			dbs[ndbs].arena = a;
			dbs[ndbs].sink = sink;
			ndbs++;
		}
		if (sys->log_database.s != NULL)
			ev->db = input_display(a, m->root,
			    sys->log_database.s);
	}
	if (ndbs > 1)
		qsort(dbs, ndbs, sizeof(*dbs), cmp_db);
	for (i = 0; i < m->nsystems; i++) {
		sys = &m->systems[i];
		if (sys->log_database.s == NULL)
			continue;
		s = db_for(dbs, ndbs, sys->log_database.s);
		s->sys = xrealloc(s->sys, (s->nsys + 1) * sizeof(*s->sys));
		s->sys[s->nsys++] = &sss[i];
	}

	for (i = 0; read_logs && i < ndbs; i++) {
		s = &dbs[i];
		s->opened = 1;
		s->db = log_open(a, d, m->root, s->rel, s->decl, lim,
		    s->nsys == 0 ? LOG_OPEN_DATA : 0);
		if (s->db == NULL || s->nsys == 0)
			continue;
		qsort(s->sys, s->nsys, sizeof(*s->sys), cmp_sys_key);
		/* Two systems claiming one key cannot both have its rows. */
		for (j = 1; j < s->nsys; j++) {
			if (strcmp(s->sys[j - 1]->key, s->sys[j]->key) != 0)
				continue;
			s->sys[j - 1]->shared = s->sys[j]->shared = 1;
			diag_emit_row(d, R_LOG_SHARED_KEY, SEV_ERROR,
			    log_path(s->db), "decisions", 0,
			    log_decl(s->sys[j]->sys), "systems '%s' and '%s' "
			    "both read the rows of key '%s'; give one a "
			    "log.system_key of its own", s->sys[j - 1]->sys->id.s,
			    s->sys[j]->sys->id.s, s->sys[j]->key);
		}
		if ((sink != NULL ? log_scan_all(s->db, on_row, s) :
		    log_scan_decisions(s->db, on_row, s)) != 0)
			continue;
		if (s->null_system.n > 0)
			diag_emit_row(d, R_LOG_INVALID_VALUE, SEV_ERROR,
			    log_path(s->db), "decisions", s->null_system.id[0],
			    s->decl, "%llu %s no system: %s",
			    (unsigned long long)s->null_system.n,
			    plural(s->null_system.n, "decision has",
			    "decisions have"), rows_text(a, &s->null_system));
		for (j = 0; j < s->nsys; j++) {
			s->sys[j]->ev->read = 1;
			emit_system(a, d, s, s->sys[j], e->as_of_sec);
		}
		scan_incidents(s, m, facts, d);
	}

	for (i = 0; i < m->nsystems; i++) {
		sys = &m->systems[i];
		ev = &e->v[i];
		s = sys->log_database.s != NULL ? db_for(dbs, ndbs,
		    sys->log_database.s) : NULL;
		for (j = 0; j < sys->nkpis; j++)
			kpi_series_build(a, d, ev, s != NULL ? s->db : NULL, j);
		for (j = 0; j < ev->m.ncat; j++) {
			readiness_eval(&ev->m.cat[j], e->min_agreement,
			    e->min_cases, &ev->ready[j]);
			if (ev->shadow_breaches[j] > 0)
				ev->ready[j].ready = 0;
		}
		for (j = 0; read_logs && j < sys->ndata; j++) {
			if ((c = sys->data[j].contract) == NULL)
				continue;
			s = db_for(dbs, ndbs, c->database.s != NULL ?
			    c->database.s : sys->log_database.s != NULL ?
			    sys->log_database.s : "");
			if (s == NULL) {
				diag_emit(d, R_CONTRACT_SCHEMA, &c->loc,
				    "the data contract of '%s' names no "
				    "database and the system has no "
				    "log.database", sys->data[j].id.s);
				continue;
			}
			if (s->db != NULL)
				log_check_contract(s->db, c, e->as_of_sec);
		}
	}

	for (i = 0; i < ndbs; i++) {
		if (dbs[i].db != NULL)
			log_close(dbs[i].db);
		free(dbs[i].sys);
	}
	for (i = 0; i < m->nsystems; i++) {
		free(sss[i].breach);
		free(sss[i].days);
	}
	free(sss);
	free(dbs);
}

void
evidence_free(struct log_evidence *e)
{
	size_t i;

	for (i = 0; i < e->n; i++)
		msys_free(&e->v[i].m);
	e->n = 0;
}

/* --- charter metrics -------------------------------------------------------- */

static const char *
cat_name(const struct system *sys, size_t i)
{
	if (i < sys->ntable)
		return sys->table[i].exception.s;
	return i == sys->ntable ? "(no exception)" : "(not in the table)";
}

static void
text_metrics_row(struct buf *b, const char *label, const struct macc *acc,
    const enum metric *cols, size_t ncols)
{
	struct buf cell;
	double v;
	size_t i;
	int def;

	buf_printf(b, "  %-26s", label);
	for (i = 0; i < ncols; i++) {
		buf_init(&cell, 0);
		v = macc_value(acc, cols[i], &def);
		metric_format(&cell, cols[i], v, def);
		buf_printf(b, " %12s", cell.data);
		buf_release(&cell);
	}
	buf_putc(b, '\n');
}

/* Column heads of the text tables, by enum metric. */
static const char *const metric_heads[M_MAX] = {
	"live", "exceptions", "autonomous", "escalated", "info asked",
	"reviewed", "shadow agree", "corrected", "cycle p50", "cycle p90",
	"cost/case", "breaches", "complete"
};

static void
text_header(struct buf *b, const char *first, const enum metric *cols,
    size_t ncols)
{
	size_t i;

	buf_printf(b, "  %-26s", first);
	for (i = 0; i < ncols; i++)
		buf_printf(b, " %12s", metric_heads[cols[i]]);
	buf_putc(b, '\n');
}

void
evidence_print_text(const struct log_evidence *e, const struct model *m,
    const char *id, enum period per, struct buf *b)
{
	static const enum metric cols[] = {
		M_VOLUME, M_EXCEPTION_RATE, M_AUTONOMOUS_RATE,
		M_ESCALATION_RATE, M_ERROR_RATE, M_CYCLE_P50,
		M_BOUNDARY_BREACHES, M_LOG_COMPLETENESS
	};
	const struct sys_evidence *ev;
	const struct system *sys;
	const struct readiness *rd;
	const struct kpi_series *ks;
	struct buf cell;
	char label[11], t1[32], t2[32];
	size_t i, j, k, shown = 0;
	double v;
	int def;

	for (i = 0; i < e->n; i++) {
		ev = &e->v[i];
		sys = ev->sys;
		if (id != NULL && strcmp(sys->id.s, id) != 0)
			continue;
		buf_printf(b, "%s%s (%s)\n", shown++ ? "\n" : "", sys->id.s,
		    sys->stage.v >= 0 ? stage_names[sys->stage.v] : "?");
		if (ev->db == NULL) {
			buf_puts(b, "  no decision log\n");
		} else if (!ev->read) {
			buf_printf(b, "  log %s could not be read\n", ev->db);
		} else {
			buf_printf(b, "  log %s: %llu decisions (%llu live, "
			    "%llu shadow)", ev->db,
			    (unsigned long long)ev->m.total.rows,
			    (unsigned long long)ev->m.total.live,
			    (unsigned long long)ev->m.total.shadow);
			if (ev->m.total.rows > 0 && ev->m.first != 0) {
				ts_format(ev->m.first, t1);
				ts_format(ev->m.last, t2);
				buf_printf(b, ", %s to %s", t1, t2);
			}
			buf_putc(b, '\n');
			if (ev->rows_after_as_of > 0)
				buf_printf(b, "  %llu decisions after the as-of "
				    "date not counted\n",
				    (unsigned long long)ev->rows_after_as_of);
			buf_puts(b, "\n");
			for (j = 0; j < M_MAX; j++) {
				buf_init(&cell, 0);
				v = macc_value(&ev->m.total, (enum metric)j,
				    &def);
				metric_format(&cell, (enum metric)j, v, def);
				buf_printf(b, "  %-20s %s\n", metric_names[j],
				    cell.data);
				buf_release(&cell);
			}
			buf_puts(b, "\n");
			text_header(b, "exception category", cols,
			    ARRAY_SIZE(cols));
			for (j = 0; j < ev->m.ncat; j++)
				if (ev->m.cat[j].rows > 0 || j < sys->ntable)
					text_metrics_row(b, cat_name(sys, j),
					    &ev->m.cat[j], cols,
					    ARRAY_SIZE(cols));
			if (ev->m.total.shadow > 0) {
				buf_printf(b, "\n  shadow mode (ready at %.1f %% "
				    "agreement over %llu cases)\n",
				    e->min_agreement * 100,
				    (unsigned long long)e->min_cases);
				for (j = 0; j < ev->m.ncat; j++) {
					rd = &ev->ready[j];
					if (rd->compared == 0)
						continue;
					buf_printf(b, "  %-26s %6llu of %6llu "
					    "agree (%.1f %%)  ", cat_name(sys, j),
					    (unsigned long long)rd->agreed,
					    (unsigned long long)rd->compared,
					    rd->agreement * 100);
					if (rd->ready)
						buf_puts(b, "ready to go "
						    "autonomous\n");
					else if (ev->shadow_breaches[j] > 0)
						buf_printf(b, "not ready: %llu "
						    "would break the table's "
						    "limits\n", (unsigned long
						    long)ev->shadow_breaches[j]);
					else if (rd->compared < e->min_cases)
						buf_printf(b, "not ready: %llu "
						    "cases short\n",
						    (unsigned long long)
						    (e->min_cases -
						    rd->compared));
					else
						buf_puts(b, "not ready: "
						    "agreement too low\n");
				}
			}
			buf_printf(b, "\n");
			text_header(b, period_names[per], cols,
			    ARRAY_SIZE(cols));
			for (j = 0; j < ev->m.by[per].n; j++) {
				period_label(per, ev->m.by[per].key[j], label);
				text_metrics_row(b, label,
				    &ev->m.by[per].acc[j], cols,
				    ARRAY_SIZE(cols));
			}
		}
		if (sys->nkpis > 0)
			buf_puts(b, "\n  KPIs\n");
		for (j = 0; j < sys->nkpis; j++) {
			ks = &ev->kpis[j];
			buf_printf(b, "  %-26s", sys->kpis[j].id.s);
			if (ks->has_latest)
				buf_printf(b, " %12.4g  %-5s  %s (%zu points)\n",
				    ks->latest, kpi_status_names[ks->status],
				    ks->v[ks->n - 1].period, ks->n);
			else
				buf_puts(b, "          n/a\n");
		}
		if (ev->ninc > 0)
			buf_puts(b, "\n  incidents\n");
		for (k = 0; k < ev->ninc; k++)
			buf_printf(b, "  %-6lld %-10s %-8s %s%s\n",
			    ev->inc[k].id, ev->inc[k].opened,
			    ev->inc[k].severity, ev->inc[k].serious ?
			    "serious, " : "", inc_state_names[ev->inc[k].state]);
	}
	(void)m;
}

static void
json_num(struct buf *b, double v, int defined)
{
	if (!defined || !isfinite(v))
		buf_puts(b, "null");
	else if (v == floor(v) && fabs(v) < 1e15)
		buf_printf(b, "%.0f", v);
	else
		buf_printf(b, "%.10g", v);
}

static void
json_metrics(struct buf *b, const struct macc *acc)
{
	double v;
	size_t i;
	int def;

	buf_putc(b, '{');
	for (i = 0; i < M_MAX; i++) {
		buf_printf(b, "%s\"%s\": ", i ? ", " : "", metric_names[i]);
		v = macc_value(acc, (enum metric)i, &def);
		json_num(b, v, def);
	}
	buf_putc(b, '}');
}

void
evidence_print_json(const struct log_evidence *e, const struct model *m,
    const char *id, struct buf *b)
{
	const struct sys_evidence *ev;
	const struct system *sys;
	const struct incident *x;
	const struct kpi_series *ks;
	const struct kpi *k;
	char label[11], t[32];
	size_t i, j, p, shown = 0;

	buf_puts(b, "{\n  \"tool\": \"charter\",\n  \"version\": ");
	buf_json_str(b, CHARTER_VERSION);
	buf_puts(b, ",\n  \"as_of\": ");
	buf_json_str(b, m->as_of_text);
	buf_printf(b, ",\n  \"shadow\": {\"min_agreement\": ");
	json_num(b, e->min_agreement, 1);
	buf_printf(b, ", \"min_cases\": %llu},\n  \"systems\": [",
	    (unsigned long long)e->min_cases);
	for (i = 0; i < e->n; i++) {
		ev = &e->v[i];
		sys = ev->sys;
		if (id != NULL && strcmp(sys->id.s, id) != 0)
			continue;
		buf_puts(b, shown++ ? ",\n    {" : "\n    {");
		buf_puts(b, "\"id\": ");
		buf_json_str(b, sys->id.s);
		buf_puts(b, ", \"database\": ");
		if (ev->db != NULL)
			buf_json_str(b, ev->db);
		else
			buf_puts(b, "null");
		buf_printf(b, ", \"read\": %s, \"decisions\": %llu, "
		    "\"live\": %llu, \"shadow\": %llu, "
		    "\"after_as_of\": %llu, \"first\": ", ev->read ? "true" :
		    "false", (unsigned long long)ev->m.total.rows,
		    (unsigned long long)ev->m.total.live,
		    (unsigned long long)ev->m.total.shadow,
		    (unsigned long long)ev->rows_after_as_of);
		if (ev->m.total.rows > 0 && ev->m.first != 0) {
			ts_format(ev->m.first, t);
			buf_json_str(b, t);
			buf_puts(b, ", \"last\": ");
			ts_format(ev->m.last, t);
			buf_json_str(b, t);
		} else
			buf_puts(b, "null, \"last\": null");
		buf_printf(b, ", \"gaps\": %llu, \"longest_gap_seconds\": %lld",
		    (unsigned long long)ev->gaps, ev->longest_gap);
		buf_puts(b, ",\n     \"metrics\": ");
		json_metrics(b, &ev->m.total);
		buf_puts(b, ",\n     \"categories\": [");
		for (j = 0; j < ev->m.ncat; j++) {
			buf_puts(b, j ? ",\n       {" : "\n       {");
			buf_puts(b, "\"exception\": ");
			if (j < sys->ntable)
				buf_json_str(b, sys->table[j].exception.s);
			else
				buf_puts(b, j == sys->ntable ? "null" :
				    "\"*\"");
			buf_printf(b, ", \"decisions\": %llu, \"shadow\": "
			    "{\"compared\": %llu, \"agreed\": %llu, "
			    "\"would_break_limits\": %llu, \"ready\": %s}, "
			    "\"metrics\": ",
			    (unsigned long long)ev->m.cat[j].rows,
			    (unsigned long long)ev->ready[j].compared,
			    (unsigned long long)ev->ready[j].agreed,
			    (unsigned long long)ev->shadow_breaches[j],
			    ev->ready[j].ready ? "true" : "false");
			json_metrics(b, &ev->m.cat[j]);
			buf_putc(b, '}');
		}
		buf_puts(b, "],\n     \"periods\": {");
		for (p = 0; p < PERIOD_MAX; p++) {
			buf_printf(b, "%s\n       \"%s\": [", p ? "," : "",
			    period_names[p]);
			for (j = 0; j < ev->m.by[p].n; j++) {
				period_label((enum period)p, ev->m.by[p].key[j],
				    label);
				buf_printf(b, "%s\n         {\"period\": \"%s\", "
				    "\"metrics\": ", j ? "," : "", label);
				json_metrics(b, &ev->m.by[p].acc[j]);
				buf_putc(b, '}');
			}
			buf_puts(b, "]");
		}
		buf_puts(b, "},\n     \"kpis\": [");
		for (j = 0; j < sys->nkpis; j++) {
			ks = &ev->kpis[j];
			k = &sys->kpis[j];
			buf_puts(b, j ? ",\n       {" : "\n       {");
			buf_puts(b, "\"id\": ");
			buf_json_str(b, k->id.s);
			buf_puts(b, ", \"source\": ");
			buf_json_str(b, k->has_values ? "values" :
			    k->sql.s != NULL ? "sql" : "metric");
			buf_puts(b, ", \"latest\": ");
			json_num(b, ks->latest, ks->has_latest);
			buf_puts(b, ", \"status\": ");
			buf_json_str(b, kpi_status_names[ks->status]);
			buf_puts(b, ", \"series\": [");
			for (p = 0; p < ks->n; p++) {
				buf_puts(b, p ? ", {\"period\": " :
				    "{\"period\": ");
				buf_json_str(b, ks->v[p].period);
				buf_puts(b, ", \"value\": ");
				json_num(b, ks->v[p].value, 1);
				buf_putc(b, '}');
			}
			buf_puts(b, "]}");
		}
		buf_puts(b, "],\n     \"incidents\": [");
		for (j = 0; j < ev->ninc; j++) {
			x = &ev->inc[j];
			buf_printf(b, "%s{\"id\": %lld, \"opened\": ",
			    j ? ",\n       " : "\n       ", x->id);
			buf_json_str(b, x->opened);
			buf_puts(b, ", \"reported\": ");
			if (x->reported != NULL)
				buf_json_str(b, x->reported);
			else
				buf_puts(b, "null");
			buf_puts(b, ", \"severity\": ");
			buf_json_str(b, x->severity);
			buf_printf(b, ", \"serious\": %s, \"category\": ",
			    x->serious ? "true" : "false");
			buf_json_str(b, x->category);
			buf_puts(b, ", \"deadline\": ");
			if (x->deadline >= 0) {
				date_format(x->deadline, t);
				buf_json_str(b, t);
			} else
				buf_puts(b, "null");
			buf_puts(b, ", \"state\": ");
			buf_json_str(b, inc_state_names[x->state]);
			buf_puts(b, ", \"summary\": ");
			buf_json_str(b, x->summary);
			buf_putc(b, '}');
		}
		buf_puts(b, "]}");
	}
	buf_puts(b, shown ? "\n  ]\n}\n" : "]\n}\n");
}
