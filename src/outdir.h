/*
 * outdir.h - build output written into a private temporary directory and
 * swapped in whole, so a failed, interrupted or concurrent build never
 * leaves a half-written out/.
 *
 * outdir_open creates DIR/.NAME.tmp.XXXXXX beside the target (mkdtemp,
 * mode 0755 whatever the umask) after refusing a target that is a symlink
 * or not a directory.  Files are created relative to the temporary
 * directory's descriptor with O_CREAT|O_EXCL|O_NOFOLLOW (parents made as
 * needed, never through a link) and written in full.  outdir_commit makes
 * the whole tree durable at once (syncfs(2), which reports write-back
 * errors; one fsync per file made a build of 100 systems' packs take 16 s
 * instead of 1) and swaps the temporary directory
 * with the target (renameat2 RENAME_EXCHANGE; RENAME_NOREPLACE for a first
 * build), then removes the old tree; where renameat2 is missing it renames
 * the old tree aside first (a short window, documented).  outdir_abort
 * removes the temporary tree.
 *
 * SIGINT, SIGTERM, SIGHUP and SIGXCPU received between open and commit set
 * a flag:
 * the next outdir call fails with errno EINTR, and the caller aborts and
 * exits 128 + signal (outdir_signal() tells which).
 *
 * Every function returns 0, or -1 with errno set and a message (naming the
 * path) in od->err; nothing is printed.  Control characters in the message
 * are already shown as \xHH.
 *
 * Lifetime: outdir_open fills the struct (on failure it owns nothing and
 * outdir_abort is a no-op).  A successful outdir_commit releases everything
 * (target and tmp become NULL; files and bytes stay).  After any failure,
 * call outdir_abort: it removes what is at od->tmp (the new tree, or after
 * a swap the previous one), frees the strings and restores the signal
 * dispositions; calling it again, or after a successful commit, does
 * nothing.  One output directory is open at a time in a process (the
 * signal handlers are process-wide); a second outdir_open fails with EBUSY.
 *
 * Signals: handlers are installed without SA_RESTART from open to
 * commit/abort; a signal ignored on entry (nohup) stays ignored.  SIGXFSZ
 * is ignored over the same span (unless the caller handles it), so a
 * file-size limit (ulimit -f) is an EFBIG error, not a kill.
 *
 * Locking: outdir_commit holds an exclusive flock on DIR/.NAME.lock (the
 * file is left in place) from before it looks at the target until the
 * previous tree is removed; outdir_open holds it while it creates and
 * locks its temporary directory and sweeps dead builds' ones.  Builds
 * render in parallel; the last to commit wins whole.
 *
 * A SIGKILL leaves DIR/.NAME.tmp.XXXXXX behind (the target untouched).
 * Each build holds a lock on its temporary directory, and outdir_open
 * removes the .NAME.tmp.* directories nobody holds: the next build sweeps
 * what a dead one left, never a running one's.
 *
 * Out of memory: from outdir_open until the commit has removed the
 * previous tree (or outdir_abort), a cleanup registered with util.c's
 * oom_cleanup_push removes the temporary tree, or after the swap the
 * previous one, when xoom ends the process; the tree remover allocates
 * nothing (getdents64 into a buffer on the stack), and nothing is
 * allocated between the swap and that removal.
 *
 * SIGXCPU is caught like SIGTERM; as the kernel repeats it every second,
 * the fifth (a build stuck where it never calls outdir) exits at once
 * with status 3, leaving the temporary directory to the next build.
 *
 * Test hooks, read from the environment by outdir_open only:
 *   CHARTER_TEST_FAIL_WRITE=N    the N-th outdir_write fails as on a full
 *                                disk (ENOSPC) after creating its file
 *   CHARTER_TEST_STALL_WRITE=N   the N-th outdir_write first sleeps up to
 *                                30 s, cut short by SIGINT/SIGTERM/SIGHUP
 *   CHARTER_TEST_NO_RENAMEAT2=1  commit as if renameat2 were missing
 */
#ifndef CHARTER_OUTDIR_H
#define CHARTER_OUTDIR_H

#include <stddef.h>

struct manifest;

struct outdir {
	char	*target;	/* the out/ path as given */
	char	*tmp;		/* the temporary directory's path */
	int	 tmpfd;		/* its descriptor; -1 when closed */
	size_t	 files;		/* files written */
	unsigned long long bytes; /* bytes written */
	unsigned long long max_bytes; /* at most this many (0: no limit);
				   more fails with EFBIG */
	/*
	 * NULL after outdir_open.  When the caller sets it, every file
	 * written or adopted from then on is hashed into it under its
	 * relative path; the caller owns it.
	 */
	struct manifest *man;
	char	 err[512];
};

int	outdir_open(struct outdir *, const char *target);
/* rel is a relative path with '/' separators, checked by rel_path_ok. */
int	outdir_write(struct outdir *, const char *rel, const void *, size_t);
/*
 * For a writer that needs a file name (libxlsxwriter): the path of the
 * top-level file name inside the temporary directory (free it), or NULL
 * with od->err set.  After the writer has closed it, outdir_adopt checks
 * that it is a regular file, fixes its mode, fsyncs it and counts it
 * (and reads it back into od->man when set).
 */
char	*outdir_path(struct outdir *, const char *name);
int	outdir_adopt(struct outdir *, const char *name);
int	outdir_commit(struct outdir *);
void	outdir_abort(struct outdir *);
/* The signal that interrupted the build, or 0. */
int	outdir_signal(void);

#endif
