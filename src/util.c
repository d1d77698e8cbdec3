/*
 * util.c - x-allocators and the out-of-memory exit, name-table lookup,
 * edit distance, calendar arithmetic and UTF-8 helpers.  Depends on
 * nothing but libc.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "util.h"

void
bug(const char *file, int line, const char *msg)
{
	fprintf(stderr, "charter: BUG: %s:%d: %s\n", file, line, msg);
	abort();
}

static struct {
	void	(*fn)(void *);
	void	 *arg;
} cleanups[OOM_CLEANUPS];
static int ncleanups;

/*
 * Say msg (with write(2): stdio may be where memory ran out), run the
 * cleanups once, and exit.  A cleanup that runs out of memory itself comes
 * back here and exits at once.
 */
static void
oom_exit(const char *msg, size_t len) __attribute__((noreturn));

static void
oom_exit(const char *msg, size_t len)
{
	static int busy;
	int i;

	if (busy++)
		_exit(OOM_EXIT);
	/* Nowhere to say it (stderr closed or full): clean up all the same. */
	while (write(STDERR_FILENO, msg, len) < 0 && errno == EINTR)
		continue;
	while (ncleanups > 0) {
		i = --ncleanups;
		cleanups[i].fn(cleanups[i].arg);
	}
	_exit(OOM_EXIT);
}

void
xoom(void)
{
	static const char msg[] = "charter: out of memory\n";

	oom_exit(msg, sizeof(msg) - 1);
}

/* Out of memory for a request of n bytes: a huge n points at a bug. */
static void
oom(size_t n) __attribute__((noreturn));

static void
oom(size_t n)
{
	char msg[96];
	int len;

	len = snprintf(msg, sizeof(msg), "charter: out of memory (allocating "
	    "%zu bytes)\n", n);
	if (len <= 0 || (size_t)len >= sizeof(msg))
		xoom();
	oom_exit(msg, (size_t)len);
}

void
oom_cleanup_push(void (*fn)(void *), void *arg)
{
	if (ncleanups >= OOM_CLEANUPS)
		BUG("too many out-of-memory cleanups");
	cleanups[ncleanups].fn = fn;
	cleanups[ncleanups].arg = arg;
	ncleanups++;
}

void
oom_cleanup_pop(void (*fn)(void *), void *arg)
{
	int i;

	for (i = ncleanups - 1; i >= 0; i--) {
		if (cleanups[i].fn != fn || cleanups[i].arg != arg)
			continue;
		memmove(&cleanups[i], &cleanups[i + 1],
		    (size_t)(ncleanups - i - 1) * sizeof(cleanups[0]));
		ncleanups--;
		return;
	}
}

/*
 * Every allocation of the process, the libraries' included, is checked
 * here: malloc and its kin are defined in the program, so the libraries'
 * calls resolve to these (the dynamic linker looks in the executable
 * first), which take the memory from the C library's allocator under its
 * own names and end the process through oom() rather than return NULL.
 * Libraries then never meet a failed allocation, which some of those
 * Charter uses do not survive (tests/t-hostile-build.sh: libxlsxwriter
 * 1.1.4 and its minizip crash or drop cells, glibc 2.36's regcomp frees
 * twice).  free is the C library's own.  Left out where something else
 * owns malloc (a sanitizer: the Makefile's SANITIZE= defines
 * CHARTER_NO_MALLOC_WRAP) or the C library is not glibc.
 */
#if defined(__has_feature)
#if __has_feature(address_sanitizer) || __has_feature(memory_sanitizer) || \
    __has_feature(thread_sanitizer)
#define CHARTER_NO_MALLOC_WRAP 1
#endif
#endif
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
#define CHARTER_NO_MALLOC_WRAP 1
#endif

#if defined(__GLIBC__) && !defined(CHARTER_NO_MALLOC_WRAP)
extern void	*__libc_malloc(size_t);
extern void	*__libc_calloc(size_t, size_t);
extern void	*__libc_realloc(void *, size_t);
extern void	*__libc_memalign(size_t, size_t);
extern void	*__libc_valloc(size_t);
extern void	*__libc_pvalloc(size_t);
void		*memalign(size_t, size_t);
void		*valloc(size_t);
void		*pvalloc(size_t);

void *
malloc(size_t n)
{
	void *p = __libc_malloc(n);

	if (p == NULL)
		oom(n);
	return p;
}

void *
calloc(size_t nmemb, size_t size)
{
	void *p = __libc_calloc(nmemb, size);

	/* An nmemb * size past SIZE_MAX is a request that cannot be met. */
	if (p == NULL)
		oom(nmemb * size);
	return p;
}

void *
realloc(void *p, size_t n)
{
	void *q = __libc_realloc(p, n);

	/* realloc(p, 0) frees p and may return NULL. */
	if (q == NULL && (n != 0 || p == NULL))
		oom(n);
	return q;
}

/* The aligned ones: an alignment glibc refuses (EINVAL) is no OOM. */
void *
memalign(size_t align, size_t n)
{
	void *p = __libc_memalign(align, n);

	if (p == NULL && errno == ENOMEM)
		oom(n);
	return p;
}

void *
aligned_alloc(size_t align, size_t n)
{
	return memalign(align, n);
}

int
posix_memalign(void **pp, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	if ((p = memalign(align, n)) == NULL)
		return errno;
	*pp = p;
	return 0;
}

void *
valloc(size_t n)
{
	void *p = __libc_valloc(n);

	if (p == NULL)
		oom(n);
	return p;
}

void *
pvalloc(size_t n)
{
	void *p = __libc_pvalloc(n);

	if (p == NULL)
		oom(n);
	return p;
}
#endif

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		oom(n);
	return p;
}

void *
xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);

	if (p == NULL)
		oom(nmemb * size);
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);

	if (q == NULL)
		oom(n);
	return q;
}

char *
xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;

	return memcpy(xmalloc(n), s, n);
}

void *
xgrow(void *p, size_t *cap, size_t need, size_t sz)
{
	size_t n = *cap ? *cap : 8;

	if (need <= *cap)
		return p;
	while (n < need) {
		if (n > SIZE_MAX / 2 / sz)
			oom(SIZE_MAX);
		n *= 2;
	}
	*cap = n;
	return xrealloc(p, n * sz);
}

int
enum_lookup(const char *const *names, int n, const char *s)
{
	int i;

	if (s == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (names[i] != NULL && strcmp(names[i], s) == 0)
			return i;
	return -1;
}

int
edit_distance(const char *a, const char *b, int max)
{
	size_t la = strlen(a), lb = strlen(b), i, j;
	int row[65], prev, best, tmp, cost;

	if (la > 64 || lb > 64)
		return max + 1;
	if ((la > lb ? la - lb : lb - la) > (size_t)max)
		return max + 1;
	for (j = 0; j <= lb; j++)
		row[j] = (int)j;
	for (i = 1; i <= la; i++) {
		prev = row[0];
		row[0] = (int)i;
		best = row[0];
		for (j = 1; j <= lb; j++) {
			tmp = row[j];
			cost = a[i - 1] == b[j - 1] ? 0 : 1;
			row[j] = prev + cost;
			if (row[j - 1] + 1 < row[j])
				row[j] = row[j - 1] + 1;
			if (tmp + 1 < row[j])
				row[j] = tmp + 1;
			prev = tmp;
			if (row[j] < best)
				best = row[j];
		}
		if (best > max)
			return max + 1;
	}
	return row[lb];
}

/* Howard Hinnant's days_from_civil, valid far beyond any governance date. */
long
days_from_civil(int y, int m, int d)
{
	long era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
civil_from_days(long z, int *y, int *m, int *d)
{
	long era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* The date in s[0..10), which the caller has checked is long enough. */
static int
date_prefix(const char *s, long *days)
{
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31};
	int i, y, m, d;

	if (s[4] != '-' || s[7] != '-')
		return -1;
	for (i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	/* By hand: atoi costs a locale-aware strtol on every log row. */
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 +
	    (s[3] - '0');
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > mdays[m - 1])
		return -1;
	if (m == 2 && d == 29 && !(y % 4 == 0 && (y % 100 != 0 ||
	    y % 400 == 0)))
		return -1;
	*days = days_from_civil(y, m, d);
	return 0;
}

int
date_parse(const char *s, long *days)
{
	if (s == NULL || strlen(s) != 10)
		return -1;
	return date_prefix(s, days);
}

/* Two digits at s, at most max; -1 when not. */
static int
two_digits(const char *s, int max)
{
	int v;

	if (s[0] < '0' || s[0] > '9' || s[1] < '0' || s[1] > '9')
		return -1;
	v = (s[0] - '0') * 10 + (s[1] - '0');
	return v <= max ? v : -1;
}

int
ts_parse(const char *s, long *day, int *sec)
{
	int h, mi, se = 0, oh, om, sign;
	long d;
	long long t;

	if (s == NULL || strnlen(s, 16) < 16 || date_prefix(s, &d) != 0 ||
	    (s[10] != 'T' && s[10] != ' ') ||
	    (h = two_digits(s + 11, 23)) < 0 || s[13] != ':' ||
	    (mi = two_digits(s + 14, 59)) < 0)
		return -1;
	s += 16;
	if (*s == ':') {
		/* 60 allows a leap second; it counts as the next second. */
		if ((se = two_digits(s + 1, 60)) < 0)
			return -1;
		s += 3;
		if (*s == '.' || *s == ',') {
			if (s[1] < '0' || s[1] > '9')
				return -1;
			for (s++; *s >= '0' && *s <= '9'; s++)
				;
		}
	}
	t = (long long)d * 86400 + h * 3600 + mi * 60 + se;
	if (*s == 'Z' || *s == 'z')
		s++;
	else if (*s == '+' || *s == '-') {
		sign = *s == '+' ? 1 : -1;
		if ((oh = two_digits(s + 1, 23)) < 0)
			return -1;
		s += 3;
		if (*s == ':')
			s++;
		if ((om = two_digits(s, 59)) < 0)
			return -1;
		s += 2;
		t -= sign * (oh * 3600LL + om * 60);
	}
	if (*s != '\0')
		return -1;
	*day = (long)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
	*sec = (int)(t - (long long)*day * 86400);
	return 0;
}

size_t
utf8_count(const char *s, size_t len)
{
	size_t i, n = 0;

	for (i = 0; i < len; i++)
		if (((unsigned char)s[i] & 0xC0) != 0x80)
			n++;
	return n;
}

int
utf8_valid(const char *str, size_t len, size_t *bad)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0, n, k;
	uint32_t cp, min;

	while (i < len) {
		if (s[i] < 0x80) {
			i++;
			continue;
		}
		if ((s[i] & 0xE0) == 0xC0) {
			n = 2; cp = s[i] & 0x1F; min = 0x80;
		} else if ((s[i] & 0xF0) == 0xE0) {
			n = 3; cp = s[i] & 0x0F; min = 0x800;
		} else if ((s[i] & 0xF8) == 0xF0) {
			n = 4; cp = s[i] & 0x07; min = 0x10000;
		} else
			goto fail;
		if (i + n > len)
			goto fail;
		for (k = 1; k < n; k++) {
			if ((s[i + k] & 0xC0) != 0x80)
				goto fail;
			cp = (cp << 6) | (s[i + k] & 0x3F);
		}
		if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
			goto fail;
		i += n;
	}
	return 0;
fail:
	*bad = i;
	return -1;
}

int
utf8_decode(const unsigned char *s, uint32_t *cp)
{
	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xE0) == 0xC0) {
		*cp = ((uint32_t)(s[0] & 0x1F) << 6) | (s[1] & 0x3F);
		return 2;
	}
	if ((s[0] & 0xF0) == 0xE0) {
		*cp = ((uint32_t)(s[0] & 0x0F) << 12) |
		    ((uint32_t)(s[1] & 0x3F) << 6) | (s[2] & 0x3F);
		return 3;
	}
	*cp = ((uint32_t)(s[0] & 0x07) << 18) | ((uint32_t)(s[1] & 0x3F) << 12) |
	    ((uint32_t)(s[2] & 0x3F) << 6) | (s[3] & 0x3F);
	return 4;
}

int
rel_path_ok(const char *rel)
{
	const char *p = rel, *e;
	size_t n;

	if (*rel == '\0' || *rel == '/')
		return 0;
	for (;;) {
		e = strchr(p, '/');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		if (n == 0 || (n == 1 && p[0] == '.') ||
		    (n == 2 && p[0] == '.' && p[1] == '.'))
			return 0;
		if (e == NULL)
			return 1;
		p = e + 1;
	}
}

void
date_format(long day, char out[11])
{
	int y, m, d;

	civil_from_days(day, &y, &m, &d);
	snprintf(out, 11, "%04u-%02u-%02u", (unsigned)y % 10000,
	    (unsigned)m % 100, (unsigned)d % 100);
}

void
ts_format(long long t, char out[21])
{
	long day = (long)(t >= 0 ? t / 86400 : -((-t + 86399) / 86400));
	unsigned s = (unsigned)(t - (long long)day * 86400);

	date_format(day, out);
	snprintf(out + 10, 11, "T%02u:%02u:%02uZ", s / 3600 % 100, s / 60 % 60,
	    s % 60);
}
