/*
 * fuzz_load.c - libFuzzer target: one input run through the whole front of
 * the pipeline (YAML loader, schema validation, typed model, rules), once as
 * a YAML file and once as a Markdown page with front matter.
 * Built by `make fuzz` with clang; tests/fuzz/replay.c replays the corpus
 * with any compiler in `make check`.
 */
#include <stddef.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>

#include "arena.h"
#include "diag.h"
#include "euaia.h"
#include "input.h"
#include "model.h"
#include "rules.h"
#include "fixed.h"

int	fuzz_load(const uint8_t *data, size_t size);
#ifndef FUZZ_REPLAY
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

int
fuzz_load(const uint8_t *data, size_t size)
{
	struct input_file files[2];
	struct input_set in;
	struct limits lim;
	struct model m;
	struct arena a;
	struct diag d;
	char *copy;

	load_fixed();
	arena_init(&a);
	diag_init(&d, &a);
	limits_default(&lim);
	copy = arena_alloc(&a, size + 1);
	memcpy(copy, data, size);
	files[0].rel = files[0].path = "fuzz.yaml";
	files[0].type = INPUT_YAML;
	files[1].rel = files[1].path = "fuzz.md";
	files[1].type = INPUT_MARKDOWN;
	files[0].data = files[1].data = copy;
	files[0].len = files[1].len = size;
	in.v = files;
	in.n = 2;
	in.bytes = 2 * size;
	memset(&m, 0, sizeof(m));
	m.root = ".";
	m.as_of = 20779;		/* 2026-11-22 */
	m.as_of_text = "2026-11-22";
	model_load(&a, &d, &lim, schemas, &in, &m);
	rules_check(&m, &facts, &d);
	diag_sort(&d);
	diag_release(&d);
	arena_release(&a);
	return 0;
}

#ifndef FUZZ_REPLAY
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_load(data, size);
}
#endif
