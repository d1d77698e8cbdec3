/*
 * mustache-spec.c - run Mustache spec files (the official ones, and
 * Charter's own in the same format) against src/mustache.c.
 *
 *	mustache-spec FILE.yml...
 *
 * Each test of a file's `tests` list renders `template` with `data` as the
 * view and `partials` as the templates a loader can find, and compares the
 * output with `expected`.  Prints one line per test, "PASS: mustache-spec:
 * FILE: NAME" or "FAIL: ..." with the difference on indented lines; exits
 * 1 when a test failed, 2 when a file could not be read.
 *
 * Charter's own cases may add:
 *	strict: true		menv strict mode (missing partials are errors)
 *	cap: N			the output buffer's size cap in bytes
 *	renders: N		render N times in one environment, appending
 *	diagnostics: TEXT	what diag_print_text prints afterwards; without
 *				it, any diagnostic fails the test
 * The template under test is called "main"; a template NAME is reported
 * as "templates/NAME.mustache".
 *
 * YAML data becomes values as the spec means it: plain scalars that read
 * as numbers are MV_NUM, true/false MV_BOOL, null/~/empty MV_NULL, and
 * everything else (quoted scalars included) MV_STR.  This test program
 * reads YAML with libyaml itself: it checks the engine, not Charter's
 * loader.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "mustache.h"

#define MAX_DEPTH 64

struct spec {
	yaml_document_t	*doc;
	yaml_node_t	*test;
	struct arena	*a;
};

static int failures;

static yaml_node_t *
get(yaml_document_t *doc, yaml_node_t *map, const char *key)
{
	yaml_node_pair_t *p;
	yaml_node_t *k;

	if (map == NULL || map->type != YAML_MAPPING_NODE)
		return NULL;
	for (p = map->data.mapping.pairs.start;
	    p < map->data.mapping.pairs.top; p++) {
		k = yaml_document_get_node(doc, p->key);
		if (k != NULL && k->type == YAML_SCALAR_NODE &&
		    strcmp((const char *)k->data.scalar.value, key) == 0)
			return yaml_document_get_node(doc, p->value);
	}
	return NULL;
}

static const char *
scalar(yaml_node_t *n)
{
	if (n == NULL || n->type != YAML_SCALAR_NODE)
		return NULL;
	return (const char *)n->data.scalar.value;
}

/* A plain scalar in YAML's decimal number form: [-+]digits[.digits][e..]. */
static int
is_number(const char *s)
{
	int digits = 0;

	if (*s == '-' || *s == '+')
		s++;
	for (; *s >= '0' && *s <= '9'; s++)
		digits++;
	if (*s == '.')
		for (s++; *s >= '0' && *s <= '9'; s++)
			digits++;
	if (digits == 0)
		return 0;
	if (*s == 'e' || *s == 'E') {
		s++;
		if (*s == '-' || *s == '+')
			s++;
		if (*s < '0' || *s > '9')
			return 0;
		while (*s >= '0' && *s <= '9')
			s++;
	}
	return *s == '\0';
}

static struct mval *
to_mval(struct arena *a, yaml_document_t *doc, yaml_node_t *n, int depth)
{
	yaml_node_item_t *it;
	yaml_node_pair_t *p;
	struct mval *v;
	const char *s;

	if (n == NULL || depth > MAX_DEPTH)
		return mv_null(a);
	switch (n->type) {
	case YAML_SCALAR_NODE:
		s = scalar(n);
		if (n->data.scalar.style != YAML_PLAIN_SCALAR_STYLE)
			return mv_str(a, s);
		if (*s == '\0' || strcmp(s, "~") == 0 ||
		    strcmp(s, "null") == 0 || strcmp(s, "Null") == 0 ||
		    strcmp(s, "NULL") == 0)
			return mv_null(a);
		if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
		    strcmp(s, "TRUE") == 0)
			return mv_bool(a, 1);
		if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
		    strcmp(s, "FALSE") == 0)
			return mv_bool(a, 0);
		if (is_number(s))
			return mv_num(a, strtod(s, NULL));
		return mv_str(a, s);
	case YAML_SEQUENCE_NODE:
		v = mv_list(a);
		for (it = n->data.sequence.items.start;
		    it < n->data.sequence.items.top; it++)
			mv_push(a, v, to_mval(a, doc,
			    yaml_document_get_node(doc, *it), depth + 1));
		return v;
	case YAML_MAPPING_NODE:
		v = mv_map(a);
		for (p = n->data.mapping.pairs.start;
		    p < n->data.mapping.pairs.top; p++) {
			s = scalar(yaml_document_get_node(doc, p->key));
			if (s != NULL)
				mv_set(a, v, s, to_mval(a, doc,
				    yaml_document_get_node(doc, p->value),
				    depth + 1));
		}
		return v;
	default:
		return mv_null(a);
	}
}

static int
load(void *ctx, const char *name, const char **src, size_t *len,
    const char **file)
{
	struct spec *sp = ctx;
	yaml_node_t *n;

	if (strcmp(name, "main") == 0)
		n = get(sp->doc, sp->test, "template");
	else
		n = get(sp->doc, get(sp->doc, sp->test, "partials"), name);
	if (scalar(n) == NULL)
		return -1;
	*src = scalar(n);
	*len = n->data.scalar.length;
	*file = arena_printf(sp->a, "templates/%s.mustache", name);
	return 0;
}

/* s[0..n) on one line, C-escaped, for a failure report. */
static void
show(const char *label, const char *s, size_t n)
{
	size_t i;

	printf("    %s \"", label);
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '\n':	fputs("\\n", stdout); break;
		case '\r':	fputs("\\r", stdout); break;
		case '\t':	fputs("\\t", stdout); break;
		case '"':	fputs("\\\"", stdout); break;
		case '\\':	fputs("\\\\", stdout); break;
		default:
			if ((unsigned char)s[i] < 0x20)
				printf("\\x%02x", (unsigned char)s[i]);
			else
				putchar(s[i]);
		}
	}
	puts("\"");
}

static void
run_test(const char *file, yaml_document_t *doc, yaml_node_t *test)
{
	const char *name, *want, *wdiag, *s;
	struct mustache_loader ml;
	struct spec sp;
	struct arena a;
	struct diag d;
	struct menv *env;
	struct mval *view;
	struct buf out;
	char *dtext = NULL;
	size_t dlen = 0;
	long n, renders = 1;
	int rc = 0, ok = 1, strict = 0;
	FILE *fp;

	name = scalar(get(doc, test, "name"));
	if (name == NULL)
		name = "(unnamed)";
	want = scalar(get(doc, test, "expected"));
	wdiag = scalar(get(doc, test, "diagnostics"));
	s = scalar(get(doc, test, "strict"));
	strict = s != NULL && strcmp(s, "true") == 0;
	if ((s = scalar(get(doc, test, "renders"))) != NULL)
		renders = strtol(s, NULL, 10);
	arena_init(&a);
	diag_init(&d, &a);
	buf_init(&out, 0);
	if ((s = scalar(get(doc, test, "cap"))) != NULL)
		out.max = (size_t)strtoul(s, NULL, 10);
	sp.doc = doc;
	sp.test = test;
	sp.a = &a;
	ml.load = load;
	ml.ctx = &sp;
	view = to_mval(&a, doc, get(doc, test, "data"), 0);
	env = menv_new(&a, &d, &ml, strict);
	for (n = 0; n < renders; n++)
		if (menv_render(env, "main", view, &out) != 0)
			rc = -1;
	menv_free(env);

	if ((fp = open_memstream(&dtext, &dlen)) == NULL) {
		perror("mustache-spec: open_memstream");
		exit(2);
	}
	diag_print_text(&d, fp, 0);
	fclose(fp);

	if (want != NULL && (out.len != strlen(want) ||
	    memcmp(out.data, want, out.len) != 0))
		ok = 0;
	if (wdiag != NULL ? strcmp(dtext, wdiag) != 0 : d.n != 0)
		ok = 0;
	if (rc != (d.count[SEV_ERROR] ? -1 : 0))
		ok = 0;
	if (ok)
		printf("PASS: mustache-spec: %s: %s\n", file, name);
	else {
		printf("FAIL: mustache-spec: %s: %s\n", file, name);
		if (want != NULL) {
			show("expected:", want, strlen(want));
			show("got:     ", out.data, out.len);
		}
		if (wdiag != NULL)
			show("expected diagnostics:", wdiag, strlen(wdiag));
		show("diagnostics:", dtext, dlen);
		printf("    menv_render returned %d\n", rc);
		failures++;
	}
	free(dtext);
	buf_release(&out);
	diag_release(&d);
	arena_release(&a);
}

static int
run_file(const char *path)
{
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *tests, *t;
	yaml_node_item_t *it;
	const char *base;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL) {
		perror(path);
		return -1;
	}
	yaml_parser_initialize(&parser);
	yaml_parser_set_input_file(&parser, fp);
	if (!yaml_parser_load(&parser, &doc)) {
		fprintf(stderr, "%s:%zu:%zu: %s\n", path,
		    parser.problem_mark.line + 1,
		    parser.problem_mark.column + 1,
		    parser.problem ? parser.problem : "YAML error");
		yaml_parser_delete(&parser);
		fclose(fp);
		return -1;
	}
	base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
	tests = get(&doc, yaml_document_get_root_node(&doc), "tests");
	if (tests == NULL || tests->type != YAML_SEQUENCE_NODE) {
		fprintf(stderr, "%s: no 'tests' list\n", path);
		yaml_document_delete(&doc);
		yaml_parser_delete(&parser);
		fclose(fp);
		return -1;
	}
	for (it = tests->data.sequence.items.start;
	    it < tests->data.sequence.items.top; it++)
		if ((t = yaml_document_get_node(&doc, *it)) != NULL)
			run_test(base, &doc, t);
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	fclose(fp);
	return 0;
}

int
main(int argc, char *argv[])
{
	int i, bad = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: mustache-spec FILE.yml...\n");
		return 2;
	}
	for (i = 1; i < argc; i++)
		if (run_file(argv[i]) != 0)
			bad = 1;
	if (bad)
		return 2;
	return failures ? 1 : 0;
}
