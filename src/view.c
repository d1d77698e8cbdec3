/*
 * view.c - build the template view (see view.h) from the model, the
 * decision-log evidence and the findings.
 *
 * Everything here is data: strings, numbers, booleans, lists and maps.
 * Formatting for people (percentages, money, dates, "3 of 7") happens here
 * so that every template shows the same figure the same way; markup does
 * not, apart from the *_html and *_svg values named in view.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "chart.h"
#include "diag.h"
#include "evidence.h"
#include "md.h"
#include "metrics.h"
#include "model.h"
#include "mustache.h"
#include "pack.h"
#include "util.h"
#include "view.h"

/* Beside the status word (kpi_status_words): colour is never the only signal. */
static const char *const status_icons[KPI_STATUS_MAX] = {
	"\xe2\x80\x93", "\xe2\x9c\x93", "\xe2\x96\xb2", "\xe2\x9c\x95"
};


static const char *
enum_text(const char *const *names, int max, int v)
{
	return v >= 0 && v < max ? names[v] : NULL;
}

static int
in_use(const struct system *s)
{
	return s->stage.v == STAGE_SHADOW || s->stage.v == STAGE_PRODUCTION;
}

/* ---- findings by system ----------------------------------------------------- */

void
view_init(struct view *v, struct arena *a, const struct model *m,
    const struct log_evidence *ev, const struct diag *d, const char *version)
{
	size_t i;
	long s;

	memset(v, 0, sizeof(*v));
	v->a = a;
	v->m = m;
	v->ev = ev;
	v->d = d;
	v->version = version;
	v->sev = arena_alloc(a, (m->nsystems + 1) * sizeof(*v->sev));
	v->fsys = arena_alloc(a, (d->n + 1) * sizeof(*v->fsys));
	for (i = 0; i < d->n; i++) {
		s = v->fsys[i] = model_finding_system(v->m, &d->v[i]);
		if (s >= 0)
			v->sev[s][d->v[i].severity]++;
		else
			v->other[d->v[i].severity]++;
	}
}

long
view_finding_system(const struct view *v, const struct finding *f)
{
	if (f < v->d->v || f >= v->d->v + v->d->n)
		return model_finding_system(v->m, f);
	return v->fsys[f - v->d->v];
}

/* ---- small builders ------------------------------------------------------------ */

/* A count, and has_KEY for templates (0 is truthy in Mustache). */
static void
set_count(struct view *v, struct mval *map, const char *key,
    unsigned long long n)
{
	mv_set_num(v->a, map, key, (double)n);
	mv_set_bool(v->a, map, arena_printf(v->a, "has_%s", key), n > 0);
}

/* "1,234,567": counts read more easily with separators. */
static const char *
count_text(struct arena *a, unsigned long long n)
{
	char raw[32], out[48];
	size_t len, i, o = 0;

	len = (size_t)snprintf(raw, sizeof(raw), "%llu", n);
	for (i = 0; i < len; i++) {
		if (i > 0 && (len - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = raw[i];
	}
	out[o] = '\0';
	return arena_strdup(a, out);
}

static const char *
metric_text(struct arena *a, enum metric mt, double val, int defined)
{
	struct buf b;
	const char *s;

	buf_init(&b, 0);
	metric_format(&b, mt, val, defined);
	s = arena_strdup(a, b.data);
	buf_release(&b);
	return s;
}

static const char *
money_text(struct arena *a, double x)
{
	char out[64];

	if (!(x > -1e15 && x < 1e15))
		snprintf(out, sizeof(out), "%.6g", x);
	else if (x == (double)(long long)x)
		snprintf(out, sizeof(out), "%lld", (long long)x);
	else
		snprintf(out, sizeof(out), "%.2f", x);
	return arena_strdup(a, out);
}

static const struct system *
sys_at(const struct view *v, size_t i)
{
	return &v->m->systems[i];
}

/*
 * A path as the site shows it: relative to the governance repo, so the
 * pages never carry the builder's folders and do not change with them.
 */
static const char *
repo_path(const struct view *v, const char *file)
{
	size_t n = strlen(v->m->root);

	if (file != NULL && strcmp(v->m->root, ".") != 0 &&
	    strncmp(file, v->m->root, n) == 0 && file[n] == '/')
		return file + n + 1;
	return file;
}

static const char *
system_href(struct view *v, const char *root, const struct system *s)
{
	return arena_printf(v->a, "%ssystems/%s.html", root, s->id.s);
}

const char *
view_page_href(struct arena *a, const char *rel)
{
	struct buf b;
	const char *p, *s;
	size_t n = strlen(rel);

	/* Percent-encode what is not safe in a URL path. */
	buf_init(&b, 0);
	buf_puts(&b, "pages/");
	for (p = rel; p < rel + n - 3; p++) {
		unsigned char c = (unsigned char)*p;

		if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		    (c >= '0' && c <= '9') || strchr("-._~/", c) != NULL)
			buf_putc(&b, c);
		else
			buf_printf(&b, "%%%02X", c);
	}
	buf_puts(&b, ".html");
	s = arena_strdup(a, b.data);
	buf_release(&b);
	return s;
}

/* "Data domain" -> "data domain", for use inside a sentence. */
static const char *
lower_label(struct view *v, int role)
{
	char *t = arena_strdup(v->a, role_labels[role]);

	t[0] = (char)(t[0] - 'A' + 'a');
	return t;
}

/*
 * A person, team or owner:ROLE as people read it.  Every key is set, so a
 * template testing {{#missing}} never finds an outer context's value.
 */
static struct mval *
party(struct view *v, const char *ref, const struct system *s)
{
	struct mval *p = mv_map(v->a);
	const struct person *pe = NULL;
	const struct team *t = NULL;
	const char *name = ref, *via = NULL, *title = NULL, *who;
	int role, missing = 0, team = 0, unknown = 0;

	if (ref == NULL) {
		name = "unassigned";
		missing = 1;
	} else if (strncmp(ref, "owner:", 6) == 0) {
		role = enum_lookup(role_names, ROLE_MAX, ref + 6);
		who = role >= 0 && s != NULL ? s->owners[role].s : NULL;
		if (who != NULL) {
			pe = model_person(v->m, who);
			t = pe == NULL ? model_team(v->m, who) : NULL;
			name = pe != NULL ? pe->name.s : t != NULL &&
			    t->name.s != NULL ? t->name.s : who;
			via = arena_printf(v->a, "%s owner", role_labels[role]);
		} else if (role >= 0) {
			name = arena_printf(v->a, s != NULL ? "no %s owner" :
			    "%s owner", s != NULL ? lower_label(v, role) :
			    role_labels[role]);
			missing = s != NULL;
			via = NULL;
		}
	} else if ((pe = model_person(v->m, ref)) != NULL) {
		name = pe->name.s;
		title = pe->title.s;
	} else if ((t = model_team(v->m, ref)) != NULL) {
		name = t->name.s != NULL ? t->name.s : ref;
		team = 1;
	} else
		unknown = 1;
	mv_set_str(v->a, p, "id", ref);
	mv_set_str(v->a, p, "name", name);
	mv_set_str(v->a, p, "via", via);
	mv_set_str(v->a, p, "title", title);
	mv_set_bool(v->a, p, "missing", missing);
	mv_set_bool(v->a, p, "team", team);
	mv_set_bool(v->a, p, "unknown", unknown);
	return p;
}

static struct mval *
parties(struct view *v, const struct slist *l, const struct system *s)
{
	struct mval *list = mv_list(v->a);
	size_t i;

	for (i = 0; i < l->n; i++)
		mv_push(v->a, list, party(v, l->v[i].s, s));
	return list;
}

static struct mval *
status(struct view *v, enum kpi_status st)
{
	struct mval *m = mv_map(v->a);
	int i;

	mv_set_str(v->a, m, "key", kpi_status_names[st]);
	mv_set_str(v->a, m, "word", kpi_status_words[st]);
	mv_set_str(v->a, m, "icon", status_icons[st]);
	for (i = 0; i < KPI_STATUS_MAX; i++)
		mv_set_bool(v->a, m, kpi_status_names[i], i == (int)st);
	return m;
}

static struct mval *
sev_counts(struct view *v, const int *c)
{
	struct mval *m = mv_map(v->a);

	set_count(v, m, "errors", (unsigned long long)c[SEV_ERROR]);
	set_count(v, m, "warnings", (unsigned long long)c[SEV_WARNING]);
	set_count(v, m, "notes", (unsigned long long)c[SEV_NOTE]);
	mv_set_bool(v->a, m, "any", c[0] + c[1] + c[2] > 0);
	mv_set_str(v->a, m, "errors_text", arena_printf(v->a, "%d error%s",
	    c[SEV_ERROR], c[SEV_ERROR] == 1 ? "" : "s"));
	mv_set_str(v->a, m, "warnings_text", arena_printf(v->a, "%d warning%s",
	    c[SEV_WARNING], c[SEV_WARNING] == 1 ? "" : "s"));
	mv_set_str(v->a, m, "notes_text", arena_printf(v->a, "%d note%s",
	    c[SEV_NOTE], c[SEV_NOTE] == 1 ? "" : "s"));
	return m;
}

/* The system's documentation pack: where it is and how complete. */
static struct mval *
pack_brief(struct view *v, size_t i, const char *root)
{
	const struct pack_summary *p;
	const struct system *s = sys_at(v, i);
	struct mval *m;

	if (v->packs == NULL)
		return mv_null(v->a);
	p = &v->packs[i];
	m = mv_map(v->a);
	mv_set_str(v->a, m, "href", arena_printf(v->a, "%spacks/%s/index.html",
	    root, s->id.s));
	mv_set_str(v->a, m, "zip", arena_printf(v->a, "%spacks/%s.zip", root,
	    s->id.s));
	mv_set_str(v->a, m, "key", p->key);
	mv_set_str(v->a, m, "text", p->text);
	mv_set_bool(v->a, m, "complete", p->complete);
	mv_set_bool(v->a, m, "prohibited", p->prohibited);
	mv_set_num(v->a, m, "required", p->required);
	mv_set_num(v->a, m, "documented", p->status[SEC_DOCUMENTED]);
	mv_set_str(v->a, m, "short", p->prohibited ? "prohibited" :
	    arena_printf(v->a, "%d/%d", p->status[SEC_DOCUMENTED],
	    p->required));
	return m;
}

/* The basics of a system, as every page lists it. */
static struct mval *
system_brief(struct view *v, size_t i, const char *root)
{
	const struct system *s = sys_at(v, i);
	const struct tier *t = s->risk_tier.s != NULL ?
	    model_tier(v->m, s->risk_tier.s) : NULL;
	struct mval *m = mv_map(v->a);
	const char *st = enum_text(stage_names, STAGE_MAX, s->stage.v);
	const char *cl;

	mv_set_str(v->a, m, "id", s->id.s);
	mv_set_str(v->a, m, "name", s->name.s != NULL ? s->name.s : s->id.s);
	mv_set_str(v->a, m, "summary", s->summary.s);
	mv_set_str(v->a, m, "href", system_href(v, root, s));
	mv_set_str(v->a, m, "stage", st);
	mv_set_str(v->a, m, "stage_label", st != NULL ?
	    stage_labels[s->stage.v] : "Not set");
	mv_set_str(v->a, m, "function", enum_text(function_names,
	    FUNCTION_MAX, s->function.v));
	mv_set_str(v->a, m, "value", enum_text(value_names, VALUE_MAX,
	    s->value.v));
	mv_set_str(v->a, m, "tier", s->risk_tier.s);
	mv_set_str(v->a, m, "tier_name", t != NULL && t->name.s != NULL ?
	    t->name.s : s->risk_tier.s);
	if (t != NULL && t->lane.v >= 0)
		mv_set_str(v->a, m, "lane", lane_names[t->lane.v]);
	cl = s->eu.present ? enum_text(euclass_names, EUCLASS_MAX,
	    s->eu.classification.v) : NULL;
	mv_set_str(v->a, m, "classification", cl);
	mv_set_str(v->a, m, "classification_label", cl != NULL ?
	    euclass_labels[s->eu.classification.v] : "Not classified");
	mv_set_bool(v->a, m, "high_risk", s->eu.present &&
	    s->eu.classification.v == EUCLASS_HIGH_RISK);
	mv_set_str(v->a, m, "file", s->file);
	mv_set(v->a, m, "outcome_owner", party(v, s->owners[ROLE_OUTCOME].s,
	    s));
	mv_set(v->a, m, "findings", sev_counts(v, v->sev[i]));
	mv_set_bool(v->a, m, "in_use", in_use(s));
	mv_set(v->a, m, "pack", pack_brief(v, i, root));
	return m;
}

/* ---- every page ---------------------------------------------------------------- */

struct nav_entry {
	const char	*key, *href, *title;
};

static const struct nav_entry nav_main[] = {
	{ "index", "index.html", "Overview" },
	{ "ownership", "ownership.html", "Ownership" },
	{ "decision-rights", "decision-rights.html", "Decision rights" },
	{ "risk-register", "risk-register.html", "Risk register" },
	{ "findings", "findings.html", "Findings" },
};

/*
 * Pages in the navigation at most: every page carries it, so an unbounded
 * list would grow the site with the square of the number of pages.
 */
#define NAV_PAGES	12

struct mval *
view_page(struct view *v, const char *title, const char *root,
    const char *nav_key)
{
	struct mval *p = mv_map(v->a), *nav, *e, *org;
	const struct organization *o = v->m->org;
	const struct page *pg;
	size_t i, n;
	int total[SEV_MAX] = { 0 };

	mv_set_str(v->a, p, "title", title);
	mv_set_str(v->a, p, "root", root);
	mv_set_str(v->a, p, "as_of", v->m->as_of_text);
	mv_set_str(v->a, p, "version", v->version);
	mv_set_str(v->a, p, "libraries", v->libraries);
	org = mv_set(v->a, p, "org", mv_map(v->a));
	mv_set_str(v->a, org, "name", o != NULL && o->name.s != NULL ?
	    o->name.s : "Governance");
	mv_set_str(v->a, org, "id", o != NULL ? o->id.s : NULL);
	nav = mv_set(v->a, p, "nav", mv_list(v->a));
	for (i = 0; i < ARRAY_SIZE(nav_main); i++) {
		e = mv_push(v->a, nav, mv_map(v->a));
		mv_set_str(v->a, e, "title", nav_main[i].title);
		mv_set_str(v->a, e, "href", arena_printf(v->a, "%s%s", root,
		    nav_main[i].href));
		mv_set_bool(v->a, e, "current", nav_key != NULL &&
		    strcmp(nav_key, nav_main[i].key) == 0);
	}
	for (i = 0, n = 0; i < v->m->npages && n < NAV_PAGES; i++) {
		pg = &v->m->pages[i];
		if (!pg->nav.v)
			continue;
		n++;
		e = mv_push(v->a, nav, mv_map(v->a));
		mv_set_str(v->a, e, "title", pg->title.s);
		mv_set_str(v->a, e, "href", arena_printf(v->a, "%s%s", root,
		    view_page_href(v->a, pg->rel)));
		mv_set_bool(v->a, e, "current", nav_key != NULL &&
		    strcmp(nav_key, pg->rel) == 0);
	}
	for (i = 0; i < v->d->n; i++)
		total[v->d->v[i].severity]++;
	mv_set(v->a, p, "counts", sev_counts(v, total));
	return p;
}

/* ---- KPIs ------------------------------------------------------------------------ */

static void
chart_kpi_of(const struct kpi *k, const struct kpi_series *ks,
    struct chart_kpi *ck)
{
	memset(ck, 0, sizeof(*ck));
	ck->title = k->name.s != NULL ? k->name.s : k->id.s;
	ck->unit = k->unit.s;
	if (k->unit.s != NULL && strcmp(k->unit.s, "ratio") == 0) {
		ck->percent = 1;
		ck->unit = NULL;
	} else if (k->unit.s != NULL && strcmp(k->unit.s, "count") == 0)
		ck->unit = NULL;
	ck->lower_is_better = k->direction.v == DIRECTION_DOWN ||
	    (k->direction.v < 0 && k->target.set && k->red.set &&
	    k->red.v > k->target.v) ||
	    (k->direction.v < 0 && !k->target.set && k->red.set &&
	    k->amber.set && k->red.v > k->amber.v);
	ck->has_target = k->target.set;
	ck->target = k->target.v;
	ck->has_amber = k->amber.set;
	ck->amber = k->amber.v;
	ck->has_red = k->red.set;
	ck->red = k->red.v;
	ck->status = kpi_status_words[ks->status];
	ck->period_name = k->period.v == PERIOD_DAY ? "daily" :
	    k->period.v == PERIOD_WEEK ? "weekly" : "monthly";
}

static const char *
kpi_num(struct view *v, const struct chart_kpi *ck, double x)
{
	char out[64];

	chart_format(out, sizeof(out), x, ck);
	return arena_strdup(v->a, out);
}

static struct chart_point *
kpi_points(struct view *v, const struct kpi_series *ks)
{
	struct chart_point *p;
	size_t i;

	p = arena_alloc(v->a, (ks->n + 1) * sizeof(*p));
	for (i = 0; i < ks->n; i++) {
		p[i].label = invisible_text(v->a, ks->v[i].period);
		p[i].v = ks->v[i].value;
	}
	return p;
}

static struct mval *
kpi_view(struct view *v, const struct system *s, size_t si, size_t j,
    const char *id, int charts)
{
	const struct kpi *k = &s->kpis[j];
	const struct kpi_series *ks = &v->ev->v[si].kpis[j];
	struct mval *m = mv_map(v->a);
	struct chart_kpi ck, cs;
	struct chart_point *pts;
	struct buf b;
	const char *lvl = enum_text(level_names, LEVEL_MAX, k->level.v);

	chart_kpi_of(k, ks, &ck);
	mv_set_str(v->a, m, "id", k->id.s);
	mv_set_str(v->a, m, "name", ck.title);
	mv_set_str(v->a, m, "level", lvl);
	mv_set_str(v->a, m, "unit", k->unit.s);
	mv_set_str(v->a, m, "source", k->metric.s != NULL ? "decision log" :
	    k->sql.s != NULL ? "SQL query" : k->has_values ? "values" : NULL);
	mv_set_str(v->a, m, "metric", k->metric.s);
	mv_set_str(v->a, m, "direction", ck.lower_is_better ?
	    "lower is better" : "higher is better");
	/*
	 * Every key is set, null when absent: KPI nodes nest, and a child
	 * without a target must not show its parent's.
	 */
	mv_set_str(v->a, m, "target", k->target.set ? kpi_num(v, &ck,
	    k->target.v) : NULL);
	mv_set_str(v->a, m, "baseline", k->baseline.set ? kpi_num(v, &ck,
	    k->baseline.v) : NULL);
	mv_set_str(v->a, m, "amber", k->amber.set ? kpi_num(v, &ck,
	    k->amber.v) : NULL);
	mv_set_str(v->a, m, "red", k->red.set ? kpi_num(v, &ck, k->red.v) :
	    NULL);
	mv_set(v->a, m, "owner", k->owner.s != NULL ? party(v, k->owner.s,
	    s) : mv_null(v->a));
	mv_set(v->a, m, "status", status(v, ks->status));
	mv_set_num(v->a, m, "points", (double)ks->n);
	mv_set_str(v->a, m, "latest", ks->has_latest ? kpi_num(v, &ck,
	    ks->latest) : NULL);
	mv_set_str(v->a, m, "latest_period", ks->has_latest ?
	    ks->v[ks->n - 1].period : NULL);
	/*
	 * The charts escape their text for SVG, where a marker can only be
	 * text: invisible characters are replaced before they see it.
	 */
	cs = ck;
	cs.title = invisible_text(v->a, ck.title);
	cs.unit = invisible_text(v->a, ck.unit);
	pts = kpi_points(v, ks);
	buf_init(&b, 0);
	chart_sparkline(&b, arena_printf(v->a, "%s-%zu-%zu", id, si, j), &cs,
	    pts, ks->n);
	mv_set_str(v->a, m, "spark_svg", arena_strdup(v->a, b.data));
	buf_release(&b);
	buf_init(&b, 0);
	if (charts)
		chart_line(&b, arena_printf(v->a, "kpi-%zu", j), &cs, pts,
		    ks->n);
	mv_set_str(v->a, m, "chart_svg", charts ? arena_strdup(v->a, b.data) :
	    NULL);
	buf_release(&b);
	return m;
}

/* The KPI stack as nested lists, in kpi_tree_order. */
static struct mval *
kpi_tree(struct view *v, const struct system *s, size_t si)
{
	struct mval *roots = mv_list(v->a), *level[KPI_TREE_DEPTH + 2];
	struct mval **node, **kids;
	size_t *order, j;
	int *depth;

	order = xcalloc(s->nkpis + 1, sizeof(*order));
	depth = xcalloc(s->nkpis + 1, sizeof(*depth));
	node = xcalloc(s->nkpis + 1, sizeof(*node));
	kids = xcalloc(s->nkpis + 1, sizeof(*kids));
	kpi_tree_order(s, order, depth);
	level[0] = roots;
	for (j = 0; j < s->nkpis; j++) {
		node[j] = mv_push(v->a, level[depth[j]], kpi_view(v, s, si,
		    order[j], "spark", 1));
		kids[j] = mv_set(v->a, node[j], "children", mv_list(v->a));
		level[depth[j] + 1] = kids[j];
	}
	for (j = 0; j < s->nkpis; j++)
		mv_set_bool(v->a, node[j], "has_children", kids[j]->n > 0);
	free(order);
	free(depth);
	free(node);
	free(kids);
	return roots;
}

/* ---- for the packs (pack.c) ------------------------------------------------- */

const char *
view_count(struct arena *a, unsigned long long n)
{
	return count_text(a, n);
}

const char *
view_metric(struct arena *a, int metric, double x, int defined)
{
	return metric_text(a, (enum metric)metric, x, defined);
}

const char *
view_money(struct arena *a, double x)
{
	return money_text(a, x);
}

const char *
view_repo_path(const struct view *v, const char *file)
{
	return repo_path(v, file);
}

const char *
view_party_text(struct view *v, const char *ref, const struct system *s)
{
	struct mval *p = party(v, ref, s);
	const char *name = mv_get(p, "name")->s, *via;

	if (ref == NULL)
		return NULL;
	via = mv_get(p, "via") != NULL ? mv_get(p, "via")->s : NULL;
	return via != NULL ? arena_printf(v->a, "%s (%s)", name, via) : name;
}

/* ---- the overview ---------------------------------------------------------------- */

void
view_index(struct view *v, struct mval *p)
{
	const struct model *m = v->m;
	struct mval *stages, *st, *list, *tiers, *row, *cells, *cell, *tiles,
	    *red, *notready, *sysl, *tile;
	const struct system *s;
	size_t i, j, t, ntiers = m->tiers != NULL ? m->tiers->ntiers : 0;
	int n, best, lvl, nred = 0;

	sysl = mv_set(v->a, p, "systems", mv_list(v->a));
	for (i = 0; i < m->nsystems; i++)
		mv_push(v->a, sysl, system_brief(v, i, ""));
	set_count(v, p, "nsystems", m->nsystems);

	/* Stages, each with its systems. */
	stages = mv_set(v->a, p, "stages", mv_list(v->a));
	for (j = 0; j < STAGE_MAX; j++) {
		st = mv_push(v->a, stages, mv_map(v->a));
		mv_set_str(v->a, st, "stage", stage_names[j]);
		mv_set_str(v->a, st, "label", stage_labels[j]);
		list = mv_set(v->a, st, "systems", mv_list(v->a));
		for (i = n = 0; i < m->nsystems; i++)
			if (m->systems[i].stage.v == (int)j) {
				mv_push(v->a, list, system_brief(v, i, ""));
				n++;
			}
		set_count(v, st, "count", (unsigned long long)n);
	}

	/* Tiers x stages: how many systems sit where. */
	tiers = mv_set(v->a, p, "tier_rows", mv_list(v->a));
	for (t = 0; t < ntiers; t++) {
		const struct tier *tr = &m->tiers->tiers[t];

		row = mv_push(v->a, tiers, mv_map(v->a));
		mv_set_str(v->a, row, "tier", tr->id.s);
		mv_set_str(v->a, row, "name", tr->name.s != NULL ? tr->name.s :
		    tr->id.s);
		mv_set_str(v->a, row, "lane", enum_text(lane_names, LANE_MAX,
		    tr->lane.v));
		cells = mv_set(v->a, row, "cells", mv_list(v->a));
		for (j = 0; j < STAGE_MAX; j++) {
			cell = mv_push(v->a, cells, mv_map(v->a));
			mv_set_str(v->a, cell, "stage", stage_labels[j]);
			list = mv_set(v->a, cell, "systems", mv_list(v->a));
			for (i = 0; i < m->nsystems; i++) {
				s = &m->systems[i];
				if (s->stage.v == (int)j && s->risk_tier.s &&
				    strcmp(s->risk_tier.s, tr->id.s) == 0)
					mv_push(v->a, list, system_brief(v, i,
					    ""));
			}
		}
	}

	/*
	 * KPI tiles: the highest-level KPIs of each system in use (its
	 * business KPIs, else whatever sits at the top of its stack).
	 */
	tiles = mv_set(v->a, p, "tiles", mv_list(v->a));
	red = mv_set(v->a, p, "attention", mv_list(v->a));
	for (i = 0; i < m->nsystems; i++) {
		s = &m->systems[i];
		for (j = 0, best = -1; j < s->nkpis; j++)
			if (s->kpis[j].level.v > best)
				best = s->kpis[j].level.v;
		for (j = 0; j < s->nkpis; j++) {
			const struct kpi_series *ks = &v->ev->v[i].kpis[j];

			lvl = s->kpis[j].level.v;
			nred += ks->status == KPI_RED;
			if (ks->status == KPI_RED || ks->status == KPI_AMBER) {
				tile = mv_push(v->a, red, kpi_view(v, s, i, j,
				    "red", 0));
				mv_set(v->a, tile, "system", system_brief(v, i,
				    ""));
			}
			if (lvl != best || !in_use(s))
				continue;
			tile = mv_push(v->a, tiles, kpi_view(v, s, i, j, "tile",
			    0));
			mv_set(v->a, tile, "system", system_brief(v, i, ""));
		}
	}

	/* Systems whose findings include errors: not ready for their stage. */
	notready = mv_set(v->a, p, "not_ready", mv_list(v->a));
	for (i = 0; i < m->nsystems; i++)
		if (v->sev[i][SEV_ERROR] > 0)
			mv_push(v->a, notready, system_brief(v, i, ""));
	set_count(v, p, "nnot_ready", notready->n);
	set_count(v, p, "nattention", red->n);
	set_count(v, p, "nred", (unsigned long long)nred);
	set_count(v, p, "ntiles", tiles->n);
}

/* ---- one system ------------------------------------------------------------------ */

static struct mval *
owners_view(struct view *v, const struct system *s)
{
	struct mval *list = mv_list(v->a), *o;
	size_t r;

	for (r = 0; r < ROLE_MAX; r++) {
		o = mv_push(v->a, list, party(v, s->owners[r].s, s));
		mv_set_str(v->a, o, "role", role_names[r]);
		mv_set_str(v->a, o, "role_label", role_labels[r]);
	}
	return list;
}

static struct mval *
rights_view(struct view *v, const struct system *s)
{
	const struct decision_rights *dr = v->m->rights;
	const struct assignment *as;
	const struct decision *dc;
	struct mval *list = mv_list(v->a), *e;
	size_t i;

	if (dr == NULL)
		return list;
	for (i = 0; i < dr->ndecisions; i++) {
		dc = &dr->decisions[i];
		as = s->risk_tier.s != NULL ? decision_assignment(dc,
		    s->risk_tier.s) : dc->has_default ? &dc->def : NULL;
		e = mv_push(v->a, list, mv_map(v->a));
		mv_set_str(v->a, e, "id", dc->id.s);
		mv_set_str(v->a, e, "name", dc->name.s != NULL ? dc->name.s :
		    dc->id.s);
		mv_set_str(v->a, e, "description", dc->description.s);
		if (as == NULL) {
			mv_set_bool(v->a, e, "unassigned", 1);
			continue;
		}
		mv_set(v->a, e, "decides", party(v, as->decides.s, s));
		mv_set(v->a, e, "consulted", parties(v, &as->consulted, s));
		mv_set(v->a, e, "informed", parties(v, &as->informed, s));
	}
	return list;
}

static struct mval *
table_view(struct view *v, const struct system *s)
{
	struct mval *list = mv_list(v->a), *r, *docs;
	const struct table_row *t;
	size_t i, j;

	for (i = 0; i < s->ntable; i++) {
		t = &s->table[i];
		r = mv_push(v->a, list, mv_map(v->a));
		mv_set_str(v->a, r, "exception", t->exception.s);
		mv_set_str(v->a, r, "description", t->description.s);
		mv_set_bool(v->a, r, "ai_may_resolve", t->ai_may_resolve.v);
		if (t->min_confidence.set)
			mv_set_str(v->a, r, "min_confidence", arena_printf(v->a,
			    "%.2f", t->min_confidence.v));
		if (t->max_amount.set)
			mv_set_str(v->a, r, "max_amount", money_text(v->a,
			    t->max_amount.v));
		if (t->sla_hours.set)
			mv_set_str(v->a, r, "sla_hours", money_text(v->a,
			    t->sla_hours.v));
		mv_set(v->a, r, "escalate_to", party(v, t->escalate_to.s, s));
		docs = mv_set(v->a, r, "documentation", mv_list(v->a));
		for (j = 0; j < t->documentation.n; j++)
			mv_push(v->a, docs, mv_str(v->a,
			    t->documentation.v[j].s));
	}
	return list;
}

static const char *
cat_label(const struct system *s, size_t i)
{
	if (i < s->ntable)
		return s->table[i].exception.s;
	return i == s->ntable ? "no exception" : "not in the table";
}

static void
log_view(struct view *v, struct mval *p, const struct system *s, size_t si)
{
	const struct sys_evidence *ev = &v->ev->v[si];
	static const enum metric shown[] = {
		M_VOLUME, M_EXCEPTION_RATE, M_AUTONOMOUS_RATE,
		M_ESCALATION_RATE, M_HUMAN_REVIEW_RATE, M_ERROR_RATE,
		M_CYCLE_P50, M_CYCLE_P90, M_COST_PER_CASE,
		M_BOUNDARY_BREACHES, M_LOG_COMPLETENESS, M_SHADOW_AGREEMENT
	};
	static const char *const labels[] = {
		"Live decisions", "Exception rate", "Resolved by the AI",
		"Escalated", "Reviewed by a person", "Corrected later",
		"Cycle time, median", "Cycle time, 90th percentile",
		"Cost per case", "Boundary breaches", "Log completeness",
		"Shadow agreement"
	};
	struct mval *lg, *list, *e, *shadow, *ready;
	struct chart_bar *bars;
	const struct readiness *rd;
	struct buf b;
	char t1[21];
	size_t i, nb = 0;
	double x;
	int def;

	lg = mv_set(v->a, p, "log", mv_map(v->a));
	if (ev->db == NULL) {
		mv_set_bool(v->a, lg, "none", 1);
		return;
	}
	mv_set_str(v->a, lg, "database", repo_path(v, ev->db));
	if (!ev->read) {
		mv_set_bool(v->a, lg, "unread", 1);
		return;
	}
	mv_set_bool(v->a, lg, "read", 1);
	mv_set_str(v->a, lg, "rows", count_text(v->a, ev->m.total.rows));
	mv_set_str(v->a, lg, "live", count_text(v->a, ev->m.total.live));
	mv_set_str(v->a, lg, "shadow", count_text(v->a, ev->m.total.shadow));
	if (ev->m.total.rows > 0) {
		ts_format(ev->m.first, t1);
		mv_set_str(v->a, lg, "first", arena_strdup(v->a, t1));
		ts_format(ev->m.last, t1);
		mv_set_str(v->a, lg, "last", arena_strdup(v->a, t1));
	}
	if (s->log_retention_days.set)
		mv_set_num(v->a, lg, "retention_days", s->log_retention_days.v);
	list = mv_set(v->a, lg, "metrics", mv_list(v->a));
	for (i = 0; i < ARRAY_SIZE(shown); i++) {
		x = macc_value(&ev->m.total, shown[i], &def);
		e = mv_push(v->a, list, mv_map(v->a));
		mv_set_str(v->a, e, "name", metric_names[shown[i]]);
		mv_set_str(v->a, e, "label", labels[i]);
		mv_set_str(v->a, e, "value", metric_text(v->a, shown[i], x,
		    def));
	}

	/* By exception category, with a bar chart of decisions. */
	bars = arena_alloc(v->a, (ev->m.ncat + 1) * sizeof(*bars));
	list = mv_set(v->a, lg, "categories", mv_list(v->a));
	for (i = 0; i < ev->m.ncat; i++) {
		const struct macc *c = &ev->m.cat[i];

		if (c->rows == 0 && i >= s->ntable)
			continue;
		e = mv_push(v->a, list, mv_map(v->a));
		mv_set_str(v->a, e, "exception", cat_label(s, i));
		mv_set_bool(v->a, e, "listed", i < s->ntable);
		mv_set_str(v->a, e, "decisions", count_text(v->a, c->live));
		x = macc_value(c, M_AUTONOMOUS_RATE, &def);
		mv_set_str(v->a, e, "autonomous", metric_text(v->a,
		    M_AUTONOMOUS_RATE, x, def));
		x = macc_value(c, M_ESCALATION_RATE, &def);
		mv_set_str(v->a, e, "escalated", metric_text(v->a,
		    M_ESCALATION_RATE, x, def));
		x = macc_value(c, M_CYCLE_P50, &def);
		mv_set_str(v->a, e, "cycle_p50", metric_text(v->a,
		    M_CYCLE_P50, x, def));
		mv_set_str(v->a, e, "breaches", count_text(v->a, c->breaches));
		mv_set_bool(v->a, e, "has_breaches", c->breaches > 0);
		if (i != s->ntable) {
			bars[nb].label = invisible_text(v->a, cat_label(s, i));
			bars[nb].v = (double)c->live;
			bars[nb].note = NULL;
			nb++;
		}
	}
	buf_init(&b, 0);
	chart_bars(&b, "categories", "Live decisions by exception category",
	    NULL, bars, nb);
	mv_set_str(v->a, lg, "categories_svg", arena_strdup(v->a, b.data));
	buf_release(&b);

	/* Shadow mode: agreement per category, and what may be promoted. */
	shadow = mv_set(v->a, lg, "shadow_mode", mv_map(v->a));
	mv_set_str(v->a, shadow, "min_agreement", arena_printf(v->a, "%.1f %%",
	    v->ev->min_agreement * 100));
	mv_set_str(v->a, shadow, "min_cases", count_text(v->a,
	    v->ev->min_cases));
	list = mv_set(v->a, shadow, "categories", mv_list(v->a));
	ready = mv_set(v->a, shadow, "ready", mv_list(v->a));
	for (i = 0; i < ev->m.ncat; i++) {
		rd = &ev->ready[i];
		if (rd->compared == 0)
			continue;
		e = mv_push(v->a, list, mv_map(v->a));
		mv_set_str(v->a, e, "exception", cat_label(s, i));
		mv_set_str(v->a, e, "agreed", count_text(v->a, rd->agreed));
		mv_set_str(v->a, e, "compared", count_text(v->a, rd->compared));
		mv_set_str(v->a, e, "agreement", arena_printf(v->a, "%.1f %%",
		    rd->agreement * 100));
		mv_set_bool(v->a, e, "ready", rd->ready);
		if (rd->ready) {
			mv_set_str(v->a, e, "verdict", "ready to go autonomous");
			mv_push(v->a, ready, mv_str(v->a, cat_label(s, i)));
		} else if (ev->shadow_breaches[i] > 0)
			mv_set_str(v->a, e, "verdict", arena_printf(v->a,
			    "not ready: %s would break the table's limits",
			    count_text(v->a, ev->shadow_breaches[i])));
		else if (rd->compared < v->ev->min_cases)
			mv_set_str(v->a, e, "verdict", arena_printf(v->a,
			    "not ready: %s cases short", count_text(v->a,
			    v->ev->min_cases - rd->compared)));
		else
			mv_set_str(v->a, e, "verdict",
			    "not ready: agreement too low");
	}
	mv_set_bool(v->a, shadow, "any", list->n > 0);
}

static struct mval *
incidents_view(struct view *v, size_t si)
{
	const struct sys_evidence *ev = &v->ev->v[si];
	struct mval *list = mv_list(v->a), *e;
	char d[11];
	size_t i;

	for (i = 0; i < ev->ninc; i++) {
		const struct incident *in = &ev->inc[i];

		e = mv_push(v->a, list, mv_map(v->a));
		mv_set_num(v->a, e, "id", (double)in->id);
		mv_set_str(v->a, e, "opened", in->opened);
		mv_set_str(v->a, e, "reported", in->reported);
		mv_set_str(v->a, e, "closed", in->closed);
		mv_set_str(v->a, e, "severity", in->severity);
		mv_set_str(v->a, e, "summary", in->summary);
		mv_set_bool(v->a, e, "serious", in->serious);
		if (in->deadline >= 0) {
			date_format(in->deadline, d);
			mv_set_str(v->a, e, "deadline", arena_strdup(v->a, d));
		}
		mv_set_str(v->a, e, "state", inc_state_names[in->state]);
		mv_set_str(v->a, e, "state_word", inc_state_words[in->state]);
		mv_set_bool(v->a, e, "bad", in->state == INC_LATE ||
		    in->state == INC_OVERDUE);
	}
	return list;
}

static struct mval *
finding_view(struct view *v, const struct finding *f, const char *root)
{
	struct mval *e = mv_map(v->a);
	const char *file;
	long s;
	int k;

	mv_set_str(v->a, e, "rule", rule_table[f->rule].id);
	mv_set_str(v->a, e, "severity", severity_names[f->severity]);
	for (k = 0; k < SEV_MAX; k++)
		mv_set_bool(v->a, e, severity_names[k], k == (int)f->severity);
	mv_set_str(v->a, e, "message", f->message);
	file = repo_path(v, f->loc.file);
	if (f->table != NULL && f->rowid > 0)
		mv_set_str(v->a, e, "location", arena_printf(v->a, "%s:%s:%lld",
		    file, f->table, f->rowid));
	else if (f->loc.line > 0)
		mv_set_str(v->a, e, "location", arena_printf(v->a, "%s:%d:%d",
		    file, f->loc.line, f->loc.col));
	else
		mv_set_str(v->a, e, "location", file);
	if (f->basis.file != NULL)
		mv_set_str(v->a, e, "basis", arena_printf(v->a, "%s:%d:%d",
		    repo_path(v, f->basis.file), f->basis.line,
		    f->basis.col));
	else
		mv_set_str(v->a, e, "basis", NULL);
	s = view_finding_system(v, f);
	mv_set(v->a, e, "system", s >= 0 ? system_brief(v, (size_t)s, root) :
	    mv_null(v->a));
	return e;
}

/* A findings table for findings-table.mustache. */
static struct mval *
findings_table(struct view *v, const char *caption, int with_system,
    long sys, int sev, const char *root)
{
	struct mval *t = mv_map(v->a), *items;
	size_t i;

	mv_set_str(v->a, t, "caption", caption);
	mv_set_bool(v->a, t, "with_system", with_system);
	items = mv_set(v->a, t, "items", mv_list(v->a));
	for (i = 0; i < v->d->n; i++)
		if ((sev < 0 || (int)v->d->v[i].severity == sev) &&
		    (sys < 0 || v->fsys[i] == sys))
			mv_push(v->a, items, finding_view(v, &v->d->v[i],
			    root));
	mv_set_bool(v->a, t, "any", items->n > 0);
	return t;
}

static void
control_item(struct view *v, struct mval *list, const char *id, int required,
    int present)
{
	const struct control *c = model_control(v->m, id);
	struct mval *e = mv_push(v->a, list, mv_map(v->a));

	mv_set_str(v->a, e, "id", id);
	mv_set_str(v->a, e, "name", c != NULL && c->name.s != NULL ? c->name.s :
	    id);
	mv_set_bool(v->a, e, "required", required);
	mv_set_bool(v->a, e, "present", present);
}

static struct mval *
controls_view(struct view *v, const struct system *s)
{
	const struct tier *t = s->risk_tier.s != NULL ?
	    model_tier(v->m, s->risk_tier.s) : NULL;
	struct mval *list = mv_list(v->a);
	size_t i, j;
	int required, present;

	/* The tier's required controls first, then the system's others. */
	for (i = 0; t != NULL && i < t->required_controls.n; i++) {
		const char *id = t->required_controls.v[i].s;

		for (j = 0, present = 0; j < s->controls.n; j++)
			present |= strcmp(s->controls.v[j].s, id) == 0;
		control_item(v, list, id, 1, present);
	}
	for (j = 0; j < s->controls.n; j++) {
		const char *id = s->controls.v[j].s;

		for (i = 0, required = 0; t != NULL &&
		    i < t->required_controls.n; i++)
			required |= strcmp(t->required_controls.v[i].s, id) == 0;
		if (required)
			continue;
		control_item(v, list, id, 0, 1);
	}
	return list;
}

/*
 * Where an evidence link points on the site.  URLs (the schema allows
 * http, https and mailto only) stay as they are; a Markdown page of the
 * repo becomes its built page; any other path in the repo is not copied
 * to the site, so it is shown as a path (key "path"), not a broken link.
 */
static const char *
evidence_href(struct view *v, const char *href, struct mval *x)
{
	size_t n, i;

	if (href == NULL || strncmp(href, "http://", 7) == 0 ||
	    strncmp(href, "https://", 8) == 0 ||
	    strncmp(href, "mailto:", 7) == 0)
		return href;
	n = strcspn(href, "#");
	for (i = 0; i < v->m->npages; i++)
		if (strlen(v->m->pages[i].rel) == n &&
		    strncmp(v->m->pages[i].rel, href, n) == 0)
			return arena_printf(v->a, "../%s%s", view_page_href(v->a,
			    v->m->pages[i].rel), href + n);
	mv_set_str(v->a, x, "path", href);
	return NULL;
}

/* A Markdown field of a system, rendered for its page; absent when unset. */
static void
md_field(struct view *v, struct mval *m, const char *key, const char *md)
{
	if (md != NULL)
		mv_set_str(v->a, m, key, md_to_html(v->a, md, strlen(md),
		    "../pages/"));
}

void
view_system(struct view *v, struct mval *p, size_t i)
{
	const struct system *s = sys_at(v, i);
	const struct eu_ai_act *eu = &s->eu;
	struct mval *sys, *e, *list;
	size_t j;

	sys = mv_set(v->a, p, "system", system_brief(v, i, "../"));
	if (s->purpose.s != NULL)
		mv_set_str(v->a, sys, "purpose_html", md_to_html(v->a,
		    s->purpose.s, strlen(s->purpose.s), "../pages/"));
	mv_set_str(v->a, sys, "last_review", s->last_review.s);
	if (s->has_model) {
		e = mv_set(v->a, sys, "model", mv_map(v->a));
		mv_set_str(v->a, e, "provider", s->model_provider.s);
		mv_set_str(v->a, e, "name", s->model_name.s);
		mv_set_str(v->a, e, "version", s->model_version.s);
		mv_set_str(v->a, e, "type", enum_text(model_type_names,
		    MODEL_TYPE_MAX, s->model_type.v));
		mv_set_str(v->a, e, "data_retention", s->model_data_retention.s);
	}
	if (eu->present) {
		e = mv_set(v->a, sys, "eu", mv_map(v->a));
		mv_set_str(v->a, e, "role", eu->role.v >= 0 ?
		    eurole_labels[eu->role.v] : NULL);
		mv_set_str(v->a, e, "annex_iii", eu->annex_iii.s);
		if (eu->rationale.s != NULL)
			mv_set_str(v->a, e, "rationale_html", md_to_html(v->a,
			    eu->rationale.s, strlen(eu->rationale.s),
			    "../pages/"));
		mv_set_str(v->a, e, "registration_id", eu->registration_id.s);
		mv_set_str(v->a, e, "transparency", eu->transparency.s);
		md_field(v, e, "transparency_html", eu->transparency.s);
	}
	if (s->has_oversight) {
		e = mv_set(v->a, sys, "oversight", mv_map(v->a));
		mv_set_str(v->a, e, "level", enum_text(oversight_names,
		    OVERSIGHT_MAX, s->oversight_level.v));
		if (s->oversight_reviewer.s != NULL)
			mv_set(v->a, e, "reviewer", party(v,
			    s->oversight_reviewer.s, s));
		mv_set_str(v->a, e, "mechanism", s->oversight_mechanism.s);
		mv_set_str(v->a, e, "stop_procedure",
		    s->oversight_stop_procedure.s);
		md_field(v, e, "mechanism_html", s->oversight_mechanism.s);
		md_field(v, e, "stop_procedure_html",
		    s->oversight_stop_procedure.s);
	}
	mv_set(v->a, p, "owners", owners_view(v, s));
	mv_set(v->a, p, "rights", rights_view(v, s));
	mv_set(v->a, p, "table", table_view(v, s));
	mv_set(v->a, p, "controls", controls_view(v, s));
	mv_set(v->a, p, "kpis", kpi_tree(v, s, i));
	mv_set_bool(v->a, p, "has_kpis", s->nkpis > 0);
	mv_set_bool(v->a, p, "has_table", s->ntable > 0);
	mv_set_bool(v->a, p, "has_incidents", v->ev->v[i].ninc > 0);
	mv_set_bool(v->a, p, "has_evidence", s->nevidence > 0);
	log_view(v, p, s, i);
	list = mv_set(v->a, p, "incidents", incidents_view(v, i));
	(void)list;
	mv_set(v->a, p, "findings_table", findings_table(v,
	    "Findings for this system", 0, (long)i, -1, "../"));
	e = mv_set(v->a, p, "evidence", mv_list(v->a));
	for (j = 0; j < s->nevidence; j++) {
		struct mval *x = mv_push(v->a, e, mv_map(v->a));
		const char *href = s->evidence[j].href.s;

		mv_set_str(v->a, x, "title", s->evidence[j].title.s);
		mv_set_str(v->a, x, "path", NULL);
		mv_set_str(v->a, x, "href", evidence_href(v, href, x));
	}
}

/* ---- registers ------------------------------------------------------------------- */

void
view_ownership(struct view *v, struct mval *p)
{
	struct mval *roles, *rows, *r, *cells;
	size_t i, k;
	int gaps = 0;

	roles = mv_set(v->a, p, "roles", mv_list(v->a));
	for (k = 0; k < ROLE_MAX; k++)
		mv_push(v->a, roles, mv_str(v->a, role_labels[k]));
	rows = mv_set(v->a, p, "rows", mv_list(v->a));
	for (i = 0; i < v->m->nsystems; i++) {
		const struct system *s = sys_at(v, i);

		r = mv_push(v->a, rows, system_brief(v, i, ""));
		cells = mv_set(v->a, r, "cells", mv_list(v->a));
		for (k = 0; k < ROLE_MAX; k++) {
			struct mval *c = mv_push(v->a, cells, party(v,
			    s->owners[k].s, s));

			mv_set_str(v->a, c, "role_label", role_labels[k]);
			gaps += s->owners[k].s == NULL;
		}
	}
	set_count(v, p, "gaps", (unsigned long long)gaps);
	mv_set_str(v->a, p, "gaps_text", arena_printf(v->a, gaps == 1 ?
	    "%d role is unassigned" : "%d roles are unassigned", gaps));
}

void
view_rights(struct view *v, struct mval *p)
{
	const struct decision_rights *dr = v->m->rights;
	const struct risk_tiers *rt = v->m->tiers;
	const struct assignment *as;
	struct mval *tiers, *rows, *r, *cells, *c;
	size_t i, t;

	tiers = mv_set(v->a, p, "tiers", mv_list(v->a));
	for (t = 0; rt != NULL && t < rt->ntiers; t++) {
		c = mv_push(v->a, tiers, mv_map(v->a));
		mv_set_str(v->a, c, "id", rt->tiers[t].id.s);
		mv_set_str(v->a, c, "name", rt->tiers[t].name.s != NULL ?
		    rt->tiers[t].name.s : rt->tiers[t].id.s);
	}
	rows = mv_set(v->a, p, "decisions", mv_list(v->a));
	for (i = 0; dr != NULL && i < dr->ndecisions; i++) {
		const struct decision *dc = &dr->decisions[i];

		r = mv_push(v->a, rows, mv_map(v->a));
		mv_set_str(v->a, r, "id", dc->id.s);
		mv_set_str(v->a, r, "name", dc->name.s != NULL ? dc->name.s :
		    dc->id.s);
		mv_set_str(v->a, r, "description", dc->description.s);
		cells = mv_set(v->a, r, "cells", mv_list(v->a));
		for (t = 0; rt != NULL && t < rt->ntiers; t++) {
			c = mv_push(v->a, cells, mv_map(v->a));
			mv_set_str(v->a, c, "tier", rt->tiers[t].id.s);
			as = decision_assignment(dc, rt->tiers[t].id.s);
			if (as == NULL) {
				mv_set_bool(v->a, c, "unassigned", 1);
				continue;
			}
			mv_set(v->a, c, "decides", party(v, as->decides.s,
			    NULL));
			mv_set(v->a, c, "consulted", parties(v, &as->consulted,
			    NULL));
			mv_set(v->a, c, "informed", parties(v, &as->informed,
			    NULL));
		}
	}
}

void
view_risk(struct view *v, struct mval *p)
{
	struct mval *rows, *r, *missing, *present;
	const struct tier *t;
	size_t i, j, k;
	int has;

	rows = mv_set(v->a, p, "rows", mv_list(v->a));
	for (i = 0; i < v->m->nsystems; i++) {
		const struct system *s = sys_at(v, i);

		r = mv_push(v->a, rows, system_brief(v, i, ""));
		t = s->risk_tier.s != NULL ? model_tier(v->m, s->risk_tier.s) :
		    NULL;
		if (t != NULL && t->oversight.v >= 0)
			mv_set_str(v->a, r, "oversight_required",
			    oversight_names[t->oversight.v]);
		if (s->has_oversight && s->oversight_level.v >= 0)
			mv_set_str(v->a, r, "oversight",
			    oversight_names[s->oversight_level.v]);
		mv_set_str(v->a, r, "role", s->eu.present &&
		    s->eu.role.v >= 0 ? eurole_labels[s->eu.role.v] : NULL);
		mv_set_str(v->a, r, "annex_iii", s->eu.annex_iii.s);
		mv_set_str(v->a, r, "last_review", s->last_review.s);
		missing = mv_set(v->a, r, "controls_missing", mv_list(v->a));
		present = mv_set(v->a, r, "controls_present", mv_list(v->a));
		for (j = 0; j < s->controls.n; j++)
			mv_push(v->a, present, mv_str(v->a,
			    s->controls.v[j].s));
		for (k = 0; t != NULL && k < t->required_controls.n; k++) {
			for (j = 0, has = 0; j < s->controls.n; j++)
				has |= strcmp(s->controls.v[j].s,
				    t->required_controls.v[k].s) == 0;
			if (!has)
				mv_push(v->a, missing, mv_str(v->a,
				    t->required_controls.v[k].s));
		}
	}
}

void
view_findings(struct view *v, struct mval *p)
{
	int s;

	for (s = SEV_MAX - 1; s >= 0; s--)
		mv_set(v->a, p, arena_printf(v->a, "%ss_table", severity_names[s]),
		    findings_table(v, arena_printf(v->a, "%ss", severity_names[s]),
		    1, -1, s, ""));
	set_count(v, p, "dropped", v->d->dropped);
}
