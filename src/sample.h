/*
 * sample.h - synthetic decision logs for a governance repo: `charter log
 * sample`.  For demos, the shipped example content and benchmarks; never
 * for evidence.
 */
#ifndef CHARTER_SAMPLE_H
#define CHARTER_SAMPLE_H

struct model;

struct sample_opts {
	long		 days;		/* history before the as-of date */
	long long	 rows;		/* total decisions to aim for; 0: a
					   realistic default per system */
	unsigned long long seed;
	int		 force;		/* replace existing log files */
	int		 problems;	/* plant boundary breaches and a late
					   incident report, for demos of the
					   findings */
	int		 quiet;
};

/*
 * Write a log for every system of m that names log.database (files shared
 * by several systems are written once, holding all their rows), below
 * m->root.  Deterministic: the same model, options and as-of date give
 * byte-identical files.  Returns 0, or -1 after a message on stderr.
 */
int	 sample_write(const struct model *m, const struct sample_opts *);

#endif
