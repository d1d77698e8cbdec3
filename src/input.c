/*
 * input.c - the content walker.  It reads; it never writes, and it never
 * opens a path that leaves the content folder.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "arena.h"
#include "diag.h"
#include "input.h"
#include "util.h"

#define MAX_DIR_DEPTH	32

const char *const limit_names[LIMIT_MAX] = {
	"file", "total", "files", "depth", "nodes", "scalar", "log-value",
	"sql-steps", "sql-rows", "lock-ms", "output", "cpu"
};

static const size_t limit_defaults[LIMIT_MAX] = {
	1 << 20,		/* file: 1 MiB */
	32 << 20,		/* total: 32 MiB */
	10000,			/* files */
	64,			/* depth */
	100000,			/* nodes */
	256 << 10,		/* scalar: 256 KiB */
	1 << 20,		/* log-value: 1 MiB */
	100000000,		/* sql-steps */
	10000,			/* sql-rows */
	1500,			/* lock-ms */
	(size_t)1 << 32,	/* output: 4 GiB */
	600,			/* cpu: 10 minutes */
};

void
limits_default(struct limits *l)
{
	memcpy(l->v, limit_defaults, sizeof(l->v));
}

int
limits_set(struct limits *l, const char *spec)
{
	const char *eq = strchr(spec, '=');
	unsigned long long v;
	char name[32], *end;
	int i;

	if (eq == NULL || (size_t)(eq - spec) >= sizeof(name))
		goto bad;
	memcpy(name, spec, (size_t)(eq - spec));
	name[eq - spec] = '\0';
	if ((i = enum_lookup(limit_names, LIMIT_MAX, name)) < 0)
		goto bad;
	errno = 0;
	if (eq[1] < '0' || eq[1] > '9')
		goto bad;
	v = strtoull(eq + 1, &end, 10);
	if (errno != 0 || v > (1ULL << 40))
		goto bad;
	if (*end == 'K' || *end == 'k')
		v <<= 10, end++;
	else if (*end == 'M' || *end == 'm')
		v <<= 20, end++;
	else if (*end == 'G' || *end == 'g')
		v <<= 30, end++;
	if (*end != '\0' || v == 0 || v > (1ULL << 40))
		goto bad;
	l->v[i] = (size_t)v;
	return 0;
bad:
	fprintf(stderr, "charter: bad limit '%s'; expected NAME=N with NAME "
	    "one of", spec);
	for (i = 0; i < LIMIT_MAX; i++)
		fprintf(stderr, "%s %s", i ? "," : "", limit_names[i]);
	fputc('\n', stderr);
	return -1;
}

/* The display path of rel below root ("root/rel", or rel when root is "."). */
const char *
input_display(struct arena *a, const char *root, const char *rel)
{
	size_t n = strlen(root);

	if (strcmp(root, ".") == 0 || n == 0)
		return arena_strdup(a, rel);
	while (n > 1 && root[n - 1] == '/')
		n--;
	return arena_printf(a, "%.*s/%s", (int)n, root, rel);
}

struct walk {
	struct arena		*arena;
	struct diag		*diag;
	const struct limits	*lim;
	const char		*root;
	struct input_set	*set;
	size_t			 cap;
	int			 total_reported;
	int			 stop;		/* the files limit was hit */
	const char		*skip;		/* a top-level folder to leave
						   out (the build's output) */
};

static int
has_suffix(const char *s, const char *suf)
{
	size_t n = strlen(s), m = strlen(suf);

	return n > m && strcasecmp(s + n - m, suf) == 0;
}

static int
input_kind(const char *name)
{
	if (has_suffix(name, ".yaml") || has_suffix(name, ".yml"))
		return INPUT_YAML;
	if (has_suffix(name, ".md"))
		return INPUT_MARKDOWN;
	return -1;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
problem(struct walk *w, enum rule r, const char *rel, const char *fmt,
    const char *arg)
{
	struct loc loc = { input_display(w->arena, w->root, rel), 0, 0 };

	diag_emit(w->diag, r, &loc, fmt, arg);
}

static void
read_file(struct walk *w, int dirfd, const char *name, const char *rel,
    int kind)
{
	struct input_file *f;
	struct stat st;
	size_t got = 0;
	ssize_t r;
	char *data;
	int fd;

	fd = openat(dirfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd < 0) {
		problem(w, errno == ELOOP ? R_INPUT_SYMLINK : R_INPUT_UNREADABLE,
		    rel, errno == ELOOP ? "%s" : "cannot open: %s",
		    errno == ELOOP ? "a symbolic link; inputs must be regular "
		    "files inside the content folder" : strerror(errno));
		return;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		problem(w, R_INPUT_NOT_REGULAR, rel, "%s",
		    "not a regular file (a FIFO, device or socket)");
		goto out;
	}
	if ((unsigned long long)st.st_size > w->lim->v[LIMIT_FILE]) {
		problem(w, R_INPUT_TOO_LARGE, rel, "%s", arena_printf(w->arena,
		    "%lld bytes, over the limit of %zu (limit 'file')",
		    (long long)st.st_size, w->lim->v[LIMIT_FILE]));
		goto out;
	}
	if (w->set->bytes + (size_t)st.st_size > w->lim->v[LIMIT_TOTAL]) {
		if (!w->total_reported++)
			problem(w, R_INPUT_TOO_LARGE, rel, "%s", arena_printf(
			    w->arena, "inputs exceed %zu bytes in all (limit "
			    "'total')", w->lim->v[LIMIT_TOTAL]));
		goto out;
	}
	data = arena_alloc(w->arena, (size_t)st.st_size + 1);
	while (got < (size_t)st.st_size) {
		r = read(fd, data + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			problem(w, R_INPUT_UNREADABLE, rel, "read failed: %s",
			    r < 0 ? strerror(errno) : "file shrank");
			goto out;
		}
		got += (size_t)r;
	}
	data[got] = '\0';
	w->set->v = xgrow(w->set->v, &w->cap, w->set->n + 1,
	    sizeof(*w->set->v));
	f = &w->set->v[w->set->n++];
	f->rel = arena_strdup(w->arena, rel);
	f->path = input_display(w->arena, w->root, rel);
	f->type = kind;
	f->data = data;
	f->len = got;
	w->set->bytes += got;
out:
	close(fd);
}

static void
walk_dir(struct walk *w, int fd0, const char *prefix, int depth)
{
	struct dirent *de;
	struct stat st;
	char **names = NULL, *rel;
	size_t n = 0, cap = 0, i;
	DIR *dir;
	int fd, kind;

	if ((dir = fdopendir(fd0)) == NULL) {
		close(fd0);
		problem(w, R_INPUT_UNREADABLE, *prefix ? prefix : ".",
		    "cannot read folder: %s", strerror(errno));
		return;
	}
	while ((de = readdir(dir)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		names = xgrow(names, &cap, n + 1, sizeof(*names));
		names[n++] = xstrdup(de->d_name);
	}
	if (n > 1)
		qsort(names, n, sizeof(*names), name_cmp);
	for (i = 0; i < n && !w->stop; i++) {
		rel = *prefix ? arena_printf(w->arena, "%s/%s", prefix,
		    names[i]) : arena_strdup(w->arena, names[i]);
		if (fstatat(fd0, names[i], &st, AT_SYMLINK_NOFOLLOW)
		    != 0) {
			problem(w, R_INPUT_UNREADABLE, rel, "cannot stat: %s",
			    strerror(errno));
			continue;
		}
		kind = input_kind(names[i]);
		if (S_ISLNK(st.st_mode)) {
			/* Any link: it may lead out of the content folder. */
			problem(w, R_INPUT_SYMLINK, rel, "%s",
			    "a symbolic link; inputs must be regular files "
			    "and folders inside the content folder");
			continue;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth == 0 && (strcmp(names[i], "templates") == 0 ||
			    strcmp(names[i], "schemas") == 0 ||
			    (w->skip != NULL &&
			    strcmp(names[i], w->skip) == 0)))
				continue;
			if (depth + 1 >= MAX_DIR_DEPTH) {
				problem(w, R_INPUT_TOO_LARGE, rel, "%s",
				    "folders nested too deeply");
				continue;
			}
			fd = openat(fd0, names[i], O_RDONLY |
			    O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			if (fd < 0) {
				problem(w, R_INPUT_UNREADABLE, rel,
				    "cannot open folder: %s", strerror(errno));
				continue;
			}
			walk_dir(w, fd, rel, depth + 1);
			continue;
		}
		if (kind < 0)
			continue;
		if (!S_ISREG(st.st_mode)) {
			problem(w, R_INPUT_NOT_REGULAR, rel, "%s",
			    "not a regular file (a FIFO, device or socket)");
			continue;
		}
		if (w->set->n >= w->lim->v[LIMIT_FILES]) {
			problem(w, R_INPUT_TOO_LARGE, rel, "%s", arena_printf(
			    w->arena, "more than %zu input files (limit "
			    "'files')", w->lim->v[LIMIT_FILES]));
			w->stop = 1;
			break;
		}
		read_file(w, fd0, names[i], rel, kind);
	}
	for (i = 0; i < n; i++)
		free(names[i]);
	free(names);
	closedir(dir);
}

int
input_scan(struct arena *a, struct diag *d, const struct limits *lim,
    const char *root, const char *skip, struct input_set *set)
{
	struct walk w;
	struct loc loc = { root, 0, 0 };
	int fd;

	memset(set, 0, sizeof(*set));
	memset(&w, 0, sizeof(w));
	w.arena = a;
	w.diag = d;
	w.lim = lim;
	w.root = root;
	w.skip = skip;
	w.set = set;
	fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0) {
		diag_emit(d, R_INPUT_UNREADABLE, &loc,
		    "cannot open content folder: %s", strerror(errno));
		return -1;
	}
	walk_dir(&w, fd, "", 0);
	return 0;
}
