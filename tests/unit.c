/*
 * unit.c - unit tests of the modules below the command line: scalar
 * resolution, the YAML composer's limits, UTF-8 and date helpers, edit
 * distance, terminal escaping, and schema keywords the differential corpus
 * cannot reach.  Prints PASS:/FAIL: lines for tests/run.sh.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "schema.h"
#include "util.h"
#include "ydoc.h"

static int failures;

#define CHECK(name, cond) do {						\
	if (cond)							\
		printf("PASS: %s\n", (name));				\
	else {								\
		printf("FAIL: %s\n    %s:%d: %s\n", (name), __FILE__,	\
		    __LINE__, #cond);					\
		failures++;						\
	}								\
} while (0)

static struct arena A;
static struct diag D;
static const struct ylimits LIM = { 64, 100000, 1 << 20 };

/* Parse text; return the root of its first document, or NULL. */
static struct ynode *
parse(const char *text)
{
	struct yfile f;

	diag_release(&D);
	diag_init(&D, &A);
	if (ydoc_load(&A, &D, &LIM, "t.yaml", text, strlen(text), &f) != 0 ||
	    f.ndocs == 0)
		return NULL;
	return f.docs[0].root;
}

static int
first_rule(void)
{
	return D.n ? (int)D.v[0].rule : -1;
}

static void
test_resolution(void)
{
	static const struct {
		const char	*text;
		enum yscalar	 type;
	} cases[] = {
		{ "yes", YS_STR }, { "no", YS_STR }, { "NO", YS_STR },
		{ "on", YS_STR }, { "off", YS_STR }, { "y", YS_STR },
		{ "true", YS_BOOL }, { "False", YS_BOOL }, { "TRUE", YS_BOOL },
		{ "null", YS_NULL }, { "~", YS_NULL }, { "Null", YS_NULL },
		{ "010", YS_INT }, { "0o17", YS_INT }, { "0x1F", YS_INT },
		{ "-3", YS_INT }, { "1.10", YS_FLOAT }, { ".5", YS_FLOAT },
		{ "1e3", YS_FLOAT }, { "2024-01-02", YS_STR },
		{ "12:30:00", YS_STR }, { ".inf", YS_STR }, { "1_000", YS_STR },
		{ "0b101", YS_STR }, { "+", YS_STR }, { "1.2.3", YS_STR },
	};
	char buf[64], name[96];
	struct ynode *r;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(cases); i++) {
		snprintf(buf, sizeof(buf), "k: %s\n", cases[i].text);
		snprintf(name, sizeof(name), "ydoc.resolve '%s'",
		    cases[i].text);
		r = parse(buf);
		CHECK(name, r != NULL && ynode_get(r, "k") != NULL &&
		    ynode_get(r, "k")->type == cases[i].type &&
		    strcmp(ynode_get(r, "k")->str, cases[i].text) == 0);
	}
	r = parse("k: \"true\"\n");
	CHECK("ydoc.quoted-stays-string", r && ynode_get(r, "k")->type ==
	    YS_STR && !ynode_get(r, "k")->plain);
	r = parse("k: !!str 010\n");
	CHECK("ydoc.tag-str", r && ynode_get(r, "k")->type == YS_STR);
	r = parse("k: !!int abc\n");
	CHECK("ydoc.tag-mismatch", r == NULL && first_rule() == R_YAML_TAG);
}

static void
test_structure(void)
{
	struct ynode *r;
	char *deep;
	size_t i;

	r = parse("a: 1\nb:\n  - x\n  - y\n");
	CHECK("ydoc.locations", r && ynode_get(r, "b")->items[1]->loc.line == 4
	    && ynode_get(r, "b")->items[1]->loc.col == 5);
	r = parse("a: 1\nb: 2\na: 3\n");
	CHECK("ydoc.duplicate-key", r == NULL &&
	    first_rule() == R_YAML_DUPLICATE_KEY && D.v[0].loc.line == 3 &&
	    strstr(D.v[0].message, "line 1") != NULL);
	r = parse("a: &x [1, 2]\nb: *x\nc: *x\n");
	CHECK("ydoc.alias-shared", r && ynode_get(r, "b") ==
	    ynode_get(r, "a") && r->weight == 1 + 3 + 3 * 3);
	r = parse("a: &a [*a]\n");
	CHECK("ydoc.alias-cycle", r == NULL && first_rule() == R_YAML_ALIAS);
	r = parse("a: *nope\n");
	CHECK("ydoc.alias-unknown", r == NULL && first_rule() == R_YAML_ALIAS);
	r = parse("b: &b {x: 1}\na:\n  <<: *b\n");
	CHECK("ydoc.merge-key", r == NULL && first_rule() == R_YAML_MERGE_KEY);
	r = parse("a:\n\t- x\n");
	CHECK("ydoc.tab", r == NULL && first_rule() == R_YAML_SYNTAX &&
	    D.v[0].loc.line == 2 && strstr(D.v[0].message, "tab") != NULL);
	r = parse("a: \"x\\0y\"\n");
	CHECK("ydoc.nul-in-value", r == NULL && first_rule() == R_YAML_ENCODING);
	r = parse("\xEF\xBB\xBFk: v\n");
	CHECK("ydoc.bom", r && ynode_get(r, "k") &&
	    ynode_get(r, "k")->loc.col == 4);
	r = parse("k: caf\xC3\xA9 \xC0\xAF\n");
	CHECK("ydoc.overlong", r == NULL && first_rule() == R_YAML_ENCODING &&
	    D.v[0].loc.line == 1 && D.v[0].loc.col == 9);
	/* Depth: 64 levels pass, 65 fail (N and N+1). */
	deep = xmalloc(200);
	for (i = 0; i < 64; i++)
		deep[i] = '[';
	for (i = 0; i < 64; i++)
		deep[64 + i] = ']';
	deep[128] = '\0';
	CHECK("ydoc.depth-64", parse(deep) != NULL);
	memmove(deep + 1, deep, 129);
	deep[0] = '[';
	strcat(deep, "]");
	CHECK("ydoc.depth-65", parse(deep) == NULL &&
	    first_rule() == R_YAML_DEPTH);
	free(deep);
}

static void
test_util(void)
{
	long d;
	size_t bad;
	int y, m, dd;

	CHECK("util.date-valid", date_parse("2024-02-29", &d) == 0);
	CHECK("util.date-not-leap", date_parse("2023-02-29", &d) != 0);
	CHECK("util.date-bad-month", date_parse("2024-13-01", &d) != 0);
	CHECK("util.date-format", date_parse("2024-1-01", &d) != 0);
	date_parse("2026-11-22", &d);
	civil_from_days(d, &y, &m, &dd);
	CHECK("util.date-roundtrip", y == 2026 && m == 11 && dd == 22);
	CHECK("util.epoch", days_from_civil(1970, 1, 1) == 0);
	CHECK("util.utf8-surrogate", utf8_valid("\xED\xA0\x80", 3, &bad) != 0);
	CHECK("util.utf8-4byte", utf8_valid("\xF0\x9F\x98\x80", 4, &bad) == 0);
	CHECK("util.utf8-count", utf8_count("\xC3\xA9t\xC3\xA9", 5) == 3);
	CHECK("util.edit-distance", edit_distance("ownres", "owners", 3) == 2 &&
	    edit_distance("abc", "xyz123", 2) == 3);
}

static void
test_escape(void)
{
	const char *e;

	e = term_escape(&A, "a\x1b[31mb\rc\n::set-output");
	CHECK("diag.escape-controls", strchr(e, 0x1b) == NULL &&
	    strchr(e, '\r') == NULL && strchr(e, '\n') == NULL &&
	    strstr(e, "\\x1b") != NULL);
	e = term_escape(&A, "x\xE2\x80\xAEy");
	CHECK("diag.escape-bidi", strcmp(e, "x\\u{202e}y") == 0);
	e = term_escape(&A, "caf\xC3\xA9 \xFF");
	CHECK("diag.escape-utf8", strcmp(e, "caf\xC3\xA9 \\xff") == 0);
}

/* Validate text against an inline schema; returns the error count. */
static int
validate(const char *schema, const char *doc, unsigned flags)
{
	struct ynode *inst;
	struct schema *s;
	int n;

	diag_release(&D);
	diag_init(&D, &A);
	s = schema_load(&A, &D, "s.json", schema, strlen(schema));
	if (s == NULL)
		return -1;
	inst = parse(doc);
	n = inst ? schema_validate(s, &D, inst, flags) : -1;
	schema_free(s);
	return n;
}

static void
test_schema(void)
{
	const char *str = "{\"type\": \"object\", \"properties\": {\"v\": "
	    "{\"type\": \"string\", \"pattern\": \"^[0-9.]+$\"}}}";
	const char *kw = "{\"type\": \"object\", \"properties\": {"
	    "\"l\": {\"type\": \"array\", \"maxItems\": 2},"
	    "\"x\": {\"type\": \"number\", \"exclusiveMaximum\": 1},"
	    "\"m\": {\"type\": \"object\", \"maxProperties\": 1},"
	    "\"a\": {\"allOf\": [{\"type\": \"integer\"}, {\"minimum\": 3}]}},"
	    "\"additionalProperties\": false}";

	CHECK("schema.yaml-number-as-string", validate(str, "v: 1.10\n", 0) == 0);
	CHECK("schema.strict-number-not-string",
	    validate(str, "v: 1.10\n", SCHEMA_STRICT_JSON) == 1);
	CHECK("schema.yaml-bool-not-string", validate(str, "v: true\n", 0) == 1);
	CHECK("schema.maxItems", validate(kw, "l: [1, 2]\n", 0) == 0 &&
	    validate(kw, "l: [1, 2, 3]\n", 0) == 1);
	CHECK("schema.exclusiveMaximum", validate(kw, "x: 0.99\n", 0) == 0 &&
	    validate(kw, "x: 1\n", 0) == 1);
	CHECK("schema.maxProperties", validate(kw, "m: {a: 1}\n", 0) == 0 &&
	    validate(kw, "m: {a: 1, b: 2}\n", 0) == 1);
	CHECK("schema.allOf", validate(kw, "a: 3\n", 0) == 0 &&
	    validate(kw, "a: 2\n", 0) == 1 && validate(kw, "a: 3.5\n", 0) == 1);
	CHECK("schema.unknown-key-hint", validate(kw, "mm: 1\n", 0) == 1 &&
	    D.v[0].rule == R_SCHEMA_UNKNOWN_KEY &&
	    strstr(D.v[0].message, "did you mean 'm'") != NULL);
	CHECK("schema.unsupported-keyword",
	    validate("{\"format\": \"date\"}", "x: 1\n", 0) == -1);
}

static void
test_buf(void)
{
	struct buf b;

	buf_init(&b, 8);
	CHECK("buf.cap", buf_puts(&b, "12345678") == 0 &&
	    buf_puts(&b, "9") == -1 && b.overflow && b.len == 8);
	buf_release(&b);
	buf_init(&b, 0);
	buf_json_str(&b, "</script>\n\xE2\x80\xA8");
	CHECK("buf.json-escape", strcmp(b.data,
	    "\"\\u003c/script\\u003e\\n\\u2028\"") == 0);
	buf_release(&b);
}

int
main(void)
{
	arena_init(&A);
	diag_init(&D, &A);
	test_resolution();
	test_structure();
	test_util();
	test_escape();
	test_schema();
	test_buf();
	diag_release(&D);
	arena_release(&A);
	return failures ? 1 : 0;
}
