/*
 * mustache.h - a Mustache template engine (spec v1.4: comments, delimiters,
 * interpolation, sections, inverted sections, partials, inheritance with
 * parents and blocks, dynamic names), and the value tree templates render.
 *
 * Templates compile once to an op tree that keeps each tag's file, line and
 * column; a syntax error is a diagnostic at that place.  Rendering never
 * re-parses data as a template, HTML-escapes {{name}} (& < > " ' and the
 * backtick; an invisible character such as a bidi override becomes a
 * visible marker, diag.h, an element only where the template's HTML
 * allows one), and writes {{{name}}} / {{&name}} as is.  Output goes to a
 * struct buf, whose cap bounds it; nesting of partials and parents is
 * bounded too, so a recursive template fails with a diagnostic instead of
 * exhausting the stack.
 */
#ifndef CHARTER_MUSTACHE_H
#define CHARTER_MUSTACHE_H

#include <stddef.h>

struct arena;
struct buf;
struct diag;

/* ---- the view: what templates see ---------------------------------------- */

enum mval_type {
	MV_NULL,	/* falsey; renders as "" */
	MV_BOOL,	/* b */
	MV_NUM,		/* n; renders in the shortest form that reads back
			   the same (1.21, 85, -0.5); 0 is truthy */
	MV_STR,		/* s, NUL-terminated, valid UTF-8; "" is truthy */
	MV_LIST,	/* items[0..n); empty is falsey */
	MV_MAP		/* keys[i] -> items[i], i < n; looked up in order */
};

struct mval {
	enum mval_type	 type;
	int		 b;
	double		 num;
	const char	*s;
	const char	**keys;		/* MV_MAP */
	struct mval	**items;	/* MV_LIST, MV_MAP */
	size_t		 n, cap;
};

/* Constructors and builders; everything lives in the arena. */
struct mval	*mv_null(struct arena *);
struct mval	*mv_bool(struct arena *, int);
struct mval	*mv_num(struct arena *, double);
struct mval	*mv_str(struct arena *, const char *);	/* NULL -> MV_NULL */
struct mval	*mv_list(struct arena *);
struct mval	*mv_map(struct arena *);
/* Append to a list; returns v. */
struct mval	*mv_push(struct arena *, struct mval *list, struct mval *v);
/* Set key in a map, replacing its value if the key is there; returns v. */
struct mval	*mv_set(struct arena *, struct mval *map, const char *key,
		    struct mval *v);
/* Shorthands for mv_set with a fresh value. */
void		 mv_set_str(struct arena *, struct mval *, const char *key,
		    const char *s);
void		 mv_set_num(struct arena *, struct mval *, const char *key,
		    double);
void		 mv_set_bool(struct arena *, struct mval *, const char *key,
		    int);
/* The value of key in a map; NULL when absent or not a map. */
struct mval	*mv_get(const struct mval *map, const char *key);

/* ---- templates ------------------------------------------------------------ */

/*
 * Where templates come from.  load() finds the template called name (for
 * the site: a governance repo's templates/NAME.mustache, else the built-in
 * one) and sets *src, *len and *file (the path diagnostics name).  It
 * returns 0, or -1 when there is no such template.  The engine copies the
 * source and the file name, so they need only last until load returns.
 * Names come from templates and, through dynamic names ({{>*name}}), from
 * data: load must refuse any name that is not a template's.
 */
struct mustache_loader {
	int	(*load)(void *ctx, const char *name, const char **src,
		    size_t *len, const char **file);
	void	*ctx;
};

struct menv;

/*
 * How deep partials, parents and blocks may nest while rendering; deeper
 * is a template.limit diagnostic (a template that includes itself without
 * end), never a stack overflow.
 */
#define MUSTACHE_MAX_DEPTH	64
/* Ops one render may execute: a template that loops without end fails. */
#define MUSTACHE_MAX_STEPS	50000000UL

/*
 * An environment compiles each template once, on first use, and caches
 * it.  With strict set, a partial or parent that cannot be found is a
 * diagnostic (template.missing); without it (the spec's behaviour) it
 * renders as "".  The environment and its templates live in the arena,
 * which must outlive it and the diagnostics it gave; menv_free releases
 * whatever does not (nothing, today).
 */
struct menv	*menv_new(struct arena *, struct diag *,
		    const struct mustache_loader *, int strict);
void		 menv_free(struct menv *);

/*
 * Render the template called name against view into out.  Returns 0, or -1
 * after a diagnostic (syntax error, missing template, nesting too deep,
 * output over the buffer's cap).  A template that fails to compile or load
 * is reported once per environment; later renders that need it return -1
 * without repeating the diagnostic.  On -1, out holds partial output.
 */
int		 menv_render(struct menv *, const char *name,
		    const struct mval *view, struct buf *out);

/*
 * How {{name}} escapes a value: for HTML (menv_render), or for Markdown,
 * where ASCII punctuation that could start markup is backslash-escaped,
 * line breaks become spaces and invisible characters their marker
 * "\[U+202E\]", so a value stays literal text on one line (a table cell
 * too).  {{{name}}} is never escaped.
 */
enum mustache_escape {
	MUSTACHE_ESCAPE_HTML, MUSTACHE_ESCAPE_MARKDOWN
};
int		 menv_render_as(struct menv *, const char *name,
		    const struct mval *view, struct buf *out,
		    enum mustache_escape);

#endif
