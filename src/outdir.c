/*
 * outdir.c - the build's output directory: a private temporary directory
 * beside the target, filled through descriptors, then swapped in whole.
 *
 * Nothing below the target's parent directory is ever reached through a
 * symbolic link: every open there is an openat with O_NOFOLLOW from a
 * directory descriptor we opened ourselves, and the tree remover unlinks a
 * link instead of descending into it.  This module never prints and never
 * exits; it reports through od->err.
 *
 * The signal handlers are process-wide, so one output directory is open at
 * a time; its process-wide state lives in `cur`.
 */
#include <sys/types.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/syscall.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "manifest.h"
#include "outdir.h"
#include "util.h"

/* The kernel's values (linux/fs.h); glibc only shows them to _GNU_SOURCE. */
#ifndef RENAME_NOREPLACE
#define RENAME_NOREPLACE	(1 << 0)
#endif
#ifndef RENAME_EXCHANGE
#define RENAME_EXCHANGE		(1 << 1)
#endif

/*
 * Directory levels in a tree we write, sync or remove.  Each level holds a
 * descriptor open while the walk is below it.
 */
#define MAX_DEPTH	64

/*
 * SIGXFSZ is ignored, so a file-size limit shows up as EFBIG; SIGXCPU (the
 * CPU-time limit) aborts the build like SIGTERM.
 */
static const int sigs[] = { SIGINT, SIGTERM, SIGHUP, SIGXCPU, SIGXFSZ };

static volatile sig_atomic_t caught, xcpu_count;

static int	remove_tree(struct outdir *, int, const char *, const char *);
static void	sweep_stale(struct outdir *);
static int	take_lock(struct outdir *, int *);

static struct {
	int	 open;		/* the fields below belong to an open outdir */
	int	 parentfd;	/* the target's parent directory, or -1 */
	char	*parent;	/* its path */
	char	*base;		/* the target's last component */
	int	 tlen;		/* length of the target without trailing '/' */
	const char *tmpname;	/* what abort removes from parent, or NULL:
				   the last component of od->tmp */
	struct sigaction old[ARRAY_SIZE(sigs)];
	int	 saved[ARRAY_SIZE(sigs)];
	long	 nwrites;	/* outdir_write calls so far */
	long	 fail_at;	/* CHARTER_TEST_FAIL_WRITE */
	long	 stall_at;	/* CHARTER_TEST_STALL_WRITE */
	int	 no_renameat2;	/* CHARTER_TEST_NO_RENAMEAT2 */
} cur;

/*
 * Format the message into od->err with control characters shown as \xHH,
 * so a hostile file name cannot drive the terminal.  Keeps errno.
 */
static void
seterr(struct outdir *od, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void
seterr(struct outdir *od, const char *fmt, ...)
{
	char raw[sizeof(od->err)];
	unsigned char c;
	size_t i, j;
	va_list ap;
	int saved = errno;

	va_start(ap, fmt);
	vsnprintf(raw, sizeof(raw), fmt, ap);
	va_end(ap);
	for (i = j = 0; raw[i] != '\0' && j + 5 < sizeof(od->err); i++) {
		c = (unsigned char)raw[i];
		if (c < 0x20 || c == 0x7f)
			j += (size_t)snprintf(od->err + j, 5, "\\x%02x", c);
		else
			od->err[j++] = (char)c;
	}
	od->err[j] = '\0';
	errno = saved;
}

static void
on_signal(int sig)
{
	static const char msg[] = "charter: stopped: the CPU time limit "
	    "(limit 'cpu') passed while writing the output; the previous "
	    "output is kept, and the next build removes the temporary "
	    "folder\n";

	/*
	 * The kernel repeats SIGXCPU every second past the soft limit: a
	 * fifth one means the build is stuck where it never reaches an
	 * outdir call (a pathological page in cmark).  Stop now, with the
	 * status of a limit (3); the lock on the temporary folder dies with
	 * the process, so the next build sweeps it (sweep_stale).
	 */
	if (sig == SIGXCPU && ++xcpu_count >= 5) {
		if (write(STDERR_FILENO, msg, sizeof(msg) - 1) < 0)
			_exit(3);
		_exit(3);
	}
	caught = sig;
}

/*
 * Catch SIGINT, SIGTERM and SIGHUP without SA_RESTART, so a blocking call
 * returns EINTR; ignore SIGXFSZ.  A signal ignored on entry (nohup) stays
 * ignored, and a SIGXFSZ the caller handles is left alone.
 */
static void
catch_signals(void)
{
	struct sigaction sa;
	size_t i;

	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		cur.saved[i] = 0;
		if (sigaction(sigs[i], NULL, &cur.old[i]) == -1)
			continue;
		if (sigs[i] == SIGXFSZ) {
			if (cur.old[i].sa_handler != SIG_DFL ||
			    (cur.old[i].sa_flags & SA_SIGINFO))
				continue;
			sa.sa_handler = SIG_IGN;
		} else {
			if (cur.old[i].sa_handler == SIG_IGN &&
			    !(cur.old[i].sa_flags & SA_SIGINFO))
				continue;
			sa.sa_handler = on_signal;
		}
		if (sigaction(sigs[i], &sa, NULL) == 0)
			cur.saved[i] = 1;
	}
}

static void
restore_signals(void)
{
	size_t i;

	for (i = 0; i < ARRAY_SIZE(sigs); i++) {
		if (cur.saved[i])
			sigaction(sigs[i], &cur.old[i], NULL);
		cur.saved[i] = 0;
	}
}

/* Fail with EINTR once a signal has been caught. */
static int
interrupted(struct outdir *od)
{
	if (caught == 0)
		return 0;
	errno = EINTR;
	seterr(od, "interrupted by signal %d", (int)caught);
	return 1;
}

/* A non-negative decimal from the environment; 0 when unset or not one. */
static long
env_count(const char *name)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (s == NULL || *s == '\0')
		return 0;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < 0)
		return 0;
	return v;
}

static char *
dupn(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* parent/name, or just name when parent is "."; xmalloc'ed. */
static char *
join(const char *parent, const char *name)
{
	size_t np = strlen(parent), nn = strlen(name);
	char *p;

	if (strcmp(parent, ".") == 0)
		return xstrdup(name);
	p = xmalloc(np + nn + 2);
	memcpy(p, parent, np);
	if (np > 0 && parent[np - 1] != '/')
		p[np++] = '/';
	memcpy(p + np, name, nn + 1);
	return p;
}

/*
 * Split target into its parent directory and last component, ignoring
 * trailing slashes.  -1 when there is no last component to replace: "",
 * "/", "." or "..".
 */
static int
split_target(const char *target)
{
	size_t n = strlen(target), b, d;

	while (n > 1 && target[n - 1] == '/')
		n--;
	for (b = n; b > 0 && target[b - 1] != '/'; b--)
		;
	if (n == b || (n - b == 1 && target[b] == '.') ||
	    (n - b == 2 && target[b] == '.' && target[b + 1] == '.'))
		return -1;
	if (n > INT_MAX)
		return -1;
	for (d = b; d > 0 && target[d - 1] == '/'; d--)
		;
	if (b == 0)
		cur.parent = xstrdup(".");
	else if (d == 0)
		cur.parent = xstrdup("/");
	else
		cur.parent = dupn(target, d);
	cur.base = dupn(target + b, n - b);
	cur.tlen = (int)n;
	return 0;
}

/* "buf/name" in a PATH_MAX buffer for messages; returns the new length. */
static size_t
push(char *buf, size_t len, const char *name)
{
	int n;

	n = snprintf(buf + len, PATH_MAX - len, "/%s", name);
	if (n < 0 || (size_t)n >= PATH_MAX - len)
		return PATH_MAX - 1;
	return len + (size_t)n;
}

static int
open_dir(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW |
	    O_CLOEXEC);
}

/* A DIR for reading fd's entries; fd itself stays open and ours. */
static DIR *
read_dir(int fd)
{
	int dup = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	DIR *d;

	if (dup == -1)
		return NULL;
	if ((d = fdopendir(dup)) == NULL) {
		int e = errno;

		close(dup);
		errno = e;
	}
	return d;
}

static int
is_dot(const char *name)
{
	return name[0] == '.' && (name[1] == '\0' ||
	    (name[1] == '.' && name[2] == '\0'));
}

/*
 * A directory's entries for the tree remover, read without allocating:
 * removing the temporary tree is what the out-of-memory exit does, when
 * fdopendir's buffer may be out of reach.  getdents64(2) reads into a
 * buffer in the struct (on the stack); where the call is missing, readdir.
 * The reader has a descriptor (and offset) of its own for the directory,
 * which stays open and the caller's.
 */
struct entries {
#ifdef SYS_getdents64
	int		 fd;
	size_t		 pos, end;
	char		 buf[2048] __attribute__((aligned(8)));
#else
	DIR		*d;
#endif
};

#ifdef SYS_getdents64
/* The kernel's struct linux_dirent64. */
struct kdirent {
	unsigned long long	 ino;
	long long		 off;
	unsigned short		 reclen;
	unsigned char		 type;
	char			 name[];
};
#endif

static int
entries_open(struct entries *en, int fd)
{
#ifdef SYS_getdents64
	en->pos = en->end = 0;
	en->fd = openat(fd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	return en->fd == -1 ? -1 : 0;
#else
	return (en->d = read_dir(fd)) == NULL ? -1 : 0;
#endif
}

/*
 * The next entry's name, valid until the next call; NULL at the end (errno
 * 0) or on an error (errno set).
 */
static const char *
entries_next(struct entries *en)
{
#ifdef SYS_getdents64
	const struct kdirent *k;
	long n;

	if (en->pos >= en->end) {
		n = syscall(SYS_getdents64, en->fd, en->buf, sizeof(en->buf));
		if (n <= 0) {
			if (n == 0)
				errno = 0;
			return NULL;
		}
		en->pos = 0;
		en->end = (size_t)n;
	}
	k = (const struct kdirent *)(const void *)(en->buf + en->pos);
	en->pos += k->reclen;
	return k->name;
#else
	struct dirent *e;

	errno = 0;
	return (e = readdir(en->d)) != NULL ? e->d_name : NULL;
#endif
}

static void
entries_close(struct entries *en)
{
#ifdef SYS_getdents64
	close(en->fd);
#else
	closedir(en->d);
#endif
}

/*
 * Remove everything in the directory fd (which stays open), never
 * following a link: an entry is unlinked, and only when that fails because
 * it is a directory is it opened (O_NOFOLLOW) and emptied.  path names fd
 * in messages.  A pass that removed something is followed by another, so
 * readdir's view of a changing directory cannot leave an entry behind.
 */
static int
empty_dir(struct outdir *od, int fd, char *path, size_t len, int depth)
{
	struct entries en;
	const char *name;
	size_t sublen;
	int pass, removed, sub, uerr = 0, rc;

	for (pass = 0; pass < 4; pass++) {
		if (entries_open(&en, fd) == -1) {
			seterr(od, "cannot read directory '%s': %s", path,
			    strerror(errno));
			return -1;
		}
		removed = 0;
		for (;;) {
			if ((name = entries_next(&en)) == NULL)
				break;
			if (is_dot(name))
				continue;
			sublen = push(path, len, name);
			if (unlinkat(fd, name, 0) == 0) {
				removed++;
				path[len] = '\0';
				continue;
			}
			/* Linux says EISDIR for a directory, POSIX EPERM. */
			uerr = errno;
			if (uerr != EISDIR && uerr != EPERM)
				goto fail_unlink;
			if (depth + 1 >= MAX_DEPTH) {
				uerr = ELOOP;
				seterr(od, "cannot remove '%s': more than %d "
				    "levels deep", path, MAX_DEPTH);
				goto fail;
			}
			if ((sub = open_dir(fd, name)) == -1) {
				/* Not a directory after all: unlink's error. */
				if (errno != ENOTDIR && errno != ELOOP)
					uerr = errno;
				goto fail_unlink;
			}
			rc = empty_dir(od, sub, path, sublen, depth + 1);
			uerr = errno;
			close(sub);
			if (rc == -1)
				goto fail;
			if (unlinkat(fd, name, AT_REMOVEDIR) == -1) {
				uerr = errno;
				goto fail_unlink;
			}
			removed++;
			path[len] = '\0';
		}
		if (errno != 0) {
			uerr = errno;
			seterr(od, "cannot read directory '%s': %s", path,
			    strerror(uerr));
			goto fail;
		}
		entries_close(&en);
		if (removed == 0)
			break;
	}
	return 0;

fail_unlink:
	seterr(od, "cannot remove '%s': %s", path, strerror(uerr));
fail:
	entries_close(&en);
	errno = uerr;
	return -1;
}

/*
 * Remove the tree at dfd/name (path in messages).  A name that is not a
 * directory (a planted link) is unlinked; an absent one is no error.
 */
static int
remove_tree(struct outdir *od, int dfd, const char *name, const char *path)
{
	char buf[PATH_MAX];
	int fd, rc;

	if ((fd = open_dir(dfd, name)) == -1) {
		if (errno == ENOENT)
			return 0;
		if ((errno == ENOTDIR || errno == ELOOP) &&
		    unlinkat(dfd, name, 0) == 0)
			return 0;
		seterr(od, "cannot remove '%s': %s", path, strerror(errno));
		return -1;
	}
	snprintf(buf, sizeof(buf), "%s", path);
	rc = empty_dir(od, fd, buf, strlen(buf), 0);
	close(fd);
	if (rc == -1)
		return -1;
	if (unlinkat(dfd, name, AT_REMOVEDIR) == -1 && errno != ENOENT) {
		seterr(od, "cannot remove '%s': %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * fsync every directory in the tree at fd, children before parents, fd
 * last (sync_files, where syncfs is missing).
 */
static int
sync_tree(struct outdir *od, int fd, char *path, size_t len, int depth)
{
	struct dirent *e;
	struct stat st;
	size_t sublen;
	int sub, rc, isdir;
	DIR *d;

	if ((d = read_dir(fd)) == NULL)
		goto fail_read;
	for (;;) {
		errno = 0;
		if ((e = readdir(d)) == NULL)
			break;
		if (is_dot(e->d_name))
			continue;
		isdir = e->d_type == DT_DIR;
		if (e->d_type == DT_UNKNOWN)
			isdir = fstatat(fd, e->d_name, &st,
			    AT_SYMLINK_NOFOLLOW) == 0 && S_ISDIR(st.st_mode);
		if (!isdir)
			continue;
		sublen = push(path, len, e->d_name);
		if (depth + 1 >= MAX_DEPTH) {
			errno = ELOOP;
			goto fail_path;
		}
		if ((sub = open_dir(fd, e->d_name)) == -1)
			goto fail_path;
		rc = sync_tree(od, sub, path, sublen, depth + 1);
		close(sub);
		if (rc == -1) {
			closedir(d);
			return -1;
		}
		path[len] = '\0';
	}
	if (errno != 0)
		goto fail_read;
	closedir(d);
	if (fsync(fd) == -1) {
		seterr(od, "cannot sync directory '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	return 0;

fail_path:
	seterr(od, "cannot sync directory '%s': %s", path, strerror(errno));
	closedir(d);
	return -1;
fail_read:
	seterr(od, "cannot read directory '%s': %s", path, strerror(errno));
	if (d != NULL)
		closedir(d);
	return -1;
}

/*
 * Every file and folder written, made durable in one call: syncfs(2) on
 * the temporary tree's file system writes back data and metadata alike,
 * and reports a write-back error (a disk that filled up after write()
 * returned) since Linux 5.8.  Where the call is missing, each folder is
 * fsynced (sync_tree) after sync(2), which cannot report an error.
 */
static int
sync_files(struct outdir *od)
{
	char buf[PATH_MAX];

#ifdef SYS_syncfs
	if (syscall(SYS_syncfs, od->tmpfd) == 0)
		return 0;
	if (errno != ENOSYS) {
		seterr(od, "cannot sync '%s': %s", od->tmp, strerror(errno));
		return -1;
	}
#endif
	sync();
	snprintf(buf, sizeof(buf), "%s", od->tmp);
	return sync_tree(od, od->tmpfd, buf, strlen(buf), 0);
}

/*
 * Memory ran out (util.c's xoom) between open and commit, or during the
 * commit: remove what outdir_abort would, the temporary tree or, after
 * the swap, the previous one.  Allocates nothing; what it cannot remove
 * the next build sweeps (sweep_stale).
 */
static void
on_oom(void *arg)
{
	struct outdir *od = arg;

	if (cur.open && cur.tmpname != NULL)
		(void)remove_tree(od, cur.parentfd, cur.tmpname, od->tmp);
}

/* Give up the struct's and the module's resources; no removal. */
static void
release(struct outdir *od)
{
	if (od->tmpfd != -1)
		close(od->tmpfd);
	od->tmpfd = -1;
	free(od->tmp);
	od->tmp = NULL;
	free(od->target);
	od->target = NULL;
	if (!cur.open)
		return;
	if (cur.parentfd != -1)
		close(cur.parentfd);
	free(cur.parent);
	free(cur.base);
	oom_cleanup_pop(on_oom, od);
	restore_signals();
	memset(&cur, 0, sizeof(cur));
	cur.parentfd = -1;
}

int
outdir_open(struct outdir *od, const char *target)
{
	struct stat st;
	char *name;
	const char *slash;
	size_t n;
	int lockfd = -1;

	/* The struct may be the open one: leave it as it is. */
	if (cur.open) {
		errno = EBUSY;
		seterr(od, "another output directory is already open");
		return -1;
	}
	memset(od, 0, sizeof(*od));
	od->tmpfd = -1;
	memset(&cur, 0, sizeof(cur));
	cur.parentfd = -1;
	if (split_target(target) == -1) {
		free(cur.parent);
		cur.parent = NULL;
		errno = EINVAL;
		seterr(od, "'%s' cannot be an output directory", target);
		return -1;
	}
	cur.open = 1;
	od->target = xstrdup(target);
	caught = 0;
	xcpu_count = 0;
	catch_signals();

	cur.parentfd = open(cur.parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cur.parentfd == -1) {
		seterr(od, "cannot open directory '%s': %s", cur.parent,
		    strerror(errno));
		goto fail;
	}
	if (fstatat(cur.parentfd, cur.base, &st, AT_SYMLINK_NOFOLLOW) == 0) {
		if (S_ISLNK(st.st_mode)) {
			errno = ELOOP;
			seterr(od, "'%.*s' is a symbolic link; refusing to "
			    "write through it", cur.tlen, target);
			goto fail;
		}
		if (!S_ISDIR(st.st_mode)) {
			errno = ENOTDIR;
			seterr(od, "'%.*s' exists and is not a directory",
			    cur.tlen, target);
			goto fail;
		}
	} else if (errno != ENOENT) {
		seterr(od, "cannot access '%.*s': %s", cur.tlen, target,
		    strerror(errno));
		goto fail;
	}

	cur.fail_at = env_count("CHARTER_TEST_FAIL_WRITE");
	cur.stall_at = env_count("CHARTER_TEST_STALL_WRITE");
	cur.no_renameat2 = env_count("CHARTER_TEST_NO_RENAMEAT2") != 0;

	/*
	 * Between mkdtemp and flock the new folder is unlocked: create and
	 * lock it, and sweep dead builds' folders, under the output's lock,
	 * so no sweep ever sees a live build's folder unlocked.
	 */
	if (take_lock(od, &lockfd) == -1)
		goto fail;
	n = strlen(cur.base) + sizeof(".tmp.XXXXXX") + 1;
	name = xmalloc(n);
	snprintf(name, n, ".%s.tmp.XXXXXX", cur.base);
	od->tmp = join(cur.parent, name);
	free(name);
	if (mkdtemp(od->tmp) == NULL) {
		seterr(od, "cannot create a temporary directory beside "
		    "'%.*s': %s", cur.tlen, target, strerror(errno));
		goto fail;
	}
	/*
	 * Nothing is allocated from here to the registration: running out
	 * of memory from now on removes the folder.
	 */
	slash = strrchr(od->tmp, '/');
	cur.tmpname = slash != NULL ? slash + 1 : od->tmp;
	oom_cleanup_push(on_oom, od);
	/*
	 * mkdtemp made it 0700; the output's mode must not hang on umask.
	 * The lock says the folder is in use for as long as this process
	 * lives; a build that died leaves its folder unlocked.
	 */
	od->tmpfd = open_dir(cur.parentfd, cur.tmpname);
	if (od->tmpfd == -1 || fchmod(od->tmpfd, 0755) == -1 ||
	    flock(od->tmpfd, LOCK_EX | LOCK_NB) == -1) {
		seterr(od, "cannot open directory '%s': %s", od->tmp,
		    strerror(errno));
		if (od->tmpfd != -1)
			close(od->tmpfd);
		od->tmpfd = -1;
		unlinkat(cur.parentfd, cur.tmpname, AT_REMOVEDIR);
		goto fail;
	}
	sweep_stale(od);
	close(lockfd);
	return 0;

fail:
	if (lockfd != -1)
		close(lockfd);
	release(od);
	return -1;
}

/*
 * Remove the temporary folders of builds that died (SIGKILL, a crash, the
 * kernel's CPU hard limit) beside the target: .NAME.tmp.* folders nobody
 * holds the lock of.  A live build holds its folder's lock, so it is
 * never touched.  Best effort: whatever cannot be removed stays.
 */
static void
sweep_stale(struct outdir *od)
{
	char prefix[NAME_MAX + 1], path[PATH_MAX];
	struct dirent *e;
	size_t n;
	DIR *d;
	int fd, dup_fd;

	n = (size_t)snprintf(prefix, sizeof(prefix), ".%s.tmp.", cur.base);
	if (n >= sizeof(prefix) || (dup_fd = dup(cur.parentfd)) == -1)
		return;
	if ((d = fdopendir(dup_fd)) == NULL) {
		close(dup_fd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if (strncmp(e->d_name, prefix, n) != 0 ||
		    strcmp(e->d_name, cur.tmpname) == 0)
			continue;
		if ((fd = open_dir(cur.parentfd, e->d_name)) == -1)
			continue;
		if (flock(fd, LOCK_EX | LOCK_NB) == 0) {
			snprintf(path, sizeof(path), "%s/%s", cur.parent,
			    e->d_name);
			(void)remove_tree(od, cur.parentfd, e->d_name, path);
		}
		close(fd);
	}
	closedir(d);
	od->err[0] = '\0';	/* what remove_tree may have said is moot */
}

/*
 * Open the directory name in dfd, creating it (0755 whatever the umask)
 * when missing; never through a link.
 */
static int
sub_dir(int dfd, const char *name)
{
	int fd, made = 0, e;

	if ((fd = open_dir(dfd, name)) != -1 || errno != ENOENT)
		return fd;
	if (mkdirat(dfd, name, 0755) == 0)
		made = 1;
	else if (errno != EEXIST)
		return -1;
	if ((fd = open_dir(dfd, name)) == -1)
		return -1;
	if (made && fchmod(fd, 0755) == -1) {
		e = errno;
		close(fd);
		errno = e;
		return -1;
	}
	return fd;
}

/*
 * The reason an open of dfd/name failed with error e: a planted link makes
 * O_NOFOLLOW say ELOOP, ENOTDIR or EEXIST, which reads badly.
 */
static const char *
why(int dfd, const char *name, int e)
{
	struct stat st;

	if ((e == ELOOP || e == ENOTDIR || e == EEXIST) &&
	    fstatat(dfd, name, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st.st_mode))
		return "it is a symbolic link";
	return strerror(e);
}

/* CHARTER_TEST_STALL_WRITE: up to 30 s, cut short by a caught signal. */
static void
stall(void)
{
	struct timespec ts = { 0, 100 * 1000 * 1000 };
	int i;

	for (i = 0; i < 300 && caught == 0; i++)
		nanosleep(&ts, NULL);
}

/* write(2) until done, retrying short writes and EINTR (unless caught). */
static int
write_all(int fd, const char *p, size_t len)
{
	ssize_t n;

	while (len > 0) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR && caught == 0)
				continue;
			return -1;
		}
		if (n == 0) {
			errno = EIO;
			return -1;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* Whether n more bytes would pass od->max_bytes; sets errno EFBIG. */
static int
over_limit(const struct outdir *od, unsigned long long n)
{
	if (od->max_bytes == 0 || n <= od->max_bytes - od->bytes)
		return 0;
	errno = EFBIG;
	return 1;
}

int
outdir_write(struct outdir *od, const char *rel, const void *data,
    size_t len)
{
	const char *what;
	char *path, *p, *slash;
	int dfd, fd = -1, nfd, depth, e;

	if (od->tmpfd == -1) {
		errno = EBADF;
		seterr(od, "cannot write '%s': no output directory is open",
		    rel);
		return -1;
	}
	if (interrupted(od))
		return -1;
	if (++cur.nwrites == cur.stall_at)
		stall();
	if (interrupted(od))
		return -1;
	if (!rel_path_ok(rel) || strchr(rel, '\\') != NULL) {
		errno = EINVAL;
		seterr(od, "cannot write '%s': not a relative path below "
		    "'%.*s'", rel, cur.tlen, od->target);
		return -1;
	}
	if (over_limit(od, len)) {
		seterr(od, "cannot write '%s': the output would pass the limit "
		    "of %llu bytes (limit 'output')", rel, od->max_bytes);
		return -1;
	}
	for (depth = 1, p = strchr(rel, '/'); p != NULL; p = strchr(p + 1, '/'))
		depth++;
	if (depth > MAX_DEPTH) {
		errno = ELOOP;
		seterr(od, "cannot write '%s': more than %d levels deep", rel,
		    MAX_DEPTH);
		return -1;
	}

	/* Walk down from tmpfd one component at a time. */
	path = xstrdup(rel);
	dfd = od->tmpfd;
	for (p = path; (slash = strchr(p, '/')) != NULL; p = slash + 1) {
		*slash = '\0';
		nfd = sub_dir(dfd, p);
		if (nfd == -1) {
			e = errno;
			seterr(od, "cannot create directory '%.*s/%s': %s",
			    cur.tlen, od->target, path, why(dfd, p, e));
			goto fail;
		}
		if (dfd != od->tmpfd)
			close(dfd);
		dfd = nfd;
		*slash = '/';
	}

	what = "create";
	fd = openat(dfd, p, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0644);
	if (fd == -1)
		goto fail_file;
	what = "write";
	if (fchmod(fd, 0644) == -1)
		goto fail_unlink;
	if (cur.nwrites == cur.fail_at) {
		errno = ENOSPC;
		goto fail_unlink;
	}
	if (write_all(fd, data, len) == -1)
		goto fail_unlink;
	/*
	 * Not synced here: outdir_commit syncs the whole file system once
	 * (a build writes thousands of files, and an fsync each cost a
	 * journal commit each: 16 s instead of 1 s for 100 systems).
	 */
	what = "close";
	/* EINTR from close loses nothing: the fd is gone. */
	if (close(fd) == -1 && errno != EINTR) {
		fd = -1;
		goto fail_unlink;
	}
	if (dfd != od->tmpfd)
		close(dfd);
	if (od->man != NULL)
		manifest_add(od->man, rel, data, len);
	free(path);
	od->files++;
	od->bytes += len;
	return 0;

fail_unlink:
	/* Leave no partial file behind, even for a caller that goes on. */
	e = errno;
	unlinkat(dfd, p, 0);
	errno = e;
fail_file:
	e = errno;
	if (e == EINTR && caught != 0)
		seterr(od, "interrupted by signal %d", (int)caught);
	else
		seterr(od, "cannot %s '%.*s/%s': %s", what, cur.tlen,
		    od->target, rel, why(dfd, p, e));
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	if (dfd != od->tmpfd)
		close(dfd);
	free(path);
	errno = e;
	return -1;
}

char *
outdir_path(struct outdir *od, const char *name)
{
	if (od->tmpfd == -1 || interrupted(od))
		return NULL;
	if (!rel_path_ok(name) || strchr(name, '/') != NULL ||
	    strchr(name, '\\') != NULL) {
		errno = EINVAL;
		seterr(od, "cannot write '%s': not a file name", name);
		return NULL;
	}
	return join(od->tmp, name);
}

int
outdir_adopt(struct outdir *od, const char *name)
{
	struct stat st;
	const char *what = "open";
	int fd, e;

	if (od->tmpfd == -1 || interrupted(od))
		return -1;
	fd = openat(od->tmpfd, name, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
	if (fd == -1)
		goto fail;
	what = "stat";
	if (fstat(fd, &st) == -1)
		goto fail;
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		goto fail;
	}
	if (over_limit(od, (unsigned long long)st.st_size)) {
		close(fd);
		seterr(od, "cannot keep '%s': the output would pass the limit "
		    "of %llu bytes (limit 'output')", name, od->max_bytes);
		errno = EFBIG;
		return -1;
	}
	what = "sync";
	if (fchmod(fd, 0644) == -1 || fsync(fd) == -1)
		goto fail;
	what = "read";
	if (od->man != NULL && manifest_add_fd(od->man, name, fd) == -1)
		goto fail;
	close(fd);
	od->files++;
	od->bytes += (unsigned long long)st.st_size;
	return 0;
fail:
	e = errno;
	if (fd != -1)
		close(fd);
	seterr(od, "cannot %s '%.*s/%s': %s", what, cur.tlen, od->target,
	    name, strerror(e));
	errno = e;
	return -1;
}

/*
 * Take an exclusive flock on parent/.NAME.lock, waiting for another
 * build's commit to finish; the descriptor in *fdp.  The file stays.
 */
static int
take_lock(struct outdir *od, int *fdp)
{
	struct stat st;
	char *name, *path;
	size_t n;
	int fd, e;

	n = strlen(cur.base) + sizeof(".lock") + 1;
	name = xmalloc(n);
	snprintf(name, n, ".%s.lock", cur.base);
	path = join(cur.parent, name);
	fd = openat(cur.parentfd, name, O_RDONLY | O_CREAT | O_NOFOLLOW |
	    O_NONBLOCK | O_CLOEXEC, 0644);
	free(name);
	if (fd == -1) {
		seterr(od, "cannot open lock file '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if (fstat(fd, &st) == -1) {
		seterr(od, "cannot stat lock file '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		errno = EINVAL;
		seterr(od, "lock file '%s' is not a regular file", path);
		goto fail;
	}
	while (flock(fd, LOCK_EX) == -1) {
		if (errno == EINTR && caught == 0)
			continue;
		if (!interrupted(od))
			seterr(od, "cannot lock '%s': %s", path,
			    strerror(errno));
		goto fail;
	}
	free(path);
	*fdp = fd;
	return 0;

fail:
	e = errno;
	if (fd != -1)
		close(fd);
	free(path);
	errno = e;
	return -1;
}

static int
rename2(const char *from, const char *to, unsigned flags)
{
#ifdef SYS_renameat2
	if (!cur.no_renameat2)
		return (int)syscall(SYS_renameat2, cur.parentfd, from,
		    cur.parentfd, to, flags);
#else
	(void)from;
	(void)to;
	(void)flags;
#endif
	errno = ENOSYS;
	return -1;
}

/*
 * Without renameat2: move the target aside to a fresh .NAME.old.XXXXXX
 * (rename onto the empty directory mkdtemp reserved), then move the new
 * tree in.  Between the two renames there is no target at all, and a crash
 * there leaves the previous output in .NAME.old.XXXXXX.  For a first build
 * a plain rename would also replace an empty directory made meanwhile.
 * On success *old names the previous tree (NULL for a first build).
 */
static int
swap_fallback(struct outdir *od, int exists, char **old)
{
	char *name, *path, *slash;
	size_t n;
	int e;

	*old = NULL;
	if (!exists) {
		if (renameat(cur.parentfd, cur.tmpname, cur.parentfd,
		    cur.base) == 0)
			return 0;
		seterr(od, "cannot rename '%s' to '%.*s': %s", od->tmp,
		    cur.tlen, od->target, strerror(errno));
		return -1;
	}
	n = strlen(cur.base) + sizeof(".old.XXXXXX") + 1;
	name = xmalloc(n);
	snprintf(name, n, ".%s.old.XXXXXX", cur.base);
	path = join(cur.parent, name);
	free(name);
	if (mkdtemp(path) == NULL) {
		seterr(od, "cannot create a directory beside '%.*s': %s",
		    cur.tlen, od->target, strerror(errno));
		free(path);
		return -1;
	}
	slash = strrchr(path, '/');
	name = slash != NULL ? slash + 1 : path;
	if (renameat(cur.parentfd, cur.base, cur.parentfd, name) == -1) {
		e = errno;
		unlinkat(cur.parentfd, name, AT_REMOVEDIR);
		seterr(od, "cannot rename '%.*s' to '%s': %s", cur.tlen,
		    od->target, path, strerror(e));
		goto fail;
	}
	if (renameat(cur.parentfd, cur.tmpname, cur.parentfd, cur.base) ==
	    -1) {
		e = errno;
		if (renameat(cur.parentfd, name, cur.parentfd, cur.base) == 0)
			seterr(od, "cannot rename '%s' to '%.*s': %s",
			    od->tmp, cur.tlen, od->target, strerror(e));
		else
			seterr(od, "cannot rename '%s' to '%.*s': %s; the "
			    "previous output is in '%s'", od->tmp, cur.tlen,
			    od->target, strerror(e), path);
		goto fail;
	}
	*old = path;
	return 0;

fail:
	free(path);
	errno = e;
	return -1;
}

int
outdir_commit(struct outdir *od)
{
	char *old = NULL, *slash;
	struct stat st;
	int exists, tries, lockfd = -1, rc = 0, e;

	if (od->tmpfd == -1 || !cur.open) {
		errno = EBADF;
		seterr(od, "no output directory is open");
		return -1;
	}
	if (interrupted(od))
		return -1;
	if (sync_files(od) == -1)
		return -1;
	/*
	 * The lock covers the commit only, so concurrent builds render in
	 * parallel and the last to commit wins whole; it keeps the check
	 * for an existing target, the swap and the old tree's removal of
	 * one build from interleaving with another's.
	 */
	if (take_lock(od, &lockfd) == -1)
		return -1;

	for (tries = 0;; tries++) {
		if (interrupted(od))
			goto fail;
		if (fstatat(cur.parentfd, cur.base, &st,
		    AT_SYMLINK_NOFOLLOW) == 0) {
			if (S_ISLNK(st.st_mode) || !S_ISDIR(st.st_mode)) {
				errno = S_ISLNK(st.st_mode) ? ELOOP : ENOTDIR;
				seterr(od, "'%.*s' is no longer a directory; "
				    "refusing to replace it", cur.tlen,
				    od->target);
				goto fail;
			}
			exists = 1;
		} else if (errno == ENOENT) {
			exists = 0;
		} else {
			seterr(od, "cannot access '%.*s': %s", cur.tlen,
			    od->target, strerror(errno));
			goto fail;
		}
		if (rename2(cur.tmpname, cur.base, exists ? RENAME_EXCHANGE :
		    RENAME_NOREPLACE) == 0) {
			/* Our old name now holds the previous tree, if any. */
			if (!exists)
				cur.tmpname = NULL;
			break;
		}
		e = errno;
		if (e == EINVAL || e == ENOSYS) {
			if (swap_fallback(od, exists, &old) == -1)
				goto fail;
			if (old == NULL)
				cur.tmpname = NULL;
			break;
		}
		/* Someone outside the lock made or removed the target. */
		if ((e == EEXIST || e == ENOENT) && tries < 3)
			continue;
		seterr(od, "cannot replace '%.*s' with '%s': %s", cur.tlen,
		    od->target, od->tmp, strerror(e));
		goto fail;
	}

	/*
	 * The new tree is in place: what remains is tidying up, with no
	 * allocation (running out of memory now would end a build whose
	 * output is already replaced).  cur.tmpname names the previous
	 * tree, or is NULL after a first build.
	 */
	close(od->tmpfd);
	od->tmpfd = -1;
	if (old != NULL) {
		free(od->tmp);
		od->tmp = old;
		slash = strrchr(old, '/');
		cur.tmpname = slash != NULL ? slash + 1 : old;
	}
	if (fsync(cur.parentfd) == -1) {
		seterr(od, "cannot sync directory '%s': %s", cur.parent,
		    strerror(errno));
		rc = -1;
	}
	if (cur.tmpname != NULL) {
		if (remove_tree(od, cur.parentfd, cur.tmpname, od->tmp) == 0) {
			cur.tmpname = NULL;
		} else {
			seterr(od, "'%.*s' is in place, but the previous "
			    "output is not removed: %s", cur.tlen, od->target,
			    od->err);
			rc = -1;
		}
	}
	close(lockfd);
	if (rc == 0)
		release(od);
	return rc;

fail:
	e = errno;
	close(lockfd);
	errno = e;
	return -1;
}

void
outdir_abort(struct outdir *od)
{
	char err[sizeof(od->err)];
	int e = errno;

	if (od->target == NULL || !cur.open)
		return;
	if (od->tmpfd != -1)
		close(od->tmpfd);
	od->tmpfd = -1;
	/* Keep the message that made the caller give up. */
	memcpy(err, od->err, sizeof(err));
	if (cur.tmpname != NULL)
		remove_tree(od, cur.parentfd, cur.tmpname, od->tmp);
	memcpy(od->err, err, sizeof(err));
	release(od);
	errno = e;
}

int
outdir_signal(void)
{
	return caught;
}
