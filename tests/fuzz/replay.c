/*
 * replay.c - run a fuzz target over corpus files without libFuzzer, so
 * `make check` replays every committed input with the normal (or the
 * sanitizer) build.  Usage: fuzz-replay TARGET FILE...; prints PASS: per
 * file (a crash or sanitizer report ends the run, which tests/run.sh
 * counts as a failure).
 *
 * Each target tests/fuzz/fuzz_TARGET.c defines fuzz_TARGET(), and
 * LLVMFuzzerTestOneInput() calling it unless built with -DFUZZ_REPLAY, as
 * it is for this program, which links them all.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int	fuzz_load(const uint8_t *data, size_t size);
int	fuzz_template(const uint8_t *data, size_t size);
int	fuzz_markdown(const uint8_t *data, size_t size);
int	fuzz_pipeline(const uint8_t *data, size_t size);

static const struct target {
	const char	*name;
	int		(*run)(const uint8_t *, size_t);
} targets[] = {
	{ "load",	fuzz_load },
	{ "template",	fuzz_template },
	{ "markdown",	fuzz_markdown },
	{ "pipeline",	fuzz_pipeline },
};

int
main(int argc, char *argv[])
{
	const struct target *t = NULL;
	unsigned char *buf;
	size_t i, n;
	FILE *f;
	long len;
	int k, rc = 0;

	for (i = 0; argc > 1 && i < sizeof(targets) / sizeof(targets[0]); i++)
		if (strcmp(argv[1], targets[i].name) == 0)
			t = &targets[i];
	if (t == NULL) {
		fprintf(stderr, "usage: fuzz-replay "
		    "load|template|markdown|pipeline FILE...\n");
		return 2;
	}
	for (k = 2; k < argc; k++) {
		if ((f = fopen(argv[k], "rb")) == NULL || fseek(f, 0,
		    SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0,
		    SEEK_SET) != 0) {
			printf("FAIL: fuzz-replay %s/%s\n    cannot read\n",
			    t->name, argv[k]);
			rc = 1;
			if (f)
				fclose(f);
			continue;
		}
		buf = malloc((size_t)len + 1);
		n = buf ? fread(buf, 1, (size_t)len, f) : 0;
		fclose(f);
		t->run(buf, n);
		free(buf);
		printf("PASS: fuzz-replay %s/%s\n", t->name, argv[k]);
		fflush(stdout);
	}
	return rc;
}
