/*
 * schema.c - JSON Schema subset over ydoc trees.
 *
 * Recursion follows the instance (bounded by the YAML depth limit) and
 * $ref chains (bounded by MAX_DEPTH).  Sub-schemas tried by anyOf, oneOf and
 * not run silently; only the outcome is reported.
 */
#include <errno.h>
#include <math.h>
#include <regex.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "schema.h"
#include "util.h"
#include "ydoc.h"

#define MAX_DEPTH	200
#define PATH_MAX_LEN	400

const char *const schema_names[SCHEMA_MAX] = {
	"organization", "risk-tiers", "decision-rights", "system", "page"
};

struct pattern {
	const struct ynode	*node;
	regex_t			 re;
};

struct schema {
	struct ynode	*root;
	struct pattern	*patterns;
	size_t		 npatterns, patterns_cap;
};

struct vctx {
	struct schema	*s;
	struct diag	*d;
	unsigned	 flags;
	int		 report;	/* emit findings, or only count */
	int		 depth;
	const char	*defname;	/* the $defs entry being applied */
	const char	*defdesc;	/* and its description, or NULL */
	char		 path[PATH_MAX_LEN + 8];
	size_t		 pathlen;
};

static const char *const known_keywords[] = {
	"$schema", "$id", "$defs", "$ref", "$comment", "title", "description",
	"examples", "default", "type", "enum", "const", "properties",
	"required", "additionalProperties", "propertyNames", "minProperties",
	"maxProperties", "items", "minItems", "maxItems", "uniqueItems",
	"pattern", "minLength", "maxLength", "minimum", "maximum",
	"exclusiveMinimum", "exclusiveMaximum", "allOf", "anyOf", "oneOf", "not",
};

static int	validate(struct vctx *, const struct ynode *,
		    const struct ynode *);

/* Compile every pattern and reject unknown keywords, walking the schema. */
static int
prepare(struct schema *s, struct diag *d, const struct ynode *n, int depth)
{
	const struct ypair *p;
	struct pattern *pat;
	size_t i;
	int rc = 0, in_props, rc2;

	if (depth > MAX_DEPTH || n == NULL)
		return -1;
	if (n->kind == YN_SEQ) {
		for (i = 0; i < n->n; i++)
			rc |= prepare(s, d, n->items[i], depth + 1);
		return rc;
	}
	if (n->kind != YN_MAP)
		return 0;
	for (i = 0; i < n->n; i++) {
		p = &n->pairs[i];
		in_props = strcmp(p->key->str, "properties") == 0 ||
		    strcmp(p->key->str, "$defs") == 0;
		if (enum_lookup(known_keywords, (int)ARRAY_SIZE(known_keywords),
		    p->key->str) < 0) {
			diag_emit(d, R_SCHEMA_UNKNOWN_KEY, &p->key->loc,
			    "schema keyword '%s' is not supported",
			    p->key->str);
			rc = -1;
			continue;
		}
		if (strcmp(p->key->str, "pattern") == 0 &&
		    p->value->kind == YN_SCALAR) {
			s->patterns = xgrow(s->patterns, &s->patterns_cap,
			    s->npatterns + 1, sizeof(*s->patterns));
			pat = &s->patterns[s->npatterns];
			/* REG_ESPACE: no memory, not a bad pattern. */
			if ((rc2 = regcomp(&pat->re, p->value->str,
			    REG_EXTENDED | REG_NOSUB)) == REG_ESPACE)
				xoom();
			if (rc2 != 0) {
				diag_emit(d, R_SCHEMA_PATTERN, &p->value->loc,
				    "pattern '%s' does not compile",
				    p->value->str);
				rc = -1;
				continue;
			}
			pat->node = p->value;
			s->npatterns++;
			continue;
		}
		if (strcmp(p->key->str, "enum") == 0 ||
		    strcmp(p->key->str, "const") == 0 ||
		    strcmp(p->key->str, "examples") == 0 ||
		    strcmp(p->key->str, "default") == 0)
			continue;
		if (in_props && p->value->kind == YN_MAP) {
			/* Keys here are property names, not keywords. */
			size_t j;

			for (j = 0; j < p->value->n; j++)
				rc |= prepare(s, d, p->value->pairs[j].value,
				    depth + 1);
		} else
			rc |= prepare(s, d, p->value, depth + 1);
	}
	return rc;
}

struct schema *
schema_load(struct arena *a, struct diag *d, const char *path,
    const char *text, size_t len)
{
	struct ylimits lim = { 64, 1000000, 1 << 20 };
	struct yfile f;
	struct schema *s;

	if (ydoc_load(a, d, &lim, path, text, len, &f) != 0)
		return NULL;
	if (f.ndocs != 1 || f.docs[0].root == NULL ||
	    f.docs[0].root->kind != YN_MAP) {
		diag_emit(d, R_SCHEMA_TYPE, NULL, "schema '%s' is not one JSON "
		    "object", path);
		return NULL;
	}
	s = xcalloc(1, sizeof(*s));
	s->root = f.docs[0].root;
	if (prepare(s, d, s->root, 0) != 0) {
		schema_free(s);
		return NULL;
	}
	return s;
}

void
schema_free(struct schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->npatterns; i++)
		regfree(&s->patterns[i].re);
	free(s->patterns);
	free(s);
}

/* --- instance helpers ---------------------------------------------------- */

static int
is_num(const struct ynode *n)
{
	return n->kind == YN_SCALAR && (n->type == YS_INT ||
	    n->type == YS_FLOAT);
}

static int
is_integral(const struct ynode *n)
{
	return is_num(n) && isfinite(n->number) &&
	    floor(n->number) == n->number;
}

/* Does the instance count as a string?  Plain numbers do in YAML mode. */
static int
is_str(const struct vctx *c, const struct ynode *n)
{
	if (n->kind != YN_SCALAR)
		return 0;
	if (n->type == YS_STR)
		return 1;
	return !(c->flags & SCHEMA_STRICT_JSON) && n->plain && is_num(n);
}

static int
type_matches(const struct vctx *c, const struct ynode *n, const char *t)
{
	if (strcmp(t, "object") == 0)
		return n->kind == YN_MAP;
	if (strcmp(t, "array") == 0)
		return n->kind == YN_SEQ;
	if (strcmp(t, "string") == 0)
		return is_str(c, n);
	if (strcmp(t, "integer") == 0)
		return is_integral(n);
	if (strcmp(t, "number") == 0)
		return is_num(n);
	if (strcmp(t, "boolean") == 0)
		return n->kind == YN_SCALAR && n->type == YS_BOOL;
	if (strcmp(t, "null") == 0)
		return n->kind == YN_SCALAR && n->type == YS_NULL;
	return 0;
}

/* JSON equality of an instance and a schema value (or two instances). */
static int
json_equal(const struct vctx *c, const struct ynode *a, const struct ynode *b)
{
	size_t i;

	if (a->kind != b->kind)
		return 0;
	if (a->kind == YN_SEQ) {
		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++)
			if (!json_equal(c, a->items[i], b->items[i]))
				return 0;
		return 1;
	}
	if (a->kind == YN_MAP) {
		const struct ynode *v;

		if (a->n != b->n)
			return 0;
		for (i = 0; i < a->n; i++) {
			v = ynode_get(b, a->pairs[i].key->str);
			if (v == NULL || !json_equal(c, a->pairs[i].value, v))
				return 0;
		}
		return 1;
	}
	if (is_num(a) && is_num(b))
		return a->number == b->number;
	if (a->type == YS_STR || b->type == YS_STR)
		return is_str(c, a) && is_str(c, b) && strcmp(a->str,
		    b->str) == 0;
	if (a->type != b->type)
		return 0;
	if (a->type == YS_BOOL)
		return a->boolean == b->boolean;
	return 1;	/* both null */
}

static regex_t *
find_regex(struct schema *s, const struct ynode *n)
{
	size_t i;

	for (i = 0; i < s->npatterns; i++)
		if (s->patterns[i].node == n)
			return &s->patterns[i].re;
	return NULL;
}

/* --- reporting ------------------------------------------------------------ */

static const char *
path_or_root(const struct vctx *c)
{
	return c->pathlen ? c->path : "(document)";
}

static size_t
path_push_key(struct vctx *c, const char *key)
{
	size_t old = c->pathlen;
	int n;

	if (old >= PATH_MAX_LEN)
		return old;
	n = snprintf(c->path + old, PATH_MAX_LEN - old, "%s%s",
	    old ? "." : "", key);
	c->pathlen = n < 0 ? old : old + (size_t)n;
	if (c->pathlen > PATH_MAX_LEN)
		c->pathlen = PATH_MAX_LEN;
	return old;
}

static size_t
path_push_index(struct vctx *c, size_t i)
{
	size_t old = c->pathlen;
	int n;

	if (old >= PATH_MAX_LEN)
		return old;
	n = snprintf(c->path + old, PATH_MAX_LEN - old, "[%zu]", i);
	c->pathlen = n < 0 ? old : old + (size_t)n;
	if (c->pathlen > PATH_MAX_LEN)
		c->pathlen = PATH_MAX_LEN;
	return old;
}

static void
path_pop(struct vctx *c, size_t old)
{
	c->pathlen = old;
	c->path[old] = '\0';
}

#define REPORT(c, rule, loc, ...) do {					\
	if ((c)->report)						\
		diag_emit((c)->d, (rule), (loc), __VA_ARGS__);		\
} while (0)

/* Short rendering of an instance for messages. */
static const char *
show(const struct vctx *c, const struct ynode *n)
{
	size_t cut = 57;

	if (n->kind == YN_SCALAR) {
		if (n->len <= 60)
			return n->str;
		/* Cut between characters, not inside one. */
		while (cut > 0 && ((unsigned char)n->str[cut] & 0xC0) == 0x80)
			cut--;
		return arena_printf(c->d->arena, "%.*s...", (int)cut, n->str);
	}
	return n->kind == YN_MAP ? "{...}" : "[...]";
}

static void
list_values(struct buf *b, const struct ynode *list)
{
	size_t i;

	for (i = 0; i < list->n && i < 12; i++) {
		if (i)
			buf_puts(b, ", ");
		if (list->items[i]->kind == YN_SCALAR)
			buf_puts(b, list->items[i]->str);
	}
	if (list->n > 12)
		buf_puts(b, ", ...");
}

/* The closest name in a list of candidates, for "did you mean". */
static const char *
closest(const char *s, const char *const *cand, size_t n)
{
	const char *best = NULL;
	int bestd, d, max;
	size_t i;

	max = (int)strlen(s) / 3;
	if (max < 2)
		max = 2;
	bestd = max + 1;
	for (i = 0; i < n; i++) {
		d = edit_distance(s, cand[i], max);
		if (d < bestd) {
			bestd = d;
			best = cand[i];
		}
	}
	return best;
}

static const char *
hint_from_nodes(const struct vctx *c, const char *s, const struct ynode *keys,
    int from_map)
{
	const char **cand;
	const char *best;
	size_t i, n = keys->n;

	if (n == 0)
		return "";
	cand = xmalloc(n * sizeof(*cand));
	for (i = 0; i < n; i++)
		cand[i] = from_map ? keys->pairs[i].key->str :
		    (keys->items[i]->kind == YN_SCALAR ? keys->items[i]->str :
		    "");
	best = closest(s, cand, n);
	free(cand);
	return best ? arena_printf(c->d->arena, " (did you mean '%s'?)",
	    best) : "";
}

/*
 * "a valid party ref for 'owners.outcome': <what the schema says>" from the
 * $defs entry being applied: the schema's own description is the message.
 */
static const char *
expected_form(struct vctx *c)
{
	struct buf b;
	const char *p, *r;
	size_t cut;

	buf_init(&b, 0);
	buf_puts(&b, "a valid ");
	for (p = c->defname; *p; p++) {
		if (*p >= 'A' && *p <= 'Z') {
			buf_putc(&b, ' ');
			buf_putc(&b, *p - 'A' + 'a');
		} else
			buf_putc(&b, *p);
	}
	buf_printf(&b, " for '%s'", path_or_root(c));
	if (c->defdesc != NULL) {
		/* At most ~200 characters, cut after a sentence. */
		cut = strlen(c->defdesc);
		if (cut > 200) {
			for (cut = 200; cut > 0 && !(c->defdesc[cut - 1] ==
			    '.' && c->defdesc[cut] == ' '); cut--)
				;
			if (cut == 0)
				cut = 200;
		}
		buf_printf(&b, ": %.*s", (int)cut, c->defdesc);
	}
	r = arena_strdup(c->d->arena, b.data);
	buf_release(&b);
	return r;
}

/* --- keywords -------------------------------------------------------------- */

static const struct ynode *
resolve_ref(struct vctx *c, const struct ynode *ref, const char **defname)
{
	const char *r = ref->str;
	const struct ynode *defs;

	if (strcmp(r, "#") == 0)
		return c->s->root;
	if (strncmp(r, "#/$defs/", 8) != 0)
		return NULL;
	defs = ynode_get(c->s->root, "$defs");
	*defname = r + 8;
	return ynode_get(defs, r + 8);
}

/* JSON Schema type names in the words of a YAML author. */
static const char *
json_type_word(const char *t)
{
	static const char *const words[][2] = {
		{ "object", "a map" }, { "array", "a list" },
		{ "string", "text" }, { "integer", "a whole number" },
		{ "number", "a number" }, { "boolean", "true or false" },
		{ "null", "null" },
	};
	size_t i;

	for (i = 0; i < ARRAY_SIZE(words); i++)
		if (strcmp(words[i][0], t) == 0)
			return words[i][1];
	return t;
}

static int
check_type(struct vctx *c, const struct ynode *t, const struct ynode *inst)
{
	struct buf b;
	const char *hint = "";
	size_t i;
	int ok = 0, wants_bool = 0, wants_str = 0;

	if (t->kind == YN_SCALAR) {
		ok = type_matches(c, inst, t->str);
		wants_bool = strcmp(t->str, "boolean") == 0;
		wants_str = strcmp(t->str, "string") == 0;
	} else if (t->kind == YN_SEQ)
		for (i = 0; i < t->n; i++)
			if (t->items[i]->kind == YN_SCALAR &&
			    type_matches(c, inst, t->items[i]->str))
				ok = 1;
	if (ok || !c->report)
		return ok ? 0 : 1;
	buf_init(&b, 0);
	if (t->kind == YN_SCALAR)
		buf_puts(&b, json_type_word(t->str));
	else
		for (i = 0; i < t->n; i++)
			buf_printf(&b, "%s%s", i ? " or " : "",
			    json_type_word(t->items[i]->str));
	if (wants_bool && inst->kind == YN_SCALAR && inst->type == YS_STR &&
	    !inst->plain && (strcmp(inst->str, "true") == 0 ||
	    strcmp(inst->str, "false") == 0))
		hint = " (remove the quotes)";
	else if (wants_bool && inst->kind == YN_SCALAR && inst->type == YS_STR)
		hint = " (YAML 1.2: only true and false are booleans)";
	else if (wants_str && inst->kind == YN_SCALAR)
		hint = " (quote the value to keep it as text)";
	if (inst->kind == YN_SCALAR && inst->type == YS_NULL &&
	    inst->len == 0)
		diag_emit(c->d, R_SCHEMA_TYPE, &inst->loc,
		    "'%s' is empty; it must be %s (or leave the key out)",
		    path_or_root(c), b.data);
	else if (inst->kind == YN_SCALAR)
		diag_emit(c->d, R_SCHEMA_TYPE, &inst->loc,
		    "'%s' must be %s, not %s '%s'%s", path_or_root(c), b.data,
		    ynode_type_name(inst), show(c, inst), hint);
	else
		diag_emit(c->d, R_SCHEMA_TYPE, &inst->loc,
		    "'%s' must be %s, not a %s", path_or_root(c), b.data,
		    ynode_type_name(inst));
	buf_release(&b);
	return 1;
}

static int
check_enum(struct vctx *c, const struct ynode *e, const struct ynode *inst)
{
	struct buf b;
	size_t i;

	if (e->kind != YN_SEQ)
		return 0;
	for (i = 0; i < e->n; i++)
		if (json_equal(c, inst, e->items[i]))
			return 0;
	if (!c->report)
		return 1;
	buf_init(&b, 0);
	list_values(&b, e);
	diag_emit(c->d, R_SCHEMA_ENUM, &inst->loc,
	    "'%s' is not a valid value for '%s'; expected one of: %s%s",
	    show(c, inst), path_or_root(c), b.data, inst->kind == YN_SCALAR ?
	    hint_from_nodes(c, inst->str, e, 0) : "");
	buf_release(&b);
	return 1;
}

static int
check_string(struct vctx *c, const struct ynode *sch, const struct ynode *inst)
{
	const struct ynode *k;
	regex_t *re;
	size_t len;
	int err = 0;

	if (!is_str(c, inst))
		return 0;
	if ((k = ynode_get(sch, "pattern")) != NULL &&
	    (re = find_regex(c->s, k)) != NULL &&
	    (errno = 0, regexec(re, inst->str, 0, NULL, 0)) != 0) {
		/*
		 * regexec allocates, and glibc's says REG_NOMATCH when it
		 * cannot: a failed allocation is no mismatch.
		 */
		if (errno == ENOMEM)
			xoom();
		err++;
		if (c->defname != NULL && c->report)
			diag_emit(c->d, R_SCHEMA_PATTERN, &inst->loc,
			    "'%s' is not %s", show(c, inst), expected_form(c));
		else
			REPORT(c, R_SCHEMA_PATTERN, &inst->loc,
			    "'%s' is not a valid value for '%s' (expected %s)",
			    show(c, inst), path_or_root(c), k->str);
	}
	len = utf8_count(inst->str, inst->len);
	if ((k = ynode_get(sch, "minLength")) != NULL && is_num(k) &&
	    (double)len < k->number) {
		err++;
		if (len == 0)
			REPORT(c, R_SCHEMA_SIZE, &inst->loc,
			    "'%s' must not be empty", path_or_root(c));
		else
			REPORT(c, R_SCHEMA_SIZE, &inst->loc,
			    "'%s' is shorter than %s characters",
			    path_or_root(c), k->str);
	}
	if ((k = ynode_get(sch, "maxLength")) != NULL && is_num(k) &&
	    (double)len > k->number) {
		err++;
		REPORT(c, R_SCHEMA_SIZE, &inst->loc,
		    "'%s' is longer than %s characters (%zu)", path_or_root(c),
		    k->str, len);
	}
	return err;
}

static int
check_number(struct vctx *c, const struct ynode *sch, const struct ynode *inst)
{
	static const struct {
		const char	*kw;
		const char	*what;
	} kws[] = {
		{ "minimum", "below the minimum" },
		{ "maximum", "above the maximum" },
		{ "exclusiveMinimum", "not above" },
		{ "exclusiveMaximum", "not below" },
	};
	const struct ynode *k;
	double v = inst->number;
	size_t i;
	int err = 0, bad;

	if (!is_num(inst))
		return 0;
	for (i = 0; i < ARRAY_SIZE(kws); i++) {
		if ((k = ynode_get(sch, kws[i].kw)) == NULL || !is_num(k))
			continue;
		switch (i) {
		case 0: bad = v < k->number; break;
		case 1: bad = v > k->number; break;
		case 2: bad = v <= k->number; break;
		default: bad = v >= k->number; break;
		}
		if (bad) {
			err++;
			REPORT(c, R_SCHEMA_RANGE, &inst->loc,
			    "'%s' is %s, %s %s", path_or_root(c), inst->str,
			    kws[i].what, k->str);
		}
	}
	return err;
}

static int
has_property(const struct ynode *props, const char *key)
{
	return props != NULL && ynode_get(props, key) != NULL;
}

static int
check_object(struct vctx *c, const struct ynode *sch, const struct ynode *inst)
{
	const struct ynode *props, *addl, *req, *pn, *k, *sub;
	const struct ypair *p;
	const char *saved;
	size_t i, old;
	int err = 0;

	if (inst->kind != YN_MAP)
		return 0;
	saved = c->defname;
	c->defname = NULL;
	props = ynode_get(sch, "properties");
	addl = ynode_get(sch, "additionalProperties");
	if ((req = ynode_get(sch, "required")) != NULL && req->kind == YN_SEQ)
		for (i = 0; i < req->n; i++)
			if (ynode_get(inst, req->items[i]->str) == NULL) {
				err++;
				if (c->pathlen)
					REPORT(c, R_SCHEMA_REQUIRED, &inst->loc,
					    "'%s' is missing required field "
					    "'%s'", c->path,
					    req->items[i]->str);
				else
					REPORT(c, R_SCHEMA_REQUIRED, &inst->loc,
					    "missing required field '%s'",
					    req->items[i]->str);
			}
	pn = ynode_get(sch, "propertyNames");
	for (i = 0; i < inst->n; i++) {
		p = &inst->pairs[i];
		old = path_push_key(c, p->key->str);
		if (pn != NULL)
			err += validate(c, pn, p->key);
		if ((sub = ynode_get(props, p->key->str)) != NULL)
			err += validate(c, sub, p->value);
		else if (addl != NULL && addl->kind == YN_SCALAR &&
		    addl->type == YS_BOOL && !addl->boolean) {
			err++;
			path_pop(c, old);
			if (c->report)
				diag_emit(c->d, R_SCHEMA_UNKNOWN_KEY,
				    &p->key->loc, "unknown field '%s'%s%s%s%s",
				    p->key->str, c->pathlen ? " in '" : "",
				    c->pathlen ? c->path : "",
				    c->pathlen ? "'" : "", props == NULL ? "" :
				    hint_from_nodes(c, p->key->str, props, 1));
			continue;
		} else if (addl != NULL && !has_property(props, p->key->str))
			err += validate(c, addl, p->value);
		path_pop(c, old);
	}
	if ((k = ynode_get(sch, "minProperties")) != NULL && is_num(k) &&
	    (double)inst->n < k->number) {
		err++;
		REPORT(c, R_SCHEMA_SIZE, &inst->loc,
		    "'%s' needs at least %s entr%s", path_or_root(c), k->str,
		    strcmp(k->str, "1") == 0 ? "y" : "ies");
	}
	if ((k = ynode_get(sch, "maxProperties")) != NULL && is_num(k) &&
	    (double)inst->n > k->number) {
		err++;
		REPORT(c, R_SCHEMA_SIZE, &inst->loc,
		    "'%s' has more than %s entries", path_or_root(c), k->str);
	}
	c->defname = saved;
	return err;
}

static int
check_array(struct vctx *c, const struct ynode *sch, const struct ynode *inst)
{
	const struct ynode *items, *k;
	const char *saved = c->defname;
	size_t i, j, old;
	int err = 0;

	if (inst->kind != YN_SEQ)
		return 0;
	c->defname = NULL;
	if ((items = ynode_get(sch, "items")) != NULL)
		for (i = 0; i < inst->n; i++) {
			old = path_push_index(c, i);
			err += validate(c, items, inst->items[i]);
			path_pop(c, old);
		}
	if ((k = ynode_get(sch, "minItems")) != NULL && is_num(k) &&
	    (double)inst->n < k->number) {
		err++;
		REPORT(c, R_SCHEMA_SIZE, &inst->loc,
		    "'%s' needs at least %s item%s", path_or_root(c), k->str,
		    strcmp(k->str, "1") == 0 ? "" : "s");
	}
	if ((k = ynode_get(sch, "maxItems")) != NULL && is_num(k) &&
	    (double)inst->n > k->number) {
		err++;
		REPORT(c, R_SCHEMA_SIZE, &inst->loc,
		    "'%s' has more than %s items", path_or_root(c), k->str);
	}
	if ((k = ynode_get(sch, "uniqueItems")) != NULL &&
	    k->type == YS_BOOL && k->boolean && inst->n <= 10000)
		for (i = 1; i < inst->n; i++)
			for (j = 0; j < i; j++)
				if (json_equal(c, inst->items[i],
				    inst->items[j])) {
					err++;
					REPORT(c, R_SCHEMA_UNIQUE,
					    &inst->items[i]->loc,
					    "'%s' lists '%s' twice (first at "
					    "line %d)", path_or_root(c),
					    show(c, inst->items[i]),
					    inst->items[j]->loc.line);
					j = i;
				}
	c->defname = saved;
	return err;
}

/* Run sub without reporting; returns its error count. */
static int
probe(struct vctx *c, const struct ynode *sub, const struct ynode *inst)
{
	int saved = c->report, err;

	c->report = 0;
	err = validate(c, sub, inst);
	c->report = saved;
	return err;
}

/*
 * If every alternative is just {"required": [name]}, list the names: the
 * common "exactly one of metric, sql, values" shape gets a clear message.
 */
static const char *
alternatives_as_fields(struct vctx *c, const struct ynode *alts)
{
	const struct ynode *req;
	struct buf b;
	const char *r;
	size_t i;

	buf_init(&b, 0);
	for (i = 0; i < alts->n; i++) {
		req = ynode_get(alts->items[i], "required");
		if (alts->items[i]->kind != YN_MAP || req == NULL ||
		    req->kind != YN_SEQ || req->n != 1) {
			buf_release(&b);
			return NULL;
		}
		buf_printf(&b, "%s'%s'", i == 0 ? "" : i + 1 == alts->n ?
		    " or " : ", ", req->items[0]->str);
	}
	r = arena_strdup(c->d->arena, b.data);
	buf_release(&b);
	return r;
}

static int
check_combinators(struct vctx *c, const struct ynode *sch,
    const struct ynode *inst)
{
	const struct ynode *k;
	const char *fields, *desc;
	size_t i;
	int err = 0, ok;

	if ((k = ynode_get(sch, "allOf")) != NULL && k->kind == YN_SEQ)
		for (i = 0; i < k->n; i++)
			err += validate(c, k->items[i], inst);
	if ((k = ynode_get(sch, "anyOf")) != NULL && k->kind == YN_SEQ) {
		for (i = 0, ok = 0; i < k->n && !ok; i++)
			ok = probe(c, k->items[i], inst) == 0;
		if (!ok) {
			err++;
			fields = alternatives_as_fields(c, k);
			if (fields)
				REPORT(c, R_SCHEMA_ONE_OF, &inst->loc,
				    "'%s' needs at least one of %s",
				    path_or_root(c), fields);
			else if (c->defname != NULL && c->report)
				diag_emit(c->d, R_SCHEMA_ONE_OF, &inst->loc,
				    "'%s' is not %s", show(c, inst),
				    expected_form(c));
			else
				REPORT(c, R_SCHEMA_ONE_OF, &inst->loc,
				    "'%s' matches none of its allowed forms",
				    path_or_root(c));
		}
	}
	if ((k = ynode_get(sch, "oneOf")) != NULL && k->kind == YN_SEQ) {
		for (i = 0, ok = 0; i < k->n; i++)
			ok += probe(c, k->items[i], inst) == 0;
		if (ok != 1) {
			err++;
			fields = alternatives_as_fields(c, k);
			if (fields)
				REPORT(c, R_SCHEMA_ONE_OF, &inst->loc,
				    "'%s' needs exactly one of %s (found %d)",
				    path_or_root(c), fields, ok);
			else
				REPORT(c, R_SCHEMA_ONE_OF, &inst->loc,
				    "'%s' matches %d of its allowed forms; it "
				    "must match exactly one", path_or_root(c),
				    ok);
		}
	}
	if ((k = ynode_get(sch, "not")) != NULL && probe(c, k, inst) == 0) {
		err++;
		desc = ynode_get(k, "description") ?
		    ynode_get(k, "description")->str : "forbidden by the schema";
		REPORT(c, R_SCHEMA_NOT, &inst->loc, "'%s' is not allowed for "
		    "'%s': %s", show(c, inst), path_or_root(c), desc);
	}
	return err;
}

static int
validate(struct vctx *c, const struct ynode *sch, const struct ynode *inst)
{
	const struct ynode *k, *target;
	const char *saved, *savedesc, *defname = NULL;
	int err = 0;

	if (sch->kind == YN_SCALAR && sch->type == YS_BOOL) {
		if (!sch->boolean)
			REPORT(c, R_SCHEMA_NOT, &inst->loc,
			    "'%s' is not allowed", path_or_root(c));
		return sch->boolean ? 0 : 1;
	}
	if (sch->kind != YN_MAP)
		return 0;
	if (++c->depth > MAX_DEPTH) {
		c->depth--;
		REPORT(c, R_SCHEMA_TYPE, &inst->loc,
		    "schema nesting too deep at '%s'", path_or_root(c));
		return 1;
	}
	saved = c->defname;
	savedesc = c->defdesc;
	if ((k = ynode_get(sch, "$ref")) != NULL && k->kind == YN_SCALAR) {
		if ((target = resolve_ref(c, k, &defname)) == NULL)
			BUG("unresolvable $ref in a built-in schema");
		c->defname = defname;
		c->defdesc = ynode_get(target, "description") ?
		    ynode_get(target, "description")->str : NULL;
		err += validate(c, target, inst);
		c->defname = saved;
		c->defdesc = savedesc;
	}
	if ((k = ynode_get(sch, "type")) != NULL && check_type(c, k, inst)) {
		c->depth--;
		return err + 1;		/* further keywords would only cascade */
	}
	if ((k = ynode_get(sch, "const")) != NULL && !json_equal(c, inst, k)) {
		err++;
		REPORT(c, R_SCHEMA_ENUM, &inst->loc, "'%s' must be '%s', not "
		    "'%s'", path_or_root(c), show(c, k), show(c, inst));
	}
	if ((k = ynode_get(sch, "enum")) != NULL)
		err += check_enum(c, k, inst);
	err += check_string(c, sch, inst);
	err += check_number(c, sch, inst);
	err += check_object(c, sch, inst);
	err += check_array(c, sch, inst);
	err += check_combinators(c, sch, inst);
	c->depth--;
	return err;
}

int
schema_validate(struct schema *s, struct diag *d, const struct ynode *inst,
    unsigned flags)
{
	struct vctx c;

	memset(&c, 0, sizeof(c));
	c.s = s;
	c.d = d;
	c.flags = flags;
	c.report = 1;
	return validate(&c, s->root, inst);
}
