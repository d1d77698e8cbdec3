/*
 * input.h - finding and reading a governance repo's files, safely.
 *
 * The content folder is walked through directory descriptors (openat with
 * O_NOFOLLOW), so nothing outside it is ever read: symbolic links and
 * special files among the inputs are refused, every file is size-checked
 * before it is read, and the order is byte-wise sorted.  Named limits bound
 * every input; each has a default and can be raised with --limit.
 */
#ifndef CHARTER_INPUT_H
#define CHARTER_INPUT_H

#include <stddef.h>

#include "diag.h"

struct arena;

enum limit_id {
	LIMIT_FILE,		/* bytes in one input file */
	LIMIT_TOTAL,		/* bytes in all input files */
	LIMIT_FILES,		/* number of input files */
	LIMIT_DEPTH,		/* YAML nesting */
	LIMIT_NODES,		/* YAML nodes per file, aliases expanded */
	LIMIT_SCALAR,		/* bytes in one YAML value */
	LIMIT_LOG_VALUE,	/* bytes in one decision-log value */
	LIMIT_SQL_STEPS,	/* SQLite VM steps for one sql: KPI */
	LIMIT_SQL_ROWS,		/* rows one sql: KPI may return */
	LIMIT_LOCK_MS,		/* milliseconds to wait for a locked log */
	LIMIT_OUTPUT,		/* bytes a build writes, all files together */
	LIMIT_CPU,		/* seconds of CPU time a command may use */
	LIMIT_MAX
};

struct limits {
	size_t	v[LIMIT_MAX];
};

extern const char *const limit_names[LIMIT_MAX];

void	 limits_default(struct limits *);

/* Apply "NAME=N" (N may end in K or M); 0, or -1 with a message on stderr. */
int	 limits_set(struct limits *, const char *spec);

enum input_type {
	INPUT_YAML,
	INPUT_MARKDOWN
};

struct input_file {
	const char	*rel;		/* path relative to the content folder */
	const char	*path;		/* as shown in diagnostics */
	enum input_type	 type;
	char		*data;		/* NUL-terminated, in the arena */
	size_t		 len;
};

struct input_set {
	struct input_file	*v;
	size_t			 n;
	size_t			 bytes;
};

/* The display path of rel below root ("root/rel", or rel when root is "."). */
const char	*input_display(struct arena *, const char *root,
		    const char *rel);

/*
 * Read every *.yaml, *.yml and *.md file below root (hidden entries, the
 * top-level templates/ and schemas/ folders, and the top-level folder
 * named skip, when not NULL, excepted: a build's output inside the repo).  Problems with single
 * files are input.* findings and the file is skipped; returns -1 only when
 * root itself cannot be opened (after a finding).
 */
int	 input_scan(struct arena *, struct diag *, const struct limits *,
	    const char *root, const char *skip, struct input_set *);

#endif
