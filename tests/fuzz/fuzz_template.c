/*
 * fuzz_template.c - libFuzzer target: the Mustache engine (src/mustache.c)
 * on hostile templates, rendered against a small fixed view.
 *
 * Input: one flags byte, then templates separated by lines "%%" (the
 * bytes "\n%%\n").  The first template is "main", the ones after it the
 * partials "p0" to "p7", and the last of those is also "layout"; no other
 * name loads.  Flags: bit 0 strict mode, bit 1 render twice in one
 * environment (the second time from the template cache).
 *
 * Invariants: menv_render returns 0 or -1, and -1 exactly when it gave an
 * error diagnostic; the output stays under the buffer's cap, and is valid
 * UTF-8 on 0 when the templates are (the view is); a second render in the
 * same environment gives the same result; and a strict render that
 * succeeds renders the same without strict mode (strict only adds errors).
 * Built by `make fuzz` with clang; tests/fuzz/replay.c replays the corpus
 * with any compiler in `make check`.
 */
#include <math.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "util.h"

int	fuzz_template(const uint8_t *data, size_t size);
#ifndef FUZZ_REPLAY
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

#define NPART		8		/* p0 .. p7 */
#define OUT_CAP		(1024 * 1024)	/* so runaway output fails */
#define SEP		"\n%%\n"

struct chunk {
	const char	*s;
	size_t		 len;
};

struct tmpls {
	struct chunk	 main, part[NPART];
	size_t		 npart;
};

/* The view is immutable after building: build it once. */
static struct arena	 fixed;
static struct mval	*view;

static struct mval *
item(struct arena *a, const char *name, double n, int ok)
{
	struct mval *m = mv_map(a);

	mv_set_str(a, m, "name", name);
	mv_set_num(a, m, "n", n);
	mv_set_bool(a, m, "ok", ok);
	return m;
}

static void
build_view(void)
{
	struct arena *a = &fixed;
	struct mval *v, *l, *m, *t, *kid;
	int i;

	arena_init(a);
	v = mv_map(a);
	mv_set_str(a, v, "title", "<script>alert(1)</script>");
	mv_set_str(a, v, "name", "Ben & Jerry's \"best\" `tick` <b>");
	mv_set_str(a, v, "empty", "");
	mv_set_str(a, v, "utf8", "h\xc3\xa9llo \xe2\x80\x93 \xe6\x97\xa5"
	    "\xe6\x9c\xac \xf0\x9f\x98\x80");
	mv_set_str(a, v, "tag", "{{title}}{{>p0}}");	/* data, not template */
	mv_set_str(a, v, "partial", "p0");		/* dynamic names */
	mv_set_str(a, v, "layout_name", "layout");
	mv_set_str(a, v, "self_name", "main");
	mv_set_str(a, v, "missing", "nope");
	mv_set_str(a, v, "evil", "../../etc/passwd");
	mv_set_num(a, v, "zero", 0);
	mv_set_num(a, v, "num", 85);
	mv_set_num(a, v, "pi", 1.21);
	mv_set_num(a, v, "neg", -0.5);
	mv_set_num(a, v, "big", 1e300);
	mv_set_num(a, v, "tiny", 5e-324);
	mv_set_num(a, v, "nan", NAN);
	mv_set_num(a, v, "inf", -INFINITY);
	mv_set_bool(a, v, "yes", 1);
	mv_set_bool(a, v, "no", 0);
	mv_set(a, v, "nothing", mv_null(a));
	mv_set(a, v, "none", mv_list(a));

	l = mv_set(a, v, "strs", mv_list(a));
	mv_push(a, l, mv_str(a, "x"));
	mv_push(a, l, mv_str(a, "<y>"));
	mv_push(a, l, mv_str(a, ""));

	/* A list of maps, one with a nested list of its own. */
	l = mv_set(a, v, "items", mv_list(a));
	m = mv_push(a, l, item(a, "a", 1, 1));
	kid = mv_set(a, m, "items", mv_list(a));
	mv_push(a, kid, item(a, "a.1", 11, 0));
	mv_push(a, kid, mv_num(a, 12));
	mv_push(a, l, item(a, "<b>", 2, 0));
	m = mv_push(a, l, item(a, "c", -3, 1));
	mv_set(a, m, "name", mv_null(a));		/* replaced */
	mv_set(a, m, "tags", mv_list(a));

	/*
	 * A tree four deep, each level with a child and two children; the
	 * leaf's are null and empty, so recursion over it can end.
	 */
	t = NULL;
	for (i = 4; i >= 0; i--) {
		m = item(a, i % 2 ? "odd" : "even", i, i % 2);
		mv_set(a, m, "child", t != NULL ? t : mv_null(a));
		l = mv_set(a, m, "children", mv_list(a));
		if (t != NULL) {
			mv_push(a, l, t);
			mv_push(a, l, t);
		}
		t = m;
	}
	mv_set(a, v, "tree", t);

	/* A real cycle: {{#self}} never runs out by itself. */
	mv_set(a, v, "self", v);
	view = v;
}

static int
load(void *ctx, const char *name, const char **src, size_t *len,
    const char **file)
{
	const struct tmpls *t = ctx;
	const struct chunk *c = NULL;

	if (strcmp(name, "main") == 0)
		c = &t->main;
	else if (strcmp(name, "layout") == 0 && t->npart > 0)
		c = &t->part[t->npart - 1];
	else if (name[0] == 'p' && name[1] >= '0' &&
	    name[1] < '0' + (int)t->npart && name[2] == '\0')
		c = &t->part[name[1] - '0'];
	if (c == NULL)
		return -1;
	*src = c->s;
	*len = c->len;
	*file = name;
	return 0;
}

/* The first separator in s[0..len), or NULL. */
static const char *
find_sep(const char *s, size_t len)
{
	size_t i, n = strlen(SEP);

	for (i = 0; i + n <= len; i++)
		if (memcmp(s + i, SEP, n) == 0)
			return s + i;
	return NULL;
}

/* Cut s[0..len) at the separators into t. */
static void
split(struct tmpls *t, const char *s, size_t len)
{
	struct chunk *c = &t->main;
	const char *end = s + len, *p;
	size_t n = strlen(SEP);

	memset(t, 0, sizeof(*t));
	for (;;) {
		c->s = s;
		p = t->npart < NPART ? find_sep(s, (size_t)(end - s)) : NULL;
		if (p == NULL) {
			c->len = (size_t)(end - s);
			return;
		}
		c->len = (size_t)(p - s);
		s = p + n;
		c = &t->part[t->npart++];
	}
}

/* Render main in a fresh environment; the result and output in *out. */
static int
render(struct arena *a, struct tmpls *t, int strict, int twice,
    struct buf *out, int check_utf8)
{
	struct mustache_loader ml;
	struct menv *env;
	struct diag d;
	struct buf again;
	size_t bad;
	int rc, rc2;

	ml.load = load;
	ml.ctx = t;
	diag_init(&d, a);
	env = menv_new(a, &d, &ml, strict);
	buf_init(out, OUT_CAP);
	rc = menv_render(env, "main", view, out);
	if (rc != 0 && rc != -1)
		abort();
	/* -1 exactly when an error was reported. */
	if ((rc == -1) != (d.count[SEV_ERROR] > 0))
		abort();
	if (out->len > OUT_CAP || out->data[out->len] != '\0' ||
	    (rc == 0 && out->overflow))
		abort();
	if (rc == 0 && check_utf8 && utf8_valid(out->data, out->len,
	    &bad) != 0)
		abort();
	if (twice) {
		buf_init(&again, OUT_CAP);
		rc2 = menv_render(env, "main", view, &again);
		if (rc2 != rc || (rc == 0 && (again.len != out->len ||
		    memcmp(again.data, out->data, out->len) != 0)))
			abort();
		buf_release(&again);
	}
	menv_free(env);
	diag_sort(&d);
	diag_release(&d);
	return rc;
}

int
fuzz_template(const uint8_t *data, size_t size)
{
	struct tmpls t;
	struct arena a;
	struct buf out, lax;
	char *copy;
	size_t bad;
	int flags, strict, valid, rc;

	if (size == 0)
		return 0;
	if (view == NULL)
		build_view();
	flags = data[0];
	strict = flags & 1;
	data++;
	size--;
	arena_init(&a);
	/* A copy the exact size, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	split(&t, copy, size);
	valid = utf8_valid(copy, size, &bad) == 0;
	rc = render(&a, &t, strict, flags & 2, &out, valid);
	if (strict && rc == 0) {
		if (render(&a, &t, 0, 0, &lax, valid) != 0 ||
		    lax.len != out.len ||
		    memcmp(lax.data, out.data, out.len) != 0)
			abort();
		buf_release(&lax);
	}
	buf_release(&out);
	free(copy);
	arena_release(&a);
	return 0;
}

#ifndef FUZZ_REPLAY
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_template(data, size);
}
#endif
