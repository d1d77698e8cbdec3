/*
 * buf.c - capped growable buffer.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "util.h"

#define BUF_DEFAULT_MAX	((size_t)256 << 20)

void
buf_init(struct buf *b, size_t max)
{
	b->data = xmalloc(1);
	b->data[0] = '\0';
	b->len = 0;
	b->cap = 1;
	b->max = max ? max : BUF_DEFAULT_MAX;
	b->overflow = 0;
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (b->overflow || n > b->max - b->len) {
		b->overflow = 1;
		return -1;
	}
	b->data = xgrow(b->data, &b->cap, b->len + n + 1, 1);
	memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

int
buf_puts(struct buf *b, const char *s)
{
	return buf_append(b, s, strlen(s));
}

int
buf_putc(struct buf *b, int c)
{
	char ch = (char)c;

	return buf_append(b, &ch, 1);
}

int
buf_printf(struct buf *b, const char *fmt, ...)
{
	char small[256], *p;
	va_list ap;
	int n, rc;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof(small), fmt, ap);
	va_end(ap);
	if (n < 0)
		BUG("vsnprintf failed");
	if ((size_t)n < sizeof(small))
		return buf_append(b, small, (size_t)n);
	p = xmalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	rc = buf_append(b, p, (size_t)n);
	free(p);
	return rc;
}

int
buf_json_str(struct buf *b, const char *s)
{
	const unsigned char *p;

	buf_putc(b, '"');
	for (p = (const unsigned char *)s; *p; p++) {
		switch (*p) {
		case '"':
			buf_puts(b, "\\\"");
			break;
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		case '<': case '>': case '&':
			buf_printf(b, "\\u%04x", *p);
			break;
		default:
			if (*p < 0x20 || *p == 0x7f)
				buf_printf(b, "\\u%04x", *p);
			else if (*p == 0xE2 && p[1] == 0x80 &&
			    (p[2] == 0xA8 || p[2] == 0xA9)) {
				buf_printf(b, "\\u%04x", 0x2028 + (p[2] - 0xA8));
				p += 2;
			} else
				buf_putc(b, *p);
		}
	}
	return buf_putc(b, '"');
}
