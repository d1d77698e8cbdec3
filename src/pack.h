/*
 * pack.h - the EU AI Act documentation pack of one system, as views for
 * the templates: pack-index and pack-section (HTML), pack-index-md and
 * pack-section-md (Markdown, the same views rendered with Markdown
 * escaping).
 *
 * A pack has an index with the completeness table and one page per
 * section of schemas/eu-ai-act.yaml (`pack_sections`); a prohibited
 * system's pack has section 1 only.  Each section lists items, each
 * documented (with its value), missing (with what to add), not met (the
 * repo says something the Act does not allow, such as a late incident
 * report), to be completed outside Charter, or for information.  Which
 * sections count towards completeness depends on the classification
 * (`required_sections`) and the role (`roles`).  A pack documents; it never
 * claims conformity.
 */
#ifndef CHARTER_PACK_H
#define CHARTER_PACK_H

#include <stddef.h>

struct euaia_facts;
struct mval;
struct view;

enum sec_status {
	SEC_DOCUMENTED, SEC_PARTIAL, SEC_MISSING, SEC_NOT_REQUIRED,
	SEC_STATUS_MAX
};

extern const char *const sec_status_names[SEC_STATUS_MAX];
extern const char *const sec_status_words[SEC_STATUS_MAX];

struct pack_summary {
	int		 required;	/* sections required of the system */
	int		 status[SEC_STATUS_MAX];	/* sections per status */
	int		 complete;	/* every required section documented */
	int		 prohibited;
	const char	*key;		/* complete | gaps | prohibited */
	const char	*text;		/* "14 of 18 required sections
					   documented" */
};

struct pack {
	const char	 *dir;		/* "packs/ID" */
	struct mval	 *index;	/* the index page's view */
	struct mval	**sections;	/* one view per section page */
	const char	**stems;	/* "01-classification", per page */
	size_t		  n;
	struct pack_summary sum;
};

/*
 * Build system i's pack in v->a (the views and every string).  The view's
 * findings and evidence must be those of the same run.
 */
void	 pack_build(struct view *, const struct euaia_facts *, size_t i,
	    struct pack *);

#endif
