/*
 * site.h - the static site renderer (index, system pages, registers,
 * findings, Markdown pages, style.css, findings.json and .sarif,
 * summary.md) and the documentation packs (packs/ID/ and packs/ID.zip).
 */
#ifndef CHARTER_SITE_H
#define CHARTER_SITE_H

#include <stddef.h>

struct arena;
struct diag;
struct euaia_facts;
struct log_evidence;
struct model;
struct outdir;

struct site_in {
	struct arena		*a;
	struct diag		*d;		/* template errors go here */
	const struct model	*m;
	const struct log_evidence *ev;
	const struct euaia_facts *facts;	/* for the packs */
	const struct diag	*findings;	/* sorted; shown on the site */
	size_t			 max_template;	/* bytes in one template */
	/* Set by site_render, for the build's summary. */
	size_t			 pages;		/* HTML pages of the site */
	size_t			 packs, packs_complete;
};

/*
 * Render the site into od.  Returns 0; -1 after a diagnostic in in->d (a
 * template that does not compile or an override that cannot be read:
 * exit 3); -2 after a message on stderr (an output error: exit 4).  With
 * od NULL everything is rendered and nothing written (the pipeline fuzz
 * target).
 */
int	 site_render(struct site_in *, struct outdir *);

/*
 * The libraries whose versions shape the bytes of the pages and the packs,
 * as loaded at run time, each as "NAME VERSION", sep between them:
 * "cmark 0.30.2, libzip 1.7.3, zlib 1.2.13" with ", ".  Every page names
 * them in its generator tag, a pack's index beside Charter's version, and
 * `charter --version` one a line; the workbook's cover names the
 * libxlsxwriter that wrote it.  Static storage, rewritten by each call.
 */
const char *site_libraries(const char *sep);

#endif
