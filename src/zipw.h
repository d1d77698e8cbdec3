/*
 * zipw.h - zip archives through libzip: a deterministic in-memory writer
 * (the EU AI Act packs) and a bounded streaming reader (charter verify).
 *
 * The only file that includes <zip.h> is zipw.c (which asks <zlib.h> only
 * for zlib's version); no libzip type appears here.  Nothing in this module prints, exits or touches a file system
 * path other than the archive a reader is asked to open.
 *
 * Note on names: zip_build, zip_in, zip_name_ok and zip_name_problem carry
 * libzip's prefix (libzip exports none of them); the reader is zipr_*.
 */
#ifndef CHARTER_ZIPW_H
#define CHARTER_ZIPW_H

#include <stddef.h>

struct buf;

struct zip_in {
	const char	*name;	/* zip_name_ok must accept it */
	const void	*data;
	size_t		 len;
};

/*
 * Zip the entries, sorted by name bytewise, into out (appended).  Every
 * entry: mtime = mtime (seconds since the epoch; use 00:00 UTC of the
 * as-of day) as a DOS date and time in UTC whatever TZ says, deflate,
 * permissions 0644 (regular file, Unix), no extra fields, no comments, no
 * directory entries.  The bytes depend on nothing but the arguments (and
 * the libzip and zlib versions).  Returns 0, or -1 with a message in err:
 * an unsafe or repeated name, an mtime outside 1980-2107, out's cap, or a
 * libzip error.  The caller's data is only read.
 *
 * TZ is set to UTC while libzip converts times (libzip uses localtime())
 * and put back before returning: do not call this from several threads.
 */
/* t moved into the range a zip's DOS times can hold: 1980 to 2107. */
long long zip_time_clamp(long long t);

/*
 * The versions of libzip and of the zlib it deflates with, as loaded at
 * run time ("1.7.3", "1.2.13"): zip_build's bytes depend on both.
 */
const char	*zipw_libzip_version(void);
const char	*zipw_zlib_version(void);

int	zip_build(const struct zip_in *, size_t n, long long mtime,
	    struct buf *out, char *err, size_t errlen);

/*
 * A name safe to extract anywhere, on Windows too: valid UTF-8, relative,
 * '/'-separated, no "", "." or ".." component, no backslash, no ':' or
 * other Windows-reserved characters (<>:"|?* and control chars), no
 * component ending in '.' or ' ', no Windows device names (con, prn, aux,
 * nul, conin$, conout$, com0-9, lpt0-9, com and lpt with a superscript
 * digit, with or without an extension), at most 240 bytes.
 */
int	zip_name_ok(const char *name);
/* What is wrong with name (a short phrase), or NULL when zip_name_ok. */
const char *zip_name_problem(const char *name);

/*
 * Reading.  zipr_open opens the archive at path read-only, checking its
 * central directory against itself (libzip's ZIP_CHECKCONS); NULL with a
 * message in err when it cannot.  zipr_close frees everything.
 */
struct zipr;

enum zipr_kind {
	ZIPR_FILE,	/* a regular file (or no file type recorded) */
	ZIPR_DIR,	/* a name ending in '/', or a directory's mode */
	ZIPR_OTHER,	/* a Unix mode saying symlink, device, FIFO, ... */
	ZIPR_KIND_MAX
};

struct zipr	*zipr_open(const char *path, char *err, size_t errlen);
void		 zipr_close(struct zipr *);
/* Number of entries, in the archive's order. */
size_t		 zipr_count(const struct zipr *);
/*
 * Entry i's name as stored (raw bytes up to the first NUL, no encoding
 * conversion), valid until zipr_close; NULL when libzip cannot give it.
 */
const char	*zipr_name(struct zipr *, size_t i);
enum zipr_kind	 zipr_kind(struct zipr *, size_t i);

/*
 * Decompress entry i, handing it to fn(arg, chunk, len) in pieces.  The
 * bytes actually produced are counted (never the header's claim): *nread
 * gets the count, and reading stops once it passes max.  Returns 0 (the
 * whole entry, CRC checked, exactly as long as its header says), 1 (more
 * than max bytes), or -1 with a message in err (a damaged, encrypted or
 * unsupported entry).
 */
int	zipr_read(struct zipr *, size_t i, unsigned long long max,
	    void (*fn)(void *, const void *, size_t), void *arg,
	    unsigned long long *nread, char *err, size_t errlen);

#endif
