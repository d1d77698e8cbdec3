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
 * files point at the .html page built from them.  Never fails (cmark
 * replaces invalid UTF-8).
 */
char	*md_to_html(struct arena *, const char *text, size_t len);

#endif
