/*
 * euaia.c - load schemas/eu-ai-act.yaml from the embedded files.
 */
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "embedded.h"
#include "euaia.h"
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
