/*
 * model.c - from input files to the typed model.
 *
 * Each YAML document is dispatched on its `kind`, validated against the
 * embedded schema of that kind, and only then turned into structs: the
 * builders below may therefore trust types and enum values.  Duplicate ids
 * and impossible dates are reported here, because they make a document
 * unusable; everything relational is left to rules.c.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "diag.h"
#include "embedded.h"
#include "input.h"
#include "model.h"
#include "schema.h"
#include "util.h"
#include "ydoc.h"

const char *const stage_names[STAGE_MAX] = {
	"idea", "pilot", "shadow", "production", "retired"
};
const char *const lane_names[LANE_MAX] = {
	"allowed", "reviewed", "prohibited"
};
const char *const oversight_names[OVERSIGHT_MAX] = {
	"none", "spot-check", "approve-exceptions", "approve-all"
};
const char *const euclass_names[EUCLASS_MAX] = {
	"prohibited", "high-risk", "limited-risk", "minimal-risk"
};
const char *const eurole_names[EUROLE_MAX] = {
	"provider", "deployer", "provider-and-deployer"
};
const char *const regime_names[REGIME_MAX] = { "2024", "omnibus" };
/* In the order of enum period in metrics.h. */
static const char *const kpi_period_names[3] = { "day", "week", "month" };
/* For people, as the site and the workbook show them. */
const char *const role_labels[ROLE_MAX] = {
	"Outcome", "Data domain", "Model behaviour", "Workflow impact",
	"Operating risk", "Exception path", "Failure mode"
};
const char *const stage_labels[STAGE_MAX] = {
	"Idea", "Pilot", "Shadow", "Production", "Retired"
};
const char *const euclass_labels[EUCLASS_MAX] = {
	"Prohibited", "High-risk", "Limited risk", "Minimal risk"
};
const char *const eurole_labels[EUROLE_MAX] = {
	"Provider", "Deployer", "Provider and deployer"
};

const char *const role_names[ROLE_MAX] = {
	"outcome", "data_domain", "model_behaviour", "workflow_impact",
	"operating_risk", "exception_path", "failure_mode"
};
const char *const level_names[LEVEL_MAX] = {
	"model", "leading", "operational", "business"
};
const char *const direction_names[DIRECTION_MAX] = { "up", "down" };
const char *const function_names[FUNCTION_MAX] = {
	"procurement", "finance", "supply-chain", "hr", "it", "support",
	"sales", "marketing", "other"
};
const char *const value_names[VALUE_MAX] = {
	"revenue", "cost", "risk", "experience"
};
const char *const model_type_names[MODEL_TYPE_MAX] = {
	"llm", "ml", "rules", "hybrid"
};
const char *const route_names[ROUTE_MAX] = { "internal", "notified-body" };
const char *const required_decisions[7] = {
	"approve-use-case", "fund", "deploy", "escalate", "change",
	"grant-exception", "shut-down"
};
const char *const score_names[5] = {
	"value", "feasibility", "data_readiness", "integration_complexity",
	"change_pain"
};

struct schema_set {
	struct schema		*s[SCHEMA_MAX];
};

struct loader {
	struct arena		*arena;
	struct diag		*diag;
	struct model		*m;
	struct schema		**schemas;
	struct loc		 org_loc, tiers_loc, rights_loc;
	size_t			 systems_cap;
};

/* --- field getters --------------------------------------------------------- */

static void
get_str(const struct ynode *map, const char *key, struct sval *out)
{
	const struct ynode *v = ynode_get(map, key);

	out->loc = map->loc;
	out->s = NULL;
	if (v != NULL && v->kind == YN_SCALAR && v->type != YS_NULL) {
		out->s = v->str;
		out->loc = v->loc;
	}
}

static void
get_num(const struct ynode *map, const char *key, struct nval *out)
{
	const struct ynode *v = ynode_get(map, key);

	out->loc = map->loc;
	out->set = 0;
	out->v = 0;
	if (v != NULL && v->kind == YN_SCALAR && (v->type == YS_INT ||
	    v->type == YS_FLOAT)) {
		out->v = v->number;
		out->set = 1;
		out->loc = v->loc;
	}
}

static void
get_bool(const struct ynode *map, const char *key, struct bval *out)
{
	const struct ynode *v = ynode_get(map, key);

	out->loc = map->loc;
	out->set = out->v = 0;
	if (v != NULL && v->kind == YN_SCALAR && v->type == YS_BOOL) {
		out->v = v->boolean;
		out->set = 1;
		out->loc = v->loc;
	}
}

static void
get_enum(const struct ynode *map, const char *key, const char *const *names,
    int n, struct eval *out)
{
	struct sval s;

	get_str(map, key, &s);
	out->loc = s.loc;
	out->v = enum_lookup(names, n, s.s);
	if (s.s != NULL && out->v < 0)
		BUG("enum value passed the schema but not the model");
}

static void
get_list(struct arena *a, const struct ynode *map, const char *key,
    struct slist *out)
{
	const struct ynode *v = ynode_get(map, key);
	size_t i;

	out->v = NULL;
	out->n = 0;
	out->loc = map->loc;
	if (v == NULL || v->kind != YN_SEQ)
		return;
	out->loc = v->loc;
	out->v = arena_alloc(a, v->n * sizeof(*out->v));
	for (i = 0; i < v->n; i++) {
		out->v[i].s = v->items[i]->str;
		out->v[i].loc = v->items[i]->loc;
	}
	out->n = v->n;
}

static const struct ynode *
get_seq(const struct ynode *map, const char *key)
{
	const struct ynode *v = ynode_get(map, key);

	return v != NULL && v->kind == YN_SEQ ? v : NULL;
}

static const struct ynode *
get_map(const struct ynode *map, const char *key)
{
	const struct ynode *v = ynode_get(map, key);

	return v != NULL && v->kind == YN_MAP ? v : NULL;
}

/* A date field must also be a real calendar day. */
static void
get_date(struct loader *l, const struct ynode *map, const char *key,
    struct sval *out)
{
	long days;

	get_str(map, key, out);
	/* Kept as written: rules that compute with it call date_parse. */
	if (out->s != NULL && date_parse(out->s, &days) != 0)
		diag_emit(l->diag, R_SCHEMA_DATE, &out->loc,
		    "'%s' is not a valid date for '%s' (YYYY-MM-DD)", out->s,
		    key);
}

/* Report the second of two equal ids; returns 1 when s is a duplicate. */
static int
dup_id(struct loader *l, const struct sval *ids, size_t stride, size_t n,
    const struct sval *s, const char *what)
{
	const struct sval *o;
	size_t i;

	for (i = 0; i < n; i++) {
		o = (const struct sval *)((const char *)ids + i * stride);
		if (o->s != NULL && s->s != NULL && strcmp(o->s, s->s) == 0) {
			diag_emit(l->diag, R_SCHEMA_DUPLICATE_ID, &s->loc,
			    "duplicate %s id '%s' (first at %s:%d)", what,
			    s->s, o->loc.file, o->loc.line);
			return 1;
		}
	}
	return 0;
}

/* --- organization ---------------------------------------------------------- */

static void
build_org(struct loader *l, const struct ynode *doc, const struct loc *loc)
{
	struct organization *o;
	const struct ynode *seq, *e, *eu, *sh;
	size_t i;

	if (l->m->org != NULL) {
		diag_emit(l->diag, R_SCHEMA_SINGLETON, loc, "a second "
		    "'organization' document (first at %s:%d)",
		    l->org_loc.file, l->org_loc.line);
		return;
	}
	l->org_loc = *loc;
	o = arena_alloc(l->arena, sizeof(*o));
	o->loc = *loc;
	get_str(doc, "id", &o->id);
	get_str(doc, "name", &o->name);
	get_str(doc, "steering", &o->steering);
	get_str(doc, "address", &o->address);
	get_str(doc, "contact", &o->contact);
	get_list(l->arena, doc, "jurisdictions", &o->jurisdictions);
	for (i = 0; i < o->jurisdictions.n; i++)
		if (strcmp(o->jurisdictions.v[i].s, "EU") == 0)
			o->eu = 1;
	if ((seq = get_seq(doc, "people")) != NULL) {
		o->people = arena_alloc(l->arena, seq->n * sizeof(*o->people));
		for (i = 0; i < seq->n; i++) {
			struct person *p = &o->people[o->npeople];

			e = seq->items[i];
			p->loc = e->loc;
			get_str(e, "id", &p->id);
			get_str(e, "name", &p->name);
			get_str(e, "title", &p->title);
			get_str(e, "team", &p->team);
			get_str(e, "email", &p->email);
			if (!dup_id(l, &o->people[0].id, sizeof(*p),
			    o->npeople, &p->id, "person"))
				o->npeople++;
		}
	}
	if ((seq = get_seq(doc, "teams")) != NULL) {
		o->teams = arena_alloc(l->arena, seq->n * sizeof(*o->teams));
		for (i = 0; i < seq->n; i++) {
			struct team *t = &o->teams[o->nteams];

			e = seq->items[i];
			t->loc = e->loc;
			get_str(e, "id", &t->id);
			get_str(e, "name", &t->name);
			get_str(e, "lead", &t->lead);
			get_str(e, "on_call", &t->on_call);
			if (dup_id(l, &o->teams[0].id, sizeof(*t), o->nteams,
			    &t->id, "team") || (o->npeople > 0 &&
			    dup_id(l, &o->people[0].id, sizeof(struct person),
			    o->npeople, &t->id, "party (person or team)")))
				continue;
			o->nteams++;
		}
	}
	o->regime.v = REGIME_OMNIBUS;
	o->regime.loc = *loc;
	if ((eu = get_map(doc, "eu_ai_act")) != NULL) {
		get_enum(eu, "regime", regime_names, REGIME_MAX, &o->regime);
		if (o->regime.v < 0)
			o->regime.v = REGIME_OMNIBUS;
		get_bool(eu, "public_body", &o->public_body);
	}
	o->shadow_min_agreement.v = 0.95;
	o->shadow_min_cases.v = 200;
	if ((sh = get_map(doc, "shadow")) != NULL) {
		get_num(sh, "min_agreement", &o->shadow_min_agreement);
		get_num(sh, "min_cases", &o->shadow_min_cases);
	}
	l->m->org = o;
}

/* --- risk tiers -------------------------------------------------------------- */

static void
build_tiers(struct loader *l, const struct ynode *doc, const struct loc *loc)
{
	struct risk_tiers *rt;
	const struct ynode *seq, *e, *eu;
	size_t i, j;

	if (l->m->tiers != NULL) {
		diag_emit(l->diag, R_SCHEMA_SINGLETON, loc, "a second "
		    "'risk-tiers' document (first at %s:%d)",
		    l->tiers_loc.file, l->tiers_loc.line);
		return;
	}
	l->tiers_loc = *loc;
	rt = arena_alloc(l->arena, sizeof(*rt));
	rt->loc = *loc;
	if ((seq = get_seq(doc, "controls")) != NULL) {
		rt->controls = arena_alloc(l->arena, seq->n *
		    sizeof(*rt->controls));
		for (i = 0; i < seq->n; i++) {
			struct control *c = &rt->controls[rt->ncontrols];

			e = seq->items[i];
			c->loc = e->loc;
			get_str(e, "id", &c->id);
			get_str(e, "name", &c->name);
			get_str(e, "description", &c->description);
			get_list(l->arena, e, "articles", &c->articles);
			if (!dup_id(l, &rt->controls[0].id, sizeof(*c),
			    rt->ncontrols, &c->id, "control"))
				rt->ncontrols++;
		}
	}
	if ((seq = get_seq(doc, "tiers")) != NULL) {
		rt->tiers = arena_alloc(l->arena, seq->n * sizeof(*rt->tiers));
		for (i = 0; i < seq->n; i++) {
			struct tier *t = &rt->tiers[rt->ntiers];

			e = seq->items[i];
			t->loc = e->loc;
			get_str(e, "id", &t->id);
			get_str(e, "name", &t->name);
			get_str(e, "description", &t->description);
			get_enum(e, "lane", lane_names, LANE_MAX, &t->lane);
			get_enum(e, "human_oversight", oversight_names,
			    OVERSIGHT_MAX, &t->oversight);
			get_num(e, "review_every_days", &t->review_every_days);
			get_list(l->arena, e, "required_controls",
			    &t->required_controls);
			if ((eu = get_seq(e, "eu_ai_act")) != NULL) {
				t->has_eu = 1;
				t->eu_loc = eu->loc;
				t->eu = arena_alloc(l->arena, eu->n *
				    sizeof(*t->eu));
				for (j = 0; j < eu->n; j++) {
					t->eu[j].v = enum_lookup(euclass_names,
					    EUCLASS_MAX, eu->items[j]->str);
					t->eu[j].loc = eu->items[j]->loc;
				}
				t->neu = eu->n;
			}
			if (!dup_id(l, &rt->tiers[0].id, sizeof(*t),
			    rt->ntiers, &t->id, "tier"))
				rt->ntiers++;
		}
	}
	l->m->tiers = rt;
}

/* --- decision rights --------------------------------------------------------- */

static void
build_assignment(struct loader *l, const struct ynode *e,
    struct assignment *a)
{
	a->loc = e->loc;
	get_str(e, "decides", &a->decides);
	get_list(l->arena, e, "consulted", &a->consulted);
	get_list(l->arena, e, "informed", &a->informed);
}

static void
build_rights(struct loader *l, const struct ynode *doc, const struct loc *loc)
{
	struct decision_rights *dr;
	const struct ynode *seq, *e, *bt, *def;
	size_t i, j;

	if (l->m->rights != NULL) {
		diag_emit(l->diag, R_SCHEMA_SINGLETON, loc, "a second "
		    "'decision-rights' document (first at %s:%d)",
		    l->rights_loc.file, l->rights_loc.line);
		return;
	}
	l->rights_loc = *loc;
	dr = arena_alloc(l->arena, sizeof(*dr));
	dr->loc = *loc;
	if ((seq = get_seq(doc, "decisions")) != NULL) {
		dr->loc = seq->loc;	/* where a missing decision would go */
		dr->decisions = arena_alloc(l->arena, seq->n *
		    sizeof(*dr->decisions));
		for (i = 0; i < seq->n; i++) {
			struct decision *d = &dr->decisions[dr->ndecisions];

			e = seq->items[i];
			d->loc = e->loc;
			get_str(e, "id", &d->id);
			get_str(e, "name", &d->name);
			get_str(e, "description", &d->description);
			if ((def = get_map(e, "default")) != NULL) {
				d->has_default = 1;
				build_assignment(l, def, &d->def);
			}
			if ((bt = get_map(e, "by_tier")) != NULL) {
				d->by_tier = arena_alloc(l->arena, bt->n *
				    sizeof(*d->by_tier));
				for (j = 0; j < bt->n; j++) {
					d->by_tier[j].tier.s =
					    bt->pairs[j].key->str;
					d->by_tier[j].tier.loc =
					    bt->pairs[j].key->loc;
					build_assignment(l, bt->pairs[j].value,
					    &d->by_tier[j].a);
				}
				d->nby_tier = bt->n;
			}
			if (!dup_id(l, &dr->decisions[0].id, sizeof(*d),
			    dr->ndecisions, &d->id, "decision"))
				dr->ndecisions++;
		}
	}
	l->m->rights = dr;
}

/* --- systems ----------------------------------------------------------------- */

static void
build_eu(struct loader *l, const struct ynode *eu, struct eu_ai_act *x)
{
	const struct ynode *m;

	x->present = 1;
	x->loc = eu->loc;
	get_enum(eu, "role", eurole_names, EUROLE_MAX, &x->role);
	get_enum(eu, "classification", euclass_names, EUCLASS_MAX,
	    &x->classification);
	get_str(eu, "annex_iii", &x->annex_iii);
	get_str(eu, "rationale", &x->rationale);
	get_str(eu, "registration_id", &x->registration_id);
	get_str(eu, "transparency", &x->transparency);
	get_bool(eu, "profiling", &x->profiling);
	if ((m = get_map(eu, "exemption_6_3")) != NULL) {
		x->has_exemption = 1;
		x->exemption_loc = m->loc;
		get_str(m, "condition", &x->exemption_condition);
		get_str(m, "reason", &x->exemption_reason);
	}
	if ((m = get_map(eu, "conformity")) != NULL) {
		x->has_conformity = 1;
		x->conformity_loc = m->loc;
		get_enum(m, "route", route_names, ROUTE_MAX,
		    &x->conformity_route);
		get_date(l, m, "completed", &x->conformity_completed);
	} else
		x->conformity_route.v = -1;
	if ((m = get_map(eu, "fria")) != NULL) {
		x->has_fria = 1;
		x->fria_loc = m->loc;
		get_date(l, m, "completed", &x->fria_completed);
		get_str(m, "href", &x->fria_href);
	}
}

static void
build_kpi(struct loader *l, const struct ynode *e, struct kpi *k)
{
	const struct ynode *vals, *v;
	size_t i;

	k->loc = e->loc;
	get_str(e, "id", &k->id);
	get_str(e, "name", &k->name);
	get_str(e, "unit", &k->unit);
	get_str(e, "supports", &k->supports);
	get_str(e, "owner", &k->owner);
	get_str(e, "metric", &k->metric);
	get_str(e, "sql", &k->sql);
	get_enum(e, "level", level_names, LEVEL_MAX, &k->level);
	get_enum(e, "direction", direction_names, DIRECTION_MAX, &k->direction);
	get_enum(e, "period", kpi_period_names, 3, &k->period);
	if (k->period.v < 0)
		k->period.v = 2;	/* month */
	get_num(e, "target", &k->target);
	get_num(e, "baseline", &k->baseline);
	get_num(e, "amber", &k->amber);
	get_num(e, "red", &k->red);
	if ((vals = get_seq(e, "values")) != NULL) {
		k->has_values = 1;
		k->values = arena_alloc(l->arena, vals->n * sizeof(*k->values));
		for (i = 0; i < vals->n; i++) {
			v = vals->items[i];
			get_str(v, "period", &k->values[i].period);
			get_num(v, "value", &k->values[i].value);
		}
		k->nvalues = vals->n;
	}
}

static void
build_contract(struct loader *l, const struct ynode *m, struct contract *c)
{
	const struct ynode *av, *list;
	size_t i, j;

	c->loc = m->loc;
	get_str(m, "table", &c->table);
	get_str(m, "database", &c->database);
	get_list(l->arena, m, "not_null", &c->not_null);
	get_list(l->arena, m, "unique", &c->unique);
	get_num(m, "fresh_within_hours", &c->fresh_within_hours);
	if ((av = get_map(m, "allowed_values")) == NULL)
		return;
	c->allowed = arena_alloc(l->arena, av->n * sizeof(*c->allowed));
	for (i = 0; i < av->n; i++) {
		c->allowed[i].column.s = av->pairs[i].key->str;
		c->allowed[i].column.loc = av->pairs[i].key->loc;
		list = av->pairs[i].value;
		c->allowed[i].values = arena_alloc(l->arena, list->n *
		    sizeof(*c->allowed[i].values));
		for (j = 0; j < list->n; j++) {
			c->allowed[i].values[j].s = list->items[j]->str;
			c->allowed[i].values[j].loc = list->items[j]->loc;
		}
		c->allowed[i].nvalues = list->n;
	}
	c->nallowed = av->n;
}

static void
build_system_lists(struct loader *l, const struct ynode *doc, struct system *s)
{
	const struct ynode *seq, *e, *m;
	size_t i;

	if ((seq = get_seq(doc, "decision_table")) != NULL) {
		s->table_loc = seq->loc;
		s->table = arena_alloc(l->arena, seq->n * sizeof(*s->table));
		for (i = 0; i < seq->n; i++) {
			struct table_row *r = &s->table[i];

			e = seq->items[i];
			r->loc = e->loc;
			get_str(e, "exception", &r->exception);
			get_str(e, "description", &r->description);
			get_str(e, "escalate_to", &r->escalate_to);
			get_bool(e, "ai_may_resolve", &r->ai_may_resolve);
			get_num(e, "min_confidence", &r->min_confidence);
			get_num(e, "max_amount", &r->max_amount);
			get_num(e, "sla_hours", &r->sla_hours);
			get_list(l->arena, e, "documentation",
			    &r->documentation);
		}
		s->ntable = seq->n;
	}
	if ((seq = get_seq(doc, "kpis")) != NULL) {
		s->kpis_loc = seq->loc;
		s->kpis = arena_alloc(l->arena, seq->n * sizeof(*s->kpis));
		for (i = 0; i < seq->n; i++)
			build_kpi(l, seq->items[i], &s->kpis[i]);
		s->nkpis = seq->n;
	}
	if ((seq = get_seq(doc, "data")) != NULL) {
		s->data = arena_alloc(l->arena, seq->n * sizeof(*s->data));
		for (i = 0; i < seq->n; i++) {
			struct data_asset *d = &s->data[s->ndata];

			e = seq->items[i];
			d->loc = e->loc;
			get_str(e, "id", &d->id);
			get_str(e, "name", &d->name);
			get_str(e, "owner", &d->owner);
			get_str(e, "on_call", &d->on_call);
			get_bool(e, "personal_data", &d->personal_data);
			if ((m = get_map(e, "contract")) != NULL) {
				d->contract = arena_alloc(l->arena,
				    sizeof(*d->contract));
				build_contract(l, m, d->contract);
			}
			if (!dup_id(l, &s->data[0].id, sizeof(*d), s->ndata,
			    &d->id, "data asset"))
				s->ndata++;
		}
	}
	if ((seq = get_seq(doc, "changes")) != NULL) {
		s->changes = arena_alloc(l->arena, seq->n * sizeof(*s->changes));
		for (i = 0; i < seq->n; i++) {
			e = seq->items[i];
			s->changes[i].loc = e->loc;
			get_date(l, e, "date", &s->changes[i].date);
			get_str(e, "version", &s->changes[i].version);
			get_str(e, "summary", &s->changes[i].summary);
		}
		s->nchanges = seq->n;
	}
	if ((seq = get_seq(doc, "evidence")) != NULL) {
		s->evidence = arena_alloc(l->arena, seq->n *
		    sizeof(*s->evidence));
		for (i = 0; i < seq->n; i++) {
			e = seq->items[i];
			s->evidence[i].loc = e->loc;
			get_str(e, "title", &s->evidence[i].title);
			get_str(e, "href", &s->evidence[i].href);
		}
		s->nevidence = seq->n;
	}
}

static void
build_system(struct loader *l, const struct ynode *doc, const struct loc *loc,
    const char *rel)
{
	struct system *s;
	const struct ynode *m;
	struct sval id;
	size_t i;

	get_str(doc, "id", &id);
	l->m->systems = xgrow(l->m->systems, &l->systems_cap,
	    l->m->nsystems + 1, sizeof(*l->m->systems));
	s = &l->m->systems[l->m->nsystems++];
	memset(s, 0, sizeof(*s));
	s->loc = *loc;
	s->file = rel;
	s->id = id;
	get_str(doc, "name", &s->name);
	get_str(doc, "summary", &s->summary);
	get_str(doc, "purpose", &s->purpose);
	get_enum(doc, "function", function_names, FUNCTION_MAX, &s->function);
	get_enum(doc, "stage", stage_names, STAGE_MAX, &s->stage);
	get_enum(doc, "value", value_names, VALUE_MAX, &s->value);
	get_str(doc, "risk_tier", &s->risk_tier);
	get_date(l, doc, "last_review", &s->last_review);
	if ((m = get_map(doc, "score")) != NULL) {
		s->has_score = 1;
		for (i = 0; i < 5; i++)
			get_num(m, score_names[i], &s->score[i]);
	}
	s->owners_loc = doc->loc;
	for (i = 0; i < ROLE_MAX; i++)
		s->owners[i].loc = doc->loc;
	if ((m = get_map(doc, "owners")) != NULL) {
		s->has_owners = 1;
		s->owners_loc = m->loc;
		for (i = 0; i < ROLE_MAX; i++)
			get_str(m, role_names[i], &s->owners[i]);
	}
	s->model_type.v = -1;
	if ((m = get_map(doc, "model")) != NULL) {
		s->has_model = 1;
		get_str(m, "provider", &s->model_provider);
		get_str(m, "name", &s->model_name);
		get_str(m, "version", &s->model_version);
		get_str(m, "data_retention", &s->model_data_retention);
		get_enum(m, "type", model_type_names, MODEL_TYPE_MAX,
		    &s->model_type);
	}
	s->eu.role.v = s->eu.classification.v = s->eu.conformity_route.v = -1;
	s->eu.loc = doc->loc;
	if ((m = get_map(doc, "eu_ai_act")) != NULL)
		build_eu(l, m, &s->eu);
	get_list(l->arena, doc, "controls", &s->controls);
	s->oversight_level.v = -1;
	s->oversight_loc = doc->loc;
	if ((m = get_map(doc, "human_oversight")) != NULL) {
		s->has_oversight = 1;
		s->oversight_loc = m->loc;
		get_enum(m, "level", oversight_names, OVERSIGHT_MAX,
		    &s->oversight_level);
		get_str(m, "mechanism", &s->oversight_mechanism);
		get_str(m, "reviewer", &s->oversight_reviewer);
		get_str(m, "stop_procedure", &s->oversight_stop_procedure);
		get_bool(m, "can_override", &s->oversight_can_override);
	}
	s->log_loc = doc->loc;
	if ((m = get_map(doc, "log")) != NULL) {
		s->has_log = 1;
		s->log_loc = m->loc;
		get_str(m, "database", &s->log_database);
		get_str(m, "system_key", &s->log_system_key);
		get_num(m, "retention_days", &s->log_retention_days);
	}
	s->incident_loc = doc->loc;
	if ((m = get_map(doc, "incident_response")) != NULL) {
		s->has_incident_response = 1;
		s->incident_loc = m->loc;
		get_list(l->arena, m, "steps", &s->incident_steps);
		get_list(l->arena, m, "notify", &s->incident_notify);
		get_str(m, "suspend", &s->incident_suspend);
	}
	build_system_lists(l, doc, s);
}

/* --- documents and pages ---------------------------------------------------- */

static void
load_document(struct loader *l, const struct input_file *f,
    const struct ydoc *doc)
{
	const struct ynode *root = doc->root, *kind;
	struct loc loc = doc->loc;
	int k;

	/* libyaml gives an empty document as an empty plain scalar. */
	if (root == NULL || (root->kind == YN_SCALAR && root->plain &&
	    root->len == 0)) {
		diag_emit(l->diag, R_SCHEMA_KIND, &loc,
		    "empty document; expected a map with a 'kind'");
		return;
	}
	loc = root->loc;
	if (root->kind != YN_MAP) {
		diag_emit(l->diag, R_SCHEMA_TYPE, &loc,
		    "a document must be a map with a 'kind', not a %s",
		    ynode_type_name(root));
		return;
	}
	kind = ynode_get(root, "kind");
	if (kind == NULL) {
		diag_emit(l->diag, R_SCHEMA_KIND, &loc, "document has no "
		    "'kind' (organization, risk-tiers, decision-rights or "
		    "system)");
		return;
	}
	k = kind->kind == YN_SCALAR ? enum_lookup(schema_names, SCHEMA_PAGE,
	    kind->str) : -1;
	if (k < 0) {
		const char *hint = "";
		int i;

		for (i = 0; i < SCHEMA_PAGE && kind->kind == YN_SCALAR; i++)
			if (edit_distance(kind->str, schema_names[i], 2) <= 2 ||
			    strcasecmp(kind->str, schema_names[i]) == 0)
				hint = arena_printf(l->arena, " (did you mean "
				    "'%s'?)", schema_names[i]);
		diag_emit(l->diag, R_SCHEMA_KIND, &kind->loc, "%s%s%s; "
		    "expected organization, risk-tiers, decision-rights or "
		    "system%s", kind->kind == YN_SCALAR ? "unknown kind '" :
		    "'kind' must be text, not a ", kind->kind == YN_SCALAR ?
		    kind->str : ynode_type_name(kind), kind->kind == YN_SCALAR ?
		    "'" : "", hint);
		return;
	}
	l->m->seen[k]++;
	if (schema_validate(l->schemas[k], l->diag, root, 0) != 0)
		return;
	switch (k) {
	case SCHEMA_ORGANIZATION:
		build_org(l, root, &loc);
		break;
	case SCHEMA_RISK_TIERS:
		build_tiers(l, root, &loc);
		break;
	case SCHEMA_DECISION_RIGHTS:
		build_rights(l, root, &loc);
		break;
	case SCHEMA_SYSTEM:
		build_system(l, root, &loc, f->rel);
		break;
	default:
		BUG("unhandled kind");
	}
}

/* Length of a front-matter fence line ("---" or "..."), or 0. */
static size_t
fence(const char *p, const char *end, const char *mark)
{
	const char *q = p + 3;

	if (end - p < 3 || strncmp(p, mark, 3) != 0)
		return 0;
	while (q < end && (*q == ' ' || *q == '\t'))
		q++;
	if (q < end && *q == '\r')
		q++;
	if (q == end)
		return (size_t)(q - p);
	return *q == '\n' ? (size_t)(q - p + 1) : 0;
}

/* The first ATX heading's text, else the file name without ".md". */
static void
default_title(struct loader *l, struct page *pg)
{
	const char *p = pg->body, *end, *base;
	int line = pg->body_line;

	for (; p != NULL && *p; line++) {
		end = strchr(p, '\n');
		if (end == NULL)
			end = p + strlen(p);
		if (p[0] == '#' && p[1] == ' ') {
			for (p += 2; p < end && *p == ' '; p++)
				;
			while (end > p && (end[-1] == ' ' || end[-1] == '\r' ||
			    end[-1] == '#'))
				end--;
			if (end > p) {
				pg->title.s = arena_strndup(l->arena, p,
				    (size_t)(end - p));
				pg->title.loc.file = pg->path;
				pg->title.loc.line = line;
				pg->title.loc.col = 1;
				return;
			}
		}
		p = *end ? end + 1 : NULL;
	}
	base = strrchr(pg->rel, '/');
	base = base ? base + 1 : pg->rel;
	pg->title.s = arena_strndup(l->arena, base, strlen(base) - 3);
	pg->title.loc.file = pg->path;
	pg->title.loc.line = 1;
	pg->title.loc.col = 1;
}

/*
 * Is rel a page path the site can write on every system, and an archive
 * hold: each part [A-Za-z0-9_][A-Za-z0-9._-]*, not ending in '.', and no
 * Windows device name (con, nul, com1, lpt1, ... with any extension)?
 * Returns NULL or what is wrong.
 */
static int
ascii_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

static const char *
page_name_problem(const char *rel)
{
	static const char *const dev[] = { "con", "prn", "aux", "nul" };
	const char *p = rel, *end;
	size_t n, i, k;

	for (;;) {
		end = strchr(p, '/');
		n = end != NULL ? (size_t)(end - p) : strlen(p);
		if (n == 0 || !(ascii_alnum(*p) || *p == '_'))
			return "each part must start with a letter, a digit or "
			    "'_'";
		for (i = 0; i < n; i++)
			if (!ascii_alnum(p[i]) && p[i] != '.' &&
			    p[i] != '_' && p[i] != '-')
				return "only letters, digits, '.', '_' and '-' "
				    "are allowed";
		if (p[n - 1] == '.')
			return "a part may not end in '.'";
		i = strcspn(p, "./");
		for (k = 0; k < ARRAY_SIZE(dev); k++)
			if (i == 3 && strncasecmp(p, dev[k], 3) == 0)
				return "a Windows device name";
		if (i == 4 && (strncasecmp(p, "com", 3) == 0 ||
		    strncasecmp(p, "lpt", 3) == 0) && p[3] >= '0' && p[3] <= '9')
			return "a Windows device name";
		if (end == NULL)
			return NULL;
		p = end + 1;
	}
}

/* By path without ".md", ignoring case; ties by path. */
static int
page_fold_cmp(const void *a, const void *b)
{
	const struct page *x = *(const struct page *const *)a;
	const struct page *y = *(const struct page *const *)b;
	size_t nx = strlen(x->rel) - 3, ny = strlen(y->rel) - 3;
	int c = strncasecmp(x->rel, y->rel, nx < ny ? nx : ny);

	if (c == 0 && nx != ny)
		c = nx < ny ? -1 : 1;
	return c != 0 ? c : strcmp(x->rel, y->rel);
}

/*
 * Two pages whose site files would differ only in case ("A.md" and
 * "a.md", "x.md" and "x.MD") clash on Windows and macOS and in archives:
 * the second in path order is reported and left out.
 */
static void
drop_clashing_pages(struct diag *d, struct model *m)
{
	struct page **v, *keep;
	char *drop;
	size_t i, n = 0;

	if (m->npages < 2)
		return;
	v = xmalloc(m->npages * sizeof(*v));
	drop = xcalloc(m->npages, 1);
	for (i = 0; i < m->npages; i++)
		v[i] = &m->pages[i];
	qsort(v, m->npages, sizeof(*v), page_fold_cmp);
	for (i = 1; i < m->npages; i++) {
		size_t nx = strlen(v[i - 1]->rel), ny = strlen(v[i]->rel);
		struct loc loc = { v[i]->path, 0, 0 };

		if (nx != ny || strncasecmp(v[i - 1]->rel, v[i]->rel, nx - 3))
			continue;
		diag_emit(d, R_PAGE_NAME, &loc, "page path '%s' differs from "
		    "'%s' only in case: both would become one file of the site",
		    v[i]->rel, v[i - 1]->rel);
		drop[v[i] - m->pages] = 1;
		v[i] = v[i - 1];	/* a third clash names the first */
	}
	for (i = 0; i < m->npages; i++)
		if (!drop[i]) {
			keep = &m->pages[i];
			m->pages[n++] = *keep;
		}
	m->npages = n;
	free(drop);
	free(v);
}

/* Is the page's text valid UTF-8 without control characters? */
static int
page_text_ok(struct loader *l, const struct input_file *f)
{
	struct loc loc = { f->path, 1, 1 };
	size_t bad, i;

	if (utf8_valid(f->data, f->len, &bad) != 0) {
		for (i = 0; i < bad; i++)
			if (f->data[i] == '\n') {
				loc.line++;
				loc.col = 1;
			} else if (((unsigned char)f->data[i] & 0xC0) != 0x80)
				loc.col++;
		diag_emit(l->diag, R_PAGE_ENCODING, &loc, "%s",
		    "not valid UTF-8: save the file as UTF-8");
		return 0;
	}
	for (i = 0; i < f->len; i++) {
		unsigned char c = (unsigned char)f->data[i];

		if (c == '\n') {
			loc.line++;
			loc.col = 1;
			continue;
		}
		if ((c < 0x20 && c != '\t' && c != '\r') || c == 0x7f) {
			diag_emit(l->diag, R_PAGE_ENCODING, &loc, "control "
			    "character \\x%02x", c);
			return 0;
		}
		if ((c & 0xC0) != 0x80)
			loc.col++;
	}
	return 1;
}

static void
load_page(struct loader *l, const struct limits *lim,
    const struct input_file *f, struct page *pg)
{
	struct ylimits yl = { lim->v[LIMIT_DEPTH], lim->v[LIMIT_NODES],
	    lim->v[LIMIT_SCALAR] };
	const char *p = f->data, *end = f->data + f->len, *fm_end = NULL;
	struct yfile yf;
	struct loc loc = { f->path, 1, 1 };
	size_t n;
	int line = 1;

	memset(pg, 0, sizeof(*pg));
	pg->rel = f->rel;
	pg->path = f->path;
	pg->body = f->data;
	pg->body_line = 1;
	pg->nav.v = strchr(f->rel, '/') == NULL;
	if (f->len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	if ((n = fence(p, end, "---")) == 0)
		return;
	for (p += n, line = 2; p < end; line++) {
		if ((n = fence(p, end, "---")) != 0 ||
		    (n = fence(p, end, "...")) != 0) {
			fm_end = p;
			break;
		}
		p = memchr(p, '\n', (size_t)(end - p));
		if (p == NULL)
			break;
		p++;
	}
	if (fm_end == NULL) {
		diag_emit(l->diag, R_YAML_SYNTAX, &loc, "front matter opened "
		    "with '---' on line 1 is never closed");
		return;
	}
	pg->body = fm_end + n;
	pg->body_line = line + 1;
	if (ydoc_load(l->arena, l->diag, &yl, f->path, f->data,
	    (size_t)(fm_end - f->data), &yf) != 0)
		return;
	if (yf.ndocs == 0 || yf.docs[0].root == NULL ||
	    (yf.docs[0].root->kind == YN_SCALAR && yf.docs[0].root->plain &&
	    yf.docs[0].root->len == 0))
		return;		/* empty front matter */
	if (schema_validate(l->schemas[SCHEMA_PAGE], l->diag, yf.docs[0].root,
	    0) != 0)
		return;
	get_str(yf.docs[0].root, "title", &pg->title);
	get_num(yf.docs[0].root, "order", &pg->order);
	get_bool(yf.docs[0].root, "nav", &pg->nav);
	/* Top-level pages are in the navigation unless they say otherwise. */
	if (!pg->nav.set)
		pg->nav.v = strchr(pg->rel, '/') == NULL;
}

static int
system_cmp(const void *a, const void *b)
{
	return strcmp(((const struct system *)a)->id.s,
	    ((const struct system *)b)->id.s);
}

/* Navigation order: by 'order' (pages without one last), title, path. */
static int
page_cmp(const void *a, const void *b)
{
	const struct page *x = a, *y = b;
	int c;

	if (x->order.set != y->order.set)
		return x->order.set ? -1 : 1;
	if (x->order.set && x->order.v != y->order.v)
		return x->order.v < y->order.v ? -1 : 1;
	if ((c = strcmp(x->title.s, y->title.s)) != 0)
		return c;
	return strcmp(x->rel, y->rel);
}

/* By id, then by load order, so the first of two duplicates stays first. */
static int
system_order_cmp(const void *a, const void *b)
{
	const struct system *x = a, *y = b;
	int c = system_cmp(a, b);

	if (c != 0)
		return c;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort the systems and drop (and report) duplicate ids: O(n log n). */
static void
sort_systems(struct loader *l)
{
	struct model *m = l->m;
	size_t i, out = 0;

	if (m->nsystems == 0)
		return;
	for (i = 0; i < m->nsystems; i++)
		m->systems[i].seq = i;
	qsort(m->systems, m->nsystems, sizeof(*m->systems), system_order_cmp);
	for (i = 0; i < m->nsystems; i++) {
		if (out > 0 && strcmp(m->systems[out - 1].id.s,
		    m->systems[i].id.s) == 0) {
			diag_emit(l->diag, R_SCHEMA_DUPLICATE_ID,
			    &m->systems[i].id.loc, "duplicate system id '%s' "
			    "(first at %s:%d)", m->systems[i].id.s,
			    m->systems[out - 1].id.loc.file,
			    m->systems[out - 1].id.loc.line);
			continue;
		}
		m->systems[out++] = m->systems[i];
	}
	m->nsystems = out;
}

struct schema_set *
model_schemas_load(struct arena *a, struct diag *d)
{
	const struct embedded_file *ef;
	struct schema_set *set = xcalloc(1, sizeof(*set));
	char name[64];
	int i;

	for (i = 0; i < SCHEMA_MAX; i++) {
		snprintf(name, sizeof(name), "schemas/%s.schema.json",
		    schema_names[i]);
		if ((ef = embedded_find(name)) == NULL)
			BUG("a built-in schema is missing");
		set->s[i] = schema_load(a, d, name, (const char *)ef->data,
		    ef->len);
		if (set->s[i] == NULL) {
			model_schemas_free(set);
			return NULL;
		}
	}
	return set;
}

void
model_schemas_free(struct schema_set *set)
{
	int i;

	if (set == NULL)
		return;
	for (i = 0; i < SCHEMA_MAX; i++)
		schema_free(set->s[i]);
	free(set);
}

void
model_load(struct arena *a, struct diag *d, const struct limits *lim,
    struct schema_set *schemas, const struct input_set *in, struct model *m)
{
	struct ylimits yl = { lim->v[LIMIT_DEPTH], lim->v[LIMIT_NODES],
	    lim->v[LIMIT_SCALAR] };
	struct loader l;
	struct yfile yf;
	size_t i, j, npages = 0;

	memset(&l, 0, sizeof(l));
	l.arena = a;
	l.diag = d;
	l.m = m;
	l.schemas = schemas->s;
	for (i = 0; i < in->n; i++)
		if (in->v[i].type == INPUT_MARKDOWN)
			npages++;
	m->pages = arena_alloc(a, npages * sizeof(*m->pages));
	for (i = 0; i < in->n; i++) {
		const struct input_file *f = &in->v[i];

		if (f->type == INPUT_MARKDOWN) {
			struct page *pg;
			const char *why;
			struct loc loc = { f->path, 0, 0 };

			if (!page_text_ok(&l, f))
				continue;
			if ((why = page_name_problem(f->rel)) != NULL) {
				diag_emit(d, R_PAGE_NAME, &loc, "page path '%s' "
				    "cannot become a file of the site: %s",
				    f->rel, why);
				continue;
			}
			pg = &m->pages[m->npages++];
			load_page(&l, lim, f, pg);
			if (pg->title.s == NULL)
				default_title(&l, pg);
			continue;
		}
		if (ydoc_load(a, d, &yl, f->path, f->data, f->len, &yf) != 0)
			continue;
		if (yf.ndocs == 0) {
			struct loc loc = { f->path, 1, 1 };

			diag_emit(d, R_SCHEMA_KIND, &loc, "the file holds no "
			    "YAML document");
			continue;
		}
		for (j = 0; j < yf.ndocs; j++)
			load_document(&l, f, &yf.docs[j]);
	}
	sort_systems(&l);
	drop_clashing_pages(d, m);
	if (m->npages > 1)
		qsort(m->pages, m->npages, sizeof(*m->pages), page_cmp);
	if (m->nsystems > 0) {
		/* Move the systems into the arena so the model is one piece. */
		struct system *v = arena_alloc(a, m->nsystems * sizeof(*v));

		memcpy(v, m->systems, m->nsystems * sizeof(*v));
		free(m->systems);
		m->systems = v;
	}
}

/* --- lookups ----------------------------------------------------------------- */

/*
 * The element of an array of n structs whose id (the sval at offset off)
 * equals id, by a linear scan: the collections it serves (people, teams,
 * tiers, controls, a system's KPIs) are small.
 */
static const void *
find_id(const void *base, size_t n, size_t stride, size_t off,
    const char *id)
{
	const struct sval *v;
	size_t i;

	for (i = 0; id != NULL && i < n; i++) {
		v = (const struct sval *)((const char *)base + i * stride + off);
		if (v->s != NULL && strcmp(v->s, id) == 0)
			return (const char *)base + i * stride;
	}
	return NULL;
}

const struct person *
model_person(const struct model *m, const char *id)
{
	return m->org == NULL ? NULL : find_id(m->org->people,
	    m->org->npeople, sizeof(struct person),
	    offsetof(struct person, id), id);
}

const struct team *
model_team(const struct model *m, const char *id)
{
	return m->org == NULL ? NULL : find_id(m->org->teams, m->org->nteams,
	    sizeof(struct team), offsetof(struct team, id), id);
}

const struct tier *
model_tier(const struct model *m, const char *id)
{
	return m->tiers == NULL ? NULL : find_id(m->tiers->tiers,
	    m->tiers->ntiers, sizeof(struct tier), offsetof(struct tier, id),
	    id);
}

const struct control *
model_control(const struct model *m, const char *id)
{
	return m->tiers == NULL ? NULL : find_id(m->tiers->controls,
	    m->tiers->ncontrols, sizeof(struct control),
	    offsetof(struct control, id), id);
}

const struct kpi *
system_kpi(const struct system *s, const char *id)
{
	return find_id(s->kpis, s->nkpis, sizeof(struct kpi),
	    offsetof(struct kpi, id), id);
}

/* Place the KPIs supporting parent (NULL: the roots), depth first. */
static void
kpi_walk(const struct system *s, const char *parent, char *placed,
    int depth, size_t *order, int *dep, size_t *n)
{
	size_t j;

	for (j = 0; j < s->nkpis; j++) {
		if (placed[j])
			continue;
		if (parent == NULL ? s->kpis[j].supports.s != NULL &&
		    system_kpi(s, s->kpis[j].supports.s) != NULL :
		    s->kpis[j].supports.s == NULL ||
		    strcmp(s->kpis[j].supports.s, parent) != 0)
			continue;
		placed[j] = 1;
		order[*n] = j;
		dep[(*n)++] = depth;
		if (depth < KPI_TREE_DEPTH)
			kpi_walk(s, s->kpis[j].id.s, placed, depth + 1, order,
			    dep, n);
	}
}

void
kpi_tree_order(const struct system *s, size_t *order, int *depth)
{
	char *placed = xcalloc(s->nkpis + 1, 1);
	size_t j, n = 0;

	kpi_walk(s, NULL, placed, 0, order, depth, &n);
	for (j = 0; j < s->nkpis; j++)
		if (!placed[j]) {	/* in a supports cycle */
			placed[j] = 1;
			order[n] = j;
			depth[n++] = 0;
			kpi_walk(s, s->kpis[j].id.s, placed, 1, order, depth,
			    &n);
		}
	free(placed);
}

long
model_finding_system(const struct model *m, const struct finding *f)
{
	const struct loc *at;
	const struct system *s;
	long best = -1;
	size_t i;
	int k;

	for (k = 0; k < 2 && best < 0; k++) {
		at = k == 0 ? &f->basis : &f->loc;
		if (at->file == NULL)
			continue;
		for (i = 0; i < m->nsystems; i++) {
			s = &m->systems[i];
			if (s->loc.file == NULL ||
			    strcmp(s->loc.file, at->file) != 0 ||
			    (at->line > 0 && s->loc.line > at->line))
				continue;
			if (best < 0 || s->loc.line > m->systems[best].loc.line)
				best = (long)i;
		}
	}
	return best;
}

const struct assignment *
decision_assignment(const struct decision *d, const char *tier)
{
	size_t i;

	for (i = 0; i < d->nby_tier; i++)
		if (strcmp(d->by_tier[i].tier.s, tier) == 0)
			return &d->by_tier[i].a;
	return d->has_default ? &d->def : NULL;
}

const struct decision *
model_decision(const struct model *m, const char *id)
{
	size_t i;

	if (m->rights == NULL)
		return NULL;
	for (i = 0; i < m->rights->ndecisions; i++)
		if (strcmp(m->rights->decisions[i].id.s, id) == 0)
			return &m->rights->decisions[i];
	return NULL;
}
