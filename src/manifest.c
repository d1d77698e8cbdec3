/*
 * manifest.c - SHA-256 through libcrypto's EVP interface, and the
 * sha256sum text format: written sorted by name, parsed strictly.
 *
 * The only file that includes an OpenSSL header.  It reads no file by
 * name and prints nothing: callers hand it bytes or a descriptor, and get
 * digests, text or a located message back.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include "buf.h"
#include "manifest.h"
#include "util.h"

#define CHUNK	65536

struct sha256 {
	EVP_MD_CTX	*ctx;
};

/*
 * libcrypto fails here only when it cannot allocate: out of memory, as
 * when xmalloc fails.
 */
static void
crypto_fatal(void)
{
	xoom();
}

/*
 * OpenSSL 3.0 makes its default library context on first use and, when an
 * allocation fails there, goes on with the context half made: the next
 * EVP call dereferences a NULL lock (EVP_MD_fetch, seen under the
 * N-th-allocation tests).  Making it here, where a failure can be seen,
 * turns that into an out-of-memory exit.
 */
static void
crypto_init(void)
{
	static int done;

	if (done)
		return;
	if (OPENSSL_init_crypto(0, NULL) != 1)
		crypto_fatal();
#if OPENSSL_VERSION_NUMBER >= 0x30000000L
	if (OSSL_LIB_CTX_get0_global_default() == NULL)
		crypto_fatal();
#endif
	done = 1;
}

struct sha256 *
sha256_new(void)
{
	struct sha256 *h;

	crypto_init();
	h = xmalloc(sizeof(*h));
	if ((h->ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
		crypto_fatal();
	return h;
}

void
sha256_update(struct sha256 *h, const void *data, size_t len)
{
	if (len > 0 && EVP_DigestUpdate(h->ctx, data, len) != 1)
		crypto_fatal();
}

void
sha256_final(struct sha256 *h, unsigned char out[32])
{
	unsigned int n = 0;

	if (EVP_DigestFinal_ex(h->ctx, out, &n) != 1 || n != 32)
		crypto_fatal();
	sha256_free(h);
}

void
sha256_free(struct sha256 *h)
{
	if (h == NULL)
		return;
	EVP_MD_CTX_free(h->ctx);
	free(h);
}

void
sha256_tohex(const unsigned char digest[32], char out[65])
{
	static const char hex[] = "0123456789abcdef";
	int i;

	for (i = 0; i < 32; i++) {
		out[2 * i] = hex[digest[i] >> 4];
		out[2 * i + 1] = hex[digest[i] & 15];
	}
	out[64] = '\0';
}

void
sha256_hex(const void *data, size_t len, char out[65])
{
	struct sha256 *h = sha256_new();
	unsigned char d[32];

	sha256_update(h, data, len);
	sha256_final(h, d);
	sha256_tohex(d, out);
}

void
manifest_init(struct manifest *m)
{
	m->v = NULL;
	m->n = m->cap = 0;
}

void
manifest_free(struct manifest *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		free(m->v[i].name);
	free(m->v);
	manifest_init(m);
}

static struct manifest_entry *
push(struct manifest *m, const char *name, size_t namelen)
{
	struct manifest_entry *e;

	m->v = xgrow(m->v, &m->cap, m->n + 1, sizeof(*m->v));
	e = &m->v[m->n++];
	e->name = xmalloc(namelen + 1);
	memcpy(e->name, name, namelen);
	e->name[namelen] = '\0';
	return e;
}

void
manifest_add(struct manifest *m, const char *name, const void *data,
    size_t len)
{
	struct sha256 *h = sha256_new();
	struct manifest_entry *e;

	sha256_update(h, data, len);
	e = push(m, name, strlen(name));
	sha256_final(h, e->sha256);
}

int
sha256_fd(int fd, unsigned char out[32])
{
	struct sha256 *h = sha256_new();
	char *chunk = xmalloc(CHUNK);
	ssize_t n;
	int e;

	while ((n = read(fd, chunk, CHUNK)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			sha256_free(h);
			free(chunk);
			errno = e;
			return -1;
		}
		sha256_update(h, chunk, (size_t)n);
	}
	free(chunk);
	sha256_final(h, out);
	return 0;
}

int
manifest_add_fd(struct manifest *m, const char *name, int fd)
{
	unsigned char d[32];

	if (sha256_fd(fd, d) == -1)
		return -1;
	memcpy(push(m, name, strlen(name))->sha256, d, sizeof(d));
	return 0;
}

static int
cmp_entry(const void *a, const void *b)
{
	const struct manifest_entry *x = a, *y = b;

	return strcmp(x->name, y->name);
}

void
manifest_sort(struct manifest *m)
{
	if (m->n > 1)
		qsort(m->v, m->n, sizeof(*m->v), cmp_entry);
}

void
manifest_format(struct manifest *m, struct buf *b)
{
	char hex[65];
	size_t i;

	manifest_sort(m);
	for (i = 0; i < m->n; i++) {
		sha256_tohex(m->v[i].sha256, hex);
		buf_puts(b, hex);
		buf_puts(b, "  ");
		buf_puts(b, m->v[i].name);
		buf_putc(b, '\n');
	}
}

const struct manifest_entry *
manifest_find(const struct manifest *m, const char *name)
{
	struct manifest_entry key;

	if (m->n == 0)
		return NULL;
	key.name = (char *)(uintptr_t)name;
	return bsearch(&key, m->v, m->n, sizeof(*m->v), cmp_entry);
}

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Where each parsed name came from, to name both lines of a duplicate. */
struct where {
	const char	*name;
	int		 line;
};

static int
cmp_where(const void *a, const void *b)
{
	const struct where *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c != 0 ? c : (x->line > y->line) - (x->line < y->line);
}

/*
 * Check one line's name (n bytes, no NUL): a message in err, or 0.  Only
 * printable names get quoted, and callers escape them when printing.
 */
static int
name_ok(const char *s, size_t n, char *err, size_t errlen)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (s[i] == '\r' && i + 1 == n) {
			snprintf(err, errlen, "file name ends in a carriage "
			    "return; the manifest must have LF line ends");
			return -1;
		}
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f) {
			snprintf(err, errlen, "control character in a file "
			    "name");
			return -1;
		}
	}
	if (memchr(s, '\\', n) != NULL) {
		snprintf(err, errlen, "backslash in file name '%.*s'",
		    (int)n, s);
		return -1;
	}
	if (s[0] == '/') {
		snprintf(err, errlen, "absolute file name '%.*s'", (int)n, s);
		return -1;
	}
	return 0;
}

int
manifest_parse(struct manifest *m, const char *text, size_t len,
    int *line, int *col, char *err, size_t errlen)
{
	struct manifest_entry *e;
	struct where *w = NULL;
	const char *p = text, *end = text + len, *nl, *name;
	size_t ll, i, nw = 0, wcap = 0, first = m->n;
	int lineno = 0, hi, lo, rc = -1;

	while (p < end) {
		lineno++;
		*line = lineno;
		nl = memchr(p, '\n', (size_t)(end - p));
		ll = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		if (ll == 0) {
			*col = 1;
			snprintf(err, errlen, "empty line");
			goto out;
		}
		if (memchr(p, '\0', ll) != NULL) {
			*col = (int)((const char *)memchr(p, '\0', ll) - p) + 1;
			/* Bytes before the NUL may be a name's. */
			if (*col > 67)
				*col = 67;
			snprintf(err, errlen, "NUL byte in the manifest");
			goto out;
		}
		for (i = 0; i < 64; i++) {
			if (i >= ll || hexval((unsigned char)p[i]) < 0) {
				*col = (int)i + 1;
				if (i < ll && p[i] >= 'A' && p[i] <= 'F')
					snprintf(err, errlen, "upper-case hex "
					    "digit; expected 64 lower-case "
					    "hex digits of a SHA-256");
				else
					snprintf(err, errlen, "expected 64 "
					    "lower-case hex digits of a "
					    "SHA-256");
				goto out;
			}
		}
		if (ll < 66 || p[64] != ' ' || (p[65] != ' ' && p[65] != '*')) {
			*col = ll < 65 || p[64] != ' ' ? 65 : 66;
			snprintf(err, errlen, "expected two spaces (or a space "
			    "and '*') between the digest and the file name");
			goto out;
		}
		*col = 67;
		if (ll == 66) {
			snprintf(err, errlen, "no file name after the digest");
			goto out;
		}
		name = p + 66;
		if (name_ok(name, ll - 66, err, errlen) != 0)
			goto out;
		e = push(m, name, ll - 66);
		if (!rel_path_ok(e->name)) {
			snprintf(err, errlen, "file name '%s' is not a path "
			    "below the manifest's folder (an empty, '.' or "
			    "'..' part)", e->name);
			goto out;
		}
		for (i = 0; i < 32; i++) {
			hi = hexval((unsigned char)p[2 * i]);
			lo = hexval((unsigned char)p[2 * i + 1]);
			e->sha256[i] = (unsigned char)(hi << 4 | lo);
		}
		w = xgrow(w, &wcap, nw + 1, sizeof(*w));
		w[nw].name = e->name;
		w[nw++].line = lineno;
		p += ll + (nl != NULL);
	}
	if (nw > 1)
		qsort(w, nw, sizeof(*w), cmp_where);
	for (i = 1; i < nw; i++) {
		if (strcmp(w[i - 1].name, w[i].name) == 0) {
			*line = w[i].line;
			*col = 67;
			snprintf(err, errlen, "file name '%s' is listed twice "
			    "(also on line %d)", w[i].name, w[i - 1].line);
			goto out;
		}
	}
	manifest_sort(m);
	rc = 0;
out:
	/* On failure, m holds what it held before. */
	if (rc != 0) {
		for (i = first; i < m->n; i++)
			free(m->v[i].name);
		m->n = first;
	}
	free(w);
	return rc;
}
