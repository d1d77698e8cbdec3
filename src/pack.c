/*
 * pack.c - build the views of a system's EU AI Act documentation pack
 * (see pack.h) from the model, the decision-log evidence, the findings and
 * the facts of schemas/eu-ai-act.yaml.
 *
 * A section page is a list of blocks, each a list of items, a table, a
 * paragraph or Markdown, so one pair of templates renders every section,
 * in HTML and in Markdown.  What each section shows is code here; which
 * sections a classification and a role require, what the Act asks in
 * each, and what belongs outside Charter are data.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "euaia.h"
#include "evidence.h"
#include "md.h"
#include "metrics.h"
#include "model.h"
#include "mustache.h"
#include "pack.h"
#include "util.h"
#include "view.h"

const char *const sec_status_names[SEC_STATUS_MAX] = {
	"documented", "partial", "missing", "not-required"
};
const char *const sec_status_words[SEC_STATUS_MAX] = {
	"Documented", "Partly documented", "Missing", "Not required"
};
/* Beside the word, as on the site: colour is never the only signal. */
static const char *const sec_status_icons[SEC_STATUS_MAX] = {
	"\xe2\x9c\x93", "\xe2\x96\xb2", "\xe2\x9c\x95", "\xe2\x80\x93"
};

enum istate {
	I_DOCUMENTED, I_MISSING, I_NOT_MET, I_OUTSIDE, I_INFO, I_STATE_MAX
};

static const char *const istate_names[I_STATE_MAX] = {
	"documented", "missing", "not-met", "outside", "info"
};
static const char *const istate_words[I_STATE_MAX] = {
	"Documented", "Missing", "Not met", "To be completed outside Charter",
	"For information"
};

/* The Art. 12 fields of a decision row, as the log schema names them. */
static const char *const log_columns[][2] = {
	{ "ts", "when the decision was taken (Art. 12(3)(a))" },
	{ "system", "which system decided" },
	{ "case_ref", "the case or transaction it belongs to" },
	{ "exception", "the decision-table category; empty for a clean case" },
	{ "actor, action, mode", "who acted, what they did, live or shadow" },
	{ "confidence, amount", "checked against the table's limits" },
	{ "model_version", "the model behind an agent decision" },
	{ "reviewer", "the person who acted or verified (Art. 12(3)(d))" },
	{ "input_ref", "the input data (Art. 12(3)(c))" },
	{ "corrected, human_action", "later corrections; shadow comparison" },
};

/* One section being built. */
struct sb {
	struct view		*v;
	struct arena		*a;
	const struct euaia_facts *f;
	const struct model	*m;
	const struct system	*s;
	const struct sys_evidence *ev;
	size_t			 si;
	struct mval		*blocks;
	struct mval		*items;		/* the open items block */
	struct mval		*fresh;		/* a titled block, still empty */
	struct mval		*missing;	/* labels of gaps */
	int			 ndoc, ngap;
};

/* ---- blocks and items --------------------------------------------------- */

static struct mval *
block(struct sb *b, const char *title)
{
	struct mval *k = mv_push(b->a, b->blocks, mv_map(b->a));

	/* Every key set, so a template never finds an outer one. */
	mv_set_str(b->a, k, "title", title);
	mv_set_str(b->a, k, "text", NULL);
	mv_set_bool(b->a, k, "has_items", 0);
	mv_set_str(b->a, k, "items", NULL);
	mv_set_str(b->a, k, "table", NULL);
	b->items = NULL;
	b->fresh = title != NULL ? k : NULL;
	return k;
}

static struct mval *
item(struct sb *b, const char *label, enum istate st, const char *text)
{
	struct mval *k, *it;

	if (b->items == NULL) {
		k = b->fresh != NULL ? b->fresh : block(b, NULL);
		b->fresh = NULL;
		mv_set_bool(b->a, k, "has_items", 1);
		b->items = mv_set(b->a, k, "items", mv_list(b->a));
	}
	it = mv_push(b->a, b->items, mv_map(b->a));
	mv_set_str(b->a, it, "label", label);
	mv_set_str(b->a, it, "state_key", istate_names[st]);
	mv_set_str(b->a, it, "state", istate_words[st]);
	mv_set_str(b->a, it, "text", text);
	mv_set_bool(b->a, it, "gap", st == I_MISSING || st == I_NOT_MET);
	mv_set_str(b->a, it, "value_md", NULL);
	mv_set_str(b->a, it, "value_html", NULL);
	if (st == I_DOCUMENTED)
		b->ndoc++;
	if (st == I_MISSING || st == I_NOT_MET) {
		b->ngap++;
		mv_push(b->a, b->missing, mv_str(b->a, label));
	}
	return it;
}

/*
 * Markdown from the repo: indented to sit inside a list item of the .md
 * page, invisible characters shown as markers (value_md), rendered by
 * cmark in safe mode for HTML (value_html).
 */
static void
set_md(struct sb *b, struct mval *it, const char *md)
{
	struct buf o;
	const char *p;

	buf_init(&o, 0);
	buf_puts(&o, "  ");
	for (p = md_show_invisible(b->a, md); *p != '\0'; p++) {
		buf_putc(&o, *p);
		if (*p == '\n' && p[1] != '\0' && p[1] != '\n')
			buf_puts(&o, "  ");
	}
	while (o.len > 0 && (o.data[o.len - 1] == '\n' ||
	    o.data[o.len - 1] == ' '))
		o.data[--o.len] = '\0';
	mv_set_str(b->a, it, "value_md", arena_strdup(b->a, o.data));
	buf_release(&o);
	mv_set_str(b->a, it, "value_html", md_to_html(b->a, md, strlen(md),
	    "../../pages/"));
}

/* Documented with its value, or missing with what to add. */
static struct mval *
need(struct sb *b, const char *label, const char *value, const char *add)
{
	return item(b, label, value != NULL ? I_DOCUMENTED : I_MISSING,
	    value != NULL ? value : add);
}

static void
need_md(struct sb *b, const char *label, const char *md, const char *add)
{
	struct mval *it = need(b, label, md != NULL ? "" : NULL, add);

	if (md != NULL) {
		mv_set_str(b->a, it, "text", NULL);
		set_md(b, it, md);
	}
}

static void
info(struct sb *b, const char *label, const char *text)
{
	item(b, label, I_INFO, text);
}

static void
info_md(struct sb *b, const char *label, const char *md)
{
	if (md != NULL)
		set_md(b, item(b, label, I_INFO, NULL), md);
}

static void
para(struct sb *b, const char *text)
{
	mv_set_str(b->a, block(b, NULL), "text", text);
	b->fresh = NULL;
}

static struct mval *
table(struct sb *b, const char *title, const char *const *head, size_t n)
{
	struct mval *k = block(b, title), *t, *h;
	size_t i;

	t = mv_set(b->a, k, "table", mv_map(b->a));
	h = mv_set(b->a, t, "head", mv_list(b->a));
	for (i = 0; i < n; i++)
		mv_set_str(b->a, mv_push(b->a, h, mv_map(b->a)), "text",
		    head[i]);
	mv_set(b->a, t, "rows", mv_list(b->a));
	b->items = NULL;
	b->fresh = NULL;
	return t;
}

/* A row of n cells; NULL shows as a dash. */
static void
row(struct sb *b, struct mval *t, size_t n, ...)
{
	struct mval *r, *cells;
	const char *c;
	va_list ap;
	size_t i;

	r = mv_push(b->a, mv_get(t, "rows"), mv_map(b->a));
	cells = mv_set(b->a, r, "cells", mv_list(b->a));
	va_start(ap, n);
	for (i = 0; i < n; i++) {
		c = va_arg(ap, const char *);
		mv_set_str(b->a, mv_push(b->a, cells, mv_map(b->a)), "text",
		    c != NULL && *c != '\0' ? c : "\xe2\x80\x94");
	}
	va_end(ap);
}

/* ---- text --------------------------------------------------------------- */

static const char *
num_text(struct arena *a, double x)
{
	return view_money(a, x);
}

static const char *
party_text(struct sb *b, const char *ref)
{
	return view_party_text(b->v, ref, b->s);
}

static const char *
parties_text(struct sb *b, const struct slist *l)
{
	struct buf o;
	const char *t;
	size_t i;

	if (l->n == 0)
		return NULL;
	buf_init(&o, 0);
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_puts(&o, ", ");
		buf_puts(&o, party_text(b, l->v[i].s));
	}
	t = arena_strdup(b->a, o.data);
	buf_release(&o);
	return t;
}

/* "a, b and c" from a list of strings. */
static const char *
joined(struct arena *a, const struct mval *list)
{
	struct buf o;
	const char *t;
	size_t i;

	if (list->n == 0)
		return NULL;
	buf_init(&o, 0);
	for (i = 0; i < list->n; i++) {
		if (i > 0)
			buf_puts(&o, i + 1 == list->n ? " and " : ", ");
		buf_puts(&o, list->items[i]->s);
	}
	t = arena_strdup(a, o.data);
	buf_release(&o);
	return t;
}

static const char *
enum_word(const char *const *words, int max, int v)
{
	return v >= 0 && v < max ? words[v] : NULL;
}

static const char *
metric(struct sb *b, const struct macc *c, enum metric mt)
{
	int def;
	double x = macc_value(c, mt, &def);

	return view_metric(b->a, (int)mt, x, def);
}

static const char *
cat_name(const struct system *s, size_t i)
{
	if (i < s->ntable)
		return s->table[i].exception.s;
	return i == s->ntable ? "no exception (clean cases)" :
	    "not in the decision table";
}

static size_t
log_rows(const struct sb *b)
{
	return b->ev->db != NULL && b->ev->read ? b->ev->m.total.rows : 0;
}

/* The decision log as evidence: documented when it holds decisions. */
static void
need_log(struct sb *b, const char *label)
{
	char first[21], last[21];

	if (b->ev->db == NULL)
		item(b, label, I_MISSING, "no decision log: add log.database");
	else if (!b->ev->read)
		item(b, label, I_MISSING, arena_printf(b->a, "%s was not read "
		    "in this build", view_repo_path(b->v, b->ev->db)));
	else if (b->ev->m.total.rows == 0)
		item(b, label, I_MISSING, arena_printf(b->a, "%s holds no "
		    "decision of this system up to the as-of date",
		    view_repo_path(b->v, b->ev->db)));
	else {
		ts_format(b->ev->m.first, first);
		ts_format(b->ev->m.last, last);
		item(b, label, I_DOCUMENTED, arena_printf(b->a, "%s decisions "
		    "in %s, from %s to %s", view_count(b->a,
		    b->ev->m.total.rows), view_repo_path(b->v, b->ev->db),
		    first, last));
	}
}

static int
has_kpi_level(const struct system *s, enum kpi_level l)
{
	size_t j;

	for (j = 0; j < s->nkpis; j++)
		if (s->kpis[j].level.v == (int)l)
			return 1;
	return 0;
}

/* Four significant digits: thresholds such as 0.995 or 0.0037 survive. */
static const char *
kpi_value_text(struct sb *b, const struct kpi *k, double x)
{
	const char *u = k->unit.s;
	char n[32];

	snprintf(n, sizeof(n), "%.4g", x);
	if (u == NULL)
		return arena_strdup(b->a, n);
	if (strcmp(u, "%") == 0)
		return arena_printf(b->a, "%s %%", n);
	return arena_printf(b->a, "%s %s", n, u);
}

static const char *
thresholds_text(struct sb *b, const struct kpi *k)
{
	struct buf o;
	const char *t;

	buf_init(&o, 0);
	if (k->target.set)
		buf_printf(&o, "target %s", kpi_value_text(b, k, k->target.v));
	if (k->amber.set)
		buf_printf(&o, "%samber %s", o.len ? ", " : "",
		    kpi_value_text(b, k, k->amber.v));
	if (k->red.set)
		buf_printf(&o, "%sred %s", o.len ? ", " : "",
		    kpi_value_text(b, k, k->red.v));
	t = o.len > 0 ? arena_strdup(b->a, o.data) : NULL;
	buf_release(&o);
	return t;
}

static void
kpi_row(struct sb *b, struct mval *t, size_t j, int depth)
{
	const struct kpi *k = &b->s->kpis[j];
	const struct kpi_series *ks = b->ev->kpis != NULL ? &b->ev->kpis[j] :
	    NULL;
	const char *name = k->name.s != NULL ? k->name.s : k->id.s;
	const char *latest = NULL, *st = NULL;

	if (depth > 0)
		name = arena_printf(b->a, "%*s\xe2\x86\xb3 %s", 2 * (depth - 1),
		    "", name);
	if (ks != NULL && ks->has_latest) {
		latest = kpi_value_text(b, k, ks->latest);
		st = kpi_status_words[ks->status];
	}
	row(b, t, 7, name, enum_word(level_names, LEVEL_MAX, k->level.v),
	    k->supports.s, thresholds_text(b, k), latest, st,
	    party_text(b, k->owner.s));
}

/* The KPI stack in tree order, as on the system page. */
static void
kpi_table(struct sb *b, const char *title)
{
	static const char *const head[] = {
		"KPI", "Level", "Supports", "Thresholds", "Latest", "Status",
		"Owner"
	};
	struct mval *t = table(b, title, head, ARRAY_SIZE(head));
	size_t *order = xcalloc(b->s->nkpis + 1, sizeof(*order)), j;
	int *depth = xcalloc(b->s->nkpis + 1, sizeof(*depth));

	kpi_tree_order(b->s, order, depth);
	for (j = 0; j < b->s->nkpis; j++)
		kpi_row(b, t, order[j], depth[j]);
	free(order);
	free(depth);
}

static void
decision_table(struct sb *b, const char *title, int only_people)
{
	static const char *const head[] = {
		"Exception", "AI may resolve", "Min. confidence", "Max. amount",
		"Escalate to", "SLA (hours)"
	};
	const struct table_row *r;
	struct mval *t = table(b, title, head, ARRAY_SIZE(head));
	size_t i;

	for (i = 0; i < b->s->ntable; i++) {
		r = &b->s->table[i];
		if (only_people && r->ai_may_resolve.v)
			continue;
		row(b, t, 6, r->exception.s, r->ai_may_resolve.v ? "yes" :
		    "no", r->min_confidence.set ? arena_printf(b->a, "%.2f",
		    r->min_confidence.v) : NULL, r->max_amount.set ?
		    num_text(b->a, r->max_amount.v) : NULL,
		    party_text(b, r->escalate_to.s), r->sla_hours.set ?
		    num_text(b->a, r->sla_hours.v) : NULL);
	}
}

static size_t
people_only(const struct system *s)
{
	size_t i, n = 0;

	for (i = 0; i < s->ntable; i++)
		n += !s->table[i].ai_may_resolve.v;
	return n;
}

static const char *
controls_text(struct sb *b)
{
	const struct control *c;
	struct mval *l = mv_list(b->a);
	size_t i;

	for (i = 0; i < b->s->controls.n; i++) {
		c = model_control(b->m, b->s->controls.v[i].s);
		mv_push(b->a, l, mv_str(b->a, c != NULL && c->name.s != NULL ?
		    c->name.s : b->s->controls.v[i].s));
	}
	return joined(b->a, l);
}

/* ---- the sections ------------------------------------------------------- */

static void
sec_classification(struct sb *b)
{
	const struct eu_ai_act *eu = &b->s->eu;
	const struct euaia_dates *dt;
	int cls = eu->classification.v, ai;
	int regime = b->m->org != NULL ? b->m->org->regime.v : REGIME_OMNIBUS;

	need(b, "Classification", enum_word(euclass_labels, EUCLASS_MAX, cls),
	    "add eu_ai_act.classification");
	need(b, "Role", enum_word(eurole_labels, EUROLE_MAX, eu->role.v),
	    "add eu_ai_act.role: provider, deployer or provider-and-deployer");
	ai = euaia_annex_index(b->f, eu->annex_iii.s);
	if (cls == EUCLASS_HIGH_RISK)
		need(b, "Annex III point", ai >= 0 ? arena_printf(b->a,
		    "%s: %s", eu->annex_iii.s, b->f->annex_areas[ai]) : NULL,
		    eu->annex_iii.s != NULL ? "not a point of Annex III" :
		    "add eu_ai_act.annex_iii");
	else if (ai >= 0)
		info(b, "Annex III point", arena_printf(b->a, "%s: %s",
		    eu->annex_iii.s, b->f->annex_areas[ai]));
	if (ai >= 0 && cls != EUCLASS_HIGH_RISK && cls != EUCLASS_PROHIBITED &&
	    cls >= 0) {
		if (eu->profiling.v)
			item(b, "Art. 6(3) exemption", I_NOT_MET, "not available: "
			    "the system profiles natural persons, so it is "
			    "high-risk (Art. 6(3), last subparagraph)");
		else if (eu->has_exemption)
			need_md(b, "Art. 6(3) exemption", arena_printf(b->a,
			    "Condition (%s). %s", eu->exemption_condition.s !=
			    NULL ? eu->exemption_condition.s : "not stated",
			    eu->exemption_reason.s != NULL ?
			    eu->exemption_reason.s : ""), NULL);
		else
			item(b, "Art. 6(3) exemption", I_MISSING, "add "
			    "eu_ai_act.exemption_6_3: why this Annex III "
			    "system is not high-risk");
	}
	info(b, "Profiles natural persons", eu->profiling.set ?
	    (eu->profiling.v ? "yes" : "no") : "not stated");
	need_md(b, "Rationale", eu->rationale.s, "add eu_ai_act.rationale");
	info(b, "Stage", stage_labels[b->s->stage.v]);

	if (regime < 0 || regime >= REGIME_MAX)
		regime = REGIME_OMNIBUS;
	dt = &b->f->dates[regime];
	block(b, "Application dates used");
	info(b, "Regime", regime == REGIME_2024 ? "2024: Regulation (EU) "
	    "2024/1689 as published" : "omnibus: the high-risk date as "
	    "reported for the 2026 amending regulation");
	info(b, "Prohibited practices apply", dt->prohibited);
	info(b, "Transparency duties (Art. 50) apply", dt->transparency);
	info(b, "Annex III high-risk obligations apply", dt->high_risk);

	if (cls == EUCLASS_PROHIBITED) {
		block(b, "A prohibited practice");
		para(b, arena_printf(b->a, "This system is classified as a "
		    "prohibited AI practice (Art. 5). Since %s it may not be "
		    "placed on the market, put into service or used in the "
		    "EU. This pack therefore has no further sections.",
		    dt->prohibited));
		item(b, "Withdrawn from use", b->s->stage.v == STAGE_RETIRED ?
		    I_DOCUMENTED : I_NOT_MET, b->s->stage.v == STAGE_RETIRED ?
		    "the system is retired" : arena_printf(b->a, "the system "
		    "is in %s; it must be retired", stage_names[
		    b->s->stage.v]));
	}
}

static void
sec_description(struct sb *b)
{
	const struct system *s = b->s;
	struct mval *t;
	size_t i;
	static const char *const head[] = {
		"Data asset", "Name", "Owner", "Personal data"
	};

	need(b, "Name", s->name.s, "add name");
	need(b, "Summary", s->summary.s, "add summary: one line on what it "
	    "does");
	need_md(b, "Intended purpose", s->purpose.s, "add purpose");
	need(b, "Business function", enum_word(function_names, FUNCTION_MAX,
	    s->function.v), "add function");
	need(b, "Model provider", s->model_provider.s, "add model.provider");
	need(b, "Model", s->model_name.s, "add model.name");
	need(b, "Model version", s->model_version.s, "add model.version");
	info(b, "Model type", enum_word(model_type_names, MODEL_TYPE_MAX,
	    s->model_type.v));
	info(b, "Stage", stage_labels[s->stage.v]);
	if (s->ndata > 0) {
		t = table(b, "Systems and data it works with", head,
		    ARRAY_SIZE(head));
		for (i = 0; i < s->ndata; i++)
			row(b, t, 4, s->data[i].id.s, s->data[i].name.s,
			    party_text(b, s->data[i].owner.s),
			    s->data[i].personal_data.set ?
			    (s->data[i].personal_data.v ? "yes" : "no") : NULL);
	}
}

static void
sec_development(struct sb *b)
{
	const struct system *s = b->s;
	static const char *const head[] = { "Evidence", "Where" };
	struct mval *t;
	size_t i;

	need(b, "Model type", enum_word(model_type_names, MODEL_TYPE_MAX,
	    s->model_type.v), "add model.type: llm, ml, rules or hybrid");
	need(b, "Authority boundary (decision table)", s->ntable > 0 ?
	    arena_printf(b->a, "%zu exception categories, %zu reserved for "
	    "people", s->ntable, people_only(s)) : NULL,
	    "add decision_table: what the AI may and may not decide");
	need(b, "Data requirements", s->ndata > 0 ? arena_printf(b->a,
	    "%zu data assets with owners (section 7)", s->ndata) : NULL,
	    "add data: the data assets it uses");
	need(b, "Human-oversight design", enum_word(oversight_names,
	    OVERSIGHT_MAX, s->oversight_level.v),
	    "add human_oversight.level (section 10)");
	if (s->ntable > 0)
		decision_table(b, "The authority boundary", 0);
	if (s->nevidence > 0) {
		t = table(b, "Evidence recorded in the repository", head,
		    ARRAY_SIZE(head));
		for (i = 0; i < s->nevidence; i++)
			row(b, t, 2, s->evidence[i].title.s,
			    s->evidence[i].href.s);
	}
}

static void
sec_monitoring(struct sb *b)
{
	const struct system *s = b->s;
	const struct msys *m = &b->ev->m;
	static const char *const head[] = {
		"Exception", "Live decisions", "Resolved by the AI", "Escalated",
		"Corrected later", "Shadow agreement"
	};
	struct mval *t;
	size_t i;

	need_log(b, "Decision log");
	need(b, "Capabilities and limits", s->ntable > 0 ? arena_printf(b->a,
	    "the decision table: %zu categories, %zu reserved for people",
	    s->ntable, people_only(s)) : NULL, "add decision_table");
	if (log_rows(b) > 0) {
		info(b, "Error rate (decisions corrected later)",
		    metric(b, &m->total, M_ERROR_RATE));
		info(b, "Escalation rate", metric(b, &m->total,
		    M_ESCALATION_RATE));
		info(b, "Resolved by the AI", metric(b, &m->total,
		    M_AUTONOMOUS_RATE));
		info(b, "Shadow agreement", metric(b, &m->total,
		    M_SHADOW_AGREEMENT));
		info(b, "Boundary breaches", view_count(b->a,
		    m->total.breaches));
		t = table(b, "By exception category", head, ARRAY_SIZE(head));
		for (i = 0; i < m->ncat; i++) {
			if (m->cat[i].rows == 0 && i >= s->ntable)
				continue;
			row(b, t, 6, cat_name(s, i), view_count(b->a,
			    m->cat[i].live), metric(b, &m->cat[i],
			    M_AUTONOMOUS_RATE), metric(b, &m->cat[i],
			    M_ESCALATION_RATE), metric(b, &m->cat[i],
			    M_ERROR_RATE), metric(b, &m->cat[i],
			    M_SHADOW_AGREEMENT));
		}
	}
	if (people_only(s) > 0)
		decision_table(b, "What the AI may not decide", 1);
}

static void
sec_metrics(struct sb *b)
{
	const struct system *s = b->s;
	struct mval *orphans = mv_list(b->a), *biz = mv_list(b->a);
	size_t j;

	for (j = 0; j < s->nkpis; j++) {
		const struct kpi *k = &s->kpis[j];

		if (k->level.v == LEVEL_BUSINESS)
			mv_push(b->a, biz, mv_str(b->a, k->name.s != NULL ?
			    k->name.s : k->id.s));
		else if (k->supports.s == NULL ||
		    system_kpi(s, k->supports.s) == NULL)
			mv_push(b->a, orphans, mv_str(b->a, k->id.s));
	}
	need(b, "KPI stack", s->nkpis > 0 ? arena_printf(b->a, "%zu KPIs",
	    s->nkpis) : NULL, "add kpis");
	need(b, "Business KPI", joined(b->a, biz), "add a KPI with level: "
	    "business, the outcome the system is for");
	if (s->nkpis > 0)
		need(b, "Every metric tied to the KPI it supports",
		    orphans->n == 0 ? "yes" : NULL, arena_printf(b->a,
		    "supporting nothing: %s", joined(b->a, orphans)));
	if (s->nkpis > 0)
		kpi_table(b, "The KPI stack");
}

static void
sec_risk(struct sb *b)
{
	const struct system *s = b->s;
	const struct tier *tr = s->risk_tier.s != NULL ? model_tier(b->m,
	    s->risk_tier.s) : NULL;
	static const char *const head[] = { "Control", "Name", "Articles" };
	struct mval *absent = mv_list(b->a), *t, *arts;
	size_t i, j, nthr = 0;

	need(b, "Risk tier", tr != NULL ? arena_printf(b->a, "%s (lane: %s)",
	    tr->name.s, lane_names[tr->lane.v]) : NULL, "add risk_tier");
	need(b, "Controls in place", controls_text(b), "add controls");
	if (tr != NULL && tr->required_controls.n > 0) {
		for (i = 0; i < tr->required_controls.n; i++) {
			for (j = 0; j < s->controls.n; j++)
				if (strcmp(s->controls.v[j].s,
				    tr->required_controls.v[i].s) == 0)
					break;
			if (j == s->controls.n)
				mv_push(b->a, absent, mv_str(b->a,
				    tr->required_controls.v[i].s));
		}
		need(b, "Controls the tier requires", absent->n == 0 ?
		    arena_printf(b->a, "all %zu in place",
		    tr->required_controls.n) : NULL, arena_printf(b->a,
		    "not in place: %s", joined(b->a, absent)));
	}
	for (j = 0; j < s->nkpis; j++)
		nthr += s->kpis[j].amber.set || s->kpis[j].red.set;
	need(b, "Thresholds set in advance", nthr > 0 ? arena_printf(b->a,
	    "%zu KPIs with amber or red thresholds (section 5)", nthr) : NULL,
	    "add amber and red thresholds to the KPIs");
	need(b, "Decision-table limits", s->ntable > 0 ? arena_printf(b->a,
	    "%zu categories with their confidence and amount limits",
	    s->ntable) : NULL, "add decision_table");
	info(b, "Incidents recorded", b->ev->read ? view_count(b->a,
	    b->ev->ninc) : "the log was not read");
	if (s->controls.n > 0) {
		t = table(b, "Controls", head, ARRAY_SIZE(head));
		for (i = 0; i < s->controls.n; i++) {
			const struct control *c = model_control(b->m,
			    s->controls.v[i].s);

			arts = mv_list(b->a);
			for (j = 0; c != NULL && j < c->articles.n; j++)
				mv_push(b->a, arts, mv_str(b->a,
				    c->articles.v[j].s));
			row(b, t, 3, s->controls.v[i].s, c != NULL ?
			    c->name.s : "unknown control", joined(b->a, arts));
		}
	}
	if (s->ntable > 0)
		decision_table(b, "Decision-table limits", 0);
}

/* Findings of the system whose rule id starts with prefix. */
static int
findings_of(struct sb *b, const char *prefix, enum severity sev)
{
	const struct diag *d = b->v->d;
	size_t i, n = strlen(prefix);
	int k = 0;

	for (i = 0; i < d->n; i++)
		if (b->v->fsys[i] == (long)b->si &&
		    d->v[i].severity == sev &&
		    strncmp(rule_table[d->v[i].rule].id, prefix, n) == 0)
			k++;
	return k;
}

static void
sec_data(struct sb *b)
{
	const struct system *s = b->s;
	static const char *const head[] = {
		"Data asset", "Name", "Owner", "Personal data", "Contract"
	};
	struct mval *noowner = mv_list(b->a), *nocontract = mv_list(b->a), *t;
	size_t i;
	int errs;

	for (i = 0; i < s->ndata; i++) {
		if (s->data[i].owner.s == NULL)
			mv_push(b->a, noowner, mv_str(b->a, s->data[i].id.s));
		if (s->data[i].contract == NULL)
			mv_push(b->a, nocontract, mv_str(b->a, s->data[i].id.s));
	}
	need(b, "Data assets", s->ndata > 0 ? arena_printf(b->a, "%zu",
	    s->ndata) : NULL, "add data: each asset with its owner");
	if (s->ndata > 0) {
		need(b, "Every asset has an owner", noowner->n == 0 ? "yes" :
		    NULL, arena_printf(b->a, "no owner: %s", joined(b->a,
		    noowner)));
		need(b, "Every asset has a data contract", nocontract->n == 0 ?
		    "yes" : NULL, arena_printf(b->a, "no contract: %s",
		    joined(b->a, nocontract)));
	}
	if (s->ndata > 0 && nocontract->n < s->ndata) {
		errs = findings_of(b, "contract.", SEV_ERROR);
		item(b, "Data contracts hold", errs == 0 ? I_DOCUMENTED :
		    I_NOT_MET, errs == 0 ? (b->ev->read ? "every clause holds "
		    "at the as-of date" : "not evaluated: the logs were not "
		    "read") : arena_printf(b->a, "%d clause%s fail%s: see the "
		    "findings", errs, errs == 1 ? "" : "s", errs == 1 ? "s" :
		    ""));
	}
	if (s->ndata > 0) {
		t = table(b, "Data assets", head, ARRAY_SIZE(head));
		for (i = 0; i < s->ndata; i++) {
			const struct contract *c = s->data[i].contract;

			row(b, t, 5, s->data[i].id.s, s->data[i].name.s,
			    party_text(b, s->data[i].owner.s),
			    s->data[i].personal_data.set ?
			    (s->data[i].personal_data.v ? "yes" : "no") : NULL,
			    c == NULL ? NULL : c->table.s != NULL ?
			    arena_printf(b->a, "table %s", c->table.s) : "yes");
		}
	}
}

static void
sec_records(struct sb *b)
{
	const struct system *s = b->s;
	static const char *const head[] = { "Column", "What it records" };
	long min = b->f->retention_min_days;
	struct mval *t;
	size_t i;

	need(b, "Decision log database", s->log_database.s,
	    "add log.database");
	need_log(b, "Entries");
	if (log_rows(b) > 0)
		need(b, "Log completeness (Art. 12 fields)", metric(b,
		    &b->ev->m.total, M_LOG_COMPLETENESS), NULL);
	if (!s->log_retention_days.set)
		item(b, "Retention", I_MISSING, arena_printf(b->a,
		    "add log.retention_days: at least %ld", min));
	else if (s->log_retention_days.v < (double)min)
		item(b, "Retention", I_NOT_MET, arena_printf(b->a, "%s days, "
		    "below the %ld-day floor of Arts. 19 and 26(6)",
		    num_text(b->a, s->log_retention_days.v), min));
	else
		item(b, "Retention", I_DOCUMENTED, arena_printf(b->a, "%s days "
		    "(the floor is %ld)", num_text(b->a,
		    s->log_retention_days.v), min));
	if (log_rows(b) > 0 && s->stage.v == STAGE_PRODUCTION)
		info(b, "Gaps over a day", b->ev->gaps == 0 ? "none" :
		    arena_printf(b->a, "%s; the longest %.1f hours",
		    view_count(b->a, b->ev->gaps),
		    (double)b->ev->longest_gap / 3600));
	if (b->ev->rows_after_as_of > 0)
		info(b, "Entries after the as-of date (not counted)",
		    view_count(b->a, b->ev->rows_after_as_of));
	t = table(b, "What each decision row records", head, ARRAY_SIZE(head));
	for (i = 0; i < ARRAY_SIZE(log_columns); i++)
		row(b, t, 2, log_columns[i][0], log_columns[i][1]);
}

static void
sec_transparency(struct sb *b)
{
	const struct system *s = b->s;
	struct mval *acc = mv_list(b->a);
	size_t j;

	need_md(b, "What people are told (Art. 50, Art. 26(11))",
	    s->eu.transparency.s, "add eu_ai_act.transparency");
	need(b, "Provider and model", s->model_provider.s != NULL &&
	    s->model_name.s != NULL ? arena_printf(b->a, "%s: %s%s%s",
	    s->model_provider.s, s->model_name.s, s->model_version.s != NULL ?
	    ", version " : "", s->model_version.s != NULL ?
	    s->model_version.s : "") : NULL, "add model.provider and "
	    "model.name");
	for (j = 0; j < s->nkpis; j++)
		if (s->kpis[j].level.v == LEVEL_MODEL && s->kpis[j].target.set)
			mv_push(b->a, acc, mv_str(b->a, arena_printf(b->a,
			    "%s: %s", s->kpis[j].name.s != NULL ?
			    s->kpis[j].name.s : s->kpis[j].id.s,
			    kpi_value_text(b, &s->kpis[j],
			    s->kpis[j].target.v))));
	if (s->eu.classification.v == EUCLASS_HIGH_RISK)
		need(b, "Declared accuracy (model KPI targets)", joined(b->a,
		    acc), "add a target to a KPI with level: model");
	else if (acc->n > 0)
		info(b, "Declared accuracy (model KPI targets)", joined(b->a,
		    acc));
	info(b, "Human oversight", enum_word(oversight_names, OVERSIGHT_MAX,
	    s->oversight_level.v));
}

static void
sec_oversight(struct sb *b)
{
	const struct system *s = b->s;
	const struct macc *t = &b->ev->m.total;

	need(b, "Oversight level", enum_word(oversight_names, OVERSIGHT_MAX,
	    s->oversight_level.v), "add human_oversight.level");
	need_md(b, "How people oversee it (Art. 14(4)(a)-(c))",
	    s->oversight_mechanism.s, "add human_oversight.mechanism");
	need(b, "Reviewer", party_text(b, s->oversight_reviewer.s),
	    "add human_oversight.reviewer");
	if (!s->oversight_can_override.set)
		item(b, "People can override it (Art. 14(4)(d))", I_MISSING,
		    "add human_oversight.can_override");
	else
		item(b, "People can override it (Art. 14(4)(d))",
		    s->oversight_can_override.v ? I_DOCUMENTED : I_NOT_MET,
		    s->oversight_can_override.v ? "yes" : "no: the reviewer "
		    "cannot override the system");
	need_md(b, "How to stop it (Art. 14(4)(e))",
	    s->oversight_stop_procedure.s,
	    "add human_oversight.stop_procedure");
	need(b, "What the AI may not decide", s->ntable > 0 ?
	    arena_printf(b->a, "%zu of %zu categories reserved for people",
	    people_only(s), s->ntable) : NULL, "add decision_table");
	need_log(b, "Oversight in the log");
	if (log_rows(b) > 0) {
		info(b, "Escalated to people", arena_printf(b->a, "%s (%s of "
		    "live decisions)", view_count(b->a, t->escalated), metric(b, t,
		    M_ESCALATION_RATE)));
		info(b, "Reviewed by a person", arena_printf(b->a, "%s (%s of "
		    "live decisions)", view_count(b->a, t->reviewed), metric(b,
		    t, M_HUMAN_REVIEW_RATE)));
		info(b, "Decisions corrected later", arena_printf(b->a,
		    "%s (%s)", view_count(b->a, t->corrected), metric(b, t,
		    M_ERROR_RATE)));
		info(b, "Auto-resolved outside the table's authority",
		    view_count(b->a, t->breaches));
	}
	if (people_only(s) > 0)
		decision_table(b, "What the AI may not decide", 1);
}

static void
sec_accuracy(struct sb *b)
{
	const struct system *s = b->s;
	struct mval *l = mv_list(b->a);
	size_t i, j;

	need(b, "Model-level KPIs", has_kpi_level(s, LEVEL_MODEL) ?
	    arena_printf(b->a, "see the KPI stack (section 5)") : NULL,
	    "add a KPI with level: model");
	need_log(b, "Accuracy in operation");
	if (log_rows(b) > 0)
		info(b, "Error rate (decisions corrected later)", metric(b,
		    &b->ev->m.total, M_ERROR_RATE));
	need(b, "Controls in place", controls_text(b), "add controls");
	for (i = 0; i < s->controls.n; i++) {
		const struct control *c = model_control(b->m, s->controls.v[i].s);

		for (j = 0; c != NULL && j < c->articles.n; j++)
			if (strncmp(c->articles.v[j].s, "Art. 15", 7) == 0) {
				mv_push(b->a, l, mv_str(b->a, c->name.s));
				break;
			}
	}
	info(b, "Controls citing Art. 15", l->n > 0 ? joined(b->a, l) :
	    "none");
}

static void
sec_quality(struct sb *b)
{
	const struct system *s = b->s;
	const struct decision_rights *dr = b->m->rights;
	static const char *const ohead[] = { "Owner role", "Owner" };
	static const char *const rhead[] = {
		"Decision", "Decides", "Consulted", "Informed"
	};
	struct mval *unassigned = mv_list(b->a), *unresolved = mv_list(b->a);
	struct mval *t;
	size_t i;
	int r;

	for (r = 0; r < ROLE_MAX; r++)
		if (s->owners[r].s == NULL)
			mv_push(b->a, unassigned, mv_str(b->a, role_labels[r]));
	need(b, "Every owner role assigned", unassigned->n == 0 ?
	    "all seven" : NULL, arena_printf(b->a, "unassigned: %s",
	    joined(b->a, unassigned)));
	for (i = 0; dr != NULL && i < dr->ndecisions; i++) {
		const struct decision *dc = &dr->decisions[i];
		const struct assignment *as = s->risk_tier.s != NULL ?
		    decision_assignment(dc, s->risk_tier.s) : NULL;
		const char *who = as != NULL ? as->decides.s : NULL;

		if (who == NULL || (strncmp(who, "owner:", 6) == 0 &&
		    ((r = enum_lookup(role_names, ROLE_MAX, who + 6)) < 0 ||
		    s->owners[r].s == NULL)))
			mv_push(b->a, unresolved, mv_str(b->a, dc->id.s));
	}
	need(b, "Decision rights resolved", dr != NULL && unresolved->n == 0 ?
	    arena_printf(b->a, "all %zu decisions have a decider",
	    dr->ndecisions) : NULL, dr == NULL ? "add decision-rights" :
	    arena_printf(b->a, "no decider: %s", joined(b->a, unresolved)));
	need(b, "Steering body", b->m->org != NULL ? party_text(b,
	    b->m->org->steering.s) : NULL, "add steering to the organization");
	t = table(b, "Owners", ohead, ARRAY_SIZE(ohead));
	for (r = 0; r < ROLE_MAX; r++)
		row(b, t, 2, role_labels[r], s->owners[r].s != NULL ?
		    party_text(b, s->owners[r].s) : "unassigned");
	if (dr == NULL)
		return;
	t = table(b, arena_printf(b->a, "Decision rights for tier %s",
	    s->risk_tier.s), rhead, ARRAY_SIZE(rhead));
	for (i = 0; i < dr->ndecisions; i++) {
		const struct decision *dc = &dr->decisions[i];
		const struct assignment *as = decision_assignment(dc,
		    s->risk_tier.s);

		row(b, t, 4, dc->name.s != NULL ? dc->name.s : dc->id.s,
		    as != NULL ? party_text(b, as->decides.s) : "unassigned",
		    as != NULL ? parties_text(b, &as->consulted) : NULL,
		    as != NULL ? parties_text(b, &as->informed) : NULL);
	}
}

static void
sec_deployer(struct sb *b)
{
	const struct system *s = b->s;
	const struct tier *tr = s->risk_tier.s != NULL ? model_tier(b->m,
	    s->risk_tier.s) : NULL;
	int fria = euaia_fria_required(b->f, b->m, s);

	info(b, "Role", enum_word(eurole_labels, EUROLE_MAX, s->eu.role.v));
	info(b, "FRIA required (Art. 27)", !fria ? "no: not a high-risk "
	    "Annex III system deployed by a public body or a provider of "
	    "public services, nor one under the points Art. 27 names" :
	    euaia_in_list(b->f->fria_points, b->f->nfria_points,
	    s->eu.annex_iii.s) ? arena_printf(b->a, "yes: a high-risk system "
	    "under Annex III %s", s->eu.annex_iii.s) : arena_printf(b->a,
	    "yes: a high-risk system under Annex III %s deployed by a public "
	    "body or a provider of public services", s->eu.annex_iii.s));
	if (fria)
		need(b, "Fundamental rights impact assessment",
		    s->eu.fria_completed.s != NULL ? arena_printf(b->a,
		    "completed %s%s%s", s->eu.fria_completed.s,
		    s->eu.fria_href.s != NULL ? ": " : "",
		    s->eu.fria_href.s != NULL ? s->eu.fria_href.s : "") : NULL,
		    "add eu_ai_act.fria.completed and href");
	else if (s->eu.fria_completed.s != NULL)
		info(b, "Fundamental rights impact assessment", arena_printf(
		    b->a, "completed %s", s->eu.fria_completed.s));
	need(b, "Oversight assigned (Art. 26(2))", party_text(b,
	    s->oversight_reviewer.s), "add human_oversight.reviewer");
	need(b, "Monitoring and review (Art. 26(5))", s->last_review.s !=
	    NULL ? arena_printf(b->a, "last reviewed %s%s", s->last_review.s,
	    tr != NULL && tr->review_every_days.set ? arena_printf(b->a,
	    ", every %s days", num_text(b->a, tr->review_every_days.v)) : "") :
	    NULL, "add last_review");
	info(b, "Logs kept (Art. 26(6))", "see section 8");
}

static void
sec_registration(struct sb *b)
{
	const struct organization *o = b->m->org;

	need(b, "EU database registration", b->s->eu.registration_id.s,
	    "add eu_ai_act.registration_id");
	need(b, "Name of the organisation", o != NULL ? o->name.s : NULL,
	    "add the organization");
	need(b, "Address (Annex VIII)", o != NULL ? o->address.s : NULL,
	    "add address to the organization");
	need(b, "Contact (Annex VIII)", o != NULL ? o->contact.s : NULL,
	    "add contact to the organization");
}

static void
sec_post_market(struct sb *b)
{
	const struct system *s = b->s;
	const struct tier *tr = s->risk_tier.s != NULL ? model_tier(b->m,
	    s->risk_tier.s) : NULL;
	const struct mseries *ms = &b->ev->m.by[PERIOD_MONTH];
	static const char *const head[] = {
		"Month", "Decisions", "Exception rate", "Escalated",
		"Corrected later"
	};
	struct mval *t;
	char label[11], due[11];
	long last, next;
	size_t i, j, nthr = 0;

	for (j = 0; j < s->nkpis; j++)
		nthr += s->kpis[j].amber.set || s->kpis[j].red.set;
	need(b, "KPI thresholds", nthr > 0 ? arena_printf(b->a, "%zu KPIs "
	    "with amber or red thresholds (section 5)", nthr) : NULL,
	    "add amber and red thresholds to the KPIs");
	if (s->last_review.s == NULL || date_parse(s->last_review.s,
	    &last) != 0)
		item(b, "Review cadence", I_MISSING, "add last_review");
	else if (tr == NULL || !tr->review_every_days.set)
		item(b, "Review cadence", I_MISSING, arena_printf(b->a,
		    "last reviewed %s; add review_every_days to the tier",
		    s->last_review.s));
	else {
		next = last + (long)tr->review_every_days.v;
		date_format(next, due);
		item(b, "Review cadence", next < b->m->as_of ? I_NOT_MET :
		    I_DOCUMENTED, arena_printf(b->a, "every %s days; last "
		    "reviewed %s, %s %s", num_text(b->a,
		    tr->review_every_days.v), s->last_review.s, next <
		    b->m->as_of ? "overdue since" : "next due", due));
	}
	need_log(b, "Performance data from the log");
	if (log_rows(b) == 0 || ms->n == 0)
		return;
	t = table(b, "The last six months", head, ARRAY_SIZE(head));
	for (i = ms->n > 6 ? ms->n - 6 : 0; i < ms->n; i++) {
		period_label(PERIOD_MONTH, ms->key[i], label);
		row(b, t, 5, arena_strdup(b->a, label), view_count(b->a,
		    ms->acc[i].live), metric(b, &ms->acc[i], M_EXCEPTION_RATE),
		    metric(b, &ms->acc[i], M_ESCALATION_RATE), metric(b,
		    &ms->acc[i], M_ERROR_RATE));
	}
}

static void
sec_incidents(struct sb *b)
{
	const struct system *s = b->s;
	const struct sys_evidence *ev = b->ev;
	static const char *const head[] = {
		"Incident", "Opened", "Severity", "Serious", "Report due",
		"Reported", "State", "Summary"
	};
	struct mval *late = mv_list(b->a), *t;
	char d[11];
	size_t i, serious = 0;

	need(b, "Incident response steps", s->incident_steps.n > 0 ?
	    arena_printf(b->a, "%zu steps", s->incident_steps.n) : NULL,
	    "add incident_response.steps");
	need(b, "Who is notified", parties_text(b, &s->incident_notify),
	    "add incident_response.notify");
	info_md(b, "How the system is suspended", s->incident_suspend.s);
	if (ev->db == NULL || !ev->read) {
		need_log(b, "Incident register");
		return;
	}
	for (i = 0; i < ev->ninc; i++) {
		serious += ev->inc[i].serious;
		if (ev->inc[i].state == INC_LATE)
			mv_push(b->a, late, mv_str(b->a, arena_printf(b->a,
			    "incident %lld reported after %ld days (%d "
			    "allowed)", ev->inc[i].id,
			    ev->inc[i].days_to_report,
			    ev->inc[i].deadline_days)));
		else if (ev->inc[i].state == INC_OVERDUE)
			mv_push(b->a, late, mv_str(b->a, arena_printf(b->a,
			    "incident %lld not reported, %d days passed",
			    ev->inc[i].id, ev->inc[i].deadline_days)));
	}
	need(b, "Incident register", arena_printf(b->a, "%s incidents, %s "
	    "serious, in %s", view_count(b->a, ev->ninc), view_count(b->a,
	    serious), view_repo_path(b->v, ev->db)), NULL);
	item(b, "Serious incidents reported in time (Art. 73)", late->n > 0 ?
	    I_NOT_MET : I_DOCUMENTED, late->n > 0 ? joined(b->a, late) :
	    serious > 0 ? "every report within its deadline, or not yet due" :
	    "no serious incident recorded");
	if (ev->ninc == 0)
		return;
	t = table(b, "Every incident", head, ARRAY_SIZE(head));
	for (i = 0; i < ev->ninc; i++) {
		const struct incident *in = &ev->inc[i];

		if (in->deadline >= 0)
			date_format(in->deadline, d);
		row(b, t, 8, arena_printf(b->a, "%lld", in->id), in->opened,
		    in->severity, in->serious ? "yes" : "no", in->deadline >= 0 ?
		    arena_strdup(b->a, d) : NULL, in->reported,
		    inc_state_words[in->state], in->summary);
	}
}

static void
sec_changes(struct sb *b)
{
	const struct system *s = b->s;
	static const char *const head[] = { "Date", "Version", "Change" };
	struct mval *t;
	size_t i;

	need(b, "Changes recorded", s->nchanges > 0 ? arena_printf(b->a,
	    "%zu", s->nchanges) : NULL, "add changes: date, version and "
	    "summary of each relevant change");
	info(b, "Current model version", s->model_version.s);
	if (s->nchanges == 0)
		return;
	t = table(b, "Changes", head, ARRAY_SIZE(head));
	for (i = 0; i < s->nchanges; i++)
		row(b, t, 3, s->changes[i].date.s, s->changes[i].version.s,
		    s->changes[i].summary.s);
}

static void
sec_conformity(struct sb *b)
{
	const struct eu_ai_act *eu = &b->s->eu;

	need(b, "Conformity assessment route (Art. 43)",
	    eu->conformity_route.v == ROUTE_INTERNAL ? "internal control "
	    "(Annex VI)" : eu->conformity_route.v == ROUTE_NOTIFIED_BODY ?
	    "with a notified body (Annex VII)" : NULL,
	    "add eu_ai_act.conformity.route");
	need(b, "Assessment completed", eu->conformity_completed.s,
	    "add eu_ai_act.conformity.completed");
	info(b, "Evidence recorded in the repository", b->s->nevidence > 0 ?
	    arena_printf(b->a, "%zu documents (section 3)", b->s->nevidence) :
	    "none");
}

static void (*const builders[])(struct sb *) = {
	sec_classification, sec_description, sec_development, sec_monitoring,
	sec_metrics, sec_risk, sec_data, sec_records, sec_transparency,
	sec_oversight, sec_accuracy, sec_quality, sec_deployer,
	sec_registration, sec_post_market, sec_incidents, sec_changes,
	sec_conformity
};

/* ---- the pack ----------------------------------------------------------- */

/* Whether section x is required of s, and if not, why. */
static int
required(const struct euaia_section *x, const struct model *m,
    const struct system *s, const char **why)
{
	int cls = s->eu.classification.v, role = s->eu.role.v;
	int public_body = m->org != NULL && m->org->public_body.v;

	*why = NULL;
	if (cls < 0) {
		if (x->n == 1)
			return 1;
		*why = "until the system is classified";
		return 0;
	}
	if (!x->required[cls])
		return 0;
	if (role >= 0 && !x->roles[role] && !(x->public_deployers &&
	    role == EUROLE_DEPLOYER && public_body))
		return -1;
	return 1;
}

static struct mval *
status_map(struct arena *a, enum sec_status st, const char *why)
{
	struct mval *m = mv_map(a);

	mv_set_str(a, m, "key", sec_status_names[st]);
	mv_set_str(a, m, "word", sec_status_words[st]);
	mv_set_str(a, m, "icon", sec_status_icons[st]);
	mv_set_str(a, m, "why", why);
	return m;
}

void
pack_build(struct view *v, const struct euaia_facts *f, size_t si,
    struct pack *p)
{
	const struct model *m = v->m;
	const struct system *s = &m->systems[si];
	const struct euaia_section *x;
	struct arena *a = v->a;
	struct mval *pk, *sys, *rows, *out, *sec, *page, *e, *fl, *st;
	struct sb b;
	const char *why, *title = s->name.s != NULL ? s->name.s : s->id.s;
	int cls = s->eu.classification.v, req;
	size_t i, j, n;
	enum sec_status ss;

	memset(p, 0, sizeof(*p));
	p->dir = arena_printf(a, "packs/%s", s->id.s);
	n = cls == EUCLASS_PROHIBITED ? 1 : f->nsections;
	p->n = n;
	p->sections = arena_alloc(a, n * sizeof(*p->sections));
	p->stems = arena_alloc(a, n * sizeof(*p->stems));
	p->sum.prohibited = cls == EUCLASS_PROHIBITED;

	/* What every page of the pack shares. */
	sys = mv_map(a);
	mv_set_str(a, sys, "id", s->id.s);
	mv_set_str(a, sys, "name", title);
	mv_set_str(a, sys, "summary", s->summary.s);
	mv_set_str(a, sys, "stage", stage_labels[s->stage.v]);
	pk = mv_map(a);
	mv_set_str(a, pk, "classification", cls >= 0 ? euclass_labels[cls] :
	    "not classified");
	mv_set_str(a, pk, "role", s->eu.role.v >= 0 ?
	    eurole_labels[s->eu.role.v] : "not stated");
	{
		int rg = m->org != NULL && m->org->regime.v >= 0 ?
		    m->org->regime.v : REGIME_OMNIBUS;

		mv_set_str(a, pk, "regime", regime_names[rg]);
		mv_set_str(a, pk, "date_prohibited", f->dates[rg].prohibited);
		mv_set_str(a, pk, "date_transparency",
		    f->dates[rg].transparency);
		mv_set_str(a, pk, "date_high_risk", f->dates[rg].high_risk);
	}
	rows = mv_list(a);
	out = mv_list(a);

	for (i = 0; i < n; i++) {
		x = &f->sections[i];
		p->stems[i] = arena_printf(a, "%02d-%s", x->n, x->slug);
		memset(&b, 0, sizeof(b));
		b.v = v;
		b.a = a;
		b.f = f;
		b.m = m;
		b.s = s;
		b.ev = &v->ev->v[si];
		b.si = si;
		b.blocks = mv_list(a);
		b.missing = mv_list(a);
		if ((size_t)x->n <= ARRAY_SIZE(builders))
			builders[x->n - 1](&b);
		if (x->noutside > 0) {
			block(&b, "To be completed outside Charter");
			for (j = 0; j < x->noutside; j++)
				item(&b, x->outside[j].item, I_OUTSIDE,
				    x->outside[j].where);
		}

		req = required(x, m, s, &why);
		if (req < 0)
			why = arena_printf(a, "of a %s", eurole_names[
			    s->eu.role.v]);
		else if (req == 0 && why == NULL)
			why = arena_printf(a, "for a %s system",
			    euclass_names[cls]);
		if (req <= 0)
			ss = SEC_NOT_REQUIRED;
		else if (b.ngap == 0)
			ss = SEC_DOCUMENTED;
		else if (b.ndoc == 0)
			ss = SEC_MISSING;
		else
			ss = SEC_PARTIAL;
		p->sum.status[ss]++;
		p->sum.required += req > 0;
		st = status_map(a, ss, req > 0 ? NULL : why);

		sec = mv_map(a);
		mv_set_num(a, sec, "n", x->n);
		mv_set_str(a, sec, "num", arena_printf(a, "%02d", x->n));
		mv_set_str(a, sec, "title", x->title);
		mv_set_str(a, sec, "articles", x->articles);
		mv_set_str(a, sec, "asks", x->asks);
		mv_set_str(a, sec, "href", arena_printf(a, "%s.html",
		    p->stems[i]));
		mv_set_str(a, sec, "href_md", arena_printf(a, "%s.md", p->stems[i]));
		mv_set(a, sec, "status", st);
		mv_set_bool(a, sec, "required", req > 0);
		mv_set_str(a, sec, "missing", joined(a, b.missing));
		mv_set(a, sec, "blocks", b.blocks);
		mv_push(a, rows, sec);

		page = view_page(v, arena_printf(a, "%d. %s \xc2\xb7 %s",
		    x->n, x->title, title), "", NULL);
		mv_set(a, page, "system", sys);
		mv_set(a, page, "pack", pk);
		mv_set(a, page, "section", sec);
		p->sections[i] = page;
	}
	/* Previous and next, once every section exists. */
	for (i = 0; i < n; i++) {
		if (i > 0)
			mv_set(a, p->sections[i], "prev", rows->items[i - 1]);
		if (i + 1 < n)
			mv_set(a, p->sections[i], "next", rows->items[i + 1]);
	}
	for (i = 0; i < n; i++)
		for (j = 0; j < f->sections[i].noutside; j++) {
			e = mv_push(a, out, mv_map(a));
			mv_set_str(a, e, "section", arena_printf(a, "%02d. %s",
			    f->sections[i].n, f->sections[i].title));
			mv_set_str(a, e, "href", arena_printf(a, "%s.html",
			    p->stems[i]));
			mv_set_str(a, e, "href_md", arena_printf(a, "%s.md",
			    p->stems[i]));
			mv_set_str(a, e, "item", f->sections[i].outside[j].item);
			mv_set_str(a, e, "where",
			    f->sections[i].outside[j].where);
		}

	/* The summary. */
	p->sum.complete = p->sum.status[SEC_DOCUMENTED] == p->sum.required &&
	    !p->sum.prohibited;
	p->sum.key = p->sum.prohibited ? "prohibited" : p->sum.complete ?
	    "complete" : "gaps";
	p->sum.text = p->sum.prohibited ? "prohibited practice: section 1 "
	    "only" : arena_printf(a, "%d of %d required sections documented",
	    p->sum.status[SEC_DOCUMENTED], p->sum.required);

	page = view_page(v, arena_printf(a, "EU AI Act documentation pack "
	    "\xc2\xb7 %s", title), "", NULL);
	mv_set(a, page, "system", sys);
	mv_set(a, page, "pack", pk);
	mv_set(a, page, "sections", rows);
	mv_set(a, page, "outside", out);
	mv_set_bool(a, page, "has_outside", out->n > 0);
	e = mv_set(a, page, "summary", mv_map(a));
	mv_set_str(a, e, "key", p->sum.key);
	mv_set_str(a, e, "text", p->sum.text);
	mv_set_bool(a, e, "complete", p->sum.complete);
	mv_set_bool(a, e, "prohibited", p->sum.prohibited);
	mv_set_num(a, e, "required", p->sum.required);
	mv_set_num(a, e, "documented", p->sum.status[SEC_DOCUMENTED]);

	/* The system's open findings, errors first (the list is sorted). */
	fl = mv_set(a, page, "findings", mv_list(a));
	for (j = SEV_MAX; j-- > 0;)
		for (i = 0; i < v->d->n; i++) {
			const struct finding *fi = &v->d->v[i];

			if (v->fsys[i] != (long)si || (size_t)fi->severity != j)
				continue;
			e = mv_push(a, fl, mv_map(a));
			mv_set_str(a, e, "severity", severity_names[fi->severity]);
			mv_set_str(a, e, "rule", rule_table[fi->rule].id);
			mv_set_str(a, e, "message", fi->message);
		}
	mv_set_bool(a, page, "has_findings", fl->n > 0);
	p->index = page;
}
