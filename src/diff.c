/*
 * diff.c - `charter diff`: the governance changes between two loaded
 * repos, as Markdown for a pull-request comment, plain text or JSON.
 *
 * First the comparison, into a small report of changes (systems added,
 * removed and changed field by field, decision rights per decision and
 * tier, findings new and fixed); then one printer per format over that
 * report, so the three always say the same.  Nothing here reads a file or
 * prints a repo's findings as such.  Every value taken from the repos is
 * escaped for its format: in Markdown, ASCII punctuation that could start
 * markup is backslash-escaped and line breaks become spaces, so a hostile
 * name can neither add a link, HTML nor a table cell.
 */
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "diff.h"
#include "model.h"
#include "util.h"

enum chg_kind {
	CHG_CHANGED, CHG_ADDED, CHG_REMOVED, CHG_MAX
};

static const char *const chg_names[CHG_MAX] = {
	"changed", "added", "removed"
};

/*
 * One change of a system.  field names what changed (stage, owners,
 * decision_table, ...), item the row, KPI, role or control within it
 * (NULL: none), attr the item's attribute (NULL: the item as a whole).
 * old and new are the values as text; NULL means absent.
 */
struct chg {
	const char	*field, *item, *attr;
	enum chg_kind	 kind;
	const char	*old, *new;
};

/* A system added (old NULL), removed (new NULL) or changed. */
struct sys_diff {
	const struct system	*old, *new;
	struct chg		*v;
	size_t			 n, cap;
};

/* A sorted set of parties (decides has at most one). */
struct pset {
	const char	**v;
	size_t		  n;
};

/* Who decides, is consulted or informed for one decision and tier. */
struct right_chg {
	const char	*decision, *tier, *role;
	struct pset	 old, new;
	int		 list;		/* consulted or informed */
};

/*
 * A finding with what it is compared by: system, its system's id or NULL;
 * msg, the message as shown, the repo's paths made relative; key, msg
 * without the line numbers of files it names; where, FILE:LINE below the
 * repo.
 */
struct fkey {
	const struct finding	*f;
	const char		*system, *msg, *key, *where;
};

struct report {
	struct arena		*a;
	const struct diff_side	*o, *n;
	struct sys_diff		*sys;
	size_t			 nsys, syscap;
	size_t			 added, removed, changed;
	struct right_chg	*rights;
	size_t			 nrights, rightscap;
	struct fkey		*fnew, *ffixed;
	size_t			 nnew, nfixed;
	size_t			 new_sev[SEV_MAX];
	size_t			 dropped;	/* not kept by a side */
};

/* ---- values as text ------------------------------------------------------ */

/* The shortest "%.*g" that reads back as x, integers in full; no locale. */
static const char *
num_text(struct arena *a, double x)
{
	char tmp[40];
	int prec;

	if (x == floor(x) && fabs(x) < 1e17)
		return arena_printf(a, "%.0f", x);
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	/* A locale's decimal comma would have sat where the point goes. */
	for (prec = 0; tmp[prec] != '\0'; prec++)
		if (tmp[prec] == ',')
			tmp[prec] = '.';
	return arena_strdup(a, tmp);
}

static const char *
nval_text(struct arena *a, const struct nval *v)
{
	return v->set ? num_text(a, v->v) : NULL;
}

static const char *
bval_text(const struct bval *v)
{
	return v->set ? (v->v ? "true" : "false") : NULL;
}

static const char *
eval_text(const char *const *names, int max, const struct eval *v)
{
	return v->v >= 0 && v->v < max ? names[v->v] : NULL;
}

static int
str_eq(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return x == y;
	return strcmp(x, y) == 0;
}

static const char *
classification(const struct system *s)
{
	return s->eu.present ? eval_text(euclass_names, EUCLASS_MAX,
	    &s->eu.classification) : NULL;
}

/* ---- collecting changes ------------------------------------------------ */

static struct sys_diff *
add_system(struct report *r, const struct system *o, const struct system *n)
{
	struct sys_diff *sd;

	r->sys = xgrow(r->sys, &r->syscap, r->nsys + 1, sizeof(*r->sys));
	sd = &r->sys[r->nsys++];
	memset(sd, 0, sizeof(*sd));
	sd->old = o;
	sd->new = n;
	return sd;
}

static void
add_chg(struct sys_diff *sd, const char *field, const char *item,
    const char *attr, enum chg_kind kind, const char *o, const char *n)
{
	struct chg *c;

	sd->v = xgrow(sd->v, &sd->cap, sd->n + 1, sizeof(*sd->v));
	c = &sd->v[sd->n++];
	c->field = field;
	c->item = item;
	c->attr = attr;
	c->kind = kind;
	c->old = o;
	c->new = n;
}

/* A field of the system, or of an item, compared as text. */
static void
cmp_text(struct sys_diff *sd, const char *field, const char *item,
    const char *attr, const char *o, const char *n)
{
	if (!str_eq(o, n))
		add_chg(sd, field, item, attr, CHG_CHANGED, o, n);
}

static void
cmp_num(struct report *r, struct sys_diff *sd, const char *field,
    const char *item, const char *attr, const struct nval *o,
    const struct nval *n)
{
	if (o->set != n->set || (o->set && o->v != n->v))
		add_chg(sd, field, item, attr, CHG_CHANGED,
		    nval_text(r->a, o), nval_text(r->a, n));
}

/* Items of two arrays, sorted by id, walked together. */
static int
id_cmp(const void *x, const void *y)
{
	const char *const *a = x, *const *b = y;

	return strcmp(*a, *b);
}

/*
 * The ids of n items of size sz whose id (an sval at offset off) is set,
 * sorted, first occurrence only (duplicates are findings of their own).
 */
static const char **
sorted_ids(struct arena *a, const void *items, size_t n, size_t sz,
    size_t off, size_t *out)
{
	const char **v = arena_alloc(a, (n + 1) * sizeof(*v));
	const struct sval *id;
	size_t i, k = 0, j = 0;

	for (i = 0; i < n; i++) {
		id = (const struct sval *)((const char *)items + i * sz + off);
		if (id->s != NULL)
			v[k++] = id->s;
	}
	qsort(v, k, sizeof(*v), id_cmp);
	for (i = 0; i < k; i++)
		if (j == 0 || strcmp(v[j - 1], v[i]) != 0)
			v[j++] = v[i];
	*out = j;
	return v;
}

static const struct table_row *
table_row(const struct system *s, const char *exc)
{
	size_t i;

	for (i = 0; i < s->ntable; i++)
		if (str_eq(s->table[i].exception.s, exc))
			return &s->table[i];
	return NULL;
}

/* A row added or removed, in one line: its limits and escalation. */
static const char *
row_text(struct report *r, const struct table_row *t)
{
	struct buf b;
	const char *s;

	buf_init(&b, 0);
	if (t->ai_may_resolve.set)
		buf_printf(&b, "ai_may_resolve %s",
		    bval_text(&t->ai_may_resolve));
	if (t->min_confidence.set)
		buf_printf(&b, "%smin_confidence %s", b.len ? ", " : "",
		    num_text(r->a, t->min_confidence.v));
	if (t->max_amount.set)
		buf_printf(&b, "%smax_amount %s", b.len ? ", " : "",
		    num_text(r->a, t->max_amount.v));
	if (t->escalate_to.s != NULL)
		buf_printf(&b, "%sescalate_to %s", b.len ? ", " : "",
		    t->escalate_to.s);
	s = arena_strdup(r->a, b.data != NULL ? b.data : "");
	buf_release(&b);
	return s;
}

static void
cmp_table(struct report *r, struct sys_diff *sd, const struct system *o,
    const struct system *n)
{
	const char **ov, **nv;
	const struct table_row *x, *y;
	size_t on, nn, i = 0, j = 0;
	int c;

	ov = sorted_ids(r->a, o->table, o->ntable, sizeof(*o->table),
	    offsetof(struct table_row, exception), &on);
	nv = sorted_ids(r->a, n->table, n->ntable, sizeof(*n->table),
	    offsetof(struct table_row, exception), &nn);
	while (i < on || j < nn) {
		c = i == on ? 1 : j == nn ? -1 : strcmp(ov[i], nv[j]);
		if (c < 0) {
			add_chg(sd, "decision_table", ov[i], NULL, CHG_REMOVED,
			    row_text(r, table_row(o, ov[i])), NULL);
			i++;
			continue;
		}
		if (c > 0) {
			add_chg(sd, "decision_table", nv[j], NULL, CHG_ADDED,
			    NULL, row_text(r, table_row(n, nv[j])));
			j++;
			continue;
		}
		x = table_row(o, ov[i]);
		y = table_row(n, nv[j]);
		cmp_text(sd, "decision_table", ov[i], "ai_may_resolve",
		    bval_text(&x->ai_may_resolve),
		    bval_text(&y->ai_may_resolve));
		cmp_num(r, sd, "decision_table", ov[i], "min_confidence",
		    &x->min_confidence, &y->min_confidence);
		cmp_num(r, sd, "decision_table", ov[i], "max_amount",
		    &x->max_amount, &y->max_amount);
		cmp_text(sd, "decision_table", ov[i], "escalate_to",
		    x->escalate_to.s, y->escalate_to.s);
		i++;
		j++;
	}
}

/* A KPI added or removed, in one line: name, level and thresholds. */
static const char *
kpi_text(struct report *r, const struct kpi *k)
{
	struct buf b;
	const char *s;

	buf_init(&b, 0);
	buf_puts(&b, k->name.s != NULL ? k->name.s : k->id.s);
	if (k->level.v >= 0 && k->level.v < LEVEL_MAX)
		buf_printf(&b, " (%s)", level_names[k->level.v]);
	if (k->target.set)
		buf_printf(&b, ", target %s", num_text(r->a, k->target.v));
	if (k->amber.set)
		buf_printf(&b, ", amber %s", num_text(r->a, k->amber.v));
	if (k->red.set)
		buf_printf(&b, ", red %s", num_text(r->a, k->red.v));
	s = arena_strdup(r->a, b.data);
	buf_release(&b);
	return s;
}

static void
cmp_kpis(struct report *r, struct sys_diff *sd, const struct system *o,
    const struct system *n)
{
	const char **ov, **nv;
	const struct kpi *x, *y;
	size_t on, nn, i = 0, j = 0;
	int c;

	ov = sorted_ids(r->a, o->kpis, o->nkpis, sizeof(*o->kpis),
	    offsetof(struct kpi, id), &on);
	nv = sorted_ids(r->a, n->kpis, n->nkpis, sizeof(*n->kpis),
	    offsetof(struct kpi, id), &nn);
	while (i < on || j < nn) {
		c = i == on ? 1 : j == nn ? -1 : strcmp(ov[i], nv[j]);
		if (c < 0) {
			add_chg(sd, "kpis", ov[i], NULL, CHG_REMOVED,
			    kpi_text(r, system_kpi(o, ov[i])), NULL);
			i++;
			continue;
		}
		if (c > 0) {
			add_chg(sd, "kpis", nv[j], NULL, CHG_ADDED, NULL,
			    kpi_text(r, system_kpi(n, nv[j])));
			j++;
			continue;
		}
		x = system_kpi(o, ov[i]);
		y = system_kpi(n, nv[j]);
		cmp_num(r, sd, "kpis", ov[i], "target", &x->target, &y->target);
		cmp_num(r, sd, "kpis", ov[i], "amber", &x->amber, &y->amber);
		cmp_num(r, sd, "kpis", ov[i], "red", &x->red, &y->red);
		i++;
		j++;
	}
}

static void
cmp_controls(struct report *r, struct sys_diff *sd, const struct system *o,
    const struct system *n)
{
	const char **ov, **nv;
	size_t on, nn, i = 0, j = 0;
	int c;

	ov = sorted_ids(r->a, o->controls.v, o->controls.n,
	    sizeof(*o->controls.v), 0, &on);
	nv = sorted_ids(r->a, n->controls.v, n->controls.n,
	    sizeof(*n->controls.v), 0, &nn);
	while (i < on || j < nn) {
		c = i == on ? 1 : j == nn ? -1 : strcmp(ov[i], nv[j]);
		if (c < 0)
			add_chg(sd, "controls", ov[i++], NULL, CHG_REMOVED,
			    NULL, NULL);
		else if (c > 0)
			add_chg(sd, "controls", nv[j++], NULL, CHG_ADDED,
			    NULL, NULL);
		else {
			i++;
			j++;
		}
	}
}

static void
cmp_system(struct report *r, const struct system *o, const struct system *n)
{
	struct sys_diff *sd = add_system(r, o, n);
	int k;

	cmp_text(sd, "name", NULL, NULL, o->name.s, n->name.s);
	cmp_text(sd, "stage", NULL, NULL,
	    eval_text(stage_names, STAGE_MAX, &o->stage),
	    eval_text(stage_names, STAGE_MAX, &n->stage));
	cmp_text(sd, "risk_tier", NULL, NULL, o->risk_tier.s, n->risk_tier.s);
	cmp_text(sd, "eu_ai_act.classification", NULL, NULL,
	    classification(o), classification(n));
	cmp_text(sd, "eu_ai_act.role", NULL, NULL,
	    o->eu.present ? eval_text(eurole_names, EUROLE_MAX, &o->eu.role) :
	    NULL,
	    n->eu.present ? eval_text(eurole_names, EUROLE_MAX, &n->eu.role) :
	    NULL);
	cmp_text(sd, "eu_ai_act.annex_iii", NULL, NULL,
	    o->eu.present ? o->eu.annex_iii.s : NULL,
	    n->eu.present ? n->eu.annex_iii.s : NULL);
	for (k = 0; k < ROLE_MAX; k++)
		cmp_text(sd, "owners", role_names[k], NULL, o->owners[k].s,
		    n->owners[k].s);
	cmp_text(sd, "human_oversight.level", NULL, NULL,
	    o->has_oversight ? eval_text(oversight_names, OVERSIGHT_MAX,
	    &o->oversight_level) : NULL,
	    n->has_oversight ? eval_text(oversight_names, OVERSIGHT_MAX,
	    &n->oversight_level) : NULL);
	cmp_table(r, sd, o, n);
	cmp_kpis(r, sd, o, n);
	cmp_num(r, sd, "log.retention_days", NULL, NULL,
	    &o->log_retention_days, &n->log_retention_days);
	cmp_controls(r, sd, o, n);
	if (sd->n == 0) {
		free(sd->v);
		r->nsys--;
	} else
		r->changed++;
}

static void
cmp_systems(struct report *r)
{
	const struct model *om = r->o->m, *nm = r->n->m;
	size_t i = 0, j = 0;
	int c;

	while (i < om->nsystems || j < nm->nsystems) {
		c = i == om->nsystems ? 1 : j == nm->nsystems ? -1 :
		    strcmp(om->systems[i].id.s, nm->systems[j].id.s);
		if (c < 0) {
			add_system(r, &om->systems[i++], NULL);
			r->removed++;
		} else if (c > 0) {
			add_system(r, NULL, &nm->systems[j++]);
			r->added++;
		} else
			cmp_system(r, &om->systems[i++], &nm->systems[j++]);
	}
}

/* ---- decision rights ----------------------------------------------------- */

static struct pset
pset_of(struct arena *a, const struct assignment *as, int role)
{
	const struct slist *l;
	struct pset p = { NULL, 0 };
	size_t i;

	if (as == NULL)
		return p;
	if (role == 0) {
		if (as->decides.s == NULL)
			return p;
		p.v = arena_alloc(a, sizeof(*p.v));
		p.v[p.n++] = as->decides.s;
		return p;
	}
	l = role == 1 ? &as->consulted : &as->informed;
	p.v = arena_alloc(a, (l->n + 1) * sizeof(*p.v));
	for (i = 0; i < l->n; i++)
		if (l->v[i].s != NULL)
			p.v[p.n++] = l->v[i].s;
	/* Order in the YAML says nothing about who is consulted. */
	qsort(p.v, p.n, sizeof(*p.v), id_cmp);
	return p;
}

static int
pset_eq(const struct pset *x, const struct pset *y)
{
	size_t i;

	if (x->n != y->n)
		return 0;
	for (i = 0; i < x->n; i++)
		if (strcmp(x->v[i], y->v[i]) != 0)
			return 0;
	return 1;
}

/*
 * Every decision of either repo, for every tier both define: the
 * assignment in force (the tier's own, else the default) compared role by
 * role.  A tier only one repo has is not compared: its every decision
 * would count as changed.
 */
static void
cmp_rights(struct report *r)
{
	static const char *const roles[3] = {
		"decides", "consulted", "informed"
	};
	const struct model *om = r->o->m, *nm = r->n->m;
	const struct decision *od, *nd;
	const struct assignment *oa, *na;
	const char **dv, **tv;
	struct right_chg *rc;
	struct pset x, y;
	size_t ndec, nt, i, j, on = 0, nn = 0;
	int role;

	if (om->tiers == NULL || nm->tiers == NULL)
		return;
	if (om->rights != NULL)
		on = om->rights->ndecisions;
	if (nm->rights != NULL)
		nn = nm->rights->ndecisions;
	dv = arena_alloc(r->a, (on + nn + 1) * sizeof(*dv));
	for (i = ndec = 0; i < on + nn; i++) {
		od = i < on ? &om->rights->decisions[i] :
		    &nm->rights->decisions[i - on];
		if (od->id.s != NULL)
			dv[ndec++] = od->id.s;
	}
	qsort(dv, ndec, sizeof(*dv), id_cmp);
	tv = sorted_ids(r->a, om->tiers->tiers, om->tiers->ntiers,
	    sizeof(*om->tiers->tiers), offsetof(struct tier, id), &nt);
	for (i = 0; i < ndec; i++) {
		if (i > 0 && strcmp(dv[i - 1], dv[i]) == 0)
			continue;
		od = model_decision(om, dv[i]);
		nd = model_decision(nm, dv[i]);
		for (j = 0; j < nt; j++) {
			if (model_tier(nm, tv[j]) == NULL)
				continue;
			oa = od != NULL ? decision_assignment(od, tv[j]) : NULL;
			na = nd != NULL ? decision_assignment(nd, tv[j]) : NULL;
			for (role = 0; role < 3; role++) {
				x = pset_of(r->a, oa, role);
				y = pset_of(r->a, na, role);
				if (pset_eq(&x, &y))
					continue;
				r->rights = xgrow(r->rights, &r->rightscap,
				    r->nrights + 1, sizeof(*r->rights));
				rc = &r->rights[r->nrights++];
				rc->decision = dv[i];
				rc->tier = tv[j];
				rc->role = roles[role];
				rc->old = x;
				rc->new = y;
				rc->list = role != 0;
			}
		}
	}
}

/* ---- findings ------------------------------------------------------------ */

/* The id of the system a finding is about (model_finding_system), or NULL. */
static const char *
finding_system(const struct model *m, const struct finding *f)
{
	long i = model_finding_system(m, f);

	return i >= 0 ? m->systems[i].id.s : NULL;
}

/*
 * s with every "ROOT/" that starts a path (at the start, or after a
 * blank, quote or parenthesis) taken out: paths relative to the repo.
 */
static const char *
strip_root(struct arena *a, const char *s, const char *root)
{
	struct buf b;
	const char *p, *q;
	size_t n = strlen(root);

	if (strcmp(root, ".") == 0 || strstr(s, root) == NULL)
		return s;
	buf_init(&b, 0);
	for (p = s; (q = strstr(p, root)) != NULL; p = q) {
		buf_append(&b, p, (size_t)(q - p));
		if (q[n] == '/' && (q == s || strchr(" '\"(", q[-1]) != NULL))
			q += n + 1;
		else {
			buf_append(&b, q, 1);
			q++;
		}
	}
	buf_puts(&b, p);
	p = arena_strdup(a, b.data != NULL ? b.data : "");
	buf_release(&b);
	return p;
}

/*
 * The message as compared: "FILE.yaml:12" (a first occurrence named in a
 * duplicate's message) loses its line, which moves with any edit above.
 */
static const char *
key_text(struct arena *a, const char *s)
{
	static const char *const ext[] = { ".yaml:", ".yml:", ".md:" };
	char *k = arena_strdup(a, s), *p, *q, *w;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(ext); i++)
		for (p = k; (p = strstr(p, ext[i])) != NULL; ) {
			p += strlen(ext[i]);
			for (q = p; *q >= '0' && *q <= '9'; q++)
				;
			if (q == p)
				continue;
			for (w = p; (*w++ = *q++) != '\0'; )
				;
		}
	return k;
}

static const char *
where_text(struct arena *a, const struct finding *f, const char *root)
{
	const char *file;
	size_t n = strlen(root);

	if (f->loc.file == NULL)
		return NULL;
	file = f->loc.file;
	if (strcmp(root, ".") != 0 && strncmp(file, root, n) == 0 &&
	    file[n] == '/')
		file += n + 1;
	if (f->table != NULL)
		return f->rowid != 0 ? arena_printf(a, "%s:%s:%lld", file,
		    f->table, f->rowid) : arena_printf(a, "%s:%s", file,
		    f->table);
	if (f->rowid != 0)
		return arena_printf(a, "%s:%lld", file, f->rowid);
	if (f->loc.line > 0)
		return arena_printf(a, "%s:%d", file, f->loc.line);
	return file;
}

static int
fkey_cmp(const void *x, const void *y)
{
	const struct fkey *a = x, *b = y;
	int c;

	if ((c = strcmp(rule_table[a->f->rule].id,
	    rule_table[b->f->rule].id)) != 0)
		return c;
	if (a->f->severity != b->f->severity)
		return a->f->severity > b->f->severity ? -1 : 1;
	if ((c = strcmp(a->system != NULL ? a->system : "",
	    b->system != NULL ? b->system : "")) != 0)
		return c;
	if ((c = strcmp(a->key, b->key)) != 0)
		return c;
	if ((c = strcmp(a->msg, b->msg)) != 0)
		return c;
	return strcmp(a->where != NULL ? a->where : "",
	    b->where != NULL ? b->where : "");
}

/* Only what the comparison looks at: rule, severity, system, message. */
static int
fkey_same(const struct fkey *a, const struct fkey *b)
{
	return a->f->rule == b->f->rule && a->f->severity == b->f->severity &&
	    str_eq(a->system, b->system) && strcmp(a->key, b->key) == 0;
}

/* How the lists are shown: errors first, then by rule, system, message. */
static int
fkey_show_cmp(const void *x, const void *y)
{
	const struct fkey *a = x, *b = y;

	if (a->f->severity != b->f->severity)
		return a->f->severity > b->f->severity ? -1 : 1;
	return fkey_cmp(x, y);
}

static struct fkey *
fkeys(struct arena *a, const struct diff_side *side)
{
	struct fkey *v = arena_alloc(a, (side->d->n + 1) * sizeof(*v));
	const char *root = side->m->root != NULL ? side->m->root : ".";
	size_t i;

	for (i = 0; i < side->d->n; i++) {
		v[i].f = &side->d->v[i];
		v[i].system = finding_system(side->m, v[i].f);
		v[i].msg = strip_root(a, v[i].f->message, root);
		v[i].key = key_text(a, v[i].msg);
		v[i].where = where_text(a, v[i].f, root);
	}
	qsort(v, side->d->n, sizeof(*v), fkey_cmp);
	return v;
}

/*
 * Findings as multisets: equal keys pair off, whatever is left of NEW is
 * new and whatever is left of OLD fixed.
 */
static void
cmp_findings(struct report *r)
{
	struct fkey *ov = fkeys(r->a, r->o), *nv = fkeys(r->a, r->n);
	size_t on = r->o->d->n, nn = r->n->d->n, i = 0, j = 0;
	int c;

	r->fnew = arena_alloc(r->a, (nn + 1) * sizeof(*r->fnew));
	r->ffixed = arena_alloc(r->a, (on + 1) * sizeof(*r->ffixed));
	while (i < on || j < nn) {
		if (i < on && j < nn && fkey_same(&ov[i], &nv[j])) {
			i++;
			j++;
			continue;
		}
		c = i == on ? 1 : j == nn ? -1 : fkey_cmp(&ov[i], &nv[j]);
		if (c < 0)
			r->ffixed[r->nfixed++] = ov[i++];
		else {
			r->new_sev[nv[j].f->severity]++;
			r->fnew[r->nnew++] = nv[j++];
		}
	}
	qsort(r->fnew, r->nnew, sizeof(*r->fnew), fkey_show_cmp);
	qsort(r->ffixed, r->nfixed, sizeof(*r->ffixed), fkey_show_cmp);
	r->dropped = r->o->d->dropped + r->n->d->dropped;
}

/* ---- printing: shared ---------------------------------------------------- */

struct out {
	struct buf		*b;
	struct arena		*a;
	enum diff_format	 fmt;
};

/*
 * A value from a repo.  Markdown: ASCII punctuation that could start
 * markup backslash-escaped (CommonMark allows it before any), line breaks
 * and tabs as spaces, other control characters dropped: literal text on
 * one line, inside a table cell too.  GFM's autolinks are defused as
 * well: ':' escaped (http://), the dot of "www." escaped, and a word
 * joiner (U+2060, invisible) after '@', which ends e-mail addresses and
 * @mentions.  Text: escaped as diagnostics are.
 */
static void
put_val(struct out *o, const char *s)
{
	const char *start = s, *run;

	if (o->fmt != DIFF_MARKDOWN) {
		buf_puts(o->b, term_escape(o->a, s));
		return;
	}
	for (run = s;; s++) {
		if (*s == '\0') {
			buf_append(o->b, run, (size_t)(s - run));
			return;
		}
		if (strchr("\\`*_[]<>|#&~!$:", *s) != NULL || (*s == '.' &&
		    s - start >= 3 && strncasecmp(s - 3, "www", 3) == 0)) {
			buf_append(o->b, run, (size_t)(s - run));
			buf_putc(o->b, '\\');
			buf_putc(o->b, *s);
		} else if (*s == '@') {
			buf_append(o->b, run, (size_t)(s - run));
			buf_puts(o->b, "@\xe2\x81\xa0");
		} else if (*s == '\n' || *s == '\r' || *s == '\t') {
			buf_append(o->b, run, (size_t)(s - run));
			buf_putc(o->b, ' ');
		} else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			buf_append(o->b, run, (size_t)(s - run));
		else
			continue;
		run = s + 1;
	}
}

/* A value, or the word for its absence. */
static void
put_opt(struct out *o, const char *s, const char *none)
{
	if (s != NULL && *s != '\0')
		put_val(o, s);
	else
		buf_puts(o->b, none);
}

static void
put_pset(struct out *o, const struct pset *p, const char *none)
{
	size_t i;

	if (p->n == 0)
		buf_puts(o->b, none);
	for (i = 0; i < p->n; i++) {
		if (i > 0)
			buf_puts(o->b, ", ");
		put_val(o, p->v[i]);
	}
}

/* What changed, as people read it: "stage", "outcome owner", ... */
static void
put_label(struct out *o, const struct chg *c)
{
	static const struct {
		const char *field, *label;
	} labels[] = {
		{ "name", "name" },
		{ "stage", "stage" },
		{ "risk_tier", "risk tier" },
		{ "eu_ai_act.classification", "EU AI Act classification" },
		{ "eu_ai_act.role", "EU AI Act role" },
		{ "eu_ai_act.annex_iii", "Annex III point" },
		{ "human_oversight.level", "human oversight" },
		{ "log.retention_days", "log retention (days)" },
		{ "decision_table", "decision table row" },
		{ "kpis", "KPI" },
		{ "controls", "control" },
	};
	const char *q = o->fmt == DIFF_MARKDOWN ? "**" : "'";
	size_t i;

	if (strcmp(c->field, "owners") == 0) {
		buf_printf(o->b, "%s owner", c->item);
		return;
	}
	for (i = 0; i < ARRAY_SIZE(labels); i++)
		if (strcmp(labels[i].field, c->field) == 0)
			break;
	if (i == ARRAY_SIZE(labels))
		BUG("a change without a label");
	buf_puts(o->b, labels[i].label);
	if (c->item == NULL)
		return;
	buf_printf(o->b, " %s", q);
	put_val(o, c->item);
	buf_puts(o->b, q);
	if (c->attr != NULL)
		buf_printf(o->b, ": %s", c->attr);
	else if (c->kind != CHG_CHANGED)
		buf_printf(o->b, " %s", chg_names[c->kind]);
}

static const char *
none_word(const struct chg *c)
{
	return strcmp(c->field, "owners") == 0 ? "unassigned" : "none";
}

static const char *
plural(size_t n, const char *one, const char *many)
{
	return n == 1 ? one : many;
}

/*
 * "1 system added, 2 changed; ...": the headline both text forms open
 * with, naming only what is not zero.
 */
static void
put_headline(struct out *o, const struct report *r)
{
	const size_t sys[3] = { r->added, r->removed, r->changed };
	static const char *const verbs[3] = { "added", "removed", "changed" };
	struct buf *b = o->b;
	const char *sep = "";
	int k, first = 1;

	for (k = 0; k < 3; k++) {
		if (sys[k] == 0)
			continue;
		buf_printf(b, "%s%zu%s %s", sep, sys[k], !first ? "" :
		    plural(sys[k], " system", " systems"), verbs[k]);
		first = 0;
		sep = ", ";
	}
	if (!first)
		sep = "; ";
	if (r->nrights) {
		buf_printf(b, "%s%zu decision %s changed", sep, r->nrights,
		    plural(r->nrights, "right", "rights"));
		sep = "; ";
	}
	if (r->nnew || r->nfixed) {
		buf_printf(b, "%s%zu new %s (%zu %s), %zu fixed", sep, r->nnew,
		    plural(r->nnew, "finding", "findings"),
		    r->new_sev[SEV_ERROR],
		    plural(r->new_sev[SEV_ERROR], "error", "errors"),
		    r->nfixed);
		sep = "; ";
	}
	if (*sep == '\0')
		buf_puts(b, "none among the findings compared");
}

/* ---- Markdown ------------------------------------------------------------ */

static void
md_system_row(struct out *o, const struct system *s)
{
	buf_puts(o->b, "| ");
	put_val(o, s->id.s);
	buf_puts(o->b, " | ");
	put_opt(o, s->name.s, "");
	buf_puts(o->b, " | ");
	put_opt(o, eval_text(stage_names, STAGE_MAX, &s->stage), "none");
	buf_puts(o->b, " | ");
	put_opt(o, s->risk_tier.s, "none");
	buf_puts(o->b, " | ");
	put_opt(o, classification(s), "not classified");
	buf_puts(o->b, " |\n");
}

static void
md_systems(struct out *o, const struct report *r, int added)
{
	const struct sys_diff *sd;
	size_t i;

	buf_printf(o->b, "\n### Systems %s\n\n| system | name | stage | "
	    "risk tier | EU AI Act |\n| --- | --- | --- | --- | --- |\n",
	    added ? "added" : "removed");
	for (i = 0; i < r->nsys; i++) {
		sd = &r->sys[i];
		if (added && sd->old == NULL)
			md_system_row(o, sd->new);
		else if (!added && sd->new == NULL)
			md_system_row(o, sd->old);
	}
}

static void
md_findings(struct out *o, const struct fkey *v, size_t n, int fixed)
{
	size_t i;

	buf_printf(o->b, "\n### %s findings\n\n| severity | rule | system | "
	    "message | %s |\n| --- | --- | --- | --- | --- |\n",
	    fixed ? "Fixed" : "New", fixed ? "was at" : "at");
	for (i = 0; i < n; i++) {
		buf_printf(o->b, "| %s | %s | ",
		    severity_names[v[i].f->severity],
		    rule_table[v[i].f->rule].id);
		put_opt(o, v[i].system, "");
		buf_puts(o->b, " | ");
		put_val(o, v[i].msg);
		buf_puts(o->b, " | ");
		put_opt(o, v[i].where, "the repo");
		buf_puts(o->b, " |\n");
	}
}

static void
print_markdown(struct out *o, const struct report *r)
{
	const struct sys_diff *sd;
	const struct right_chg *rc;
	const struct chg *c;
	size_t i, k;

	buf_puts(o->b, "## Governance changes\n\n**");
	put_headline(o, r);
	buf_puts(o->b, ".**\n");
	if (r->added)
		md_systems(o, r, 1);
	if (r->removed)
		md_systems(o, r, 0);
	if (r->changed)
		buf_puts(o->b, "\n### Systems changed\n");
	for (i = 0; i < r->nsys; i++) {
		sd = &r->sys[i];
		if (sd->old == NULL || sd->new == NULL)
			continue;
		buf_puts(o->b, "\n#### ");
		put_val(o, sd->new->id.s);
		if (sd->new->name.s != NULL) {
			buf_puts(o->b, ": ");
			put_val(o, sd->new->name.s);
		}
		buf_puts(o->b, "\n\n| change | old | new |\n"
		    "| --- | --- | --- |\n");
		for (k = 0; k < sd->n; k++) {
			c = &sd->v[k];
			buf_puts(o->b, "| ");
			put_label(o, c);
			buf_puts(o->b, " | ");
			/* An item added or removed: its label says so. */
			put_opt(o, c->old, c->kind != CHG_CHANGED ? "" :
			    none_word(c));
			buf_puts(o->b, " | ");
			put_opt(o, c->new, c->kind != CHG_CHANGED ? "" :
			    none_word(c));
			buf_puts(o->b, " |\n");
		}
	}
	if (r->nrights) {
		buf_puts(o->b, "\n### Decision rights\n\n| decision | tier | "
		    "role | old | new |\n| --- | --- | --- | --- | --- |\n");
		for (i = 0; i < r->nrights; i++) {
			rc = &r->rights[i];
			buf_puts(o->b, "| ");
			put_val(o, rc->decision);
			buf_puts(o->b, " | ");
			put_val(o, rc->tier);
			buf_printf(o->b, " | %s | ", rc->role);
			put_pset(o, &rc->old, "nobody");
			buf_puts(o->b, " | ");
			put_pset(o, &rc->new, "nobody");
			buf_puts(o->b, " |\n");
		}
	}
	if (r->nnew)
		md_findings(o, r->fnew, r->nnew, 0);
	if (r->nfixed)
		md_findings(o, r->ffixed, r->nfixed, 1);
	if (r->dropped)
		buf_printf(o->b, "\n%zu findings beyond the limit of either "
		    "repo were not compared.\n", r->dropped);
}

/* ---- text ---------------------------------------------------------------- */

static void
text_system(struct out *o, const struct system *s, int sign)
{
	buf_printf(o->b, "  %c ", sign);
	put_val(o, s->id.s);
	if (s->name.s != NULL) {
		buf_puts(o->b, " \"");
		put_val(o, s->name.s);
		buf_putc(o->b, '"');
	}
	buf_puts(o->b, ": ");
	put_opt(o, eval_text(stage_names, STAGE_MAX, &s->stage), "no stage");
	buf_puts(o->b, ", risk tier ");
	put_opt(o, s->risk_tier.s, "none");
	buf_puts(o->b, ", ");
	put_opt(o, classification(s), "not classified");
	buf_putc(o->b, '\n');
}

static void
text_findings(struct out *o, const struct fkey *v, size_t n, int fixed)
{
	size_t i;

	buf_printf(o->b, "%s findings:\n", fixed ? "fixed" : "new");
	for (i = 0; i < n; i++) {
		buf_printf(o->b, "  %c %s: ", fixed ? '-' : '+',
		    severity_names[v[i].f->severity]);
		if (v[i].system != NULL) {
			put_val(o, v[i].system);
			buf_puts(o->b, ": ");
		}
		put_val(o, v[i].msg);
		buf_printf(o->b, " [%s]", rule_table[v[i].f->rule].id);
		if (v[i].where != NULL) {
			buf_puts(o->b, fixed ? " (was at " : " (at ");
			put_val(o, v[i].where);
			buf_putc(o->b, ')');
		}
		buf_putc(o->b, '\n');
	}
}

static void
print_text(struct out *o, const struct report *r)
{
	const struct sys_diff *sd;
	const struct right_chg *rc;
	const struct chg *c;
	size_t i, k;
	int pass;

	buf_puts(o->b, "Governance changes: ");
	put_headline(o, r);
	buf_puts(o->b, ".\n");
	for (pass = 0; pass < 2; pass++) {
		if (pass == 0 ? r->added == 0 : r->removed == 0)
			continue;
		buf_printf(o->b, "systems %s:\n", pass == 0 ? "added" :
		    "removed");
		for (i = 0; i < r->nsys; i++) {
			sd = &r->sys[i];
			if (pass == 0 && sd->old == NULL)
				text_system(o, sd->new, '+');
			else if (pass == 1 && sd->new == NULL)
				text_system(o, sd->old, '-');
		}
	}
	for (i = 0; i < r->nsys; i++) {
		sd = &r->sys[i];
		if (sd->old == NULL || sd->new == NULL)
			continue;
		buf_puts(o->b, "system ");
		put_val(o, sd->new->id.s);
		buf_puts(o->b, ":\n");
		for (k = 0; k < sd->n; k++) {
			c = &sd->v[k];
			buf_puts(o->b, "  ");
			put_label(o, c);
			if (c->kind == CHG_ADDED && c->new != NULL) {
				buf_puts(o->b, ": ");
				put_val(o, c->new);
			} else if (c->kind == CHG_REMOVED && c->old != NULL) {
				buf_puts(o->b, ", was: ");
				put_val(o, c->old);
			} else if (c->kind == CHG_CHANGED) {
				buf_puts(o->b, ": ");
				put_opt(o, c->old, none_word(c));
				buf_puts(o->b, " -> ");
				put_opt(o, c->new, none_word(c));
			}
			buf_putc(o->b, '\n');
		}
	}
	if (r->nrights) {
		buf_puts(o->b, "decision rights:\n");
		for (i = 0; i < r->nrights; i++) {
			rc = &r->rights[i];
			buf_puts(o->b, "  ");
			put_val(o, rc->decision);
			buf_puts(o->b, ", tier ");
			put_val(o, rc->tier);
			buf_printf(o->b, ", %s: ", rc->role);
			put_pset(o, &rc->old, "nobody");
			buf_puts(o->b, " -> ");
			put_pset(o, &rc->new, "nobody");
			buf_putc(o->b, '\n');
		}
	}
	if (r->nnew)
		text_findings(o, r->fnew, r->nnew, 0);
	if (r->nfixed)
		text_findings(o, r->ffixed, r->nfixed, 1);
	if (r->dropped)
		buf_printf(o->b, "%zu findings beyond the limit of either repo "
		    "were not compared\n", r->dropped);
}

/* ---- JSON ---------------------------------------------------------------- */

static void
json_opt(struct buf *b, const char *s)
{
	if (s != NULL)
		buf_json_str(b, s);
	else
		buf_puts(b, "null");
}

static void
json_system(struct buf *b, const struct system *s)
{
	buf_puts(b, "{\"id\": ");
	json_opt(b, s->id.s);
	buf_puts(b, ", \"name\": ");
	json_opt(b, s->name.s);
	buf_puts(b, ", \"stage\": ");
	json_opt(b, eval_text(stage_names, STAGE_MAX, &s->stage));
	buf_puts(b, ", \"risk_tier\": ");
	json_opt(b, s->risk_tier.s);
	buf_puts(b, ", \"classification\": ");
	json_opt(b, classification(s));
	buf_putc(b, '}');
}

static void
json_pset(struct buf *b, const struct pset *p, int list)
{
	size_t i;

	if (!list) {
		json_opt(b, p->n > 0 ? p->v[0] : NULL);
		return;
	}
	buf_putc(b, '[');
	for (i = 0; i < p->n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		buf_json_str(b, p->v[i]);
	}
	buf_putc(b, ']');
}

static void
json_findings(struct buf *b, const struct fkey *v, size_t n)
{
	const struct finding *f;
	size_t i;

	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		f = v[i].f;
		buf_puts(b, i ? ",\n      {\"rule\": " : "\n      {\"rule\": ");
		buf_json_str(b, rule_table[f->rule].id);
		buf_puts(b, ", \"severity\": ");
		buf_json_str(b, severity_names[f->severity]);
		buf_puts(b, ", \"system\": ");
		json_opt(b, v[i].system);
		buf_puts(b, ", \"message\": ");
		buf_json_str(b, v[i].msg);
		buf_puts(b, ", \"at\": ");
		json_opt(b, v[i].where);
		buf_printf(b, ", \"line\": %d, \"column\": %d}", f->loc.line,
		    f->loc.col);
	}
	buf_puts(b, n ? "\n    ]" : "]");
}

static void
print_json(struct out *o, const struct report *r)
{
	struct buf *b = o->b;
	const struct sys_diff *sd;
	const struct right_chg *rc;
	const struct chg *c;
	size_t i, k, n;
	int pass;

	buf_puts(b, "{\n  \"tool\": \"charter\",\n  \"version\": ");
	buf_json_str(b, CHARTER_VERSION);
	buf_puts(b, ",\n  \"old\": ");
	buf_json_str(b, r->o->label);
	buf_puts(b, ",\n  \"new\": ");
	buf_json_str(b, r->n->label);
	buf_puts(b, ",\n  \"as_of\": ");
	json_opt(b, r->n->m->as_of_text);
	buf_printf(b, ",\n  \"summary\": {\"systems_added\": %zu, "
	    "\"systems_removed\": %zu, \"systems_changed\": %zu, "
	    "\"rights_changed\": %zu, \"findings_new\": %zu, "
	    "\"findings_fixed\": %zu, \"new_errors\": %zu, "
	    "\"not_compared\": %zu},\n  \"systems\": {",
	    r->added, r->removed, r->changed, r->nrights, r->nnew, r->nfixed,
	    r->new_sev[SEV_ERROR], r->dropped);
	for (pass = 0; pass < 2; pass++) {
		buf_puts(b, pass == 0 ? "\n    \"added\": [" :
		    ",\n    \"removed\": [");
		for (i = n = 0; i < r->nsys; i++) {
			sd = &r->sys[i];
			if (pass == 0 ? sd->old != NULL : sd->new != NULL)
				continue;
			buf_puts(b, n++ ? ",\n      " : "\n      ");
			json_system(b, pass == 0 ? sd->new : sd->old);
		}
		buf_puts(b, n ? "\n    ]" : "]");
	}
	buf_puts(b, ",\n    \"changed\": [");
	for (i = n = 0; i < r->nsys; i++) {
		sd = &r->sys[i];
		if (sd->old == NULL || sd->new == NULL)
			continue;
		buf_puts(b, n++ ? ",\n      {\"id\": " : "\n      {\"id\": ");
		buf_json_str(b, sd->new->id.s);
		buf_puts(b, ", \"changes\": [");
		for (k = 0; k < sd->n; k++) {
			c = &sd->v[k];
			buf_puts(b, k ? ",\n        {\"field\": " :
			    "\n        {\"field\": ");
			buf_json_str(b, c->field);
			buf_puts(b, ", \"item\": ");
			json_opt(b, c->item);
			buf_puts(b, ", \"attribute\": ");
			json_opt(b, c->attr);
			buf_puts(b, ", \"change\": ");
			buf_json_str(b, chg_names[c->kind]);
			buf_puts(b, ", \"old\": ");
			json_opt(b, c->old);
			buf_puts(b, ", \"new\": ");
			json_opt(b, c->new);
			buf_putc(b, '}');
		}
		buf_puts(b, "\n      ]}");
	}
	buf_puts(b, n ? "\n    ]\n  },\n  \"decision_rights\": [" :
	    "]\n  },\n  \"decision_rights\": [");
	for (i = 0; i < r->nrights; i++) {
		rc = &r->rights[i];
		buf_puts(b, i ? ",\n    {\"decision\": " :
		    "\n    {\"decision\": ");
		buf_json_str(b, rc->decision);
		buf_puts(b, ", \"tier\": ");
		buf_json_str(b, rc->tier);
		buf_puts(b, ", \"role\": ");
		buf_json_str(b, rc->role);
		buf_puts(b, ", \"old\": ");
		json_pset(b, &rc->old, rc->list);
		buf_puts(b, ", \"new\": ");
		json_pset(b, &rc->new, rc->list);
		buf_putc(b, '}');
	}
	buf_puts(b, r->nrights ? "\n  ],\n  \"findings\": {\n    \"new\": " :
	    "],\n  \"findings\": {\n    \"new\": ");
	json_findings(b, r->fnew, r->nnew);
	buf_puts(b, ",\n    \"fixed\": ");
	json_findings(b, r->ffixed, r->nfixed);
	buf_puts(b, "\n  }\n}\n");
}

/* ---- the entry point ----------------------------------------------------- */

void
diff_report(struct arena *a, const struct diff_side *old,
    const struct diff_side *new, enum diff_format fmt, struct buf *out,
    struct diff_summary *sum)
{
	struct report r;
	struct out o;
	size_t i;

	memset(&r, 0, sizeof(r));
	r.a = a;
	r.o = old;
	r.n = new;
	cmp_systems(&r);
	cmp_rights(&r);
	cmp_findings(&r);
	sum->changes = r.nsys + r.nrights + r.nnew + r.nfixed;
	sum->new_errors = r.new_sev[SEV_ERROR];
	o.b = out;
	o.a = a;
	o.fmt = fmt;
	if (fmt == DIFF_JSON)
		print_json(&o, &r);
	else if (sum->changes == 0 && r.dropped == 0)
		buf_puts(out, "No governance changes.\n");
	else if (fmt == DIFF_MARKDOWN)
		print_markdown(&o, &r);
	else
		print_text(&o, &r);
	for (i = 0; i < r.nsys; i++)
		free(r.sys[i].v);
	free(r.sys);
	free(r.rights);
}
