/*
 * mustache.c - the Mustache engine: compile a template once to an op tree,
 * then render op trees against a value tree into a capped buffer.
 *
 * Compiling takes three passes over the source.  The first cuts it into
 * text and tag tokens (applying delimiter changes as it goes) and matches
 * every section, block and parent with its closing tag.  The second finds
 * standalone lines and trims their white space out of the text around
 * them; it needs the matching because a line holding only inheritance
 * tags ("{{<parent}}{{$block}}", "{{$block}}{{/block}}") is standalone too.
 * The third builds the op tree, splitting text at newlines so that every
 * template line starts with an op marked `bol`: a partial's indentation is
 * then written before each of those ops, never into data, which is never
 * parsed as a template.
 *
 * Blocks follow the spec's textual model of reindentation: the body of a
 * standalone block loses the white space its lines have in common (the
 * body's own indentation, stripped at compile time) and, where it is
 * expanded, gains the indentation of the block tag there.
 *
 * Rendering recurses over the op tree; sections nest at most MAX_NEST deep
 * in one template (checked when compiling) and partials, parents and blocks
 * at most MUSTACHE_MAX_DEPTH deep (checked when rendering), so the C stack
 * stays bounded whatever the templates do.  The context stack, the block
 * overrides in force and the indentation are linked lists on that stack.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "mustache.h"
#include "util.h"

#define MAX_NEST	64	/* open sections in one template */
#define NBUCKET		64	/* template cache hash buckets */
#define ECHO_MAX	60	/* bytes of a tag quoted in a message */
#define NONE		((size_t)-1)

/* ---- values -------------------------------------------------------------- */

static struct mval *
mv_new(struct arena *a, enum mval_type type)
{
	struct mval *v = arena_alloc(a, sizeof(*v));

	v->type = type;
	return v;
}

struct mval *
mv_null(struct arena *a)
{
	return mv_new(a, MV_NULL);
}

struct mval *
mv_bool(struct arena *a, int b)
{
	struct mval *v = mv_new(a, MV_BOOL);

	v->b = b != 0;
	return v;
}

struct mval *
mv_num(struct arena *a, double n)
{
	struct mval *v = mv_new(a, MV_NUM);

	v->num = n;
	return v;
}

struct mval *
mv_str(struct arena *a, const char *s)
{
	struct mval *v;

	if (s == NULL)
		return mv_null(a);
	v = mv_new(a, MV_STR);
	v->s = arena_strdup(a, s);
	return v;
}

struct mval *
mv_list(struct arena *a)
{
	return mv_new(a, MV_LIST);
}

struct mval *
mv_map(struct arena *a)
{
	return mv_new(a, MV_MAP);
}

/* Make room for one more item (and key, for a map); arrays double. */
static void
mv_grow(struct arena *a, struct mval *v)
{
	struct mval **items;
	const char **keys;
	size_t cap;

	if (v->n < v->cap)
		return;
	cap = v->cap ? v->cap * 2 : 4;
	items = arena_alloc(a, cap * sizeof(*items));
	if (v->n)
		memcpy(items, v->items, v->n * sizeof(*items));
	v->items = items;
	if (v->type == MV_MAP) {
		keys = arena_alloc(a, cap * sizeof(*keys));
		if (v->n)
			memcpy(keys, v->keys, v->n * sizeof(*keys));
		v->keys = keys;
	}
	v->cap = cap;
}

struct mval *
mv_push(struct arena *a, struct mval *list, struct mval *v)
{
	if (list->type != MV_LIST)
		BUG("mv_push on a value that is not a list");
	if (v == NULL)
		v = mv_null(a);
	mv_grow(a, list);
	list->items[list->n++] = v;
	return v;
}

struct mval *
mv_set(struct arena *a, struct mval *map, const char *key, struct mval *v)
{
	size_t i;

	if (map->type != MV_MAP)
		BUG("mv_set on a value that is not a map");
	if (v == NULL)
		v = mv_null(a);
	/* Setting a key again replaces its value: views set defaults first. */
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0) {
			map->items[i] = v;
			return v;
		}
	mv_grow(a, map);
	map->keys[map->n] = arena_strdup(a, key);
	map->items[map->n++] = v;
	return v;
}

void
mv_set_str(struct arena *a, struct mval *map, const char *key, const char *s)
{
	mv_set(a, map, key, mv_str(a, s));
}

void
mv_set_num(struct arena *a, struct mval *map, const char *key, double n)
{
	mv_set(a, map, key, mv_num(a, n));
}

void
mv_set_bool(struct arena *a, struct mval *map, const char *key, int b)
{
	mv_set(a, map, key, mv_bool(a, b));
}

struct mval *
mv_get(const struct mval *map, const char *key)
{
	size_t i;

	if (map == NULL || map->type != MV_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->keys[i], key) == 0)
			return map->items[i];
	return NULL;
}

/* ---- templates and the environment --------------------------------------- */

enum op_type {
	OP_TEXT,	/* s[0..len); bol: starts a template line */
	OP_VAR,		/* path; escape */
	OP_SECTION,	/* path; kids */
	OP_INVERTED,	/* path; kids */
	OP_PARTIAL,	/* name s, or path when dynamic; indent */
	OP_PARENT,	/* as a partial; kids are its block overrides */
	OP_BLOCK	/* name s; kids are the default; indent */
};

struct op {
	enum op_type	 type;
	struct loc	 loc;
	const char	*s;		/* text, or the tag's name */
	size_t		 len;
	const char	**path;		/* npath 0 is "." */
	size_t		 npath;
	const char	*indent;	/* what a standalone op indents by */
	size_t		 ilen;
	int		 bol, escape, dynamic, standalone;
	int		 plain;		/* where no markup may go (html_scan) */
	struct op	*kids, *next;
};

enum tmpl_state { TS_OK, TS_MISSING, TS_BROKEN };

struct tmpl {
	const char	*name;
	const char	*file;
	enum tmpl_state	 state;
	int		 reported;	/* TS_MISSING: diagnostic given */
	struct op	*root;
	struct tmpl	*next;
};

struct menv {
	struct arena		*arena;
	struct diag		*diag;
	struct mustache_loader	 loader;
	int			 strict;
	struct tmpl		*bucket[NBUCKET];
};

struct menv *
menv_new(struct arena *a, struct diag *d, const struct mustache_loader *l,
    int strict)
{
	struct menv *env = arena_alloc(a, sizeof(*env));

	env->arena = a;
	env->diag = d;
	env->loader = *l;
	env->strict = strict;
	return env;
}

/* Everything the environment holds lives in its arena. */
void
menv_free(struct menv *env)
{
	(void)env;
}

/* ---- compiling: tokens --------------------------------------------------- */

enum tok_type {
	T_TEXT, T_VAR, T_RAW, T_SECTION, T_INVERTED, T_CLOSE, T_PARTIAL,
	T_PARENT, T_BLOCK, T_COMMENT, T_DELIM
};

struct tok {
	enum tok_type	 type;
	size_t		 start, end;	/* the text, or all of the tag */
	const char	*name;		/* a tag's trimmed content */
	size_t		 nlen;
	int		 dynamic;
	int		 line, col;
	size_t		 match;		/* opening <-> closing tag */
	enum tok_type	 closes;	/* T_CLOSE: what it closes */
	int		 standalone, keepnl;
	size_t		 istart, iend;	/* standalone: indentation */
	int		 hasd;		/* T_BLOCK: a non-blank line, */
	size_t		 dstart, dlen;	/* and the lines' common indent */
};

/* One compilation. */
struct cc {
	struct menv	*env;
	const char	*file;
	const char	*src;
	size_t		 len;
	struct tok	*t;
	size_t		 nt, cap;
	size_t		 lpos, lstart;	/* position, start of its line */
	int		 line;
	int		 hstate;	/* html_scan: enum hstate */
	int		 helem;		/* its raw_elems index, or -1 */
};

static const char *
kind_name(enum tok_type t)
{
	switch (t) {
	case T_SECTION:		return "section";
	case T_INVERTED:	return "inverted section";
	case T_PARENT:		return "parent";
	case T_BLOCK:		return "block";
	default:		return "tag";
	}
}

static int
is_ws(int c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' ||
	    c == '\v';
}

static int
is_blank(int c)
{
	return c == ' ' || c == '\t';
}

static int
at_line_start(const struct cc *c, size_t pos)
{
	return pos == 0 || c->src[pos - 1] == '\n';
}

/* Line and column (code points, 1-based) of pos; cheap when pos grows. */
static void
line_col(struct cc *c, size_t pos, int *line, int *col)
{
	if (pos < c->lpos) {
		c->lpos = c->lstart = 0;
		c->line = 1;
	}
	for (; c->lpos < pos; c->lpos++)
		if (c->src[c->lpos] == '\n') {
			c->line++;
			c->lstart = c->lpos + 1;
		}
	*line = c->line;
	*col = (int)utf8_count(c->src + c->lstart, pos - c->lstart) + 1;
}

static void
loc_at(struct cc *c, size_t pos, struct loc *loc)
{
	loc->file = c->file;
	line_col(c, pos, &loc->line, &loc->col);
}

static void
cc_error(struct cc *c, enum rule r, size_t pos, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
cc_error(struct cc *c, enum rule r, size_t pos, const char *fmt, ...)
{
	struct loc loc;
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	loc_at(c, pos, &loc);
	diag_emit(c->env->diag, r, &loc, "%s", msg);
}

/* The tag t as written, shortened at a character boundary for a message. */
static const char *
echo(struct cc *c, const struct tok *t)
{
	size_t n = t->end - t->start;

	if (n <= ECHO_MAX)
		return arena_strndup(c->env->arena, c->src + t->start, n);
	n = ECHO_MAX;
	while (n > 0 && ((unsigned char)c->src[t->start + n] & 0xC0) == 0x80)
		n--;
	return arena_printf(c->env->arena, "%.*s...", (int)n,
	    c->src + t->start);
}

static size_t
find(const char *s, size_t len, size_t from, const char *pat, size_t plen)
{
	const char *p;

	while (from + plen <= len) {
		p = memchr(s + from, pat[0], len - from - plen + 1);
		if (p == NULL)
			return NONE;
		from = (size_t)(p - s);
		if (memcmp(p, pat, plen) == 0)
			return from;
		from++;
	}
	return NONE;
}

/*
 * Where the tag whose content starts at q ends: the position of ctag, or
 * with a closing character cc ('}' of "{{{", '=' of "{{=") the position of
 * cc before it.
 */
static size_t
find_close(const struct cc *c, size_t q, int cc, const char *ctag,
    size_t clen)
{
	size_t k = q;

	for (;;) {
		if ((k = find(c->src, c->len, k, ctag, clen)) == NONE)
			return NONE;
		if (cc == 0)
			return k;
		if (k > q && c->src[k - 1] == cc)
			return k - 1;
		k++;
	}
}

static struct tok *
add_tok(struct cc *c, enum tok_type type, size_t start, size_t end)
{
	struct tok *t;

	c->t = xgrow(c->t, &c->cap, c->nt + 1, sizeof(*c->t));
	t = &c->t[c->nt++];
	memset(t, 0, sizeof(*t));
	t->type = type;
	t->start = start;
	t->end = end;
	t->match = NONE;
	if (type != T_TEXT)
		line_col(c, start, &t->line, &t->col);
	return t;
}

/* A dotted name: "." or parts without empty ones ("a..b", ".a", "a."). */
static int
name_ok(const char *s, size_t n)
{
	size_t i;

	if (n == 1 && s[0] == '.')
		return 1;
	if (s[0] == '.' || s[n - 1] == '.')
		return 0;
	for (i = 1; i < n; i++)
		if (s[i] == '.' && s[i - 1] == '.')
			return 0;
	return 1;
}

/* Check and record a tag's name; a dynamic one loses its '*'. */
static int
tag_name(struct cc *c, struct tok *t, const char *s, size_t n)
{
	size_t i;

	while (n > 0 && is_ws(s[0]))
		s++, n--;
	while (n > 0 && is_ws(s[n - 1]))
		n--;
	if (n > 0 && s[0] == '*' && (t->type == T_PARTIAL ||
	    t->type == T_PARENT || t->type == T_CLOSE)) {
		t->dynamic = 1;
		s++, n--;
		while (n > 0 && is_ws(s[0]))
			s++, n--;
	}
	t->name = s;
	t->nlen = n;
	if (n == 0) {
		cc_error(c, R_TEMPLATE_SYNTAX, t->start,
		    "empty name in tag '%s'", echo(c, t));
		return -1;
	}
	for (i = 0; i < n; i++)
		if (is_ws(s[i])) {
			cc_error(c, R_TEMPLATE_SYNTAX, t->start,
			    "white space inside the name in tag '%s'",
			    echo(c, t));
			return -1;
		}
	if ((t->dynamic || t->type == T_VAR || t->type == T_RAW ||
	    t->type == T_SECTION || t->type == T_INVERTED) && !name_ok(s, n)) {
		cc_error(c, R_TEMPLATE_SYNTAX, t->start,
		    "malformed dotted name '%.*s'", (int)n, s);
		return -1;
	}
	return 0;
}

/*
 * "{{=<% %>=}}": two delimiters, neither holding white space or '='.
 * They point into the source, which outlives the compilation.
 */
static int
set_delims(struct cc *c, const struct tok *t, size_t q, size_t e,
    const char **otag, size_t *olen, const char **ctag, size_t *clen)
{
	const char *s = c->src;
	size_t a, b, i;

	while (q < e && is_ws(s[q]))
		q++;
	while (e > q && is_ws(s[e - 1]))
		e--;
	for (a = q; a < e && !is_ws(s[a]); a++)
		continue;
	for (b = a; b < e && is_ws(s[b]); b++)
		continue;
	for (i = b; i < e && !is_ws(s[i]); i++)
		continue;
	if (a == q || b == e || i != e || memchr(s + q, '=', e - q) != NULL) {
		cc_error(c, R_TEMPLATE_SYNTAX, t->start, "bad delimiter "
		    "change '%s': expected two delimiters, without white "
		    "space or '='", echo(c, t));
		return -1;
	}
	*otag = s + q;
	*olen = a - q;
	*ctag = s + b;
	*clen = e - b;
	return 0;
}

/* Pass 1: tokens, with sections matched to their closing tags. */
static int
tokenize(struct cc *c)
{
	static const char sigils[] = "#^/><$&{!=";
	static const enum tok_type types[] = {
		T_SECTION, T_INVERTED, T_CLOSE, T_PARTIAL, T_PARENT, T_BLOCK,
		T_RAW, T_RAW, T_COMMENT, T_DELIM
	};
	const char *otag = "{{", *ctag = "}}", *sg;
	size_t olen = 2, clen = 2, pos = 0, p, q, e, end, depth = 0;
	size_t stack[MAX_NEST];
	enum tok_type type;
	struct tok *t, *o;
	int cc;

	while (pos < c->len) {
		if ((p = find(c->src, c->len, pos, otag, olen)) == NONE)
			p = c->len;
		if (p > pos)
			add_tok(c, T_TEXT, pos, p);
		if (p == c->len)
			break;
		q = p + olen;
		type = T_VAR;
		cc = 0;
		if (q < c->len && c->src[q] != '\0' &&
		    (sg = strchr(sigils, c->src[q])) != NULL) {
			type = types[sg - sigils];
			if (c->src[q] == '{')
				cc = '}';
			else if (c->src[q] == '=')
				cc = '=';
			q++;
		}
		if ((e = find_close(c, q, cc, ctag, clen)) == NONE) {
			cc_error(c, R_TEMPLATE_SYNTAX, p, "tag is never "
			    "closed: no '%s%.*s' follows", cc == '}' ? "}" :
			    cc == '=' ? "=" : "", (int)clen, ctag);
			return -1;
		}
		end = e + (cc != 0) + clen;
		t = add_tok(c, type, p, end);
		pos = end;
		if (type == T_COMMENT)
			continue;
		if (type == T_DELIM) {
			if (set_delims(c, t, q, e, &otag, &olen, &ctag,
			    &clen) != 0)
				return -1;
			continue;
		}
		if (tag_name(c, t, c->src + q, e - q) != 0)
			return -1;
		if (type == T_SECTION || type == T_INVERTED ||
		    type == T_PARENT || type == T_BLOCK) {
			if (depth == MAX_NEST) {
				cc_error(c, R_TEMPLATE_LIMIT, p, "%s '%.*s' "
				    "nested more than %d deep", kind_name(type),
				    (int)t->nlen, t->name, MAX_NEST);
				return -1;
			}
			stack[depth++] = c->nt - 1;
			continue;
		}
		if (type != T_CLOSE)
			continue;
		if (depth == 0) {
			cc_error(c, R_TEMPLATE_SYNTAX, p, "closing tag '%.*s' "
			    "has no open section", (int)t->nlen, t->name);
			return -1;
		}
		o = &c->t[stack[depth - 1]];
		if (o->nlen != t->nlen || o->dynamic != t->dynamic ||
		    memcmp(o->name, t->name, t->nlen) != 0) {
			cc_error(c, R_TEMPLATE_SYNTAX, p, "closing tag "
			    "'%s%.*s' does not match %s '%s%.*s' opened at "
			    "line %d", t->dynamic ? "*" : "", (int)t->nlen,
			    t->name, kind_name(o->type), o->dynamic ? "*" :
			    "", (int)o->nlen, o->name, o->line);
			return -1;
		}
		t->match = stack[--depth];
		t->closes = o->type;
		o->match = c->nt - 1;
	}
	if (depth > 0) {
		o = &c->t[stack[depth - 1]];
		cc_error(c, R_TEMPLATE_SYNTAX, o->start, "%s '%s%.*s' opened "
		    "here is never closed", kind_name(o->type), o->dynamic ?
		    "*" : "", (int)o->nlen, o->name);
		return -1;
	}
	return 0;
}

/* ---- compiling: standalone lines ----------------------------------------- */

static int
inheritance_tag(const struct tok *t)
{
	return t->type == T_PARENT || t->type == T_BLOCK ||
	    (t->type == T_CLOSE && (t->closes == T_PARENT ||
	    t->closes == T_BLOCK));
}

/*
 * Can tags i..j, adjacent with nothing between them, make a standalone
 * line?  One tag that renders nothing in place can (not a variable); so
 * can several when all are parent and block tags, which the inheritance
 * spec treats as one unit ("{{<parent}}{{$block}}").
 */
static int
group_ok(const struct cc *c, size_t i, size_t j)
{
	size_t k;

	if (i == j)
		return c->t[i].type != T_VAR && c->t[i].type != T_RAW;
	for (k = i; k <= j; k++)
		if (!inheritance_tag(&c->t[k]))
			return 0;
	return 1;
}

/*
 * Pass 2: a line holding only white space and such a group of tags is
 * removed, newline and all; the white space before the first tag is kept
 * as its indentation.  An empty block on a line of its own
 * ("  {{$b}}{{/b}}") keeps its newline: the spec's block content replaces
 * the tags, not the line.
 */
static void
find_standalone(struct cc *c)
{
	const char *s = c->src;
	size_t i, j, k, ls, le;

	for (i = 0; i < c->nt; i = j + 1) {
		j = i;
		if (c->t[i].type == T_TEXT)
			continue;
		while (j + 1 < c->nt && c->t[j + 1].type != T_TEXT)
			j++;
		if (!group_ok(c, i, j))
			continue;
		for (ls = c->t[i].start; ls > 0 && is_blank(s[ls - 1]); ls--)
			continue;
		if (ls > 0 && s[ls - 1] != '\n')
			continue;
		for (le = c->t[j].end; le < c->len && is_blank(s[le]); le++)
			continue;
		if (le < c->len && s[le] == '\r' && le + 1 < c->len &&
		    s[le + 1] == '\n')
			le++;
		if (le < c->len && s[le] != '\n')
			continue;
		c->t[i].keepnl = j == i + 1 && c->t[i].type == T_BLOCK &&
		    c->t[i].match == j;
		if (!c->t[i].keepnl && le < c->len)
			le++;
		else if (c->t[i].keepnl)
			for (le = c->t[j].end; is_blank(s[le]); le++)
				continue;
		for (k = i; k <= j; k++)
			c->t[k].standalone = 1;
		c->t[i].istart = ls;
		c->t[i].iend = c->t[i].start;
		if (i > 0)
			c->t[i - 1].end = ls;
		if (j + 1 < c->nt)
			c->t[j + 1].start = le;
	}
}

/*
 * The white space common to the non-blank lines of a standalone block's
 * body, as written (pass 3 strips it from each line).  Lines of
 * standalone tags count: the spec's model is textual.
 */
static void
block_indent(struct cc *c, size_t i)
{
	struct tok *b = &c->t[i];
	const char *s = c->src;
	size_t from, to, p, w, eol, n;

	if (b->type != T_BLOCK || !b->standalone || b->match == i + 1)
		return;
	from = c->t[i + 1].start;
	to = c->t[b->match - 1].end;
	for (p = from; p < to; p = eol + 1) {
		for (w = p; w < to && is_blank(s[w]); w++)
			continue;
		for (eol = w; eol < to && s[eol] != '\n'; eol++)
			continue;
		if (w == eol || (s[w] == '\r' && w + 1 == eol))
			continue;
		if (!b->hasd) {
			b->hasd = 1;
			b->dstart = p;
			b->dlen = w - p;
			continue;
		}
		for (n = 0; n < b->dlen && n < w - p &&
		    s[b->dstart + n] == s[p + n]; n++)
			continue;
		b->dlen = n;
	}
}

/* ---- compiling: the op tree ---------------------------------------------- */

struct bframe {
	struct op	*op;		/* NULL: the top level */
	struct op	**tail;
	size_t		 strip;		/* indentation to strip */
};

/*
 * Where in HTML a tag sits.  An invisible character in a value (a bidi
 * control, a zero-width character: diag.h) is written as a visible marker,
 * and in the text of an element that marker is a <span> with a title
 * naming the character.  Inside a tag (an attribute value), a comment, an
 * element whose content is not markup (<title>, <textarea>, <script>,
 * <style>) or SVG and MathML, a <span> would be shown as text or break
 * the page, so the marker there is plain text.  The template's own text is
 * read in order, as if every Mustache tag were empty; partials, parents
 * and blocks placed where markup may not go pass that on when rendered.
 * Markdown templates are read the same way and never use the result.
 */
enum hstate { H_TEXT, H_TAG, H_DQ, H_SQ, H_COMMENT, H_RAW };

static const char *const raw_elems[] = {
	"title", "textarea", "script", "style", "svg", "math"
};

/* The raw_elems index of the element name s starts with, or -1. */
static int
raw_elem(const char *s)
{
	size_t i, n;

	for (i = 0; i < sizeof(raw_elems) / sizeof(raw_elems[0]); i++) {
		n = strlen(raw_elems[i]);
		if (strncasecmp(s, raw_elems[i], n) == 0 &&
		    !isalnum((unsigned char)s[n]) && s[n] != '-' &&
		    s[n] != ':')
			return (int)i;
	}
	return -1;
}

/* Read the template text src[i..to) through the HTML states. */
static void
html_scan(struct cc *c, size_t i, size_t to)
{
	const char *s = c->src;

	for (; i < to; i++)
		switch (c->hstate) {
		case H_TEXT:
			if (s[i] != '<')
				break;
			if (strncmp(s + i, "<!--", 4) == 0) {
				c->hstate = H_COMMENT;
				i += 3;
			} else if (isalpha((unsigned char)s[i + 1]) ||
			    s[i + 1] == '/' || s[i + 1] == '!' ||
			    s[i + 1] == '?') {
				c->hstate = H_TAG;
				c->helem = raw_elem(s + i + 1);
			}
			break;
		case H_TAG:
			if (s[i] == '"')
				c->hstate = H_DQ;
			else if (s[i] == '\'')
				c->hstate = H_SQ;
			else if (s[i] == '>')
				c->hstate = c->helem >= 0 && s[i - 1] != '/' ?
				    H_RAW : H_TEXT;
			break;
		case H_DQ:
			if (s[i] == '"')
				c->hstate = H_TAG;
			break;
		case H_SQ:
			if (s[i] == '\'')
				c->hstate = H_TAG;
			break;
		case H_COMMENT:
			if (strncmp(s + i, "-->", 3) == 0) {
				c->hstate = H_TEXT;
				i += 2;
			}
			break;
		case H_RAW:
			if (s[i] == '<' && s[i + 1] == '/' &&
			    raw_elem(s + i + 2) == c->helem) {
				c->hstate = H_TAG;
				c->helem = -1;
				i++;
			}
			break;
		}
}

static struct op *
new_op(struct cc *c, enum op_type type, const struct tok *t)
{
	struct op *op = arena_alloc(c->env->arena, sizeof(*op));

	op->type = type;
	op->loc.file = c->file;
	if (t != NULL) {
		op->loc.line = t->line;
		op->loc.col = t->col;
		op->s = arena_strndup(c->env->arena, t->name, t->nlen);
		op->len = t->nlen;
		op->dynamic = t->dynamic;
		op->standalone = t->standalone;
	}
	return op;
}

/* Append op to the open container; a parent keeps only its blocks. */
static void
link_op(struct bframe *f, struct op *op)
{
	if (f->op != NULL && f->op->type == OP_PARENT && op->type != OP_BLOCK)
		return;
	*f->tail = op;
	f->tail = &op->next;
}

static void
split_path(struct cc *c, struct op *op)
{
	size_t i, k, n = 1;
	const char *p;

	if (strcmp(op->s, ".") == 0)
		return;
	for (p = op->s; *p; p++)
		n += *p == '.';
	op->path = arena_alloc(c->env->arena, n * sizeof(*op->path));
	for (i = k = 0; k < n; k++) {
		p = op->s + i;
		while (op->s[i] != '.' && op->s[i] != '\0')
			i++;
		op->path[k] = arena_strndup(c->env->arena, p,
		    (size_t)(op->s + i - p));
		i++;
	}
	op->npath = n;
}

/* Skip up to strip bytes of blanks at s[from..to). */
static size_t
skip_strip(const struct cc *c, size_t from, size_t to, size_t strip)
{
	size_t n;

	for (n = 0; n < strip && from < to && is_blank(c->src[from]); n++)
		from++;
	return from;
}

/* Text ops, one per line piece; a piece that starts a line gets `bol`. */
static void
add_text(struct cc *c, struct bframe *f, size_t from, size_t to)
{
	size_t eol;
	struct op *op;
	int bol;

	while (from < to) {
		bol = at_line_start(c, from);
		if (bol)
			from = skip_strip(c, from, to, f->strip);
		for (eol = from; eol < to && c->src[eol] != '\n'; eol++)
			continue;
		if (eol < to)
			eol++;
		if (from < eol || bol) {
			op = new_op(c, OP_TEXT, NULL);
			line_col(c, from, &op->loc.line, &op->loc.col);
			op->s = c->src + from;
			op->len = eol - from;
			op->bol = bol;
			link_op(f, op);
		}
		from = eol;
	}
}

/* Pass 3: the op tree.  Returns the first op of the top level. */
static struct op *
build(struct cc *c)
{
	static const enum op_type optype[] = {
		[T_VAR] = OP_VAR, [T_RAW] = OP_VAR, [T_SECTION] = OP_SECTION,
		[T_INVERTED] = OP_INVERTED, [T_PARTIAL] = OP_PARTIAL,
		[T_PARENT] = OP_PARENT, [T_BLOCK] = OP_BLOCK
	};
	struct bframe st[MAX_NEST + 1];
	struct op *root = NULL, *op;
	size_t i, top = 0, from, enc;
	struct tok *t;

	st[0].op = NULL;
	st[0].tail = &root;
	st[0].strip = 0;
	for (i = 0; i < c->nt; i++) {
		t = &c->t[i];
		if (t->type == T_TEXT) {
			add_text(c, &st[top], t->start, t->end);
			html_scan(c, t->start, t->end);
			continue;
		}
		if (!t->standalone && at_line_start(c, t->start)) {
			op = new_op(c, OP_TEXT, NULL);
			op->loc.line = t->line;
			op->loc.col = t->col;
			op->s = "";
			op->bol = 1;
			link_op(&st[top], op);
		}
		if (t->type == T_CLOSE) {
			top--;
			continue;
		}
		if (t->type == T_COMMENT || t->type == T_DELIM)
			continue;
		op = new_op(c, optype[t->type], t);
		op->escape = t->type == T_VAR;
		op->plain = c->hstate != H_TEXT;
		if (op->type != OP_BLOCK && (op->dynamic ||
		    (op->type != OP_PARTIAL && op->type != OP_PARENT)))
			split_path(c, op);
		enc = st[top].strip;
		if (t->standalone) {
			from = skip_strip(c, t->istart, t->iend, enc);
			op->indent = c->src + from;
			op->ilen = t->iend - from;
		}
		if (op->type == OP_BLOCK && t->hasd && t->dlen > enc) {
			op->indent = c->src + t->dstart + enc;
			op->ilen = t->dlen - enc;
		}
		link_op(&st[top], op);
		if (op->type == OP_VAR || op->type == OP_PARTIAL)
			continue;
		top++;
		st[top].op = op;
		st[top].tail = &op->kids;
		st[top].strip = op->type == OP_BLOCK && t->hasd ? t->dlen : enc;
	}
	return root;
}

/* Compile src (copied into the arena) into t; TS_BROKEN after a diagnostic. */
static void
compile(struct menv *env, struct tmpl *t, const char *src, size_t len)
{
	struct cc c;
	size_t i, bad;

	memset(&c, 0, sizeof(c));
	c.env = env;
	c.file = t->file;
	c.src = arena_strndup(env->arena, len > 0 ? src : "", len);
	c.len = len;
	c.line = 1;
	c.helem = -1;
	t->state = TS_BROKEN;
	if (utf8_valid(c.src, len, &bad) != 0) {
		cc_error(&c, R_TEMPLATE_SYNTAX, bad, "template is not valid "
		    "UTF-8");
		return;
	}
	if ((bad = strlen(c.src)) < len) {
		cc_error(&c, R_TEMPLATE_SYNTAX, bad, "template holds a NUL "
		    "byte");
		return;
	}
	if (tokenize(&c) == 0) {
		find_standalone(&c);
		for (i = 0; i < c.nt; i++)
			block_indent(&c, i);
		t->root = build(&c);
		t->state = TS_OK;
	}
	free(c.t);
}

static unsigned
hash(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

/* The cache entry for name, loading and compiling it on first use. */
static struct tmpl *
tmpl_get(struct menv *env, const char *name)
{
	struct tmpl **b = &env->bucket[hash(name) % NBUCKET], *t;
	const char *src = NULL, *file = NULL;
	size_t len = 0;

	for (t = *b; t != NULL; t = t->next)
		if (strcmp(t->name, name) == 0)
			return t;
	t = arena_alloc(env->arena, sizeof(*t));
	t->name = arena_strdup(env->arena, name);
	t->next = *b;
	*b = t;
	if (env->loader.load(env->loader.ctx, name, &src, &len, &file) != 0) {
		t->state = TS_MISSING;
		return t;
	}
	if (src == NULL)
		len = 0;
	t->file = arena_strdup(env->arena, file != NULL ? file : name);
	compile(env, t, src, len);
	return t;
}

/* ---- rendering ----------------------------------------------------------- */

/* The context stack, innermost first. */
struct frame {
	const struct mval	*v;
	const struct frame	*up;
};

/* The parents being rendered, innermost first; the outermost override wins. */
struct ovr {
	const struct op		*parent;
	const struct ovr	*up;
};

/* Indentation of the current template lines, innermost part first. */
struct ind {
	const char		*s;
	size_t			 len;
	const struct ind	*up;
};

struct scope {
	const struct frame	*ctx;
	const struct ovr	*ovr;
	const struct ind	*ind;
};

struct rstate {
	struct menv	*env;
	struct buf	*out;
	int		 depth;
	unsigned long	 steps;		/* ops executed, against MUSTACHE_MAX_STEPS */
	int		 too_long;	/* reported */
	enum mustache_escape escape;
	int		 plain;		/* in includes placed where no markup
					   may go (html_scan) */
	const struct op	*sect;		/* the innermost section rendering */
};

static int render(struct rstate *, const struct op *, const struct scope *);

/*
 * Nested sections that print nothing multiply work without growing the
 * output, so the output cap alone cannot bound the time a render takes.
 */
static int
too_long(struct rstate *r, const struct op *op)
{
	if (!r->too_long)
		diag_emit(r->env->diag, R_TEMPLATE_LIMIT, op != NULL ?
		    &op->loc : NULL, "rendering took over %lu steps: "
		    "nested sections over long lists?",
		    (unsigned long)MUSTACHE_MAX_STEPS);
	r->too_long = 1;
	return -1;
}

static int
put(struct rstate *r, const struct op *op, const char *s, size_t n)
{
	if (n == 0 || buf_append(r->out, s, n) == 0)
		return 0;
	diag_emit(r->env->diag, R_TEMPLATE_LIMIT, &op->loc, "output over "
	    "the size limit of %zu bytes", r->out->max);
	return -1;
}

/* Outer indentation first; the list is at most MUSTACHE_MAX_DEPTH long. */
static int
put_ind(struct rstate *r, const struct op *op, const struct ind *in)
{
	if (in == NULL)
		return 0;
	if (put_ind(r, op, in->up) != 0)
		return -1;
	return put(r, op, in->s, in->len);
}

/* The marker that stands for invisible character cp (diag.h). */
static int
put_mark(struct rstate *r, const struct op *op, uint32_t cp,
    enum mark_style style)
{
	struct buf m;
	int rc;

	buf_init(&m, 0);
	invisible_mark(&m, cp, style);
	rc = put(r, op, m.data, m.len);
	buf_release(&m);
	return rc;
}

/*
 * Markdown: ASCII punctuation that could start markup is backslash-escaped
 * (CommonMark allows it before any punctuation), so a value is always
 * literal text on one line, inside a GFM table cell too.
 */
static int
put_markdown(struct rstate *r, const struct op *op, const char *s)
{
	const char *run = s;
	char esc[2];
	uint32_t cp;
	size_t n;

	for (;; s++) {
		if (*s == '\0')
			return put(r, op, run, (size_t)(s - run));
		if (strchr("\\`*_[]<>|#&~!", *s) != NULL) {
			esc[0] = '\\';
			esc[1] = *s;
			n = 2;
		} else if (*s == '\n' || *s == '\r' || *s == '\t') {
			esc[0] = ' ';
			n = 1;
		} else if ((unsigned char)*s < 0x20 || *s == 0x7f)
			n = 0;
		else if ((n = invisible_at(s, &cp)) > 0) {
			if (put(r, op, run, (size_t)(s - run)) != 0 ||
			    put_mark(r, op, cp, MARK_MARKDOWN) != 0)
				return -1;
			s += n - 1;
			run = s + 1;
			continue;
		} else
			continue;
		if (put(r, op, run, (size_t)(s - run)) != 0 ||
		    put(r, op, esc, n) != 0)
			return -1;
		run = s + 1;
	}
}

/*
 * HTML: the five characters that end text or an attribute value, and the
 * backtick; an invisible character becomes its marker, an element where
 * one may go (html_scan).
 */
static int
put_escaped(struct rstate *r, const struct op *op, const char *s)
{
	const char *run = s, *ent;
	uint32_t cp;
	size_t n;

	if (r->escape == MUSTACHE_ESCAPE_MARKDOWN)
		return put_markdown(r, op, s);
	for (;; s++) {
		switch (*s) {
		case '&':	ent = "&amp;"; break;
		case '<':	ent = "&lt;"; break;
		case '>':	ent = "&gt;"; break;
		case '"':	ent = "&quot;"; break;
		case '\'':	ent = "&#39;"; break;
		case '`':	ent = "&#96;"; break;
		case '\0':	return put(r, op, run, (size_t)(s - run));
		default:
			if ((unsigned char)*s < 0x80 ||
			    (n = invisible_at(s, &cp)) == 0)
				continue;
			if (put(r, op, run, (size_t)(s - run)) != 0 ||
			    put_mark(r, op, cp, op->plain || r->plain > 0 ?
			    MARK_TEXT : MARK_HTML) != 0)
				return -1;
			s += n - 1;
			run = s + 1;
			continue;
		}
		if (put(r, op, run, (size_t)(s - run)) != 0 ||
		    put(r, op, ent, strlen(ent)) != 0)
			return -1;
		run = s + 1;
	}
}

/*
 * The shortest "%.*g" that reads back as x; integers in full.  The decimal
 * point comes out as '.' whatever the locale, which would only have put
 * its own point in the same place.
 */
static void
fmt_num(double x, char out[40])
{
	char tmp[40];
	size_t i, k;
	int prec;

	if (isnan(x)) {
		strcpy(out, "NaN");
		return;
	}
	if (isinf(x)) {
		strcpy(out, x < 0 ? "-Infinity" : "Infinity");
		return;
	}
	if (x == floor(x) && fabs(x) < 1e17) {
		snprintf(out, 40, "%.0f", x);
		return;
	}
	for (prec = 1; prec <= 17; prec++) {
		snprintf(tmp, sizeof(tmp), "%.*g", prec, x);
		if (strtod(tmp, NULL) == x)
			break;
	}
	for (i = k = 0; tmp[i] != '\0'; i++) {
		if ((tmp[i] >= '0' && tmp[i] <= '9') || tmp[i] == '-' ||
		    tmp[i] == '+' || tmp[i] == 'e')
			out[k++] = tmp[i];
		else if (k == 0 || out[k - 1] != '.')
			out[k++] = '.';
	}
	out[k] = '\0';
}

static int
put_value(struct rstate *r, const struct op *op, const struct mval *v)
{
	char num[40];

	if (v == NULL)
		return 0;
	switch (v->type) {
	case MV_BOOL:
		return put(r, op, v->b ? "true" : "false", v->b ? 4 : 5);
	case MV_NUM:
		fmt_num(v->num, num);
		return put(r, op, num, strlen(num));
	case MV_STR:
		if (op->escape)
			return put_escaped(r, op, v->s);
		return put(r, op, v->s, strlen(v->s));
	default:
		return 0;	/* null, and lists and maps, have no text */
	}
}

static int
truthy(const struct mval *v)
{
	if (v == NULL)
		return 0;
	switch (v->type) {
	case MV_NULL:	return 0;
	case MV_BOOL:	return v->b;
	case MV_LIST:	return v->n > 0;
	default:	return 1;
	}
}

/*
 * The spec's name resolution: the first part of a dotted name is looked
 * up through the context stack, the rest only in what it found.
 */
static const struct mval *
lookup(const struct frame *f, const struct op *op)
{
	const struct mval *v = NULL;
	size_t i;

	if (op->npath == 0)
		return f != NULL ? f->v : NULL;
	for (; f != NULL && v == NULL; f = f->up)
		v = mv_get(f->v, op->path[0]);
	for (i = 1; v != NULL && i < op->npath; i++)
		v = mv_get(v, op->path[i]);
	return v;
}

/*
 * The template a partial or parent op names, or NULL: *err is then set
 * when that is an error (a diagnostic was given, now or when the template
 * first failed to compile or load).
 */
static struct tmpl *
op_template(struct rstate *r, const struct op *op, const struct scope *sc,
    int *err)
{
	struct menv *env = r->env;
	const struct mval *v;
	struct tmpl *t;

	*err = 0;
	if (op->dynamic) {
		v = lookup(sc->ctx, op);
		if (v == NULL || v->type != MV_STR || v->s[0] == '\0') {
			if (env->strict) {
				diag_emit(env->diag, R_TEMPLATE_MISSING,
				    &op->loc, "dynamic name '*%s' names no "
				    "template", op->s);
				*err = 1;
			}
			return NULL;
		}
		t = tmpl_get(env, v->s);
	} else
		t = tmpl_get(env, op->s);
	if (t->state == TS_OK)
		return t;
	if (t->state == TS_BROKEN || (env->strict && t->reported))
		*err = 1;
	else if (env->strict) {
		diag_emit(env->diag, R_TEMPLATE_MISSING, &op->loc,
		    "%s '%s' not found", op->type == OP_PARENT ? "parent" :
		    "partial", t->name);
		t->reported = 1;
		*err = 1;
	}
	return NULL;
}

/*
 * Enter a partial, parent or block.  A standalone one indents its lines by
 * its own indentation on top of the current one; an inline one starts
 * from none, as the spec's textual model has it.
 */
static int
enter(struct rstate *r, const struct op *op, const char *what,
    const struct scope *sc, struct scope *in, struct ind *ind)
{
	if (r->depth >= MUSTACHE_MAX_DEPTH) {
		diag_emit(r->env->diag, R_TEMPLATE_LIMIT, &op->loc, "%s '%s' "
		    "nested more than %d deep: does it include itself?", what,
		    op->s, MUSTACHE_MAX_DEPTH);
		return -1;
	}
	r->depth++;
	*in = *sc;
	if (op->standalone && op->ilen > 0) {
		ind->s = op->indent;
		ind->len = op->ilen;
		ind->up = sc->ind;
		in->ind = ind;
	} else if (!op->standalone)
		in->ind = NULL;
	return 0;
}

static int
render_block(struct rstate *r, const struct op *op, const struct scope *sc)
{
	const struct op *body = op->kids, *k;
	const struct ovr *o;
	struct scope in;
	struct ind ind;
	int rc, found = 0;

	/* Search every parent: the outermost override wins. */
	for (o = sc->ovr; o != NULL; o = o->up)
		for (k = o->parent->kids; k != NULL; k = k->next)
			if (strcmp(k->s, op->s) == 0) {
				body = k->kids;
				found = 1;
				break;
			}
	if (enter(r, op, "block", sc, &in, &ind) != 0)
		return -1;
	/* Default content is this template's own text: it keeps its lines. */
	if (!op->standalone && !found)
		in.ind = sc->ind;
	r->plain += op->plain;
	rc = render(r, body, &in);
	r->plain -= op->plain;
	r->depth--;
	return rc;
}

static int
render_include(struct rstate *r, const struct op *op, const struct scope *sc)
{
	struct scope in;
	struct ind ind;
	struct ovr o;
	struct tmpl *t;
	int rc, err;

	if ((t = op_template(r, op, sc, &err)) == NULL)
		return err ? -1 : 0;
	if (enter(r, op, op->type == OP_PARENT ? "parent" : "partial", sc,
	    &in, &ind) != 0)
		return -1;
	if (op->type == OP_PARENT) {
		o.parent = op;
		o.up = sc->ovr;
		in.ovr = &o;
	}
	r->plain += op->plain;
	rc = render(r, t->root, &in);
	r->plain -= op->plain;
	r->depth--;
	return rc;
}

static int
render(struct rstate *r, const struct op *op, const struct scope *sc)
{
	const struct op *up;
	const struct mval *v;
	struct scope in;
	struct frame f;
	size_t i;

	/*
	 * An empty body counts too: a loop over it is still work, charged
	 * to the section that loops (the step at which the limit falls
	 * moves with every template change).
	 */
	if (++r->steps > MUSTACHE_MAX_STEPS)
		return too_long(r, op != NULL ? op : r->sect);
	for (; op != NULL; op = op->next) {
		if (++r->steps > MUSTACHE_MAX_STEPS)
			return too_long(r, op);
		switch (op->type) {
		case OP_TEXT:
			if (op->bol && sc->ind != NULL &&
			    !(op->len == 1 && op->s[0] == '\n') &&
			    !(op->len == 2 && op->s[0] == '\r' &&
			    op->s[1] == '\n') &&
			    put_ind(r, op, sc->ind) != 0)
				return -1;
			if (put(r, op, op->s, op->len) != 0)
				return -1;
			break;
		case OP_VAR:
			if (put_value(r, op, lookup(sc->ctx, op)) != 0)
				return -1;
			break;
		case OP_SECTION:
			v = lookup(sc->ctx, op);
			if (!truthy(v))
				break;
			in = *sc;
			in.ctx = &f;
			f.up = sc->ctx;
			f.v = v;
			up = r->sect;
			r->sect = op;
			if (v->type != MV_LIST) {
				if (render(r, op->kids, &in) != 0)
					return -1;
				r->sect = up;
				break;
			}
			for (i = 0; i < v->n; i++) {
				f.v = v->items[i];
				if (render(r, op->kids, &in) != 0)
					return -1;
			}
			r->sect = up;
			break;
		case OP_INVERTED:
			if (truthy(lookup(sc->ctx, op)))
				break;
			up = r->sect;
			r->sect = op;
			if (render(r, op->kids, sc) != 0)
				return -1;
			r->sect = up;
			break;
		case OP_PARTIAL:
		case OP_PARENT:
			if (render_include(r, op, sc) != 0)
				return -1;
			break;
		case OP_BLOCK:
			if (render_block(r, op, sc) != 0)
				return -1;
			break;
		}
	}
	return 0;
}

int
menv_render(struct menv *env, const char *name, const struct mval *view,
    struct buf *out)
{
	return menv_render_as(env, name, view, out, MUSTACHE_ESCAPE_HTML);
}

int
menv_render_as(struct menv *env, const char *name, const struct mval *view,
    struct buf *out, enum mustache_escape escape)
{
	static const struct mval null;
	struct rstate r;
	struct scope sc;
	struct frame f;
	struct tmpl *t;

	t = tmpl_get(env, name);
	if (t->state == TS_MISSING) {
		if (!t->reported)
			diag_emit(env->diag, R_TEMPLATE_MISSING, NULL,
			    "template '%s' not found", name);
		t->reported = 1;
		return -1;
	}
	if (t->state != TS_OK)
		return -1;
	memset(&r, 0, sizeof(r));
	r.env = env;
	r.out = out;
	r.escape = escape;
	f.v = view != NULL ? view : &null;
	f.up = NULL;
	sc.ctx = &f;
	sc.ovr = NULL;
	sc.ind = NULL;
	return render(&r, t->root, &sc);
}
