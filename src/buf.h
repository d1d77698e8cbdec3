/*
 * buf.h - a growable byte buffer with a size cap (git's strbuf, curl's
 * dynbuf).  The data is always NUL-terminated.  Appending past the cap
 * fails: the buffer keeps what fitted, sets `overflow` and returns -1, so a
 * runaway renderer fails instead of filling memory or the disk.
 */
#ifndef CHARTER_BUF_H
#define CHARTER_BUF_H

#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len, cap, max;
	int	 overflow;
};

/* max 0 means the default cap (256 MiB). */
void	 buf_init(struct buf *, size_t max);
void	 buf_release(struct buf *);
int	 buf_append(struct buf *, const void *, size_t);
int	 buf_puts(struct buf *, const char *);
int	 buf_putc(struct buf *, int);
int	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

/* JSON string (with quotes), escaping control characters, <, > and &. */
int	 buf_json_str(struct buf *, const char *);

#endif
