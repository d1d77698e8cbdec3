/*
 * failmalloc.c - an LD_PRELOAD shim for the out-of-memory tests
 * (tests/t-hostile-build.sh, hbuild.oom-*): it counts the process's
 * allocations and makes the N-th fail, as the N-th-malloc loops of
 * SQLite's malloc.test do.
 *
 *   CHARTER_FAILMALLOC_AT=N       the N-th allocation (1-based) fails
 *                                 (NULL, errno ENOMEM); unset or 0: none
 *   CHARTER_FAILMALLOC_PERSIST=1  every allocation from the N-th on fails
 *                                 (memory stays exhausted), not only the
 *                                 N-th (memory comes back at once)
 *   CHARTER_FAILMALLOC_COUNT=FILE at a normal exit, write the number of
 *                                 allocations made to FILE
 *   CHARTER_FAILMALLOC_WHO=FILE   at the N-th, write to FILE the file name
 *                                 of the object whose code asked for the
 *                                 memory (charter, libxlsxwriter.so.4,
 *                                 libc.so.6: dladdr of the return address
 *                                 of malloc), to tell failures apart
 *
 * Where it hooks: Charter defines malloc, calloc, realloc and the aligned
 * ones itself (src/util.c) and takes the memory from glibc's allocator
 * under its own names, __libc_malloc and kin; a program that does not
 * (a build without that wrapper) calls malloc.  The shim defines both
 * sets, so either way every allocation passes it once.  The real
 * functions come from dlsym(RTLD_NEXT), which allocates nothing.
 *
 * Counted: every call but realloc(p, 0), which frees.  Counting starts at
 * the process's first allocation: the same command in the same
 * environment makes the same calls in the same order.
 *
 * Not for a sanitizer build: AddressSanitizer owns malloc and the shim
 * would never be called.  The Makefile builds it without sanitizers.
 */
#define _GNU_SOURCE		/* dladdr, RTLD_NEXT */
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

void	*malloc(size_t);
void	*calloc(size_t, size_t);
void	*realloc(void *, size_t);
int	 posix_memalign(void **, size_t, size_t);
void	*aligned_alloc(size_t, size_t);
void	*memalign(size_t, size_t);
void	*valloc(size_t);
void	*pvalloc(size_t);
void	*__libc_malloc(size_t);
void	*__libc_calloc(size_t, size_t);
void	*__libc_realloc(void *, size_t);
void	*__libc_memalign(size_t, size_t);
void	*__libc_valloc(size_t);
void	*__libc_pvalloc(size_t);

static struct {
	void	*(*malloc)(size_t);
	void	*(*calloc)(size_t, size_t);
	void	*(*realloc)(void *, size_t);
	void	*(*memalign)(size_t, size_t);
	void	*(*valloc)(size_t);
	void	*(*pvalloc)(size_t);
} real;

static unsigned long	 calls;		/* allocations so far */
static unsigned long	 fail_at;	/* CHARTER_FAILMALLOC_AT */
static int		 persist;	/* CHARTER_FAILMALLOC_PERSIST */
static int		 ready;		/* set up */

static void
die(const char *msg)
{
	if (write(STDERR_FILENO, msg, strlen(msg)) < 0)
		_exit(99);
	_exit(99);
}

static void *
next(const char *name)
{
	void *f = dlsym(RTLD_NEXT, name);

	if (f == NULL)
		die("failmalloc: no real allocator\n");
	return f;
}

/*
 * The environment is read without allocating (getenv does not): the
 * first allocation may come before any constructor has run.
 */
static void
setup(void)
{
	static int busy;
	const char *s;
	unsigned long v = 0;

	if (busy++)
		die("failmalloc: dlsym allocated\n");
	real.malloc = next("__libc_malloc");
	real.calloc = next("__libc_calloc");
	real.realloc = next("__libc_realloc");
	real.memalign = next("__libc_memalign");
	real.valloc = next("__libc_valloc");
	real.pvalloc = next("__libc_pvalloc");
	if ((s = getenv("CHARTER_FAILMALLOC_AT")) != NULL) {
		for (; *s >= '0' && *s <= '9'; s++)
			v = v * 10 + (unsigned long)(*s - '0');
		fail_at = v;
	}
	s = getenv("CHARTER_FAILMALLOC_PERSIST");
	persist = s != NULL && *s != '\0' && *s != '0';
	ready = 1;
}

/* CHARTER_FAILMALLOC_WHO; neither dladdr nor open allocates. */
static void
say_who(void *caller)
{
	const char *path = getenv("CHARTER_FAILMALLOC_WHO"), *name = "?";
	const char *slash;
	Dl_info info;
	int fd;

	if (path == NULL || *path == '\0')
		return;
	if (dladdr(caller, &info) != 0 && info.dli_fname != NULL) {
		name = info.dli_fname;
		if ((slash = strrchr(name, '/')) != NULL)
			name = slash + 1;
	}
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return;
	if (write(fd, name, strlen(name)) < 0 || write(fd, "\n", 1) < 0)
		(void)unlink(path);
	close(fd);
}

/* Count one allocation; 1 when it must fail.  caller: see CALLER(). */
static int
should_fail(void *caller)
{
	unsigned long n;

	if (!ready)
		setup();
	n = __atomic_add_fetch(&calls, 1, __ATOMIC_RELAXED);
	if (fail_at == 0 || n < fail_at || (n > fail_at && !persist))
		return 0;
	if (n == fail_at)
		say_who(caller);
	errno = ENOMEM;
	return 1;
}

/*
 * Who asked: the return address of the allocator called.  For a library
 * calling Charter's own malloc (util.c), which calls __libc_malloc, that
 * is Charter's wrapper, so WHO says "charter" for every allocation there:
 * it tells callers apart only in a build without the wrapper.
 */
#define CALLER()	__builtin_return_address(0)

static void *
do_malloc(size_t n, void *caller)
{
	return should_fail(caller) ? NULL : real.malloc(n);
}

static void *
do_calloc(size_t nmemb, size_t size, void *caller)
{
	return should_fail(caller) ? NULL : real.calloc(nmemb, size);
}

static void *
do_realloc(void *p, size_t n, void *caller)
{
	if (!ready)
		setup();
	if (p != NULL && n == 0)
		return real.realloc(p, 0);
	return should_fail(caller) ? NULL : real.realloc(p, n);
}

static void *
do_memalign(size_t align, size_t n, void *caller)
{
	return should_fail(caller) ? NULL : real.memalign(align, n);
}

void *
malloc(size_t n)
{
	return do_malloc(n, CALLER());
}

void *
calloc(size_t nmemb, size_t size)
{
	return do_calloc(nmemb, size, CALLER());
}

void *
realloc(void *p, size_t n)
{
	return do_realloc(p, n, CALLER());
}

int
posix_memalign(void **pp, size_t align, size_t n)
{
	void *p;

	if (align < sizeof(void *) || (align & (align - 1)) != 0)
		return EINVAL;
	if ((p = do_memalign(align, n, CALLER())) == NULL)
		return ENOMEM;
	*pp = p;
	return 0;
}

void *
aligned_alloc(size_t align, size_t n)
{
	return do_memalign(align, n, CALLER());
}

void *
memalign(size_t align, size_t n)
{
	return do_memalign(align, n, CALLER());
}

void *
valloc(size_t n)
{
	return should_fail(CALLER()) ? NULL : real.valloc(n);
}

void *
pvalloc(size_t n)
{
	return should_fail(CALLER()) ? NULL : real.pvalloc(n);
}

void *
__libc_malloc(size_t n)
{
	return do_malloc(n, CALLER());
}

void *
__libc_calloc(size_t nmemb, size_t size)
{
	return do_calloc(nmemb, size, CALLER());
}

void *
__libc_realloc(void *p, size_t n)
{
	return do_realloc(p, n, CALLER());
}

void *
__libc_memalign(size_t align, size_t n)
{
	return do_memalign(align, n, CALLER());
}

void *
__libc_valloc(size_t n)
{
	return should_fail(CALLER()) ? NULL : real.valloc(n);
}

void *
__libc_pvalloc(size_t n)
{
	return should_fail(CALLER()) ? NULL : real.pvalloc(n);
}

/* CHARTER_FAILMALLOC_COUNT: the count, written without allocating. */
__attribute__((destructor)) static void
report(void)
{
	const char *path = getenv("CHARTER_FAILMALLOC_COUNT");
	char buf[32];
	int fd, len;

	if (path == NULL || *path == '\0')
		return;
	len = snprintf(buf, sizeof(buf), "%lu\n", calls);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd == -1)
		return;
	if (len > 0 && write(fd, buf, (size_t)len) != len)
		(void)unlink(path);
	close(fd);
}
