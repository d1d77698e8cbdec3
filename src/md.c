/*
 * md.c - Markdown to HTML through cmark, the only file that includes
 * <cmark.h>.
 *
 * cmark runs with its safe defaults: raw HTML becomes a comment and links
 * or images with javascript:, vbscript:, file: or data: (other than images)
 * URLs are emptied; CMARK_OPT_UNSAFE is never set.  Invalid UTF-8 is
 * replaced (CMARK_OPT_VALIDATE_UTF8), so the HTML is always valid UTF-8.
 * A relative link to a Markdown page ("shadow-mode.md#promotion") is
 * rewritten to the page the site builds from it ("shadow-mode.html#..."),
 * behind a prefix for text that is not itself a page.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "arena.h"
#include "md.h"
#include "util.h"

/* A URL with a scheme ("https:", "mailto:"), or one that is absolute. */
static int
is_relative(const char *url)
{
	const char *p;

	if (url[0] == '\0' || url[0] == '/' || url[0] == '#' ||
	    url[0] == '?')
		return 0;
	for (p = url; *p != '\0' && *p != '/' && *p != '#' && *p != '?'; p++)
		if (*p == ':')
			return 0;
	return 1;
}

/*
 * "x.md#f" -> PREFIX "x.html#f"; NULL when url is not a relative .md
 * link.
 */
static char *
rewrite_md_link(const char *url, const char *prefix)
{
	size_t n = strcspn(url, "#?"), len = strlen(url), p = strlen(prefix);
	char *out;

	if (!is_relative(url) || n < 4 || strncasecmp(url + n - 3, ".md", 3))
		return NULL;
	out = xmalloc(p + len + 3);
	memcpy(out, prefix, p);
	memcpy(out + p, url, n - 3);
	memcpy(out + p + n - 3, ".html", 5);
	memcpy(out + p + n + 2, url + n, len - n + 1);
	return out;
}

/*
 * A copy of s in the arena with every invalid UTF-8 byte replaced by
 * U+FFFD.  CMARK_OPT_VALIDATE_UTF8 cleans the input only: cmark 0.30
 * writes the character reference &#xFFFF; as the single byte 0xFF (found
 * by fuzz_markdown), and pages must be valid UTF-8.
 */
static char *
valid_utf8(struct arena *a, const char *s)
{
	size_t len = strlen(s), bad, extra = 0;
	const char *p;
	char *out, *o;

	for (p = s; utf8_valid(p, len - (size_t)(p - s), &bad) != 0;
	    p += bad + 1)
		extra += 2;		/* one byte becomes three */
	if (extra == 0)
		return arena_strndup(a, s, len);
	out = o = arena_alloc(a, len + extra + 1);
	for (p = s; utf8_valid(p, len - (size_t)(p - s), &bad) != 0;
	    p += bad + 1) {
		memcpy(o, p, bad);
		memcpy(o + bad, "\xEF\xBF\xBD", 3);
		o += bad + 3;
	}
	memcpy(o, p, len - (size_t)(p - s) + 1);
	return out;
}

char *
md_to_html(struct arena *a, const char *text, size_t len, const char *prefix)
{
	cmark_node *doc, *node;
	cmark_iter *it;
	cmark_event_type ev;
	const char *url;
	char *html, *fixed, *res;
	int opts = CMARK_OPT_VALIDATE_UTF8;

	doc = cmark_parse_document(text, len, opts);
	if (doc == NULL)
		BUG("cmark_parse_document failed");
	it = cmark_iter_new(doc);
	while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
		node = cmark_iter_get_node(it);
		if (ev != CMARK_EVENT_ENTER ||
		    cmark_node_get_type(node) != CMARK_NODE_LINK)
			continue;
		url = cmark_node_get_url(node);
		if (url != NULL && (fixed = rewrite_md_link(url, prefix)) != NULL) {
			cmark_node_set_url(node, fixed);
			free(fixed);
		}
	}
	cmark_iter_free(it);
	html = cmark_render_html(doc, opts);
	cmark_node_free(doc);
	if (html == NULL)
		BUG("cmark_render_html failed");
	res = valid_utf8(a, html);
	free(html);
	return res;
}
