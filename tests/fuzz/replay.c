/*
 * replay.c - run a fuzz target over corpus files without libFuzzer, so
 * `make check` replays every committed input with the normal (or the
 * sanitizer) build.  Usage: fuzz-replay FILE...; prints PASS: per file (a
 * crash or sanitizer report ends the run, which tests/run.sh counts as a
 * failure).
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
main(int argc, char *argv[])
{
	unsigned char *buf;
	size_t n;
	FILE *f;
	long len;
	int i, rc = 0;

	for (i = 1; i < argc; i++) {
		if ((f = fopen(argv[i], "rb")) == NULL || fseek(f, 0,
		    SEEK_END) != 0 || (len = ftell(f)) < 0 || fseek(f, 0,
		    SEEK_SET) != 0) {
			printf("FAIL: fuzz-replay %s\n    cannot read\n", argv[i]);
			rc = 1;
			if (f)
				fclose(f);
			continue;
		}
		buf = malloc((size_t)len + 1);
		n = buf ? fread(buf, 1, (size_t)len, f) : 0;
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
		free(buf);
		printf("PASS: fuzz-replay %s\n", argv[i]);
		fflush(stdout);
	}
	return rc;
}
