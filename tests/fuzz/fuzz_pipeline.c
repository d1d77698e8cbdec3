/*
 * fuzz_pipeline.c - libFuzzer target: a whole small governance repo through
 * the whole pipeline short of the disk: load, schemas, model, rules,
 * evidence (no logs), then every page of the site and every documentation
 * pack rendered with the built-in templates, zips included (site_render
 * with no output folder writes nothing).
 *
 * The input is the repo's files separated by lines "%%": organization,
 * risk tiers, decision rights, two systems and a Markdown page, in that
 * order; missing parts are empty files.  The seeds in
 * tests/fuzz/corpus/pipeline/ are whole valid repos, so mutations start
 * from something every stage reaches.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "euaia.h"
#include "evidence.h"
#include "input.h"
#include "log.h"
#include "model.h"
#include "rules.h"
#include "fixed.h"
#include "site.h"

int	fuzz_pipeline(const uint8_t *data, size_t size);
#ifndef FUZZ_REPLAY
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

static const struct part {
	const char	*rel;
	enum input_type	 type;
} parts[] = {
	{ "organization.yaml",		INPUT_YAML },
	{ "risk-tiers.yaml",		INPUT_YAML },
	{ "decision-rights.yaml",	INPUT_YAML },
	{ "systems/a.yaml",		INPUT_YAML },
	{ "systems/b.yaml",		INPUT_YAML },
	{ "notes.md",			INPUT_MARKDOWN },
};
#define NPARTS	(sizeof(parts) / sizeof(parts[0]))

/* The next part of data, up to a line "%%" or the end. */
static const char *
next_part(const char **p, const char *end, size_t *len)
{
	const char *s = *p, *q;

	for (q = s; q < end; q++)
		if ((q == s || q[-1] == '\n') && end - q >= 3 &&
		    memcmp(q, "%%\n", 3) == 0)
			break;
	*len = (size_t)(q - s);
	*p = q < end ? q + 3 : end;
	return s;
}

int
fuzz_pipeline(const uint8_t *data, size_t size)
{
	struct input_file files[NPARTS];
	struct input_set in;
	struct limits lim;
	struct log_limits ll;
	struct log_evidence ev;
	struct site_in si;
	struct model m;
	struct arena a;
	struct diag d, td;
	const char *p, *end, *s;
	char *copy;
	size_t i, len;

	load_fixed();
	arena_init(&a);
	diag_init(&d, &a);
	diag_init(&td, &a);
	limits_default(&lim);
	log_limits_default(&ll);
	copy = arena_alloc(&a, size + 1);
	memcpy(copy, data, size);
	copy[size] = '\0';
	p = copy;
	end = copy + size;
	in.bytes = 0;
	for (i = 0; i < NPARTS; i++) {
		s = next_part(&p, end, &len);
		files[i].rel = files[i].path = parts[i].rel;
		files[i].type = parts[i].type;
		files[i].data = arena_strndup(&a, s, len);
		files[i].len = len;
		in.bytes += len;
	}
	in.v = files;
	in.n = NPARTS;
	memset(&m, 0, sizeof(m));
	/* No templates/ folder of its own: the built-in templates only. */
	m.root = "/nonexistent/charter-fuzz";
	m.as_of = 20779;		/* 2026-11-22 */
	m.as_of_text = "2026-11-22";
	model_load(&a, &d, &lim, schemas, &in, &m);
	rules_check(&m, &facts, &d);
	evidence_build(&ev, &a, &d, &m, &facts, &ll, 0, NULL);
	diag_sort(&d);
	memset(&si, 0, sizeof(si));
	si.a = &a;
	si.d = &td;
	si.m = &m;
	si.ev = &ev;
	si.facts = &facts;
	si.findings = &d;
	si.max_template = lim.v[LIMIT_FILE];
	(void)site_render(&si, NULL);
	evidence_free(&ev);
	diag_release(&td);
	diag_release(&d);
	arena_release(&a);
	return 0;
}

#ifndef FUZZ_REPLAY
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_pipeline(data, size);
}
#endif
