/*
 * rules.h - the cross-document governance rules over the model: references,
 * accountability, lanes, tier fit, EU AI Act classification and required
 * items, decision rights, decision tables, KPI stacks, review cadence and
 * log retention.  Rules read the model and emit findings; they never change
 * the model and never read files.
 */
#ifndef CHARTER_RULES_H
#define CHARTER_RULES_H

struct diag;
struct euaia_facts;
struct model;

void	 rules_check(const struct model *, const struct euaia_facts *,
	    struct diag *);

#endif
