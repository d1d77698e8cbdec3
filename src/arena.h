/*
 * arena.h - the run-lifetime allocator.
 *
 * Everything that lives as long as a run (YAML nodes, the model, strings,
 * findings) is carved from one arena and freed by one arena_release().
 * Nothing allocated here is ever freed on its own.
 */
#ifndef CHARTER_ARENA_H
#define CHARTER_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk	*head;
	size_t			 total;	/* bytes handed out, for budgets */
};

void	 arena_init(struct arena *);
void	 arena_release(struct arena *);

/* Zeroed, max-aligned memory; never NULL (aborts on OOM). */
void	*arena_alloc(struct arena *, size_t);
char	*arena_strndup(struct arena *, const char *, size_t);
char	*arena_strdup(struct arena *, const char *);
char	*arena_printf(struct arena *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));

#endif
