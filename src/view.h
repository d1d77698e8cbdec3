/*
 * view.h - the model, the decision-log evidence and the findings as the
 * templates see them: trees of struct mval (mustache.h) built in the run's
 * arena.  The README's "Template view" section documents every key; a key
 * renamed here breaks users' own templates, so change both together.
 *
 * The view never formats HTML itself, with two exceptions that are
 * produced by Charter and named *_html or *_svg: Markdown rendered by
 * cmark in safe mode, and charts drawn by chart.c.  Templates write only
 * those with {{{ }}}; everything else is escaped.
 */
#ifndef CHARTER_VIEW_H
#define CHARTER_VIEW_H

#include <stddef.h>

#include "diag.h"

struct arena;
struct log_evidence;
struct model;
struct mval;
struct pack_summary;
struct system;

struct view {
	struct arena		*a;
	const struct model	*m;
	const struct log_evidence *ev;
	const struct diag	*d;		/* findings, sorted */
	const char		*version;
	/* The libraries that shape the output, for the generator tag and
	   the pack index ("cmark 0.30.2, ..."); NULL until the caller sets
	   it (site_libraries). */
	const char		*libraries;
	int			(*sev)[SEV_MAX];	/* per system */
	long			*fsys;	/* per finding: its system or -1 */
	int			 other[SEV_MAX];	/* not about a system */
	/* Per system, once the packs are built (site.c); else NULL. */
	const struct pack_summary *packs;
};

/*
 * The findings in d must be sorted (diag_sort) and stay alive.  Page views
 * are built in v->a, which the caller may point at a per-page arena after
 * view_init; what view_init computes lives in the arena given here.
 */
void	 view_init(struct view *, struct arena *, const struct model *,
	    const struct log_evidence *, const struct diag *,
	    const char *version);

/* The system a finding is about (its YAML file or its basis), or -1. */
long	 view_finding_system(const struct view *, const struct finding *);

/*
 * The keys every page has: title, root (the relative path from the page
 * to the site's top, "" or "../"), org, as_of, version, libraries, nav
 * (current marks the entry whose key is nav_key), counts.
 */
struct mval	*view_page(struct view *, const char *title, const char *root,
		    const char *nav_key);

/* Add a page's own keys to a map made by view_page. */
void	 view_index(struct view *, struct mval *);
void	 view_system(struct view *, struct mval *, size_t i);
void	 view_ownership(struct view *, struct mval *);
void	 view_rights(struct view *, struct mval *);
void	 view_risk(struct view *, struct mval *);
void	 view_findings(struct view *, struct mval *);

/*
 * Text for the packs (pack.c), formatted as the site formats it: counts
 * with separators, a metric's value (enum metric), money, a path relative
 * to the repo, and a party as "Name (Outcome owner)" (NULL for no ref).
 */
const char	*view_count(struct arena *, unsigned long long);
const char	*view_metric(struct arena *, int metric, double, int defined);
const char	*view_money(struct arena *, double);
const char	*view_repo_path(const struct view *, const char *file);
const char	*view_party_text(struct view *, const char *ref,
		    const struct system *);

/* The href of a Markdown page (rel: its path below the content folder). */
const char	*view_page_href(struct arena *, const char *rel);

#endif
