/*
 * verify.c - charter verify DIR|ZIP: hash every file of a folder or a zip
 * and compare it with the MANIFEST.sha256 written beside it, naming every
 * file that changed, went missing or was added.
 *
 * It only reads, and never outside what it was given.  In a folder every
 * open is an openat with O_NOFOLLOW from a descriptor of the folder's own
 * tree, and the manifest may name no absolute path and no "..": symbolic
 * links and special files are reported, never opened.  In a zip, entries
 * are hashed as they decompress, never extracted, within a byte budget
 * that counts what decompression really produces; an entry whose name is
 * not safe to extract is reported and not read.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "manifest.h"
#include "util.h"
#include "verify.h"
#include "zipw.h"

#define EXIT_DIFF	1
#define EXIT_USAGE	2
#define EXIT_INPUT	3

#define MANIFEST_NAME	"MANIFEST.sha256"
#define MANIFEST_MAX	(64ULL << 20)	/* bytes in a manifest */
#define ENTRY_MAX	(256ULL << 20)	/* bytes in one zip entry, inflated */
#define TOTAL_MAX	(1ULL << 30)	/* bytes in all zip entries, inflated */
#define MAX_DEPTH	64		/* folder levels below DIR */
#define CHUNK		65536

static const char usage_verify[] =
"usage: charter verify DIR|ZIP\n"
"\n"
"Check the MANIFEST.sha256 that charter build writes into its output\n"
"folder (and a pack zip holds): hash every file and name each one that\n"
"changed, is missing (listed, not there) or was added (there, not\n"
"listed), one per line on stdout, then a summary line.\n"
"\n"
"DIR     the manifest is DIR/MANIFEST.sha256; the folder is walked without\n"
"        following symbolic links (a link or special file is reported)\n"
"ZIP     the manifest is the entry MANIFEST.sha256, or X/MANIFEST.sha256\n"
"        when every entry is under one folder X/; entries are hashed in\n"
"        memory, never extracted, and a name unsafe to extract is reported\n"
"        as unsafe\n"
"\n"
"exit status: 0 every file matches; 1 a file changed, is missing, was\n"
"             added or is unsafe; 2 bad usage; 3 the manifest, folder or\n"
"             zip could not be read or is malformed\n";

static char prog_verify[] = "charter verify";

enum diff_kind {
	DIFF_CHANGED, DIFF_MISSING, DIFF_ADDED, DIFF_UNSAFE, DIFF_MAX
};

static const char *const diff_names[DIFF_MAX] = {
	"changed", "missing", "added", "unsafe"
};

struct diff {
	const char	*name;	/* as shown: relative to DIR, or the entry */
	const char	*note;	/* why, or NULL */
	enum diff_kind	 kind;
};

struct verify {
	struct arena	 a;
	struct manifest	 m;
	unsigned char	*seen;		/* per manifest entry: found */
	struct diff	*v;
	size_t		 n, cap;
	size_t		 matched;
	const char	*where;		/* the manifest, as messages name it */
	const char	*top;		/* DIR or ZIP as given */
	unsigned long long entry_max, total_max, total;
};

/* "charter: verify: " and the message, escaped, on stderr. */
static void
complain(struct verify *vf, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
complain(struct verify *vf, const char *fmt, ...)
{
	va_list ap;
	char *msg;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		n = 0;
	msg = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	va_end(ap);
	fprintf(stderr, "charter: verify: %s\n", term_escape(&vf->a, msg));
	free(msg);
}

static void
add_diff(struct verify *vf, enum diff_kind kind, const char *name,
    const char *note)
{
	struct diff *d;

	vf->v = xgrow(vf->v, &vf->cap, vf->n + 1, sizeof(*vf->v));
	d = &vf->v[vf->n++];
	d->name = arena_strdup(&vf->a, name);
	d->note = note;
	d->kind = kind;
}

/* Mark the manifest's entry for rel as found; NULL when not listed. */
static const struct manifest_entry *
lookup(struct verify *vf, const char *rel)
{
	const struct manifest_entry *e = manifest_find(&vf->m, rel);

	if (e != NULL)
		vf->seen[e - vf->m.v] = 1;
	return e;
}

/* A file's digest against its entry: counts a match or adds a diff. */
static void
compare(struct verify *vf, const struct manifest_entry *e, const char *name,
    const unsigned char digest[32])
{
	if (memcmp(e->sha256, digest, 32) == 0)
		vf->matched++;
	else
		add_diff(vf, DIFF_CHANGED, name, NULL);
}

/*
 * Parse the manifest's text; -1 after a located message.  A manifest that
 * lists itself cannot be right: its digest would cover itself.
 */
static int
load_manifest(struct verify *vf, const char *text, size_t len)
{
	char err[512];
	int line = 0, col = 0;

	if (manifest_parse(&vf->m, text, len, &line, &col, err,
	    sizeof(err)) != 0) {
		fprintf(stderr, "%s:%d:%d: error: %s\n",
		    term_escape(&vf->a, vf->where), line, col,
		    term_escape(&vf->a, err));
		return -1;
	}
	if (manifest_find(&vf->m, MANIFEST_NAME) != NULL) {
		fprintf(stderr, "%s: error: the manifest lists itself\n",
		    term_escape(&vf->a, vf->where));
		return -1;
	}
	vf->seen = xcalloc(vf->m.n ? vf->m.n : 1, 1);
	return 0;
}

static int
cmp_diff(const void *a, const void *b)
{
	const struct diff *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (int)x->kind - (int)y->kind;
}

/*
 * Every manifest entry not found is missing (shown under prefix); then the
 * differences sorted by name, and the summary.  The exit status.
 */
static int
report(struct verify *vf, const char *prefix)
{
	int count[DIFF_MAX] = { 0 };
	const char *sep = "";
	size_t i;

	for (i = 0; i < vf->m.n; i++)
		if (!vf->seen[i])
			add_diff(vf, DIFF_MISSING, arena_printf(&vf->a, "%s%s",
			    prefix, vf->m.v[i].name), NULL);
	if (vf->n > 1)
		qsort(vf->v, vf->n, sizeof(*vf->v), cmp_diff);
	for (i = 0; i < vf->n; i++) {
		count[vf->v[i].kind]++;
		printf("%s: %s", diff_names[vf->v[i].kind],
		    term_escape(&vf->a, vf->v[i].name));
		if (vf->v[i].note != NULL)
			printf(" (%s)", term_escape(&vf->a, vf->v[i].note));
		putchar('\n');
	}
	fputs("verify: ", stdout);
	if (vf->n == 0) {
		printf("%zu file%s match%s %s\n", vf->matched,
		    vf->matched == 1 ? "" : "s",
		    vf->matched == 1 ? "es" : "",
		    term_escape(&vf->a, vf->where));
		return 0;
	}
	for (i = 0; i < DIFF_MAX; i++) {
		if (count[i] == 0)
			continue;
		printf("%s%d %s", sep, count[i], diff_names[i]);
		sep = ", ";
	}
	printf("; %zu file%s match%s %s\n", vf->matched,
	    vf->matched == 1 ? "" : "s", vf->matched == 1 ? "es" : "",
	    term_escape(&vf->a, vf->where));
	return EXIT_DIFF;
}

/* ---- a folder ------------------------------------------------------------ */

/* DIR/rel for messages, in the arena. */
static const char *
shown(struct verify *vf, const char *rel)
{
	size_t n = strlen(vf->top);

	if (n > 0 && vf->top[n - 1] == '/')
		return arena_printf(&vf->a, "%s%s", vf->top, rel);
	return arena_printf(&vf->a, "%s/%s", vf->top, rel);
}

/* The regular file dfd/name (rel below DIR): hashed if listed. */
static int
check_file(struct verify *vf, int dfd, const char *name, const char *rel)
{
	const struct manifest_entry *e;
	unsigned char digest[32];
	struct stat st;
	int fd, rc;

	if ((e = lookup(vf, rel)) == NULL) {
		add_diff(vf, DIFF_ADDED, rel, NULL);
		return 0;
	}
	fd = openat(dfd, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (fd == -1) {
		/* Replaced by a link since we looked: never followed. */
		if (errno == ELOOP) {
			add_diff(vf, DIFF_CHANGED, rel, "a symbolic link, "
			    "not followed");
			return 0;
		}
		complain(vf, "cannot open '%s': %s", shown(vf, rel),
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		close(fd);
		add_diff(vf, DIFF_CHANGED, rel, "not a regular file");
		return 0;
	}
	rc = sha256_fd(fd, digest);
	if (rc == -1)
		complain(vf, "cannot read '%s': %s", shown(vf, rel),
		    strerror(errno));
	close(fd);
	if (rc == 0)
		compare(vf, e, rel, digest);
	return rc;
}

/*
 * Walk the folder fd (rel below DIR, "" at the top), which this call
 * owns.  -1 after a message.
 */
static int
walk(struct verify *vf, int fd, const char *rel, int depth)
{
	struct dirent *de;
	struct stat st;
	const char *sub, *note;
	DIR *d;
	int sfd, dfd;

	if ((d = fdopendir(fd)) == NULL) {
		complain(vf, "cannot read folder '%s': %s",
		    *rel ? shown(vf, rel) : vf->top, strerror(errno));
		close(fd);
		return -1;
	}
	dfd = dirfd(d);
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL)
			break;
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (depth == 0 && strcmp(de->d_name, MANIFEST_NAME) == 0)
			continue;
		sub = *rel ? arena_printf(&vf->a, "%s/%s", rel, de->d_name) :
		    arena_strdup(&vf->a, de->d_name);
		if (fstatat(dfd, de->d_name, &st, AT_SYMLINK_NOFOLLOW) == -1) {
			complain(vf, "cannot access '%s': %s", shown(vf, sub),
			    strerror(errno));
			goto fail;
		}
		if (S_ISDIR(st.st_mode)) {
			if (depth + 1 >= MAX_DEPTH) {
				complain(vf, "'%s' is more than %d levels deep",
				    shown(vf, sub), MAX_DEPTH);
				goto fail;
			}
			sfd = openat(dfd, de->d_name, O_RDONLY | O_DIRECTORY |
			    O_NOFOLLOW | O_CLOEXEC);
			if (sfd == -1) {
				complain(vf, "cannot open folder '%s': %s",
				    shown(vf, sub), strerror(errno));
				goto fail;
			}
			if (walk(vf, sfd, sub, depth + 1) != 0)
				goto fail;
			continue;
		}
		if (S_ISREG(st.st_mode)) {
			if (check_file(vf, dfd, de->d_name, sub) != 0)
				goto fail;
			continue;
		}
		note = S_ISLNK(st.st_mode) ? "a symbolic link, not followed" :
		    "not a regular file";
		add_diff(vf, lookup(vf, sub) != NULL ? DIFF_CHANGED :
		    DIFF_ADDED, sub, note);
	}
	if (errno != 0) {
		complain(vf, "cannot read folder '%s': %s", *rel ?
		    shown(vf, rel) : vf->top, strerror(errno));
		goto fail;
	}
	closedir(d);
	return 0;
fail:
	closedir(d);
	return -1;
}

/* DIR/MANIFEST.sha256 into vf->m; -1 after a message. */
static int
read_dir_manifest(struct verify *vf, int dfd)
{
	struct stat st;
	struct buf b;
	char *chunk;
	ssize_t n;
	int fd, rc = -1;

	fd = openat(dfd, MANIFEST_NAME, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd == -1) {
		complain(vf, "cannot open '%s': %s", vf->where, errno == ELOOP ?
		    "it is a symbolic link" : strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) == -1 || !S_ISREG(st.st_mode)) {
		complain(vf, "'%s' is not a regular file", vf->where);
		close(fd);
		return -1;
	}
	buf_init(&b, MANIFEST_MAX);
	chunk = xmalloc(CHUNK);
	for (;;) {
		n = read(fd, chunk, CHUNK);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			complain(vf, "cannot read '%s': %s", vf->where,
			    strerror(errno));
			goto out;
		}
		if (n == 0)
			break;
		if (buf_append(&b, chunk, (size_t)n) != 0) {
			complain(vf, "'%s' is larger than %llu MiB", vf->where,
			    MANIFEST_MAX >> 20);
			goto out;
		}
	}
	rc = load_manifest(vf, b.data, b.len);
out:
	free(chunk);
	buf_release(&b);
	close(fd);
	return rc;
}

static int
verify_dir(struct verify *vf, const char *dir)
{
	int fd, wfd;

	vf->where = shown(vf, MANIFEST_NAME);
	/* DIR itself may be a link the user named; nothing below it. */
	if ((fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)) == -1) {
		complain(vf, "cannot open folder '%s': %s", dir,
		    strerror(errno));
		return EXIT_INPUT;
	}
	if (read_dir_manifest(vf, fd) != 0) {
		close(fd);
		return EXIT_INPUT;
	}
	wfd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	close(fd);
	if (wfd == -1) {
		complain(vf, "cannot open folder '%s': %s", dir,
		    strerror(errno));
		return EXIT_INPUT;
	}
	if (walk(vf, wfd, "", 0) != 0)
		return EXIT_INPUT;
	return report(vf, "");
}

/* ---- a zip --------------------------------------------------------------- */

struct zent {
	const char	*name;
	size_t		 idx;
	enum zipr_kind	 kind;
	const char	*problem;	/* why it is unsafe, or NULL */
};

static int
cmp_zent(const void *a, const void *b)
{
	const struct zent *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->idx > y->idx) - (x->idx < y->idx);
}

static void
hash_chunk(void *arg, const void *p, size_t n)
{
	sha256_update(arg, p, n);
}

static void
buf_chunk(void *arg, const void *p, size_t n)
{
	/* Bounded by the read's max, which is below the buffer's cap. */
	buf_append(arg, p, n);
}

/*
 * Decompress entry z within the budget (and at most cap bytes), handing
 * it to fn.  -1 after a message.
 */
static int
read_entry(struct verify *vf, struct zipr *r, const struct zent *z,
    unsigned long long cap, void (*fn)(void *, const void *, size_t),
    void *arg)
{
	unsigned long long left = vf->total_max - vf->total, max, n = 0;
	char err[512];
	int rc;

	max = cap < vf->entry_max ? cap : vf->entry_max;
	if (left < max)
		max = left;
	rc = zipr_read(r, z->idx, max, fn, arg, &n, err, sizeof(err));
	vf->total += n;
	if (rc == 0)
		return 0;
	if (rc < 0)
		complain(vf, "'%s': cannot read entry '%s': %s", vf->top,
		    z->name, err);
	else if (max == left && left < cap && left < vf->entry_max)
		complain(vf, "'%s': the entries inflate to more than %llu "
		    "bytes in all; refusing the zip (a zip bomb?)", vf->top,
		    vf->total_max);
	else if (cap < vf->entry_max)
		complain(vf, "'%s': entry '%s' is larger than %llu MiB",
		    vf->top, z->name, cap >> 20);
	else
		complain(vf, "'%s': entry '%s' inflates to more than %llu "
		    "bytes; refusing it (a zip bomb?)", vf->top, z->name,
		    vf->entry_max);
	return -1;
}

/*
 * The folder whose MANIFEST.sha256 governs the zip: "" for a manifest at
 * the top, "X/" when every safe entry is under one folder X/ that holds
 * one.  NULL when there is none.
 */
static const char *
find_prefix(struct verify *vf, const struct zent *z, size_t n,
    const struct zent **man)
{
	const char *top = NULL, *slash, *prefix, *want = MANIFEST_NAME;
	size_t i, len = 0;

	for (i = 0; i < n; i++) {
		if (z[i].problem != NULL)
			continue;
		if ((slash = strchr(z[i].name, '/')) == NULL) {
			/* A file at the top: only a manifest there will do. */
			top = NULL;
			break;
		}
		if (top == NULL) {
			top = z[i].name;
			len = (size_t)(slash - top);
		} else if ((size_t)(slash - z[i].name) != len ||
		    strncmp(z[i].name, top, len) != 0) {
			top = NULL;
			break;
		}
	}
	prefix = top != NULL ? arena_printf(&vf->a, "%.*s/", (int)len, top) :
	    "";
	if (top != NULL)
		want = arena_printf(&vf->a, "%s%s", prefix, MANIFEST_NAME);
	for (i = 0; i < n; i++) {
		if (z[i].problem == NULL && z[i].kind == ZIPR_FILE &&
		    strcmp(z[i].name, want) == 0) {
			*man = &z[i];
			return prefix;
		}
	}
	return NULL;
}

/* Sorted entries with their problems, or NULL after a message. */
static struct zent *
list_entries(struct verify *vf, struct zipr *r, size_t n)
{
	struct zent *z = xcalloc(n ? n : 1, sizeof(*z));
	const char *name, *check;
	size_t i, len;

	for (i = 0; i < n; i++) {
		if ((name = zipr_name(r, i)) == NULL) {
			complain(vf, "'%s': cannot read the name of entry %zu",
			    vf->top, i + 1);
			free(z);
			return NULL;
		}
		z[i].name = arena_strdup(&vf->a, name);
		z[i].idx = i;
		z[i].kind = zipr_kind(r, i);
		/* A folder entry "a/b/" is checked as "a/b". */
		check = z[i].name;
		len = strlen(check);
		if (z[i].kind == ZIPR_DIR && len > 1 && check[len - 1] == '/')
			check = arena_strndup(&vf->a, check, len - 1);
		z[i].problem = zip_name_problem(check);
		if (z[i].problem == NULL && z[i].kind == ZIPR_OTHER)
			z[i].problem = "a symbolic link or special file";
	}
	if (n > 1)
		qsort(z, n, sizeof(*z), cmp_zent);
	for (i = 1; i < n; i++)
		if (strcmp(z[i - 1].name, z[i].name) == 0)
			z[i - 1].problem = z[i].problem =
			    "more than one entry with this name";
	return z;
}

static int
verify_zip(struct verify *vf, const char *path)
{
	const struct manifest_entry *e;
	const struct zent *man = NULL;
	unsigned char digest[32];
	const char *prefix, *rel;
	struct sha256 *h;
	struct zent *z;
	struct zipr *r;
	struct buf b;
	char err[512];
	size_t n, i, plen;
	int rc = EXIT_INPUT;

	if ((r = zipr_open(path, err, sizeof(err))) == NULL) {
		complain(vf, "cannot open zip '%s': %s", path, err);
		return EXIT_INPUT;
	}
	n = zipr_count(r);
	if ((z = list_entries(vf, r, n)) == NULL)
		goto out;
	if ((prefix = find_prefix(vf, z, n, &man)) == NULL) {
		complain(vf, "'%s' has no %s at its top or in its one top "
		    "folder", path, MANIFEST_NAME);
		goto out;
	}
	plen = strlen(prefix);
	vf->where = arena_printf(&vf->a, "%s:%s", path, man->name);
	buf_init(&b, MANIFEST_MAX + 1);
	if (read_entry(vf, r, man, MANIFEST_MAX, buf_chunk, &b) != 0 ||
	    load_manifest(vf, b.data, b.len) != 0) {
		buf_release(&b);
		goto out;
	}
	buf_release(&b);

	for (i = 0; i < n; i++) {
		if (&z[i] == man)
			continue;
		rel = strncmp(z[i].name, prefix, plen) == 0 ?
		    z[i].name + plen : NULL;
		if (z[i].problem != NULL) {
			/* Reported as unsafe, not also as missing. */
			if (rel != NULL)
				lookup(vf, rel);
			add_diff(vf, DIFF_UNSAFE, z[i].name, z[i].problem);
			continue;
		}
		if (z[i].kind == ZIPR_DIR)
			continue;
		if (rel == NULL || (e = lookup(vf, rel)) == NULL) {
			add_diff(vf, DIFF_ADDED, z[i].name, NULL);
			continue;
		}
		h = sha256_new();
		if (read_entry(vf, r, &z[i], ENTRY_MAX, hash_chunk, h) != 0) {
			sha256_free(h);
			goto out;
		}
		sha256_final(h, digest);
		compare(vf, e, z[i].name, digest);
	}
	rc = report(vf, prefix);
out:
	free(z);
	zipr_close(r);
	return rc;
}

/* ---- the command --------------------------------------------------------- */

static int
bad_usage(const char *fmt, const char *arg)
{
	if (fmt != NULL) {
		fputs("charter: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs(usage_verify, stderr);
	return EXIT_USAGE;
}

/*
 * Tests lower the zip budget: CHARTER_TEST_ZIP_MAX=ENTRY,TOTAL (bytes).
 */
static void
test_limits(struct verify *vf)
{
	const char *s = getenv("CHARTER_TEST_ZIP_MAX");
	unsigned long long a, b;
	char *end;

	if (s == NULL)
		return;
	a = strtoull(s, &end, 10);
	if (*end != ',')
		return;
	b = strtoull(end + 1, &end, 10);
	if (*end != '\0' || a == 0 || b == 0)
		return;
	vf->entry_max = a;
	vf->total_max = b;
}

int
cmd_verify(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	struct verify vf;
	struct stat st;
	const char *arg;
	int ch, rc;

	argv[0] = prog_verify;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage_verify, stdout);
			return 0;
		default:
			return bad_usage(NULL, NULL);
		}
	}
	if (argc - optind != 1)
		return bad_usage(argc - optind == 0 ? "%s" : "unexpected "
		    "argument '%s'", argc - optind == 0 ? "verify needs a "
		    "folder or a zip" : argv[optind + 1]);
	arg = argv[optind];
	if (*arg == '\0')
		return bad_usage("%s", "verify needs a folder or a zip");

	memset(&vf, 0, sizeof(vf));
	arena_init(&vf.a);
	manifest_init(&vf.m);
	vf.top = arg;
	vf.entry_max = ENTRY_MAX;
	vf.total_max = TOTAL_MAX;
	test_limits(&vf);
	if (stat(arg, &st) == -1) {
		complain(&vf, "cannot access '%s': %s", arg, strerror(errno));
		rc = EXIT_INPUT;
	} else if (S_ISDIR(st.st_mode)) {
		rc = verify_dir(&vf, arg);
	} else if (S_ISREG(st.st_mode)) {
		rc = verify_zip(&vf, arg);
	} else {
		complain(&vf, "'%s' is neither a folder nor a zip file", arg);
		rc = EXIT_INPUT;
	}
	manifest_free(&vf.m);
	free(vf.seen);
	free(vf.v);
	arena_release(&vf.a);
	return rc;
}
