/*
 * rules.c - governance rules over the typed model.
 *
 * Each rule_* function checks one family of the design's rules.  Findings
 * point at the YAML line a governance lead would edit.  When a singleton
 * (organization, risk-tiers, decision-rights) is missing or invalid, the
 * checks that depend on it are skipped instead of flooding the output with
 * unresolvable references.
 */
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "euaia.h"
#include "model.h"
#include "schema.h"
#include "rules.h"
#include "util.h"

struct rctx {
	const struct model		*m;
	const struct euaia_facts	*facts;
	struct diag			*d;
	struct arena			 scratch;
};

static int
in_use(const struct system *s)
{
	return s->stage.v == STAGE_SHADOW || s->stage.v == STAGE_PRODUCTION;
}

static int
is_owner_ref(const char *ref)
{
	return strncmp(ref, "owner:", 6) == 0;
}

static int
role_of(const char *ref)
{
	return enum_lookup(role_names, ROLE_MAX, ref + 6);
}

/*
 * The id among n structs (each with its sval id at ids + i * stride) closest
 * to s, if closer than *bestd; *bestd is lowered to its distance.
 */
static const char *
closest_id(const char *s, const struct sval *ids, size_t stride, size_t n,
    const char *best, int *bestd)
{
	const struct sval *v;
	size_t i;
	int d;

	for (i = 0; i < n; i++) {
		v = (const struct sval *)((const char *)ids + i * stride);
		if (v->s && (d = edit_distance(s, v->s, 2)) < *bestd) {
			*bestd = d;
			best = v->s;
		}
	}
	return best;
}

static const char *
hint(struct rctx *c, const char *best)
{
	return best ? arena_printf(&c->scratch, " (did you mean '%s'?)", best)
	    : "";
}

/* " (did you mean 'x'?)" against the ids of n structs, or "". */
static const char *
id_hint(struct rctx *c, const char *s, const struct sval *ids, size_t stride,
    size_t n)
{
	int bestd = 3;

	return hint(c, closest_id(s, ids, stride, n, NULL, &bestd));
}

/* The same against people and teams together. */
static const char *
party_hint(struct rctx *c, const char *ref)
{
	const struct organization *o = c->m->org;
	const char *best = NULL;
	int bestd = 3;

	if (o->npeople)
		best = closest_id(ref, &o->people[0].id, sizeof(o->people[0]),
		    o->npeople, best, &bestd);
	if (o->nteams)
		best = closest_id(ref, &o->teams[0].id, sizeof(o->teams[0]),
		    o->nteams, best, &bestd);
	return hint(c, best);
}

/*
 * Check a party ref.  sys is the system the ref belongs to (owner:ROLE must
 * then be assigned there), or NULL where owner:ROLE is resolved later.
 * owner_ok 0 forbids owner:ROLE altogether (owners themselves).
 */
static void
check_party(struct rctx *c, const struct sval *v, const struct system *sys,
    int owner_ok, const char *field)
{
	int role;

	if (v->s == NULL || c->m->org == NULL)
		return;
	if (is_owner_ref(v->s)) {
		if (!owner_ok) {
			diag_emit(c->d, R_REF_UNKNOWN, &v->loc, "'%s' must "
			    "name a person or a team, not '%s'", field, v->s);
			return;
		}
		role = role_of(v->s);
		if (sys != NULL && role >= 0 && sys->owners[role].s == NULL)
			diag_emit(c->d, R_REF_UNKNOWN, &v->loc, "'%s' is '%s' "
			    "but system '%s' has no %s owner", field, v->s,
			    sys->id.s, role_names[role]);
		return;
	}
	if (model_person(c->m, v->s) == NULL && model_team(c->m, v->s) == NULL)
		diag_emit(c->d, R_REF_UNKNOWN, &v->loc, "'%s' names '%s', who "
		    "is neither a person nor a team of the organization%s",
		    field, v->s, party_hint(c, v->s));
}

static void
check_parties(struct rctx *c, const struct slist *l, const struct system *sys,
    const char *field)
{
	size_t i;

	for (i = 0; i < l->n; i++)
		check_party(c, &l->v[i], sys, 1, field);
}

static const char *
control_hint(struct rctx *c, const char *s)
{
	const struct risk_tiers *rt = c->m->tiers;

	return rt->ncontrols ? id_hint(c, s, &rt->controls[0].id,
	    sizeof(rt->controls[0]), rt->ncontrols) : "";
}

/* --- organization and catalogues ------------------------------------------ */

static void
rule_org(struct rctx *c)
{
	const struct organization *o = c->m->org;
	const struct risk_tiers *rt = c->m->tiers;
	size_t i, j;

	if (o != NULL) {
		for (i = 0; i < o->npeople; i++)
			if (o->people[i].team.s != NULL &&
			    model_team(c->m, o->people[i].team.s) == NULL)
				diag_emit(c->d, R_REF_UNKNOWN,
				    &o->people[i].team.loc, "person '%s' is "
				    "in team '%s', which does not exist%s",
				    o->people[i].id.s, o->people[i].team.s,
				    o->nteams ? id_hint(c, o->people[i].team.s,
				    &o->teams[0].id, sizeof(o->teams[0]),
				    o->nteams) : "");
		for (i = 0; i < o->nteams; i++)
			if (o->teams[i].lead.s != NULL &&
			    model_person(c->m, o->teams[i].lead.s) == NULL)
				diag_emit(c->d, R_REF_UNKNOWN,
				    &o->teams[i].lead.loc, "team '%s' is led by "
				    "'%s', who is not a person of the "
				    "organization%s", o->teams[i].id.s,
				    o->teams[i].lead.s, party_hint(c,
				    o->teams[i].lead.s));
		check_party(c, &o->steering, NULL, 0, "steering");
	}
	if (rt != NULL)
		for (i = 0; i < rt->ntiers; i++)
			for (j = 0; j < rt->tiers[i].required_controls.n; j++) {
				const struct sval *v =
				    &rt->tiers[i].required_controls.v[j];

				if (model_control(c->m, v->s) == NULL)
					diag_emit(c->d, R_REF_UNKNOWN, &v->loc,
					    "tier '%s' requires control '%s', "
					    "which is not in the controls "
					    "catalogue%s", rt->tiers[i].id.s,
					    v->s, control_hint(c, v->s));
			}
}

/* --- decision rights -------------------------------------------------------- */

static void
check_assignment(struct rctx *c, const struct assignment *a)
{
	check_party(c, &a->decides, NULL, 1, "decides");
	check_parties(c, &a->consulted, NULL, "consulted");
	check_parties(c, &a->informed, NULL, "informed");
}

static void
rule_rights(struct rctx *c)
{
	const struct decision_rights *dr = c->m->rights;
	const struct risk_tiers *rt = c->m->tiers;
	const struct decision *d;
	size_t i, j;

	if (dr == NULL)
		return;
	for (i = 0; i < ARRAY_SIZE(required_decisions); i++)
		if (model_decision(c->m, required_decisions[i]) == NULL)
			diag_emit(c->d, R_RIGHTS_MISSING_DECISION, &dr->loc,
			    "decision '%s' is missing; every organisation must "
			    "say who decides it", required_decisions[i]);
	for (i = 0; i < dr->ndecisions; i++) {
		d = &dr->decisions[i];
		if (d->has_default)
			check_assignment(c, &d->def);
		for (j = 0; j < d->nby_tier; j++) {
			check_assignment(c, &d->by_tier[j].a);
			if (rt != NULL && model_tier(c->m,
			    d->by_tier[j].tier.s) == NULL)
				diag_emit(c->d, R_REF_UNKNOWN,
				    &d->by_tier[j].tier.loc, "decision '%s' "
				    "names tier '%s', which does not exist%s",
				    d->id.s, d->by_tier[j].tier.s,
				    rt->ntiers ? id_hint(c,
				    d->by_tier[j].tier.s, &rt->tiers[0].id,
				    sizeof(rt->tiers[0]), rt->ntiers) : "");
		}
		if (rt == NULL)
			continue;
		for (j = 0; j < rt->ntiers; j++)
			if (decision_assignment(d, rt->tiers[j].id.s) == NULL)
				diag_emit(c->d, R_RIGHTS_NO_DECIDER, &d->loc,
				    "decision '%s' has no decider for tier "
				    "'%s' (add a default or a by_tier entry)",
				    d->id.s, rt->tiers[j].id.s);
	}
}

/* owner:ROLE parties of the decisions, resolved for one system. */
static void
rule_rights_resolved(struct rctx *c, const struct system *s)
{
	const struct decision_rights *dr = c->m->rights;
	const struct assignment *a;
	const struct sval *v;
	size_t i, j, k;
	int role;

	if (dr == NULL || s->risk_tier.s == NULL)
		return;
	for (i = 0; i < dr->ndecisions; i++) {
		a = decision_assignment(&dr->decisions[i], s->risk_tier.s);
		if (a == NULL)
			continue;
		for (j = 0; j < 1 + a->consulted.n + a->informed.n; j++) {
			v = j == 0 ? &a->decides : j <= a->consulted.n ?
			    &a->consulted.v[j - 1] :
			    &a->informed.v[j - 1 - a->consulted.n];
			if (v->s == NULL || !is_owner_ref(v->s) ||
			    (role = role_of(v->s)) < 0 ||
			    s->owners[role].s != NULL)
				continue;
			/* Report each role once per system and decision. */
			for (k = 0; k < j; k++) {
				const struct sval *w = k == 0 ? &a->decides :
				    k <= a->consulted.n ? &a->consulted.v[k - 1]
				    : &a->informed.v[k - 1 - a->consulted.n];

				if (w->s != NULL && strcmp(w->s, v->s) == 0)
					break;
			}
			if (k < j)
				continue;
			diag_emit_sev(c->d, R_RIGHTS_UNRESOLVED,
			    j == 0 && in_use(s) ? SEV_ERROR : SEV_WARNING,
			    &s->owners_loc, "decision '%s' %s '%s', but system "
			    "'%s' has no %s owner", dr->decisions[i].id.s,
			    j == 0 ? "is decided by" : j <= a->consulted.n ?
			    "consults" : "informs", v->s, s->id.s,
			    role_names[role]);
		}
	}
}

/* Does party hold the escalate right for the system, or own it? */
static int
may_take_escalations(struct rctx *c, const struct system *s, const char *p)
{
	const struct decision *esc = model_decision(c->m, "escalate");
	const struct assignment *a;
	const struct person *person;
	const char *holder;
	int role;
	size_t i;

	if (is_owner_ref(p)) {
		role = role_of(p);
		return role >= 0 && s->owners[role].s != NULL;
	}
	for (i = 0; i < ROLE_MAX; i++)
		if (s->owners[i].s != NULL && strcmp(s->owners[i].s, p) == 0)
			return 1;
	if (esc == NULL || (a = decision_assignment(esc, s->risk_tier.s)) == NULL ||
	    a->decides.s == NULL)
		return 0;
	holder = a->decides.s;
	if (is_owner_ref(holder)) {
		role = role_of(holder);
		holder = role >= 0 ? s->owners[role].s : NULL;
		if (holder == NULL)
			return 0;
	}
	if (strcmp(holder, p) == 0)
		return 1;
	/* A member of the team that holds the right may take it. */
	person = model_person(c->m, p);
	return person != NULL && person->team.s != NULL &&
	    strcmp(person->team.s, holder) == 0;
}

/* --- systems ------------------------------------------------------------------ */

static void
rule_owners(struct rctx *c, const struct system *s)
{
	static const int critical[] = {
		ROLE_OUTCOME, ROLE_EXCEPTION_PATH, ROLE_FAILURE_MODE
	};
	size_t i, j;
	int crit;

	for (i = 0; i < ROLE_MAX; i++)
		check_party(c, &s->owners[i], s, 0, role_names[i]);
	if (!in_use(s))
		return;
	for (i = 0; i < ROLE_MAX; i++) {
		if (s->owners[i].s != NULL)
			continue;
		for (j = 0, crit = 0; j < ARRAY_SIZE(critical); j++)
			crit |= critical[j] == (int)i;
		diag_emit_sev(c->d, R_OWNERS_UNASSIGNED, crit ? SEV_ERROR :
		    SEV_WARNING, &s->owners_loc, "system '%s' is in %s but "
		    "has no %s owner", s->id.s, stage_names[s->stage.v],
		    role_names[i]);
	}
}

static int
has_control(const struct system *s, const char *id)
{
	size_t i;

	for (i = 0; i < s->controls.n; i++)
		if (strcmp(s->controls.v[i].s, id) == 0)
			return 1;
	return 0;
}

static void
rule_tier(struct rctx *c, const struct system *s, const struct tier *t)
{
	const struct eu_ai_act *eu = &s->eu;
	size_t i;
	int ok;

	if (t->lane.v == LANE_PROHIBITED && (s->stage.v == STAGE_PILOT ||
	    in_use(s)))
		diag_emit(c->d, R_TIER_PROHIBITED_IN_USE, &s->stage.loc,
		    "system '%s' is in %s, but tier '%s' is in the prohibited "
		    "lane: it may not go beyond idea", s->id.s,
		    stage_names[s->stage.v], t->id.s);
	if (eu->classification.v >= 0 && t->has_eu) {
		for (i = 0, ok = 0; i < t->neu; i++)
			ok |= t->eu[i].v == eu->classification.v;
		if (!ok)
			diag_emit(c->d, R_TIER_CLASSIFICATION,
			    &eu->classification.loc, "classification '%s' is "
			    "not allowed in tier '%s' (declared at %s:%d)",
			    euclass_names[eu->classification.v], t->id.s,
			    t->eu_loc.file, t->eu_loc.line);
	}
	if (!in_use(s))
		return;
	for (i = 0; i < t->required_controls.n; i++)
		if (!has_control(s, t->required_controls.v[i].s))
			diag_emit(c->d, R_TIER_MISSING_CONTROL, &s->controls.loc,
			    "system '%s' is in %s without control '%s', which "
			    "tier '%s' requires", s->id.s,
			    stage_names[s->stage.v],
			    t->required_controls.v[i].s, t->id.s);
	if (t->oversight.v > 0 && s->oversight_level.v < t->oversight.v)
		diag_emit(c->d, R_TIER_OVERSIGHT, s->oversight_level.v >= 0 ?
		    &s->oversight_level.loc : &s->oversight_loc,
		    "human oversight '%s' is below '%s', the minimum of tier "
		    "'%s'", s->oversight_level.v >= 0 ?
		    oversight_names[s->oversight_level.v] : "(none declared)",
		    oversight_names[t->oversight.v], t->id.s);
}

static void
rule_euaia(struct rctx *c, const struct system *s)
{
	const struct eu_ai_act *eu = &s->eu;
	const struct loc *at = eu->present ? &eu->loc : &s->loc;
	int high = eu->classification.v == EUCLASS_HIGH_RISK;
	int provider = eu->role.v == EUROLE_PROVIDER ||
	    eu->role.v == EUROLE_PROVIDER_AND_DEPLOYER;
	int public_deployer = c->m->org != NULL && c->m->org->public_body.v &&
	    !provider && eu->role.v >= 0;

	if (eu->classification.v == EUCLASS_PROHIBITED &&
	    s->stage.v != STAGE_RETIRED)
		diag_emit(c->d, R_EUAIA_PROHIBITED, &eu->classification.loc,
		    "system '%s' is classified as a prohibited practice "
		    "(Art. 5) and must be retired, not in %s", s->id.s,
		    stage_names[s->stage.v]);
	if (c->m->org != NULL && c->m->org->eu && eu->classification.v < 0)
		diag_emit(c->d, R_EUAIA_MISSING_CLASSIFICATION, at,
		    "the organization operates in the EU, but system '%s' has "
		    "no eu_ai_act classification", s->id.s);
	if (eu->annex_iii.s != NULL) {
		if (euaia_annex_index(c->facts, eu->annex_iii.s) < 0)
			diag_emit(c->d, R_EUAIA_ANNEX_III, &eu->annex_iii.loc,
			    "'%s' is not a point of Annex III", eu->annex_iii.s);
		else if (!high && eu->classification.v >= 0 &&
		    eu->classification.v != EUCLASS_PROHIBITED) {
			if (eu->profiling.v)
				diag_emit(c->d, R_EUAIA_PROFILING,
				    &eu->profiling.loc, "system '%s' profiles "
				    "natural persons under Annex III %s, so it "
				    "is high-risk whatever the Art. 6(3) "
				    "exemption", s->id.s, eu->annex_iii.s);
			else if (!eu->has_exemption)
				diag_emit(c->d, R_EUAIA_MISSING_EXEMPTION,
				    &eu->classification.loc, "system '%s' "
				    "falls under Annex III %s but is '%s': "
				    "document the Art. 6(3) exemption in "
				    "'exemption_6_3'", s->id.s, eu->annex_iii.s,
				    euclass_names[eu->classification.v]);
		}
	}
	if (!high || s->stage.v != STAGE_PRODUCTION)
		return;
	if (!s->has_oversight || s->oversight_level.v == OVERSIGHT_NONE)
		diag_emit(c->d, R_EUAIA_MISSING_OVERSIGHT, &s->oversight_loc,
		    "high-risk system '%s' is in production without human "
		    "oversight (Art. 14)", s->id.s);
	if (s->log_database.s == NULL)
		diag_emit(c->d, R_EUAIA_MISSING_LOG, &s->log_loc,
		    "high-risk system '%s' is in production without a decision "
		    "log database (Art. 12)", s->id.s);
	if (!s->has_incident_response)
		diag_emit(c->d, R_EUAIA_MISSING_INCIDENT_RESPONSE, &s->loc,
		    "high-risk system '%s' is in production without "
		    "incident_response (Art. 73)", s->id.s);
	if (eu->conformity_completed.s == NULL)
		diag_emit(c->d, R_EUAIA_MISSING_CONFORMITY, eu->has_conformity ?
		    &eu->conformity_loc : at, "high-risk system '%s' is in "
		    "production without a completed conformity assessment "
		    "(Art. 43)", s->id.s);
	if (euaia_fria_required(c->facts, c->m, s) && eu->fria_completed.s == NULL)
		diag_emit(c->d, R_EUAIA_MISSING_FRIA, eu->has_fria ?
		    &eu->fria_loc : at, "high-risk system '%s' (Annex III %s) "
		    "is deployed without a completed fundamental-rights impact "
		    "assessment (Art. 27)", s->id.s, eu->annex_iii.s);
	if ((provider || public_deployer) && eu->registration_id.s == NULL)
		diag_emit(c->d, R_EUAIA_MISSING_REGISTRATION, at,
		    "high-risk system '%s' is in production without an EU "
		    "database registration_id (Art. 49)", s->id.s);
}

static void
rule_decision_table(struct rctx *c, const struct system *s)
{
	const struct table_row *r, *o;
	size_t i, j;
	int role;

	for (i = 0; i < s->ntable; i++) {
		r = &s->table[i];
		for (j = 0; j < i; j++) {
			o = &s->table[j];
			if (strcmp(o->exception.s, r->exception.s) == 0) {
				diag_emit(c->d, R_TABLE_DUPLICATE,
				    &r->exception.loc, "exception '%s' is "
				    "already in the decision table at line %d; "
				    "each exception has exactly one row",
				    r->exception.s, o->exception.loc.line);
				break;
			}
		}
		check_party(c, &r->escalate_to, s, 1, "escalate_to");
		if (r->ai_may_resolve.v || r->escalate_to.s == NULL ||
		    c->m->org == NULL || s->risk_tier.s == NULL)
			continue;
		/* An unassigned owner:ROLE is already a ref.unknown. */
		if (is_owner_ref(r->escalate_to.s) &&
		    (role = role_of(r->escalate_to.s)) >= 0 &&
		    s->owners[role].s == NULL)
			continue;
		if (!may_take_escalations(c, s, r->escalate_to.s))
			diag_emit(c->d, R_TABLE_ESCALATION_WITHOUT_RIGHT,
			    &r->escalate_to.loc, "exception '%s' escalates to "
			    "'%s', who neither holds the 'escalate' decision "
			    "right for tier '%s' nor owns system '%s'",
			    r->exception.s, r->escalate_to.s, s->risk_tier.s,
			    s->id.s);
	}
}

static void
rule_kpis(struct rctx *c, const struct system *s)
{
	const struct kpi *k, *up;
	size_t i, j, steps;
	int business = 0, model_only = 1;
	char *in_cycle;

	if (s->nkpis == 0) {
		if (in_use(s))
			diag_emit(c->d, R_KPI_MISSING, &s->loc, "system '%s' is "
			    "in %s with no KPI", s->id.s,
			    stage_names[s->stage.v]);
		return;
	}
	in_cycle = arena_alloc(&c->scratch, s->nkpis);
	for (i = 0; i < s->nkpis; i++) {
		k = &s->kpis[i];
		business |= k->level.v == LEVEL_BUSINESS;
		model_only &= k->level.v == LEVEL_MODEL;
		check_party(c, &k->owner, s, 1, "owner");
		for (j = 0; j < i; j++)
			if (strcmp(s->kpis[j].id.s, k->id.s) == 0) {
				diag_emit(c->d, R_KPI_DUPLICATE, &k->id.loc,
				    "KPI id '%s' is already used at line %d",
				    k->id.s, s->kpis[j].id.loc.line);
				break;
			}
		/*
		 * k is on a cycle when following 'supports' leads back to k
		 * within nkpis steps; a KPI that merely feeds a cycle is not.
		 */
		for (up = k, steps = 0; up != NULL && up->supports.s != NULL &&
		    steps < s->nkpis; steps++) {
			up = system_kpi(s, up->supports.s);
			if (up == k) {
				in_cycle[i] = 1;
				break;
			}
		}
	}
	for (i = 0; i < s->nkpis; i++) {
		k = &s->kpis[i];
		if (in_cycle[i]) {
			diag_emit(c->d, R_KPI_CYCLE, &k->supports.loc, "KPI "
			    "'%s' supports '%s', which leads back to it: the "
			    "stack must be a tree", k->id.s, k->supports.s);
			continue;
		}
		if (k->supports.s != NULL &&
		    (up = system_kpi(s, k->supports.s)) == NULL) {
			diag_emit(c->d, R_REF_UNKNOWN, &k->supports.loc, "KPI "
			    "'%s' supports '%s', which is not a KPI of system "
			    "'%s'%s", k->id.s, k->supports.s, s->id.s,
			    id_hint(c, k->supports.s, &s->kpis[0].id,
			    sizeof(s->kpis[0]), s->nkpis));
			continue;
		}
		if (k->level.v == LEVEL_BUSINESS)
			continue;
		up = k->supports.s ? system_kpi(s, k->supports.s) : NULL;
		if (up == NULL)
			diag_emit(c->d, R_KPI_ORPHAN, &k->loc, "%s KPI '%s' "
			    "supports no KPI; say which higher-level KPI it "
			    "drives with 'supports'", level_names[k->level.v],
			    k->id.s);
		else if (up->level.v <= k->level.v)
			diag_emit(c->d, R_KPI_ORPHAN, &k->supports.loc, "%s KPI "
			    "'%s' supports '%s', which is %s, not a higher "
			    "level", level_names[k->level.v], k->id.s,
			    up->id.s, level_names[up->level.v]);
	}
	if (model_only)
		diag_emit(c->d, R_KPI_VANITY, &s->kpis_loc, "system '%s' "
		    "measures only model metrics: a vanity stack that shows no "
		    "business or operational effect", s->id.s);
	else if (!business)
		diag_emit(c->d, R_KPI_NO_BUSINESS, &s->kpis_loc, "system '%s' "
		    "has no business KPI at the top of its stack", s->id.s);
}

static void
rule_review(struct rctx *c, const struct system *s, const struct tier *t)
{
	long last;
	long days;

	if (!t->review_every_days.set)
		return;
	days = (long)t->review_every_days.v;
	if (s->last_review.s == NULL) {
		if (in_use(s))
			diag_emit(c->d, R_REVIEW_MISSING, &s->loc, "system '%s' "
			    "is in %s but has no last_review; tier '%s' "
			    "requires a review every %ld days", s->id.s,
			    stage_names[s->stage.v], t->id.s, days);
		return;
	}
	if (s->stage.v == STAGE_IDEA || s->stage.v == STAGE_RETIRED)
		return;
	if (date_parse(s->last_review.s, &last) == 0 &&
	    c->m->as_of - last > days)
		diag_emit(c->d, R_REVIEW_OVERDUE, &s->last_review.loc,
		    "system '%s' was last reviewed on %s, %ld days before %s; "
		    "tier '%s' requires a review every %ld days", s->id.s,
		    s->last_review.s, c->m->as_of - last, c->m->as_of_text,
		    t->id.s, days);
}

static void
rule_log(struct rctx *c, const struct system *s)
{
	long min = c->facts->retention_min_days;
	int high = s->eu.classification.v == EUCLASS_HIGH_RISK;

	if (!s->log_retention_days.set || s->log_retention_days.v >= min)
		return;
	diag_emit_sev(c->d, R_LOG_RETENTION_TOO_SHORT, high ? SEV_ERROR :
	    SEV_WARNING, &s->log_retention_days.loc, "decision logs of "
	    "system '%s' are kept %g days, under the %ld-day floor of Arts. 19 "
	    "and 26(6)", s->id.s, s->log_retention_days.v, min);
}

static void
rule_system_refs(struct rctx *c, const struct system *s)
{
	size_t i;

	if (c->m->tiers != NULL)
		for (i = 0; i < s->controls.n; i++)
			if (model_control(c->m, s->controls.v[i].s) == NULL)
				diag_emit(c->d, R_REF_UNKNOWN,
				    &s->controls.v[i].loc, "control '%s' is "
				    "not in the controls catalogue%s",
				    s->controls.v[i].s, control_hint(c,
				    s->controls.v[i].s));
	check_party(c, &s->oversight_reviewer, s, 1, "reviewer");
	check_parties(c, &s->incident_notify, s, "notify");
	for (i = 0; i < s->ndata; i++) {
		check_party(c, &s->data[i].owner, s, 1, "owner");
		check_party(c, &s->data[i].on_call, s, 1, "on_call");
	}
}

static void
rule_system(struct rctx *c, const struct system *s)
{
	const struct risk_tiers *rt = c->m->tiers;
	const struct tier *t = NULL;

	if (rt != NULL) {
		t = model_tier(c->m, s->risk_tier.s);
		if (t == NULL)
			diag_emit(c->d, R_REF_UNKNOWN, &s->risk_tier.loc,
			    "risk tier '%s' does not exist%s", s->risk_tier.s,
			    rt->ntiers ? id_hint(c, s->risk_tier.s,
			    &rt->tiers[0].id, sizeof(rt->tiers[0]),
			    rt->ntiers) : "");
	}
	rule_owners(c, s);
	rule_system_refs(c, s);
	if (t != NULL) {
		rule_tier(c, s, t);
		rule_review(c, s, t);
		rule_rights_resolved(c, s);
	}
	rule_euaia(c, s);
	rule_decision_table(c, s);
	rule_kpis(c, s);
	rule_log(c, s);
}

static void
rule_singletons(struct rctx *c)
{
	static const char *const what[] = {
		"organization", "risk-tiers", "decision-rights"
	};
	const void *have[3];
	struct loc loc = { c->m->root, 0, 0 };
	int i;

	have[0] = c->m->org;
	have[1] = c->m->tiers;
	have[2] = c->m->rights;
	for (i = 0; i < 3; i++)
		if (have[i] == NULL && c->m->seen[i] == 0)
			diag_emit(c->d, R_SCHEMA_SINGLETON, &loc, "no '%s' "
			    "document found; a governance repo needs exactly "
			    "one", what[i]);
}

void
rules_check(const struct model *m, const struct euaia_facts *facts,
    struct diag *d)
{
	struct rctx c;
	size_t i;

	c.m = m;
	c.facts = facts;
	c.d = d;
	arena_init(&c.scratch);
	rule_singletons(&c);
	rule_org(&c);
	rule_rights(&c);
	for (i = 0; i < m->nsystems; i++)
		rule_system(&c, &m->systems[i]);
	arena_release(&c.scratch);
}
