/*
 * zip-test.c - a driver for src/zipw.c, run by tests/t-verify.sh.
 *
 *   zip-test OUT MTIME NAME=PATH...   zip each PATH's bytes under NAME with
 *                                     zip_build into OUT ("-": stdout);
 *                                     MTIME in seconds since the epoch
 *   zip-test --name-ok NAME...        print "ok NAME" or "bad NAME: WHY"
 *                                     for each NAME (zip_name_problem)
 *
 * Exits 0, 1 when zip_build fails (its message on stderr), 2 on bad usage
 * or an unreadable PATH.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"
#include "zipw.h"

static int
slurp(const char *path, struct buf *b)
{
	char chunk[8192];
	size_t n;
	FILE *fp;

	if ((fp = fopen(path, "rb")) == NULL)
		return -1;
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(b, chunk, n);
	if (ferror(fp) || b->overflow) {
		fclose(fp);
		return -1;
	}
	return fclose(fp);
}

int
main(int argc, char *argv[])
{
	struct zip_in *in;
	struct buf *data, out;
	const char *why;
	char err[512], *eq, *end;
	long long mtime;
	FILE *fp;
	int i, n, rc = 0;

	if (argc >= 2 && strcmp(argv[1], "--name-ok") == 0) {
		for (i = 2; i < argc; i++) {
			why = zip_name_problem(argv[i]);
			if ((why == NULL) != zip_name_ok(argv[i]))
				rc = 1;
			if (why == NULL)
				printf("ok %s\n", argv[i]);
			else
				printf("bad %s: %s\n", argv[i], why);
		}
		return rc;
	}
	if (argc < 3) {
		fprintf(stderr, "usage: zip-test OUT MTIME NAME=PATH...\n"
		    "       zip-test --name-ok NAME...\n");
		return 2;
	}
	errno = 0;
	mtime = strtoll(argv[2], &end, 10);
	if (errno != 0 || *end != '\0' || end == argv[2]) {
		fprintf(stderr, "zip-test: bad MTIME '%s'\n", argv[2]);
		return 2;
	}
	n = argc - 3;
	in = xcalloc((size_t)n + 1, sizeof(*in));
	data = xcalloc((size_t)n + 1, sizeof(*data));
	for (i = 0; i < n; i++) {
		if ((eq = strchr(argv[i + 3], '=')) == NULL) {
			fprintf(stderr, "zip-test: expected NAME=PATH, not "
			    "'%s'\n", argv[i + 3]);
			return 2;
		}
		*eq = '\0';
		buf_init(&data[i], 0);
		if (slurp(eq + 1, &data[i]) != 0) {
			fprintf(stderr, "zip-test: cannot read '%s': %s\n",
			    eq + 1, strerror(errno));
			return 2;
		}
		in[i].name = argv[i + 3];
		in[i].data = data[i].data;
		in[i].len = data[i].len;
	}
	buf_init(&out, 0);
	if (zip_build(in, (size_t)n, mtime, &out, err, sizeof(err)) != 0) {
		fprintf(stderr, "zip-test: %s\n", err);
		rc = 1;
	} else {
		fp = strcmp(argv[1], "-") == 0 ? stdout : fopen(argv[1], "wb");
		if (fp == NULL || fwrite(out.data, 1, out.len, fp) != out.len ||
		    (fp != stdout && fclose(fp) != 0)) {
			fprintf(stderr, "zip-test: cannot write '%s'\n",
			    argv[1]);
			rc = 2;
		}
	}
	for (i = 0; i < n; i++)
		buf_release(&data[i]);
	buf_release(&out);
	free(data);
	free(in);
	return rc;
}
