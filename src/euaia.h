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
};

/* Load the facts; -1 after a diagnostic if the data file is broken. */
int	 euaia_load(struct arena *, struct diag *, struct euaia_facts *);

/* Index of an annex_iii code, or -1. */
int	 euaia_annex_index(const struct euaia_facts *, const char *code);

int	 euaia_in_list(const char *const *list, size_t n, const char *s);

#endif
