/*
 * util.h - allocation that never returns NULL (and the one exit when memory
 * runs out), fatal-error helpers, small string and date utilities shared
 * by every module.
 *
 * Nothing here knows about YAML, SQLite or the model; every other module may
 * depend on it.
 */
#ifndef CHARTER_UTIL_H
#define CHARTER_UTIL_H

#include <stddef.h>
#include <stdint.h>

#define CHARTER_VERSION "0.1.0"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* An impossible state: print where and abort. */
#define BUG(msg) bug(__FILE__, __LINE__, (msg))

void	 bug(const char *file, int line, const char *msg)
	    __attribute__((noreturn));

/*
 * Out of memory: the status Charter exits with (the same as an input over
 * a limit, or the cpu limit: the inputs could not be processed within the
 * resources at hand).
 */
#define OOM_EXIT	3

/*
 * The one way out when memory runs out: print "charter: out of memory" on
 * stderr, run the cleanups registered below (last registered first), and
 * end the process with OOM_EXIT, running no atexit handler (a library may
 * be half-way through a call).  Never returns.  The x-allocators call it,
 * and so does each module that meets a library's out-of-memory error.
 */
void	 xoom(void) __attribute__((noreturn));

/*
 * Register fn(arg) to run should memory run out (the build's temporary
 * folder must go: outdir.c), and remove that registration again; at most
 * OOM_CLEANUPS at once.  A cleanup must not allocate: it runs when nothing
 * can be allocated.
 */
#define OOM_CLEANUPS	4
void	 oom_cleanup_push(void (*fn)(void *), void *arg);
void	 oom_cleanup_pop(void (*fn)(void *), void *arg);

/*
 * The x-allocators never return NULL: when memory runs out they call
 * xoom, which ends the process.  So do malloc, calloc, realloc and the
 * aligned ones, which util.c defines for the whole process (libraries
 * included) in a glibc build without a sanitizer: see there.
 */
void	*xmalloc(size_t n);
void	*xcalloc(size_t nmemb, size_t size);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);

/* Grow an array of *cap elements of size sz so it holds at least need. */
void	*xgrow(void *p, size_t *cap, size_t need, size_t sz);

/*
 * Look up s in a name table of n entries; the index, or -1 when absent.
 * Used with every enum's name table so text and enum never drift.
 */
int	 enum_lookup(const char *const *names, int n, const char *s);

/* Edit distance between a and b, capped: returns max + 1 beyond max. */
int	 edit_distance(const char *a, const char *b, int max);

/*
 * Date handling: days since 1970-01-01 for a proleptic Gregorian date.
 * date_parse accepts exactly YYYY-MM-DD with a real calendar day and
 * returns 0, else -1.
 */
long	 days_from_civil(int y, int m, int d);
void	 civil_from_days(long z, int *y, int *m, int *d);
int	 date_parse(const char *s, long *days);

/*
 * An ISO 8601 timestamp: YYYY-MM-DD, 'T' or a space, hh:mm, optional :ss
 * with an optional fraction, then Z, +hh:mm, -hh:mm, +hhmm or nothing (UTC
 * assumed).  Sets the UTC day (days since 1970-01-01) and the second within
 * it; returns 0, else -1.
 */
int	 ts_parse(const char *s, long *day, int *sec);

/* "YYYY-MM-DD" of a day; "YYYY-MM-DDThh:mm:ssZ" of seconds since 1970. */
void	 date_format(long day, char out[11]);
void	 ts_format(long long t, char out[21]);

/* Number of Unicode code points in a valid UTF-8 string of len bytes. */
size_t	 utf8_count(const char *s, size_t len);

/*
 * Check that s[0..len) is valid UTF-8 (no overlong forms, surrogates or
 * values past U+10FFFF).  Returns 0 or -1 with *bad set to the byte offset
 * of the first invalid sequence.
 */
int	 utf8_valid(const char *s, size_t len, size_t *bad);

/*
 * Is rel a relative path that stays below its folder: not empty, not
 * absolute, no empty, "." or ".." part?
 */
int	 rel_path_ok(const char *rel);

/* Decode one code point at s (valid UTF-8 assumed); returns its length. */
int	 utf8_decode(const unsigned char *s, uint32_t *cp);

#endif
