/*
 * ydoc.h - YAML documents as a small node tree with 1-based line:col on
 * every node.  The only module that sees libyaml; its types never leave
 * ydoc.c.
 *
 * Scalars are resolved with the YAML 1.2 core schema: only true/false are
 * booleans, `yes`, `no`, `on`, `off` stay strings.  A plain scalar keeps its
 * literal text beside its resolved type, so a schema that wants a string can
 * take `1.10` or `010` as written.  Aliases share their target node (the
 * tree is a DAG); expansion is charged against a node budget so a
 * billion-laughs file fails fast.  All nodes live in the caller's arena.
 */
#ifndef CHARTER_YDOC_H
#define CHARTER_YDOC_H

#include <stddef.h>

#include "diag.h"

struct arena;

enum ynode_kind {
	YN_SCALAR,
	YN_SEQ,
	YN_MAP,
	YN_KIND_MAX
};

/* What a scalar resolves to under the YAML 1.2 core schema. */
enum yscalar {
	YS_STR,
	YS_NULL,
	YS_BOOL,
	YS_INT,
	YS_FLOAT,
	YS_MAX
};

struct ypair;

struct ynode {
	enum ynode_kind	 kind;
	struct loc	 loc;
	/* YN_SCALAR */
	const char	*str;		/* literal text, NUL-terminated */
	size_t		 len;
	enum yscalar	 type;
	int		 plain;		/* unquoted: resolution applied */
	int		 boolean;	/* YS_BOOL */
	double		 number;	/* YS_INT, YS_FLOAT */
	/* YN_SEQ: items; YN_MAP: pairs in document order */
	struct ynode	**items;
	struct ypair	*pairs;
	size_t		 n;
	size_t		 weight;	/* nodes in the expanded subtree */
};

struct ypair {
	struct ynode	*key;		/* always a scalar */
	struct ynode	*value;
};

struct ydoc {
	struct ynode	*root;		/* NULL for an empty document */
	struct loc	 loc;		/* where the document starts */
};

struct yfile {
	const char	*path;		/* as shown in diagnostics */
	struct ydoc	*docs;
	size_t		 ndocs;
};

struct ylimits {
	size_t	max_depth;	/* nesting of sequences and mappings */
	size_t	max_nodes;	/* nodes per file, aliases charged in full */
	size_t	max_scalar;	/* bytes in one scalar */
};

/*
 * Parse len bytes of YAML (which need not be NUL-terminated) from the file
 * shown as path.  A UTF-8 BOM is skipped.  On success fills *out and returns
 * 0; on failure emits one diagnostic of an input rule and returns -1.
 * The tree and every string in it belong to the arena.
 */
int	 ydoc_load(struct arena *, struct diag *, const struct ylimits *,
	    const char *path, const char *data, size_t len, struct yfile *out);

/* The value of key in a mapping, or NULL (also when node is no mapping). */
struct ynode	*ynode_get(const struct ynode *map, const char *key);

/* Plain-text name of a node's JSON type, for messages. */
const char	*ynode_type_name(const struct ynode *);

#endif
