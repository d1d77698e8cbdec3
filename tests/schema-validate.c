/*
 * schema-validate.c - the C side of the differential schema test: judge
 * documents against a schema with src/schema.c and print one verdict per
 * document, in the same format as tests/schema/jsonschema_verdict.py.
 *
 * Usage: schema-validate [--yaml] SCHEMA.json DOC...
 * Without --yaml the validator runs in strict JSON mode (a number never
 * passes as a string), which is what a JSON Schema reference implementation
 * does with the same JSON text.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "schema.h"
#include "util.h"
#include "ydoc.h"

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	size_t cap = 4096, n = 0, r;
	char *buf;

	if (f == NULL)
		return NULL;
	buf = xmalloc(cap);
	while ((r = fread(buf + n, 1, cap - n, f)) > 0) {
		n += r;
		if (n == cap)
			buf = xrealloc(buf, cap *= 2);
	}
	fclose(f);
	*len = n;
	return buf;
}

int
main(int argc, char *argv[])
{
	struct ylimits lim = { 64, 100000, 1 << 20 };
	unsigned flags = SCHEMA_STRICT_JSON;
	struct schema *s;
	struct arena a;
	struct diag d;
	struct yfile yf;
	size_t len;
	char *text;
	int i = 1, errors, verbose = getenv("VERBOSE") != NULL;

	if (argc > 1 && strcmp(argv[1], "--yaml") == 0) {
		flags = 0;
		i++;
	}
	if (argc - i < 2) {
		fprintf(stderr, "usage: schema-validate [--yaml] SCHEMA DOC...\n");
		return 2;
	}
	arena_init(&a);
	diag_init(&d, &a);
	if ((text = slurp(argv[i], &len)) == NULL) {
		perror(argv[i]);
		return 2;
	}
	s = schema_load(&a, &d, argv[i], text, len);
	free(text);
	if (s == NULL) {
		diag_print_text(&d, stderr, 0);
		return 2;
	}
	for (i++; i < argc; i++) {
		if ((text = slurp(argv[i], &len)) == NULL) {
			perror(argv[i]);
			return 2;
		}
		d.n = 0;
		memset(d.count, 0, sizeof(d.count));
		if (ydoc_load(&a, &d, &lim, argv[i], text, len, &yf) != 0 ||
		    yf.ndocs != 1) {
			free(text);
			fprintf(stderr, "%s: does not parse\n", argv[i]);
			return 2;
		}
		free(text);
		errors = yf.docs[0].root ? schema_validate(s, &d,
		    yf.docs[0].root, flags) : 1;
		printf("%s\t%s\n", argv[i], errors ? "invalid" : "valid");
		if (verbose)
			diag_print_text(&d, stdout, 0);
	}
	schema_free(s);
	diag_release(&d);
	arena_release(&a);
	return 0;
}
