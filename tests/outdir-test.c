/*
 * outdir-test.c - a driver for src/outdir.c, run by tests/t-outdir.sh.
 *
 *   outdir-test TARGET ITEM...
 *
 * Opens TARGET, handles each ITEM in order, commits.  An ITEM is
 *   REL         write "content of REL\n" to REL
 *   REL=SIZE    write SIZE bytes (a pattern depending on REL) to REL
 *   LINK->DEST  plant a symbolic link LINK -> DEST inside the temporary
 *               directory, as a hostile earlier step could
 * On success prints "N files, B bytes" and exits 0.  On failure prints
 * od.err to stderr, aborts and exits 4, or 128 + signal when a signal
 * interrupted the build (the caller's convention).  Usage errors exit 2.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "outdir.h"
#include "util.h"

static int
fail(struct outdir *od)
{
	int sig;

	fprintf(stderr, "outdir-test: %s\n", od->err);
	outdir_abort(od);
	sig = outdir_signal();
	return sig != 0 ? 128 + sig : 4;
}

static int
item(struct outdir *od, const char *arg)
{
	const char *eq, *arrow;
	char *rel, *data, *end;
	unsigned long long size;
	size_t i, n;
	int rc;

	if ((arrow = strstr(arg, "->")) != NULL) {
		rel = xstrdup(arg);
		rel[arrow - arg] = '\0';
		rc = symlinkat(arrow + 2, od->tmpfd, rel);
		if (rc == -1)
			snprintf(od->err, sizeof(od->err), "symlinkat '%s': %s",
			    rel, strerror(errno));
		free(rel);
		return rc;
	}
	if ((eq = strrchr(arg, '=')) == NULL) {
		n = strlen(arg) + sizeof("content of \n");
		data = xmalloc(n);
		snprintf(data, n, "content of %s\n", arg);
		rc = outdir_write(od, arg, data, strlen(data));
		free(data);
		return rc;
	}
	errno = 0;
	size = strtoull(eq + 1, &end, 10);
	if (errno != 0 || *end != '\0' || eq[1] == '\0' || eq == arg ||
	    size > (1ULL << 31)) {
		fprintf(stderr, "outdir-test: bad size in '%s'\n", arg);
		exit(2);
	}
	rel = xstrdup(arg);
	rel[eq - arg] = '\0';
	data = xmalloc((size_t)size);
	for (i = 0; i < (size_t)size; i++)
		data[i] = rel[i % (size_t)(eq - arg)];
	rc = outdir_write(od, rel, data, (size_t)size);
	free(data);
	free(rel);
	return rc;
}

int
main(int argc, char **argv)
{
	struct outdir od;
	int i;

	if (argc < 2) {
		fprintf(stderr, "usage: outdir-test TARGET ITEM...\n");
		return 2;
	}
	if (outdir_open(&od, argv[1]) == -1)
		return fail(&od);
	for (i = 2; i < argc; i++)
		if (item(&od, argv[i]) == -1)
			return fail(&od);
	if (outdir_commit(&od) == -1)
		return fail(&od);
	printf("%zu files, %llu bytes\n", od.files, od.bytes);
	return 0;
}
