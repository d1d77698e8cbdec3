/*
 * euaia.h - the EU AI Act facts Charter's rules use, read from the embedded
 * data file schemas/eu-ai-act.yaml (never constants in C, so a change in
 * the law is a data change).
 */
#ifndef CHARTER_EUAIA_H
#define CHARTER_EUAIA_H

#include <stddef.h>

struct arena;
struct diag;
struct model;
struct system;

struct euaia_facts {
	const char	**annex_points;	/* valid annex_iii codes, in order */
	const char	**annex_areas;
	size_t		  nannex;
	long		  retention_min_days;
	const char	**fria_points;
	size_t		  nfria_points;
	const char	**fria_public_excluded;
	size_t		  nfria_public_excluded;
	/* Art. 73 report deadlines in days, by enum inc_category (log.h). */
	long		  incident_days[3];
	/* Art. 113 application dates (YYYY-MM-DD) by enum regime (model.h). */
	struct euaia_dates {
		const char	*prohibited, *transparency, *high_risk;
	} dates[2];
	/* The documentation pack's sections, in order. */
	struct euaia_section *sections;
	size_t		  nsections;
};

/* Most sections a pack has; section numbers are 1..EUAIA_SECTIONS_MAX. */
#define EUAIA_SECTIONS_MAX	32

struct euaia_outside {
	const char	*item, *where;
};

struct euaia_section {
	int		  n;
	const char	 *slug, *title, *articles, *asks;
	/* By enum euclass (model.h): required of that classification. */
	int		  required[4];
	/* By enum eurole; all set when the data names no roles. */
	int		  roles[3];
	int		  public_deployers;
	struct euaia_outside *outside;
	size_t		  noutside;
};

/* Load the facts; -1 after a diagnostic if the data file is broken. */
int	 euaia_load(struct arena *, struct diag *, struct euaia_facts *);

/* Index of an annex_iii code, or -1. */
int	 euaia_annex_index(const struct euaia_facts *, const char *code);

/* Art. 27: whether the system's deployer owes a FRIA. */
int	 euaia_fria_required(const struct euaia_facts *, const struct model *,
	    const struct system *);

int	 euaia_in_list(const char *const *list, size_t n, const char *s);

#endif
