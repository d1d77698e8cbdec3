/*
 * manifest.h - SHA-256 digests of a set of files, in the format of
 * sha256sum(1): one line "<64 lower-case hex>  <name>\n" per file, sorted
 * by name bytewise.  build writes MANIFEST.sha256 this way, and verify
 * parses it back.
 *
 * The only file that includes libcrypto's headers is manifest.c; the
 * running hash is an opaque struct here.  Hashing cannot fail short of
 * running out of memory, which aborts like the x-allocators.
 */
#ifndef CHARTER_MANIFEST_H
#define CHARTER_MANIFEST_H

#include <stddef.h>

struct buf;

struct manifest_entry {
	char		*name;		/* owned by the manifest */
	unsigned char	 sha256[32];
};

struct manifest {
	struct manifest_entry	*v;
	size_t			 n, cap;
};

void	manifest_init(struct manifest *);
/* Free the names and the array; the struct may be initialised again. */
void	manifest_free(struct manifest *);

/* Hash data and record it under name (copied). */
void	manifest_add(struct manifest *, const char *name, const void *data,
	    size_t len);

/*
 * Hash what fd holds from its current offset to the end, reading in
 * chunks, and record it under name (copied).  Returns 0, or -1 with errno
 * set by read(2) (nothing recorded).
 */
int	manifest_add_fd(struct manifest *, const char *name, int fd);

/* Sort the entries by name, bytewise (strcmp). */
void	manifest_sort(struct manifest *);

/*
 * sha256sum format, sorted by name bytewise: "<64 hex>  <name>\n"; sorts
 * in place.  Appends to b.
 */
void	manifest_format(struct manifest *, struct buf *);

/*
 * Parse sha256sum text of len bytes into m (which must be initialised;
 * names are copied), then sort it.  Every line must read
 * "<64 lower-case hex>  NAME" or "<64 hex> *NAME" (binary mode), end with
 * '\n' (the last may not), and NAME must be a relative '/'-separated path
 * with no empty, "." or ".." part, no backslash and no control character,
 * and appear once.  Returns 0, or -1 with the 1-based line and column
 * (counted in bytes; everything before a reported column is ASCII) and a
 * message (no location) in err.
 */
int	manifest_parse(struct manifest *m, const char *text, size_t len,
	    int *line, int *col, char *err, size_t errlen);

/* The entry named name in a sorted manifest, or NULL. */
const struct manifest_entry *manifest_find(const struct manifest *,
	    const char *name);

/* Lower-case hex of the SHA-256 of data, NUL-terminated. */
void	sha256_hex(const void *, size_t, char out[65]);
/* The same for a digest already computed. */
void	sha256_tohex(const unsigned char digest[32], char out[65]);

/*
 * A running SHA-256 for data that arrives in pieces: sha256_new, any
 * number of sha256_update calls, then sha256_final, which writes the
 * digest and frees the context.  sha256_free drops one unfinished.
 */
struct sha256;

struct sha256	*sha256_new(void);
void		 sha256_update(struct sha256 *, const void *, size_t);
void		 sha256_final(struct sha256 *, unsigned char out[32]);
void		 sha256_free(struct sha256 *);

/*
 * The SHA-256 of what fd holds from its offset to its end, read in
 * chunks.  Returns 0, or -1 with errno set by read(2).
 */
int		 sha256_fd(int fd, unsigned char out[32]);

#endif
