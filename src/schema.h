/*
 * schema.h - a JSON Schema (draft 2020-12) validator for the keyword subset
 * Charter's own schemas use, over ydoc node trees.
 *
 * Supported: $ref (to #/$defs/NAME), $defs, type, enum, const, properties,
 * required, additionalProperties, propertyNames, minProperties,
 * maxProperties, items, minItems, maxItems, uniqueItems, pattern (POSIX
 * extended; schemas keep to the common subset of ECMA and POSIX), minLength,
 * maxLength (code points), minimum, maximum, exclusiveMinimum,
 * exclusiveMaximum, allOf, anyOf, oneOf, not, and the annotations title,
 * description, examples, default, $schema, $id.  Any other keyword in a
 * schema is a schema bug and is reported when the schema is loaded.
 *
 * In the default (YAML) mode a plain scalar that looks like a number also
 * satisfies `type: string`, with its literal text as the string: `1.10`
 * stays "1.10".  SCHEMA_STRICT_JSON turns that off, for comparing verdicts
 * with a JSON Schema reference implementation.
 */
#ifndef CHARTER_SCHEMA_H
#define CHARTER_SCHEMA_H

#include "diag.h"
#include "ydoc.h"

struct arena;

enum schema_id {
	SCHEMA_ORGANIZATION,
	SCHEMA_RISK_TIERS,
	SCHEMA_DECISION_RIGHTS,
	SCHEMA_SYSTEM,
	SCHEMA_PAGE,
	SCHEMA_MAX
};

/* The `kind` values (and schema file stems), indexed by enum schema_id. */
extern const char *const schema_names[SCHEMA_MAX];

#define SCHEMA_STRICT_JSON	0x1

struct schema;

/*
 * Load a schema from JSON text.  Returns NULL after a diagnostic when the
 * text does not parse or uses an unsupported keyword.  Free with
 * schema_free (the compiled regular expressions live outside the arena).
 */
struct schema	*schema_load(struct arena *, struct diag *, const char *path,
		    const char *text, size_t len);
void		 schema_free(struct schema *);

/*
 * Validate inst; every violation becomes a schema.* finding at the
 * instance's location.  Returns the number of violations (0: valid).
 */
int		 schema_validate(struct schema *, struct diag *,
		    const struct ynode *inst, unsigned flags);

#endif
