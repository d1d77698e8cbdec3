/*
 * fixed.h - what every pipeline fuzz target loads once and never changes:
 * the compiled JSON Schemas and the EU AI Act facts.  Included by each
 * target (each gets its own copy; fuzz-replay links several).
 */
#ifndef CHARTER_FUZZ_FIXED_H
#define CHARTER_FUZZ_FIXED_H

#include <stdlib.h>

#include "arena.h"
#include "diag.h"
#include "euaia.h"
#include "model.h"

static struct arena	 fixed;
static struct schema_set *schemas;
static struct euaia_facts facts;

/* Load the schemas and facts on first use; abort if the embedded ones
   are broken (a build problem, not a finding). */
static void
load_fixed(void)
{
	struct diag d;

	if (schemas != NULL)
		return;
	arena_init(&fixed);
	diag_init(&d, &fixed);
	if ((schemas = model_schemas_load(&fixed, &d)) == NULL ||
	    euaia_load(&fixed, &d, &facts) != 0)
		abort();
	diag_release(&d);
}

#endif
