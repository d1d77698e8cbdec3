/*
 * euaia.c - load schemas/eu-ai-act.yaml from the embedded files.
 */
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "embedded.h"
#include "euaia.h"
#include "model.h"
#include "util.h"
#include "ydoc.h"

static const char **
str_list(struct arena *a, const struct ynode *seq, size_t *n)
{
	const char **v;
	size_t i;

	*n = 0;
	if (seq == NULL || seq->kind != YN_SEQ)
		return NULL;
	v = arena_alloc(a, seq->n * sizeof(*v));
	for (i = 0; i < seq->n; i++)
		v[i] = seq->items[i]->str;
	*n = seq->n;
	return v;
}

static const char *
need_str(const struct ynode *map, const char *key)
{
	const struct ynode *v = map != NULL ? ynode_get(map, key) : NULL;

	if (v == NULL || v->kind != YN_SCALAR || v->str == NULL)
		BUG("schemas/eu-ai-act.yaml: a string is missing");
	return v->str;
}

static int
name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	BUG("schemas/eu-ai-act.yaml: an unknown classification or role");
	return -1;
}

static void
load_dates(const struct ynode *root, struct euaia_facts *f)
{
	const struct ynode *all = ynode_get(root, "application_dates"), *r;
	int i;

	for (i = 0; i < REGIME_MAX; i++) {
		r = all != NULL ? ynode_get(all, regime_names[i]) : NULL;
		f->dates[i].prohibited = need_str(r, "prohibited_practices");
		f->dates[i].transparency = need_str(r, "transparency");
		f->dates[i].high_risk = need_str(r, "annex_iii_high_risk");
	}
}

static void
load_sections(struct arena *a, const struct ynode *root,
    struct euaia_facts *f)
{
	const struct ynode *seq = ynode_get(root, "pack_sections");
	const struct ynode *req = ynode_get(root, "required_sections");
	const struct ynode *x, *v, *o;
	struct euaia_section *s;
	size_t i, j;
	int c;

	if (seq == NULL || seq->kind != YN_SEQ || seq->n == 0 ||
	    seq->n > EUAIA_SECTIONS_MAX || req == NULL || req->kind != YN_MAP)
		BUG("schemas/eu-ai-act.yaml lacks pack_sections");
	f->sections = arena_alloc(a, seq->n * sizeof(*f->sections));
	f->nsections = seq->n;
	for (i = 0; i < seq->n; i++) {
		x = seq->items[i];
		s = &f->sections[i];
		memset(s, 0, sizeof(*s));
		v = ynode_get(x, "n");
		if (v == NULL || v->type != YS_INT || v->number != (double)(i + 1))
			BUG("schemas/eu-ai-act.yaml: sections out of order");
		s->n = (int)(i + 1);
		s->slug = need_str(x, "slug");
		s->title = need_str(x, "title");
		s->articles = need_str(x, "articles");
		s->asks = need_str(x, "asks");
		v = ynode_get(x, "roles");
		for (c = 0; c < EUROLE_MAX; c++)
			s->roles[c] = v == NULL;
		for (j = 0; v != NULL && j < v->n; j++)
			s->roles[name_index(eurole_names, EUROLE_MAX,
			    v->items[j]->str)] = 1;
		v = ynode_get(x, "public_deployers");
		s->public_deployers = v != NULL && v->type == YS_BOOL &&
		    v->boolean;
		o = ynode_get(x, "outside");
		if (o != NULL && o->kind == YN_SEQ && o->n > 0) {
			s->outside = arena_alloc(a, o->n * sizeof(*s->outside));
			for (j = 0; j < o->n; j++) {
				s->outside[j].item = need_str(o->items[j], "item");
				s->outside[j].where = need_str(o->items[j],
				    "where");
			}
			s->noutside = o->n;
		}
	}
	for (i = 0; i < req->n; i++) {
		c = name_index(euclass_names, EUCLASS_MAX, req->pairs[i].key->str);
		v = req->pairs[i].value;
		for (j = 0; v->kind == YN_SEQ && j < v->n; j++) {
			size_t n = (size_t)v->items[j]->number;

			if (v->items[j]->type != YS_INT || n < 1 ||
			    n > f->nsections)
				BUG("schemas/eu-ai-act.yaml: bad section number");
			f->sections[n - 1].required[c] = 1;
		}
	}
}

int
euaia_load(struct arena *a, struct diag *d, struct euaia_facts *f)
{
	struct ylimits lim = { 16, 10000, 4096 };
	const struct embedded_file *ef;
	/* In the order of enum inc_category in log.h. */
	static const char *const inc_keys[3] = {
		"general", "death", "widespread_or_critical_infrastructure"
	};
	const struct ynode *root, *annex, *ret, *inc, *v;
	struct yfile yf;
	size_t i;

	memset(f, 0, sizeof(*f));
	if ((ef = embedded_find("schemas/eu-ai-act.yaml")) == NULL)
		BUG("schemas/eu-ai-act.yaml is not embedded");
	if (ydoc_load(a, d, &lim, "schemas/eu-ai-act.yaml",
	    (const char *)ef->data, ef->len, &yf) != 0 || yf.ndocs != 1)
		return -1;
	root = yf.docs[0].root;
	annex = ynode_get(root, "annex_iii");
	ret = ynode_get(root, "log_retention_min_days");
	if (annex == NULL || annex->kind != YN_MAP || ret == NULL ||
	    ret->type != YS_INT)
		BUG("schemas/eu-ai-act.yaml lacks annex_iii or retention");
	f->annex_points = arena_alloc(a, annex->n * sizeof(char *));
	f->annex_areas = arena_alloc(a, annex->n * sizeof(char *));
	for (i = 0; i < annex->n; i++) {
		f->annex_points[i] = annex->pairs[i].key->str;
		f->annex_areas[i] = annex->pairs[i].value->str;
	}
	f->nannex = annex->n;
	f->retention_min_days = (long)ret->number;
	f->fria_points = str_list(a, ynode_get(root, "fria_points"),
	    &f->nfria_points);
	f->fria_public_excluded = str_list(a, ynode_get(root,
	    "fria_public_body_excluded"), &f->nfria_public_excluded);
	inc = ynode_get(root, "incident_report_days");
	for (i = 0; i < 3; i++) {
		v = inc != NULL ? ynode_get(inc, inc_keys[i]) : NULL;
		if (v == NULL || v->type != YS_INT || v->number < 1)
			BUG("schemas/eu-ai-act.yaml lacks incident_report_days");
		f->incident_days[i] = (long)v->number;
	}
	load_dates(root, f);
	load_sections(a, root, f);
	return 0;
}

int
euaia_in_list(const char *const *list, size_t n, const char *s)
{
	size_t i;

	if (s == NULL)
		return 0;
	for (i = 0; i < n; i++)
		if (strcmp(list[i], s) == 0)
			return 1;
	return 0;
}

int
euaia_annex_index(const struct euaia_facts *f, const char *code)
{
	size_t i;

	for (i = 0; code != NULL && i < f->nannex; i++)
		if (strcmp(f->annex_points[i], code) == 0)
			return (int)i;
	return -1;
}

/*
 * Art. 27: a deployer of a high-risk Annex III system needs a FRIA for the
 * points the facts list, and, as a public body or a provider of public
 * services, for every point but the excluded ones.  An Annex III system
 * exempt under Art. 6(3) is not high-risk and needs none.
 */
int
euaia_fria_required(const struct euaia_facts *f, const struct model *m,
    const struct system *s)
{
	const char *annex = s->eu.annex_iii.s;

	if (s->eu.role.v != EUROLE_DEPLOYER &&
	    s->eu.role.v != EUROLE_PROVIDER_AND_DEPLOYER)
		return 0;
	if (annex == NULL || s->eu.classification.v != EUCLASS_HIGH_RISK)
		return 0;
	if (euaia_in_list(f->fria_points, f->nfria_points, annex))
		return 1;
	return m->org != NULL && m->org->public_body.v &&
	    !euaia_in_list(f->fria_public_excluded, f->nfria_public_excluded,
	    annex);
}
