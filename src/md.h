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

#endif
