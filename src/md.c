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
 *
 * An invisible character (a bidi control, a zero-width character: diag.h)
 * never reaches a page raw, whether the Markdown holds it or a character
 * reference cmark decodes (&#x202E;, &rlm;): it becomes a visible marker,
 * "[U+202E]", in a titled <span> in text and as plain text inside a tag.
 */
#include <stdlib.h>
#include <string.h>

#include <cmark.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "md.h"
#include "util.h"

/*
 * cmark allocates through these, so running out of memory inside it ends
 * the process through xoom like anywhere else (cmark's own allocator
 * aborts, leaving a build's temporary folder behind).
 */
static void *
md_calloc(size_t nmemb, size_t size)
{
	return xcalloc(nmemb, size);
}

static void *
md_realloc(void *p, size_t n)
{
	return xrealloc(p, n);
}

static cmark_mem md_mem = { md_calloc, md_realloc, free };

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

/*
 * html (cmark's output) with every invisible character as its marker.
 * cmark escapes '<' and '>' in text and attribute values, so a '<' always
 * opens a tag (or a comment) and a '>' closes it.
 */
static char *
mark_invisible(struct arena *a, char *html)
{
	const char *p, *run;
	struct buf b;
	uint32_t cp;
	size_t n;
	int intag = 0;
	char *r;

	for (p = html; *p != '\0' && invisible_at(p, &cp) == 0; p++)
		continue;
	if (*p == '\0')
		return html;
	buf_init(&b, 0);
	for (p = run = html; *p != '\0'; ) {
		if (*p == '<' || *p == '>')
			intag = *p == '<';
		if ((n = invisible_at(p, &cp)) == 0) {
			p++;
			continue;
		}
		buf_append(&b, run, (size_t)(p - run));
		invisible_mark(&b, cp, intag ? MARK_TEXT : MARK_HTML);
		run = p += n;
	}
	buf_append(&b, run, (size_t)(p - run));
	r = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return r;
}

char *
md_to_html(struct arena *a, const char *text, size_t len, const char *prefix)
{
	cmark_parser *parser;
	cmark_node *doc, *node;
	cmark_iter *it;
	cmark_event_type ev;
	const char *url;
	char *html, *fixed, *res;
	int opts = CMARK_OPT_VALIDATE_UTF8;

	/* cmark_parse_document, with our allocator: the tree keeps it. */
	parser = cmark_parser_new_with_mem(opts, &md_mem);
	cmark_parser_feed(parser, text, len);
	doc = cmark_parser_finish(parser);
	cmark_parser_free(parser);
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
	res = mark_invisible(a, valid_utf8(a, html));
	free(html);
	return res;
}

const char *
md_cmark_version(void)
{
	return cmark_version_string();
}

/*
 * The named character references HTML gives invisible characters
 * (&ZeroWidthSpace; and its four "Negative...Space" aliases, &zwnj;,
 * &zwj;, &lrm;, &rlm;, &NoBreak;, &af;, &it;, &ic; and their long forms);
 * none of the others has one.
 */
static const struct {
	const char	*name;
	uint32_t	 cp;
} invisible_refs[] = {
	{ "ZeroWidthSpace;", 0x200B }, { "NegativeVeryThinSpace;", 0x200B },
	{ "NegativeThinSpace;", 0x200B }, { "NegativeMediumSpace;", 0x200B },
	{ "NegativeThickSpace;", 0x200B }, { "zwnj;", 0x200C },
	{ "zwj;", 0x200D }, { "lrm;", 0x200E }, { "rlm;", 0x200F },
	{ "NoBreak;", 0x2060 }, { "af;", 0x2061 }, { "ApplyFunction;", 0x2061 },
	{ "it;", 0x2062 }, { "InvisibleTimes;", 0x2062 }, { "ic;", 0x2063 },
	{ "InvisibleComma;", 0x2063 }
};

/*
 * The length of the character reference s starts with ("&#x202E;",
 * "&#8238;", "&rlm;") if it names an invisible character, its code point
 * in *cp; else 0.  Numeric references as CommonMark reads them: 1 to 7
 * decimal or 1 to 6 hexadecimal digits.
 */
static size_t
invisible_ref(const char *s, uint32_t *cp)
{
	const char *p = s + 2;
	uint32_t v = 0;
	size_t i, n;
	int hex;

	if (s[0] != '&')
		return 0;
	if (s[1] != '#') {
		for (i = 0; i < sizeof(invisible_refs) /
		    sizeof(invisible_refs[0]); i++) {
			n = strlen(invisible_refs[i].name);
			if (strncmp(s + 1, invisible_refs[i].name, n) == 0) {
				*cp = invisible_refs[i].cp;
				return n + 1;
			}
		}
		return 0;
	}
	hex = *p == 'x' || *p == 'X';
	p += hex;
	for (n = 0; n < (hex ? 6u : 7u); n++, p++) {
		if (*p >= '0' && *p <= '9')
			v = v * (hex ? 16 : 10) + (uint32_t)(*p - '0');
		else if (hex && ((*p | 0x20) >= 'a' && (*p | 0x20) <= 'f'))
			v = v * 16 + (uint32_t)((*p | 0x20) - 'a' + 10);
		else
			break;
	}
	if (n == 0 || *p != ';' || invisible_name(v) == NULL)
		return 0;
	*cp = v;
	return (size_t)(p + 1 - s);
}

/* An invisible character, raw or as a character reference. */
static size_t
invisible_or_ref(const char *s, uint32_t *cp)
{
	size_t n = invisible_at(s, cp);

	return n != 0 ? n : invisible_ref(s, cp);
}

const char *
md_show_invisible(struct arena *a, const char *md)
{
	return invisible_replace(a, md, invisible_or_ref);
}
