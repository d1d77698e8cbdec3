/*
 * md.h - Markdown to HTML for pages and Markdown fields, in cmark's safe
 * mode (raw HTML and unsafe links dropped).
 */
#ifndef CHARTER_MD_H
#define CHARTER_MD_H

#include <stddef.h>

struct arena;

/*
 * The HTML of len bytes of Markdown, in the arena.  Relative links to .md
 * files point at the .html page built from them, with prefix in front
 * ("" within a page, "../pages/" for a YAML field shown on a system
 * page, whose links are relative to the repo).  Never fails (cmark
 * replaces invalid UTF-8).
 */
char	*md_to_html(struct arena *, const char *text, size_t len,
	    const char *prefix);

/*
 * Markdown kept as Markdown (a pack's .md files) with every invisible
 * character (diag.h), and every character reference to one ("&#x202E;",
 * "&rlm;"), replaced by its plain marker "[U+202E]", which reads the same
 * in a code span.  In the arena; md itself when there is nothing to
 * replace, NULL for NULL.
 */
const char *md_show_invisible(struct arena *, const char *md);

/*
 * The version of the cmark library as loaded at run time ("0.30.2"): the
 * HTML of every Markdown field and page depends on it.
 */
const char *md_cmark_version(void);

#endif
