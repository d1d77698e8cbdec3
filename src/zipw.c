/*
 * zipw.c - zip archives on libzip: the writer builds an archive in memory
 * with every varying field pinned (order, time, mode, compression), the
 * reader streams entries with a byte budget.
 *
 * The only file that includes <zip.h>.  No temporary files: the writer's
 * archive lives in a libzip buffer source and is copied into the caller's
 * buffer.  libzip turns a time_t into DOS date and time with localtime(),
 * so zip_build runs libzip with TZ=UTC and restores TZ afterwards.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <zip.h>
/* Only for zlibVersion(): libzip deflates through zlib (xlsx.c inflates). */
#include <zlib.h>

#include "buf.h"
#include "util.h"
#include "zipw.h"

#define CHUNK		65536
#define NAME_MAX_BYTES	240

/* DOS dates run from 1980-01-01 to 2107-12-31 (local time, here UTC). */
#define DOS_MIN		315532800LL	/* 1980-01-01T00:00:00Z */
#define DOS_MAX		4354819199LL	/* 2107-12-31T23:59:59Z */

/* Unix mode of every entry, in the high half of the external attributes. */
#define ENTRY_MODE	0100644u

static int
is_device(const char *p, size_t n)
{
	static const char *const dev[] = {
		"con", "prn", "aux", "nul", "conin$", "conout$"
	};
	size_t i;

	/* The stem: up to the first '.', trailing spaces ignored. */
	for (i = 0; i < n && p[i] != '.'; i++)
		;
	while (i > 0 && p[i - 1] == ' ')
		i--;
	n = i;
	for (i = 0; i < ARRAY_SIZE(dev); i++)
		if (n == strlen(dev[i]) && strncasecmp(p, dev[i], n) == 0)
			return 1;
	if (n < 4 || (strncasecmp(p, "com", 3) != 0 &&
	    strncasecmp(p, "lpt", 3) != 0))
		return 0;
	if (n == 4 && p[3] >= '0' && p[3] <= '9')
		return 1;
	/* Windows also reserves COM and LPT with a superscript 1, 2 or 3. */
	return n == 5 && (unsigned char)p[3] == 0xc2 &&
	    ((unsigned char)p[4] == 0xb9 || (unsigned char)p[4] == 0xb2 ||
	    (unsigned char)p[4] == 0xb3);
}

const char *
zip_name_problem(const char *name)
{
	const char *p, *e;
	size_t n, len = strlen(name), bad, i;
	unsigned char c;

	if (len == 0)
		return "an empty name";
	if (len > NAME_MAX_BYTES)
		return "longer than 240 bytes";
	if (utf8_valid(name, len, &bad) != 0)
		return "not valid UTF-8";
	if (name[0] == '/')
		return "an absolute path";
	for (p = name;; p = e + 1) {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0)
			return "an empty part (\"//\" or a '/' at either end)";
		if ((n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return "a '.' or '..' part";
		for (i = 0; i < n; i++) {
			c = (unsigned char)p[i];
			if (c < 0x20 || c == 0x7f)
				return "a control character";
			if (c == '\\')
				return "a backslash";
			if (strchr("<>:\"|?*", c) != NULL)
				return "a character Windows reserves "
				    "(< > : \" | ? *)";
		}
		if (p[n - 1] == '.' || p[n - 1] == ' ')
			return "a part ending in '.' or ' '";
		if (is_device(p, n))
			return "a Windows device name";
		if (e == NULL)
			return NULL;
	}
}

int
zip_name_ok(const char *name)
{
	return zip_name_problem(name) == NULL;
}

static int
cmp_in(const void *a, const void *b)
{
	const struct zip_in *x = *(const struct zip_in *const *)a;
	const struct zip_in *y = *(const struct zip_in *const *)b;

	return strcmp(x->name, y->name);
}

/* TZ while libzip converts times: the caller's value, to put back. */
struct tzsave {
	char	*old;
	int	 was_set;
};

static void
tz_utc(struct tzsave *t)
{
	const char *v = getenv("TZ");

	t->was_set = v != NULL;
	t->old = v != NULL ? xstrdup(v) : NULL;
	setenv("TZ", "UTC0", 1);
	tzset();
}

static void
tz_restore(struct tzsave *t)
{
	if (t->was_set)
		setenv("TZ", t->old, 1);
	else
		unsetenv("TZ");
	tzset();
	free(t->old);
	t->old = NULL;
}

/* Add the sorted entries to za; -1 with err set. */
static int
add_entries(zip_t *za, const struct zip_in **v, size_t n, time_t mtime,
    char *err, size_t errlen)
{
	zip_source_t *s;
	zip_int64_t idx;
	size_t i;

	for (i = 0; i < n; i++) {
		s = zip_source_buffer(za, v[i]->len > 0 ? v[i]->data : NULL,
		    v[i]->len, 0);
		if (s == NULL)
			goto fail;
		idx = zip_file_add(za, v[i]->name, s, ZIP_FL_ENC_UTF_8);
		if (idx < 0) {
			zip_source_free(s);
			goto fail;
		}
		if (zip_set_file_compression(za, (zip_uint64_t)idx,
		    ZIP_CM_DEFLATE, 9) != 0 ||
		    zip_file_set_external_attributes(za, (zip_uint64_t)idx, 0,
		    ZIP_OPSYS_UNIX, (zip_uint32_t)ENTRY_MODE << 16) != 0 ||
		    zip_file_set_mtime(za, (zip_uint64_t)idx, mtime, 0) != 0)
			goto fail;
	}
	return 0;
fail:
	snprintf(err, errlen, "cannot add '%s' to a zip: %s", v[i]->name,
	    zip_strerror(za));
	return -1;
}

/* The finished archive in src, appended to out. */
static int
copy_out(zip_source_t *src, struct buf *out, char *err, size_t errlen)
{
	char *chunk;
	zip_int64_t n;
	int rc = 0;

	if (zip_source_open(src) != 0) {
		snprintf(err, errlen, "cannot read the zip back: %s",
		    zip_error_strerror(zip_source_error(src)));
		return -1;
	}
	chunk = xmalloc(CHUNK);
	while ((n = zip_source_read(src, chunk, CHUNK)) > 0) {
		if (buf_append(out, chunk, (size_t)n) != 0) {
			snprintf(err, errlen, "the zip is larger than the "
			    "output buffer allows");
			rc = -1;
			break;
		}
	}
	if (n < 0) {
		snprintf(err, errlen, "cannot read the zip back: %s",
		    zip_error_strerror(zip_source_error(src)));
		rc = -1;
	}
	free(chunk);
	zip_source_close(src);
	return rc;
}

long long
zip_time_clamp(long long t)
{
	return t < DOS_MIN ? DOS_MIN : t > DOS_MAX ? DOS_MAX : t;
}

const char *
zipw_libzip_version(void)
{
	return zip_libzip_version();
}

const char *
zipw_zlib_version(void)
{
	return zlibVersion();
}

int
zip_build(const struct zip_in *in, size_t n, long long mtime,
    struct buf *out, char *err, size_t errlen)
{
	const struct zip_in **v;
	const char *why;
	struct tzsave tz;
	zip_source_t *src;
	zip_error_t ze;
	zip_t *za;
	size_t i;
	int rc = -1;

	if (mtime < DOS_MIN || mtime > DOS_MAX) {
		snprintf(err, errlen, "a zip cannot hold the time %lld "
		    "(DOS dates run from 1980 to 2107)", mtime);
		return -1;
	}
	v = xcalloc(n ? n : 1, sizeof(*v));
	for (i = 0; i < n; i++) {
		if ((why = zip_name_problem(in[i].name)) != NULL) {
			snprintf(err, errlen, "'%s' cannot be a name in a zip: "
			    "%s", in[i].name, why);
			free(v);
			return -1;
		}
		v[i] = &in[i];
	}
	if (n > 1)
		qsort(v, n, sizeof(*v), cmp_in);
	for (i = 1; i < n; i++) {
		if (strcmp(v[i - 1]->name, v[i]->name) == 0) {
			snprintf(err, errlen, "'%s' twice in one zip",
			    v[i]->name);
			free(v);
			return -1;
		}
	}

	tz_utc(&tz);
	zip_error_init(&ze);
	if ((src = zip_source_buffer_create(NULL, 0, 0, &ze)) == NULL) {
		snprintf(err, errlen, "cannot start a zip: %s",
		    zip_error_strerror(&ze));
		goto done;
	}
	za = zip_open_from_source(src, ZIP_CREATE | ZIP_TRUNCATE, &ze);
	if (za == NULL) {
		snprintf(err, errlen, "cannot start a zip: %s",
		    zip_error_strerror(&ze));
		zip_source_free(src);
		goto done;
	}
	/* Ours after zip_close, which would otherwise free it. */
	zip_source_keep(src);
	if (add_entries(za, v, n, (time_t)mtime, err, errlen) != 0) {
		zip_discard(za);
		zip_source_free(src);
		goto done;
	}
	if (zip_close(za) != 0) {
		snprintf(err, errlen, "cannot write a zip: %s",
		    zip_strerror(za));
		zip_discard(za);
		zip_source_free(src);
		goto done;
	}
	rc = copy_out(src, out, err, errlen);
	zip_source_free(src);
done:
	zip_error_fini(&ze);
	tz_restore(&tz);
	free(v);
	return rc;
}

/* ---- reading ------------------------------------------------------------- */

struct zipr {
	zip_t	*za;
	size_t	 n;
};

struct zipr *
zipr_open(const char *path, char *err, size_t errlen)
{
	struct zipr *r;
	zip_error_t ze;
	zip_int64_t n;
	zip_t *za;
	int code = 0;

	za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &code);
	if (za == NULL) {
		zip_error_init_with_code(&ze, code);
		/* libzip's "File already exists" says nothing useful here. */
		if (code == ZIP_ER_EXISTS)
			snprintf(err, errlen, "two entries have the same name");
		else
			snprintf(err, errlen, "%s", zip_error_strerror(&ze));
		zip_error_fini(&ze);
		return NULL;
	}
	if ((n = zip_get_num_entries(za, 0)) < 0) {
		snprintf(err, errlen, "%s", zip_strerror(za));
		zip_discard(za);
		return NULL;
	}
	r = xmalloc(sizeof(*r));
	r->za = za;
	r->n = (size_t)n;
	return r;
}

void
zipr_close(struct zipr *r)
{
	if (r == NULL)
		return;
	zip_discard(r->za);
	free(r);
}

size_t
zipr_count(const struct zipr *r)
{
	return r->n;
}

const char *
zipr_name(struct zipr *r, size_t i)
{
	return zip_get_name(r->za, (zip_uint64_t)i, ZIP_FL_ENC_RAW);
}

enum zipr_kind
zipr_kind(struct zipr *r, size_t i)
{
	const char *name = zipr_name(r, i);
	zip_uint32_t attr = 0, type;
	zip_uint8_t opsys = 0;

	if (name != NULL && *name != '\0' && name[strlen(name) - 1] == '/')
		return ZIPR_DIR;
	if (zip_file_get_external_attributes(r->za, (zip_uint64_t)i, 0, &opsys,
	    &attr) != 0 || opsys != ZIP_OPSYS_UNIX)
		return ZIPR_FILE;
	type = (attr >> 16) & 0170000u;
	if (type == 0 || type == 0100000u)
		return ZIPR_FILE;
	return type == 0040000u ? ZIPR_DIR : ZIPR_OTHER;
}

int
zipr_read(struct zipr *r, size_t i, unsigned long long max,
    void (*fn)(void *, const void *, size_t), void *arg,
    unsigned long long *nread, char *err, size_t errlen)
{
	zip_file_t *zf;
	zip_stat_t st;
	zip_int64_t n;
	char *chunk;
	int rc = 0;

	*nread = 0;
	if ((zf = zip_fopen_index(r->za, (zip_uint64_t)i, 0)) == NULL) {
		snprintf(err, errlen, "%s", zip_strerror(r->za));
		return -1;
	}
	chunk = xmalloc(CHUNK);
	for (;;) {
		n = zip_fread(zf, chunk, CHUNK);
		if (n < 0) {
			snprintf(err, errlen, "%s", zip_file_strerror(zf));
			rc = -1;
			break;
		}
		if (n == 0)
			break;
		*nread += (unsigned long long)n;
		if (*nread > max) {
			rc = 1;
			break;
		}
		fn(arg, chunk, (size_t)n);
	}
	free(chunk);
	zip_fclose(zf);
	/* libzip 1.7 does not hold the data to the header's size. */
	if (rc == 0 && zip_stat_index(r->za, (zip_uint64_t)i, 0, &st) == 0 &&
	    (st.valid & ZIP_STAT_SIZE) && st.size != *nread) {
		snprintf(err, errlen, "it inflates to %llu bytes, but its "
		    "header says %llu", *nread, (unsigned long long)st.size);
		rc = -1;
	}
	return rc;
}
