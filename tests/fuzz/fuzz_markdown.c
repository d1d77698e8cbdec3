/*
 * fuzz_markdown.c - libFuzzer target: Markdown to HTML (src/md.c, cmark in
 * its safe mode) on hostile Markdown.
 *
 * Input: one flags byte, then the Markdown.  Flags: bit 0 renders with
 * the link prefix "../pages/" (a YAML field shown on a system page)
 * instead of "" (a page).
 *
 * Invariants, which cmark's safe mode and CMARK_OPT_VALIDATE_UTF8
 * promise: the HTML is valid UTF-8; it holds no "<script" in any case;
 * only the tags and attributes cmark writes itself appear (raw HTML is
 * dropped); and no href or src value is a javascript:, vbscript: or file:
 * URL, or a data: URL other than an image, once read as a browser does
 * (character references decoded, tabs and newlines dropped, leading
 * controls and spaces trimmed, any case).  No invisible character (a
 * bidi control, a zero-width character: diag.h) is left raw: each is a
 * marker, a <span class="char-mark"> in text.
 * Built by `make fuzz` with clang; tests/fuzz/replay.c replays the corpus
 * with any compiler in `make check`.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "diag.h"
#include "md.h"
#include "util.h"

int	fuzz_markdown(const uint8_t *data, size_t size);
#ifndef FUZZ_REPLAY
int	LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
#endif

/* What cmark's HTML renderer writes, and the markers' span. */
static const char *const tags[] = {
	"a", "blockquote", "br", "code", "em", "h1", "h2", "h3", "h4", "h5",
	"h6", "hr", "img", "li", "ol", "p", "pre", "span", "strong", "ul"
};
static const char *const attrs[] = {
	"alt", "class", "href", "src", "start", "title"
};
#define OMITTED	"<!-- raw HTML omitted -->"

static void
fail(const char *html, const char *at, const char *why)
{
	fprintf(stderr, "fuzz_markdown: %s at offset %zu: %.60s\n", why,
	    (size_t)(at - html), at);
	abort();
}

static int
in_list(const char *const *list, size_t n, const char *s, size_t len)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (strlen(list[i]) == len && strncmp(list[i], s, len) == 0)
			return 1;
	return 0;
}

static int
is_alnum(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9');
}

/*
 * An attribute value s[0..len) as a browser reads the URL in it: character
 * references decoded (numeric ones and the few named ones that matter),
 * tab, CR and LF dropped, leading controls and spaces trimmed, lower case.
 * At most size - 1 bytes go to out; enough for a scheme.
 */
static void
url_as_read(const char *s, size_t len, char *out, size_t size)
{
	static const struct { const char *name; int c; } named[] = {
		{ "amp;", '&' }, { "colon;", ':' }, { "tab;", '\t' },
		{ "newline;", '\n' }, { "quot;", '"' }, { "apos;", '\'' },
		{ "lt;", '<' }, { "gt;", '>' }
	};
	const char *end = s + len;
	unsigned long cp;
	size_t k = 0, i, n;
	int c, base;
	char *e;

	while (s < end && k + 1 < size) {
		c = (unsigned char)*s++;
		if (c == '&' && s < end && *s == '#') {
			base = (s + 1 < end && (s[1] == 'x' || s[1] == 'X')) ?
			    16 : 10;
			cp = strtoul(s + (base == 16 ? 2 : 1), &e, base);
			if (e > s + (base == 16 ? 2 : 1) && e <= end) {
				c = cp < 0x80 ? (int)cp : 0x80;
				s = e < end && *e == ';' ? e + 1 : e;
			}
		} else if (c == '&') {
			for (i = 0; i < sizeof(named) / sizeof(named[0]); i++) {
				n = strlen(named[i].name);
				if ((size_t)(end - s) >= n &&
				    strncasecmp(s, named[i].name, n) == 0) {
					c = named[i].c;
					s += n;
					break;
				}
			}
		}
		if (c == '\t' || c == '\n' || c == '\r')
			continue;
		if (k == 0 && c <= ' ')
			continue;
		out[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	out[k] = '\0';
}

/* The value of a quoted attribute at p (just past its '"'), checked. */
static const char *
check_url(const char *html, const char *p)
{
	const char *q = strchr(p, '"');
	char url[64];

	if (q == NULL)
		fail(html, p, "unterminated attribute value");
	url_as_read(p, (size_t)(q - p), url, sizeof(url));
	if (strncmp(url, "javascript:", 11) == 0 ||
	    strncmp(url, "vbscript:", 9) == 0 ||
	    strncmp(url, "file:", 5) == 0 ||
	    (strncmp(url, "data:", 5) == 0 &&
	    strncmp(url, "data:image/", 11) != 0))
		fail(html, p, "dangerous URL");
	return q + 1;
}

/*
 * Every '<' in cmark's HTML starts one of its own tags (text has &lt;):
 * check each tag's name and attributes, and each href and src value.
 */
static void
check_html(const char *html)
{
	const char *p = html, *name;
	int is_url;

	while ((p = strchr(p, '<')) != NULL) {
		if (strncmp(p, OMITTED, strlen(OMITTED)) == 0) {
			p += strlen(OMITTED);
			continue;
		}
		name = ++p;
		if (*p == '/')
			name = ++p;
		while (is_alnum((unsigned char)*p))
			p++;
		if (!in_list(tags, sizeof(tags) / sizeof(tags[0]), name,
		    (size_t)(p - name)))
			fail(html, name - 1, "unexpected tag");
		for (;;) {
			while (*p == ' ')
				p++;
			if (*p == '>' || (p[0] == '/' && p[1] == '>'))
				break;
			name = p;
			while (*p >= 'a' && *p <= 'z')
				p++;
			if (!in_list(attrs, sizeof(attrs) / sizeof(attrs[0]),
			    name, (size_t)(p - name)) || p[0] != '=' ||
			    p[1] != '"')
				fail(html, name, "unexpected attribute");
			is_url = strncmp(name, "href=", 5) == 0 ||
			    strncmp(name, "src=", 4) == 0;
			p += 2;
			if (is_url)
				p = check_url(html, p);
			else if ((p = strchr(p, '"')) == NULL)
				fail(html, name, "unterminated attribute value");
			else
				p++;
		}
	}
}

int
fuzz_markdown(const uint8_t *data, size_t size)
{
	struct arena a;
	const char *html, *p;
	uint32_t cp;
	char *copy;
	size_t bad;
	int flags;

	if (size == 0)
		return 0;
	flags = data[0];
	data++;
	size--;
	arena_init(&a);
	/* A copy the exact size, so ASan sees any read past the end. */
	copy = malloc(size ? size : 1);
	if (copy == NULL)
		abort();
	memcpy(copy, data, size);
	html = md_to_html(&a, copy, size, flags & 1 ? "../pages/" : "");
	if (html == NULL)
		abort();
	if (utf8_valid(html, strlen(html), &bad) != 0)
		fail(html, html + bad, "invalid UTF-8");
	for (p = html; *p != '\0'; p++) {
		if (*p == '<' && strncasecmp(p, "<script", 7) == 0)
			fail(html, p, "<script");
		if (invisible_at(p, &cp) != 0)
			fail(html, p, "raw invisible character");
	}
	check_html(html);
	free(copy);
	arena_release(&a);
	return 0;
}

#ifndef FUZZ_REPLAY
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_markdown(data, size);
}
#endif
