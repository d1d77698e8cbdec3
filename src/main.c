/*
 * main.c - the command line: subcommands, options, the as-of date and the
 * exit status.  Wiring only: every real job lives in its module.
 */
#include <sys/resource.h>
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "diff.h"
#include "embedded.h"
#include "euaia.h"
#include "evidence.h"
#include "input.h"
#include "log.h"
#include "manifest.h"
#include "metrics.h"
#include "model.h"
#include "outdir.h"
#include "rules.h"
#include "sample.h"
#include "site.h"
#include "util.h"
#include "verify.h"
#include "xlsx.h"

#define EXIT_USAGE	2
#define EXIT_INPUT	3
#define EXIT_OUTPUT	4

enum format {
	FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_MARKDOWN,
	FORMAT_CODEQUALITY, FORMAT_MAX
};

static const char *const format_names[FORMAT_MAX] = {
	"text", "json", "sarif", "markdown", "codequality"
};

static const char usage_main[] =
"usage: charter <command> [options]\n"
"\n"
"commands:\n"
"  check    validate a governance repo and its decision logs\n"
"  build    render the site, EU AI Act packs, workbook and findings\n"
"  export   write one output on its own: export xlsx (the audit workbook)\n"
"  metrics  print the decision-log metrics, KPI series and readiness\n"
"  log      create an empty decision log, or sample ones (log --help)\n"
"  init     create a new governance repo with a worked example\n"
"  rules    list every rule Charter checks\n"
"  verify   check a build's MANIFEST.sha256 (changed, missing, added)\n"
"  diff     what changed in governance terms between two governance repos\n"
"\n"
"  charter --help | --version\n"
"  charter <command> --help\n";

static const char usage_check[] =
"usage: charter check [--content DIR] [--as-of DATE] [--format FORMAT]\n"
"                     [--strict] [--no-logs] [--limit NAME=N]...\n"
"\n"
"Validate every YAML and Markdown file below DIR (default: the current\n"
"folder) and the decision logs it names, and report findings as\n"
"FILE:LINE:COL: SEVERITY: MESSAGE [RULE] (DB:TABLE:ROW for log rows).\n"
"\n"
"  --content DIR   the governance repo to check (default .)\n"
"  --as-of DATE    YYYY-MM-DD for date rules (default: SOURCE_DATE_EPOCH,\n"
"                  else today, UTC)\n"
"  --format F      text (stderr), json, sarif or codequality (GitLab Code\n"
"                  Quality) on stdout\n"
"  --strict        warnings count as errors for the exit status\n"
"  --no-logs       do not open decision logs (YAML and Markdown only)\n"
"  --limit NAME=N  raise a limit: file, total, files, depth, nodes, scalar,\n"
"                  log-value, sql-steps, sql-rows, lock-ms, output, cpu\n"
"\n"
"exit status: 0 no errors, 1 errors found, 2 bad usage,\n"
"             3 an input could not be read or parsed\n";

static const char usage_metrics[] =
"usage: charter metrics [--content DIR] [--as-of DATE] [--system ID]\n"
"                       [--period day|week|month] [--format text|json]\n"
"                       [--limit NAME=N]...\n"
"\n"
"Print what the decision logs say: every built-in metric over the whole\n"
"window, per exception category and per period; shadow-mode agreement and\n"
"promotion readiness; KPI series and status; incidents.  Decisions dated\n"
"after the as-of date are not counted.\n"
"\n"
"  --system ID     only this system\n"
"  --period P      the period of the text table (default month; JSON has\n"
"                  all three)\n"
"  --format F      text or json (stdout)\n"
"\n"
"exit status: 0 printed, 2 bad usage, 3 an input could not be read\n";

static const char usage_log[] =
"usage: charter log init FILE\n"
"       charter log sample [--content DIR] [--as-of DATE] [--days N]\n"
"                          [--rows N] [--seed N] [--problems] [--force]\n"
"                          [-q]\n"
"       charter log schema\n"
"\n"
"init    create FILE, an empty decision log with the documented schema;\n"
"        refuses an existing file\n"
"sample  write synthetic decision logs for every system of DIR that names\n"
"        log.database: DAYS days (default 182) before the as-of date, or\n"
"        about N rows in all; deterministic for a seed.  For demos and\n"
"        benchmarks only: never evidence.  --problems plants a few\n"
"        boundary breaches (and a late serious-incident report for a\n"
"        high-risk system) to show the findings.  Refuses existing files\n"
"        unless --force.\n"
"schema  print the SQL schema of a decision log\n"
"\n"
"exit status: 0 done, 2 bad usage, 3 an input could not be read,\n"
"             4 a file could not be written\n";

static const char usage_init[] =
"usage: charter init DIR\n"
"\n"
"Create DIR (which must not exist or be empty) holding a small governance\n"
"repo that passes 'charter check': an organization, risk tiers, decision\n"
"rights, one system and the JSON Schemas for editor completion.\n"
"\n"
"exit status: 0 created, 2 bad usage, 4 DIR could not be written\n";

static const char usage_rules[] =
"usage: charter rules [--format text|markdown|json]\n"
"\n"
"List every rule: its id, default severity and what it means.\n";

static const char usage_build[] =
"usage: charter build [--content DIR] [--out DIR] [--as-of DATE] [--strict]\n"
"                     [--no-logs] [--limit NAME=N]... [--format F] [-q]\n"
"\n"
"Check the governance repo as 'charter check' does, then render the static\n"
"site (index.html, systems/ID.html, ownership.html, decision-rights.html,\n"
"risk-register.html, findings.html, pages/), the EU AI Act documentation\n"
"pack of each system (packs/ID/ in HTML and Markdown, and packs/ID.zip),\n"
"the audit workbook audit.xlsx, findings.json, findings.sarif and\n"
"summary.md into the output folder.  Everything is written to a new\n"
"folder beside it and swapped in only when complete: a failed or\n"
"interrupted build leaves the previous output as it was.  Findings go to\n"
"stderr as for check; the site shows them too.  MANIFEST.sha256, written\n"
"last, holds the SHA-256 of every other file (see charter verify).\n"
"\n"
"  --content DIR   the governance repo (default .)\n"
"  --out DIR       the output folder (default out); never a symbolic link\n"
"  --as-of DATE    YYYY-MM-DD (default: SOURCE_DATE_EPOCH, else today, UTC)\n"
"  --strict        warnings count as errors for the exit status\n"
"  --no-logs       do not open decision logs (YAML and Markdown only)\n"
"  --limit NAME=N  raise a limit (see charter check --help)\n"
"  --format F      the closing summary on stdout: text (default) or json\n"
"  -q, --quiet     no summary, and no progress line on a terminal\n"
"\n"
"exit status: 0 built, no errors; 1 built, errors found; 2 bad usage;\n"
"             3 an input or template could not be read or parsed (nothing\n"
"             written); 4 the output could not be written (previous output\n"
"             kept); 128+N interrupted by signal N (previous output kept)\n";

/* getopt names the program by argv[0] in its messages. */
static char prog_check[] = "charter check";
static char prog_build[] = "charter build";
static char prog_export[] = "charter export xlsx";

static const char usage_export[] =
"usage: charter export xlsx [--content DIR] [--out FILE] [--system ID]\n"
"                          [--as-of DATE] [--limit NAME=N]...\n"
"\n"
"Write the audit workbook on its own: every register, the findings and\n"
"every decision-log row of the systems in scope (all, or --system ID).\n"
"The file is written under a temporary name beside FILE and renamed\n"
"when complete.\n"
"\n"
"  --out FILE      the workbook (default audit.xlsx)\n"
"  --system ID     only this system's rows and registers\n"
"\n"
"exit status: 0 written, 2 bad usage, 3 an input could not be read,\n"
"             4 the workbook could not be written\n";
static char prog_rules[] = "charter rules";
static char prog_diff[] = "charter diff";

static const char usage_diff[] =
"usage: charter diff [--as-of DATE] [--format F] [--no-logs]\n"
"                    [--limit NAME=N]... OLD NEW\n"
"\n"
"Compare two governance repos, e.g. the main branch (git worktree add) and\n"
"a pull request's tree, and print what changed in governance terms:\n"
"systems added and removed; for the others their stage, risk tier, EU AI\n"
"Act classification, role and Annex III point, owners, human oversight,\n"
"decision table, KPIs, log retention and controls; who decides, is\n"
"consulted and informed per decision and tier; and the findings new in\n"
"NEW and fixed since OLD.  Both repos are checked as 'charter check' does;\n"
"findings are compared by rule, severity, system and message, never by\n"
"line, so moved lines are no change.  Neither repo is modified.\n"
"\n"
"  --as-of DATE    YYYY-MM-DD for both (default: SOURCE_DATE_EPOCH, else\n"
"                  today, UTC)\n"
"  --format F      markdown (default; for a pull-request comment), text\n"
"                  or json, on stdout\n"
"  --no-logs       do not open decision logs (YAML and Markdown only)\n"
"  --limit NAME=N  raise a limit for both (see charter check --help)\n"
"\n"
"exit status: 0 compared, with or without changes; 1 NEW has error\n"
"             findings OLD did not (new errors: gate CI on it); 2 bad\n"
"             usage; 3 OLD or NEW could not be read\n";
static char prog_metrics[] = "charter metrics";
static char prog_log[] = "charter log sample";

static int
bad_usage(const char *usage, const char *fmt, const char *arg)
{
	if (fmt != NULL) {
		fputs("charter: ", stderr);
		fprintf(stderr, fmt, arg);
		fputc('\n', stderr);
	}
	fputs(usage, stderr);
	return EXIT_USAGE;
}

static int
write_stdout(const struct buf *b)
{
	if (fwrite(b->data, 1, b->len, stdout) != b->len ||
	    fflush(stdout) != 0) {
		fprintf(stderr, "charter: cannot write output: %s\n",
		    strerror(errno));
		return -1;
	}
	return 0;
}

/* The as-of date: --as-of, else SOURCE_DATE_EPOCH, else today (UTC). */
static int
as_of_date(const char *opt, long *days, char text[11])
{
	const char *sde = getenv("SOURCE_DATE_EPOCH");
	long long t;
	char *end;

	if (opt != NULL) {
		if (date_parse(opt, days) != 0) {
			fprintf(stderr, "charter: --as-of '%s' is not a date "
			    "(YYYY-MM-DD)\n", opt);
			return -1;
		}
	} else if (sde != NULL && *sde != '\0') {
		errno = 0;
		t = strtoll(sde, &end, 10);
		if (errno != 0 || *end != '\0' || *sde < '0' || *sde > '9' ||
		    t > 253402300799LL) {
			fprintf(stderr, "charter: SOURCE_DATE_EPOCH must be a "
			    "decimal UNIX time\n");
			return -1;
		}
		*days = (long)(t / 86400);
	} else
		*days = (long)(time(NULL) / 86400);
	date_format(*days, text);
	return 0;
}

static int
parse_format(const char *s, int allowed_mask, enum format *f)
{
	int i = enum_lookup(format_names, FORMAT_MAX, s);

	if (i < 0 || !(allowed_mask & (1 << i)))
		return -1;
	*f = (enum format)i;
	return 0;
}

/* A governance repo loaded and checked: what check, metrics and log use. */
struct repo {
	struct arena		 a;
	struct diag		 d;
	struct schema_set	*schemas;
	struct euaia_facts	 facts;
	struct input_set	 in;
	struct model		 m;
	struct log_evidence	 ev;
	int			 checked;	/* the model loaded and checked */
	int			 read_logs;
	int			 has_ev;
	struct limits		 lim;
	char			 date[11];
};

static void
log_limits_from(const struct limits *lim, struct log_limits *ll)
{
	log_limits_default(ll);
	ll->max_value = lim->v[LIMIT_LOG_VALUE];
	ll->sql_steps = (long long)lim->v[LIMIT_SQL_STEPS];
	ll->sql_rows = lim->v[LIMIT_SQL_ROWS];
	ll->busy_ms = (long)lim->v[LIMIT_LOCK_MS];
}

/*
 * Read content, build the model and run the rules, then (read_logs) the
 * decision logs.  Findings collect in r->d.  Returns 0, or EXIT_USAGE for
 * a bad as-of date (after a message).
 */
/*
 * The cpu limit: RLIMIT_CPU's soft limit sends SIGXCPU, which ends the
 * command with exit 3 and a message naming the limit.  While a build's
 * output folder is open, outdir catches the signal instead and the build
 * aborts cleanly (build_output), leaving the previous output.  The hard
 * limit, a little later, is the kernel's SIGKILL should neither happen.
 */
static char cpu_msg[160];
static size_t cpu_msg_len;

static void
on_xcpu(int sig)
{
	(void)sig;
	if (write(STDERR_FILENO, cpu_msg, cpu_msg_len) < 0)
		_exit(EXIT_INPUT);
	_exit(EXIT_INPUT);
}

static void
cpu_limit(const struct limits *lim)
{
	struct sigaction sa;
	struct rlimit rl;
	rlim_t n = (rlim_t)lim->v[LIMIT_CPU];
	int len;

	if (getrlimit(RLIMIT_CPU, &rl) != 0)
		return;
	/* Never above a limit the caller already set (ulimit -t). */
	if (rl.rlim_cur != RLIM_INFINITY && rl.rlim_cur < n)
		n = rl.rlim_cur;
	len = snprintf(cpu_msg, sizeof(cpu_msg), "charter: stopped after %lu "
	    "s of CPU time (limit 'cpu'); raise it with --limit cpu=N\n",
	    (unsigned long)n);
	cpu_msg_len = len > 0 ? (size_t)len : 0;
	memset(&sa, 0, sizeof(sa));
	sigemptyset(&sa.sa_mask);
	sa.sa_handler = on_xcpu;
	if (sigaction(SIGXCPU, &sa, NULL) != 0)
		return;
	rl.rlim_cur = n;
	if (rl.rlim_max == RLIM_INFINITY)
		rl.rlim_max = n + 10;
	(void)setrlimit(RLIMIT_CPU, &rl);
}

/*
 * Read and check the repository, its decision logs aside (repo_evidence
 * reads those).  Returns 0 (findings in r->d; r->checked when the model
 * loaded without an input error), or EXIT_USAGE after a message.
 */
static int
repo_read(struct repo *r, const char *content, const char *as_of,
    const struct limits *lim, int read_logs, const char *skip)
{
	size_t n;

	memset(r, 0, sizeof(*r));
	r->read_logs = read_logs;
	cpu_limit(lim);
	if (as_of_date(as_of, &r->m.as_of, r->date) != 0)
		return EXIT_USAGE;
	r->m.as_of_text = r->date;
	r->lim = *lim;
	arena_init(&r->a);
	/* "repo/" and "repo" are one repo: paths print the same. */
	n = strlen(content);
	while (n > 1 && content[n - 1] == '/')
		n--;
	content = arena_strndup(&r->a, content, n);
	r->m.root = content;
	diag_init(&r->d, &r->a);
	if (euaia_load(&r->a, &r->d, &r->facts) != 0)
		BUG("the embedded EU AI Act facts do not load");
	if ((r->schemas = model_schemas_load(&r->a, &r->d)) == NULL)
		BUG("the embedded schemas do not load");
	if (input_scan(&r->a, &r->d, lim, content, skip, &r->in) != 0)
		return 0;
	model_load(&r->a, &r->d, lim, r->schemas, &r->in, &r->m);
	/*
	 * Cross-document rules on a repo with unreadable files would report
	 * the missing files' contents as missing references.
	 */
	if (r->d.input_errors != 0)
		return 0;
	rules_check(&r->m, &r->facts, &r->d);
	r->checked = 1;
	return 0;
}

/*
 * The decision logs, read once: their rules into r->d, their evidence
 * into r->ev, and every row to sink too (may be NULL).
 */
static void
repo_evidence(struct repo *r, const struct evidence_sink *sink)
{
	struct log_limits ll;

	if (!r->checked)
		return;
	log_limits_from(&r->lim, &ll);
	evidence_build(&r->ev, &r->a, &r->d, &r->m, &r->facts, &ll,
	    r->read_logs, sink);
	r->has_ev = 1;
}

static int
repo_load(struct repo *r, const char *content, const char *as_of,
    const struct limits *lim, int read_logs, const char *skip)
{
	if (repo_read(r, content, as_of, lim, read_logs, skip) != 0)
		return EXIT_USAGE;
	repo_evidence(r, NULL);
	return 0;
}

static void
repo_free(struct repo *r)
{
	if (r->has_ev)
		evidence_free(&r->ev);
	if (r->schemas != NULL)
		model_schemas_free(r->schemas);
	free(r->in.v);
	diag_release(&r->d);
	arena_release(&r->a);
}

/* Findings to stderr in text form; EXIT_OUTPUT when that fails. */
static int
print_findings(const struct diag *d)
{
	diag_print_text(d, stderr, isatty(2) && getenv("NO_COLOR") == NULL);
	if (fflush(stderr) != 0 || ferror(stderr))
		return EXIT_OUTPUT;
	return 0;
}

/* The options check and build share. */
struct repo_opts {
	const char	*content, *as_of;
	int		 strict, logs;
	struct limits	 lim;
};

static void
repo_opts_init(struct repo_opts *o)
{
	o->content = ".";
	o->as_of = NULL;
	o->strict = 0;
	o->logs = 1;
	limits_default(&o->lim);
}

/*
 * Take getopt's ch if it is a shared option: 1 taken, 0 not one of them,
 * -1 a bad --limit (after a message).
 */
static int
repo_opt(struct repo_opts *o, int ch)
{
	switch (ch) {
	case 'c':
		o->content = optarg;
		return 1;
	case 'a':
		o->as_of = optarg;
		return 1;
	case 's':
		o->strict = 1;
		return 1;
	case 'n':
		o->logs = 0;
		return 1;
	case 'l':
		return limits_set(&o->lim, optarg) != 0 ? -1 : 1;
	default:
		return 0;
	}
}

static int
cmd_check(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "no-logs", no_argument, NULL, 'n' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum format fmt = FORMAT_TEXT;
	struct repo_opts o;
	struct repo r;
	struct buf b;
	int ch, rc;

	repo_opts_init(&o);
	argv[0] = prog_check;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((rc = repo_opt(&o, ch)) != 0) {
			if (rc < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (ch) {
		case 'f':
			if (parse_format(optarg, 1 << FORMAT_TEXT |
			    1 << FORMAT_JSON | 1 << FORMAT_SARIF |
			    1 << FORMAT_CODEQUALITY, &fmt) != 0)
				return bad_usage(usage_check,
				    "unknown format '%s'", optarg);
			break;
		case 'h':
			fputs(usage_check, stdout);
			return 0;
		default:
			return bad_usage(usage_check, NULL, NULL);
		}
	}
	if (optind != argc)
		return bad_usage(usage_check, "unexpected argument '%s'",
		    argv[optind]);
	if (repo_load(&r, o.content, o.as_of, &o.lim, o.logs, NULL) != 0)
		return EXIT_USAGE;
	diag_sort(&r.d);
	rc = diag_exit_status(&r.d, o.strict);
	if (fmt == FORMAT_TEXT) {
		if (print_findings(&r.d) != 0)
			rc = EXIT_OUTPUT;
	} else {
		buf_init(&b, 0);
		if (fmt == FORMAT_JSON)
			diag_print_json(&r.d, &b, r.date);
		else if (fmt == FORMAT_CODEQUALITY)
			diag_print_codequality(&r.d, &b);
		else
			diag_print_sarif(&r.d, &b);
		if (write_stdout(&b) != 0)
			rc = EXIT_OUTPUT;
		buf_release(&b);
	}
	repo_free(&r);
	return rc;
}

/* Evidence rows per workbook sheet; tests lower it to see "Decisions (2)". */
static unsigned long
sheet_rows(void)
{
	const char *e = getenv("CHARTER_TEST_SHEET_ROWS");

	return e != NULL ? strtoul(e, NULL, 10) : 0;
}

/*
 * A workbook written while the decision logs are read: wb_open before
 * repo_evidence, whose rows go to wb.sink, and wb_close after.
 */
struct wb {
	struct xlsx_in		 in;
	struct xlsx		*x;
	const char		*path;
	struct evidence_sink	 sink;
};

/* Start the workbook at path: 0, or -2 after a message on stderr. */
static int
wb_open(struct repo *r, struct wb *w, const char *system, const char *path)
{
	char err[512];

	memset(w, 0, sizeof(*w));
	w->in.a = &r->a;
	w->in.m = &r->m;
	w->in.ev = &r->ev;
	w->in.findings = &r->d;
	w->in.system = system;
	w->in.sheet_rows = sheet_rows();
	w->in.stop = outdir_signal;
	w->path = path;
	if ((w->x = xlsx_open(&w->in, path, err, sizeof(err))) == NULL) {
		fprintf(stderr, "charter: %s: %s\n", path, term_escape(&r->a,
		    err));
		return -2;
	}
	w->sink.row = xlsx_row;
	w->sink.ctx = w->x;
	return 0;
}

/*
 * Finish the workbook, r->d sorted, or with abort set drop it.  Returns 0,
 * -1 when aborted, -2 after a message on stderr.
 */
static int
wb_close(struct repo *r, struct wb *w, int abort, struct xlsx_stats *st)
{
	char err[512];
	int rc;

	rc = xlsx_close(w->x, abort, st, err, sizeof(err));
	w->x = NULL;
	if (rc == -2)
		fprintf(stderr, "charter: %s: %s\n", w->path,
		    term_escape(&r->a, err));
	return rc;
}

/*
 * What a build did, for its closing summary on stdout: never part of the
 * output, so timings may vary.
 */
struct build_report {
	size_t			 pages, packs, packs_complete, files;
	unsigned long long	 bytes;
	struct xlsx_stats	 workbook;
	/*
	 * Filled before the swap (build_output), after which nothing may
	 * allocate: the findings printed, the exit status, and the closing
	 * summary formatted (empty with -q) for cmd_build to write.
	 */
	int			 reported;
	int			 rc;
	struct buf		 summary;
};

/* How cmd_build reports, for build_output to do before the swap. */
struct build_opts {
	int			 strict, quiet;
	enum format		 fmt;
	const struct timespec	*t0;
};

static void	build_summary(struct repo *, const char *,
		    const struct build_report *, double, enum format, int,
		    struct buf *);
static double	seconds_since(const struct timespec *);

/*
 * On a terminal, a line on stderr saying which step a build is in,
 * rewritten in place and cleared before the findings are printed.
 */
static int progress_on;

static void
progress(const char *step)
{
	if (!progress_on)
		return;
	if (step != NULL)
		fprintf(stderr, "\r\033[Kcharter: %s...", step);
	else
		fputs("\r\033[K", stderr);
	fflush(stderr);
}

/*
 * MANIFEST.sha256: the digest of every file written so far, not of itself.
 * It must be the build's last write.
 */
static int
build_manifest(struct repo *r, struct outdir *od)
{
	struct manifest *man = od->man;
	struct buf b;
	int rc = 0;

	od->man = NULL;
	buf_init(&b, 0);
	manifest_format(man, &b);
	if (b.overflow) {
		fprintf(stderr, "charter: MANIFEST.sha256 is too large\n");
		rc = -2;
	} else if (outdir_write(od, "MANIFEST.sha256", b.data, b.len) != 0) {
		fprintf(stderr, "charter: %s\n", term_escape(&r->a, od->err));
		rc = -2;
	}
	buf_release(&b);
	return rc;
}

/*
 * Open the build's fresh folder beside out and start its workbook there,
 * before the decision logs are read: they are read once, for the checks
 * and the workbook's evidence together.  Returns 0, or EXIT_OUTPUT after
 * a message (nothing left behind).
 */
static int
build_start(struct repo *r, const char *out, const struct limits *lim,
    struct outdir *od, struct wb *w)
{
	char *path;
	int rc;

	if (outdir_open(od, out) != 0) {
		fprintf(stderr, "charter: %s\n", term_escape(&r->a, od->err));
		return EXIT_OUTPUT;
	}
	od->max_bytes = lim->v[LIMIT_OUTPUT];
	if ((path = outdir_path(od, "audit.xlsx")) == NULL) {
		fprintf(stderr, "charter: %s\n", term_escape(&r->a, od->err));
		outdir_abort(od);
		return EXIT_OUTPUT;
	}
	rc = wb_open(r, w, NULL, arena_strdup(&r->a, path));
	free(path);
	if (rc != 0) {
		outdir_abort(od);
		return EXIT_OUTPUT;
	}
	return 0;
}

/*
 * Render into the build's folder and swap it in; the workbook, fed by
 * the evidence pass, is finished here.  The previous output stays on any
 * failure.  Before the swap the findings are printed and the summary
 * formatted (rep->reported): running out of memory after it would end a
 * build whose output is already replaced.
 */
static int
build_output(struct repo *r, const char *out, const struct limits *lim,
    struct outdir *od, struct wb *w, struct build_report *rep,
    const struct build_opts *bo)
{
	struct manifest man;
	struct site_in in;
	struct diag td;
	int rc, wrc, sig;

	diag_init(&td, &r->a);
	memset(&in, 0, sizeof(in));
	in.a = &r->a;
	in.d = &td;
	in.m = &r->m;
	in.ev = &r->ev;
	in.facts = &r->facts;
	in.findings = &r->d;
	in.max_template = lim->v[LIMIT_FILE];
	manifest_init(&man);
	od->man = &man;
	progress("rendering the site and the packs");
	rc = site_render(&in, od);
	if (rc == 0)
		progress("writing the workbook");
	wrc = wb_close(r, w, rc != 0, &rep->workbook);
	if (rc == 0)
		rc = wrc;
	if (rc == 0 && outdir_adopt(od, "audit.xlsx") != 0) {
		fprintf(stderr, "charter: %s\n", term_escape(&r->a, od->err));
		rc = -2;
	}
	/* Last: every file above is in out/ and in the manifest. */
	if (rc == 0)
		rc = build_manifest(r, od);
	manifest_free(&man);
	/* Template errors join the findings: one report, one summary. */
	diag_merge(&r->d, &td);
	diag_sort(&r->d);
	diag_release(&td);
	/*
	 * Whatever allocates is done before the swap: running out of memory
	 * after it would end a build whose output is already replaced.
	 */
	rep->pages = in.pages;
	rep->packs = in.packs;
	rep->packs_complete = in.packs_complete;
	rep->files = od->files;
	rep->bytes = od->bytes;
	if (rc == 0) {
		progress(NULL);
		rep->rc = diag_exit_status(&r->d, bo->strict);
		if (print_findings(&r->d) != 0 && rep->rc < EXIT_OUTPUT)
			rep->rc = EXIT_OUTPUT;
		if (!bo->quiet)
			build_summary(r, out, rep, seconds_since(bo->t0),
			    bo->fmt, rep->rc, &rep->summary);
		rep->reported = 1;
	}
	progress(rc == 0 ? "replacing the output" : NULL);
	if (rc == 0 && outdir_commit(od) != 0) {
		/* od->err says whether the new output is in place. */
		fprintf(stderr, "charter: %s\n", term_escape(&r->a, od->err));
		rc = -3;
	}
	if (rc != 0)
		outdir_abort(od);
	progress(NULL);
	/* A signal after a successful commit came too late to matter. */
	sig = rc != 0 ? outdir_signal() : 0;
	if (sig == SIGXCPU) {
		fprintf(stderr, "charter: stopped after %zu s of CPU time "
		    "(limit 'cpu'); %s left as it was\n", lim->v[LIMIT_CPU],
		    out);
		return EXIT_INPUT;
	}
	if (sig != 0) {
		fprintf(stderr, "charter: interrupted by signal %d; %s left "
		    "as it was\n", sig, out);
		return 128 + sig;
	}
	if (rc == -1)
		return EXIT_INPUT;
	if (rc == -2)
		fprintf(stderr, "charter: %s left as it was\n", out);
	return rc != 0 ? EXIT_OUTPUT : 0;
}

static int	dir_is_empty(int);

/* 1 when the folder at path holds nothing (or cannot be read). */
static int
dir_empty(const char *path)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc;

	if (fd < 0)
		return 1;
	rc = dir_is_empty(fd);
	close(fd);
	return rc != 0;
}

/* Does folder path hold a file called name? */
static int
has_file(const char *path, const char *name)
{
	struct stat st;
	char *p = xmalloc(strlen(path) + strlen(name) + 2);
	int rc;

	sprintf(p, "%s/%s", path, name);
	rc = lstat(p, &st) == 0 && S_ISREG(st.st_mode);
	free(p);
	return rc;
}

/*
 * Where a build may write.  Never the governance repo itself, a folder
 * holding it, or a folder deeper inside it than its top level; and an
 * existing folder only when it is empty or an earlier build's (it holds
 * index.html and findings.json), so a mistyped --out cannot replace the
 * repo, its systems or its logs.  When the output is a top-level folder of
 * the repo, *skip is set to its name (to free), so the next build does not
 * read the last one's summary.md as a page.  Returns 0, or -1 after a
 * message.
 */
static int
out_check(const char *content, const char *out, char **skip)
{
	char *copy, *slash, *base, *rc = NULL, *rp = NULL, *ro = NULL;
	const char *parent;
	struct stat st;
	size_t n;
	int ret = -1;

	*skip = NULL;
	copy = xstrdup(out);
	for (n = strlen(copy); n > 1 && copy[n - 1] == '/'; n--)
		copy[n - 1] = '\0';
	slash = strrchr(copy, '/');
	base = slash != NULL ? slash + 1 : copy;
	parent = slash == NULL ? "." : slash == copy ? "/" : copy;
	if (slash != NULL)
		*slash = '\0';
	if (*base == '\0' || strcmp(base, ".") == 0 ||
	    strcmp(base, "..") == 0) {
		fprintf(stderr, "charter: --out '%s' must name a folder of its "
		    "own\n", out);
		goto done;
	}
	if ((rc = realpath(content, NULL)) == NULL) {
		ret = 0;	/* repo_load reports the content folder */
		goto done;
	}
	if ((rp = realpath(parent, NULL)) == NULL) {
		fprintf(stderr, "charter: --out '%s': cannot find its folder: "
		    "%s\n", out, strerror(errno));
		goto done;
	}
	ro = xmalloc(strlen(rp) + strlen(base) + 2);
	sprintf(ro, "%s%s%s", rp, strcmp(rp, "/") == 0 ? "" : "/", base);
	n = strlen(ro);
	if (strcmp(ro, rc) == 0 || (strncmp(rc, ro, n) == 0 && rc[n] == '/')) {
		fprintf(stderr, "charter: --out '%s' is the governance repo or "
		    "holds it; choose another folder\n", out);
		goto done;
	}
	n = strlen(rc);
	if (strncmp(ro, rc, n) == 0 && ro[n] == '/' &&
	    strcmp(rp, rc) != 0) {
		fprintf(stderr, "charter: --out '%s' is inside the governance "
		    "repo below its top level; use a top-level folder such as "
		    "'out', or one outside the repo\n", out);
		goto done;
	}
	if (lstat(ro, &st) == 0 && S_ISDIR(st.st_mode) && !dir_empty(ro) &&
	    !(has_file(ro, "index.html") && has_file(ro, "findings.json"))) {
		fprintf(stderr, "charter: --out '%s' holds files but is not the "
		    "output of an earlier build; it would be replaced: remove "
		    "it or choose another folder\n", out);
		goto done;
	}
	if (strcmp(rp, rc) == 0)
		*skip = xstrdup(base);
	ret = 0;
done:
	free(copy);
	free(rc);
	free(rp);
	free(ro);
	return ret;
}

static const char *
plural(struct arena *a, unsigned long long n, const char *what)
{
	return arena_printf(a, "%llu %s%s", n, what, n == 1 ? "" : "s");
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) +
	    (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* The closing summary of a build that wrote its output, on stdout. */
static void
build_summary(struct repo *r, const char *out, const struct build_report *rep,
    double secs, enum format fmt, int rc, struct buf *bp)
{
	const struct diag *d = &r->d;
	struct buf b;

	buf_init(&b, 0);
	if (fmt == FORMAT_JSON) {
		buf_puts(&b, "{\"out\": ");
		buf_json_str(&b, out);
		buf_printf(&b, ", \"exit\": %d, \"seconds\": %.3f, "
		    "\"pages\": %zu, \"packs\": %zu, \"packs_complete\": %zu, "
		    "\"workbook_rows\": %llu, \"workbook_sheets\": %zu, "
		    "\"files\": %zu, \"bytes\": %llu, \"errors\": %d, "
		    "\"warnings\": %d, \"notes\": %d}\n", rc, secs, rep->pages,
		    rep->packs, rep->packs_complete, rep->workbook.rows,
		    rep->workbook.sheets, rep->files, rep->bytes,
		    d->count[SEV_ERROR], d->count[SEV_WARNING],
		    d->count[SEV_NOTE]);
	} else
		buf_printf(&b, "charter: built %s in %.1f s: %s, %s (%zu "
		    "complete), audit.xlsx with %s; %s, %.1f MB; %s, %s, %s\n",
		    out, secs, plural(&r->a, rep->pages, "page"),
		    plural(&r->a, rep->packs, "pack"), rep->packs_complete,
		    plural(&r->a, rep->workbook.rows, "decision row"),
		    plural(&r->a, rep->files, "file"),
		    (double)rep->bytes / 1e6,
		    plural(&r->a, (unsigned)d->count[SEV_ERROR], "error"),
		    plural(&r->a, (unsigned)d->count[SEV_WARNING], "warning"),
		    plural(&r->a, (unsigned)d->count[SEV_NOTE], "note"));
	*bp = b;
}

static int
cmd_build(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "strict", no_argument, NULL, 's' },
		{ "no-logs", no_argument, NULL, 'n' },
		{ "limit", required_argument, NULL, 'l' },
		{ "format", required_argument, NULL, 'f' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = "out";
	struct build_report rep;
	struct build_opts bo;
	struct xlsx_stats st;
	struct repo_opts o;
	struct outdir od;
	struct repo r;
	struct wb w;
	struct timespec t0;
	enum format fmt = FORMAT_TEXT;
	char *skip = NULL;
	int ch, rc, brc = -1, quiet = 0, started = 0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	memset(&rep, 0, sizeof(rep));
	repo_opts_init(&o);
	argv[0] = prog_build;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		if ((rc = repo_opt(&o, ch)) != 0) {
			if (rc < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'f':
			if (parse_format(optarg, 1 << FORMAT_TEXT |
			    1 << FORMAT_JSON, &fmt) != 0)
				return bad_usage(usage_build,
				    "unknown format '%s'", optarg);
			break;
		case 'q':
			quiet = 1;
			break;
		case 'h':
			fputs(usage_build, stdout);
			return 0;
		default:
			return bad_usage(usage_build, NULL, NULL);
		}
	}
	if (optind != argc)
		return bad_usage(usage_build, "unexpected argument '%s'",
		    argv[optind]);
	if (*out == '\0')
		return bad_usage(usage_build, "%s", "--out needs a folder");
	if (out_check(o.content, out, &skip) != 0)
		return EXIT_USAGE;
	progress_on = !quiet && isatty(STDERR_FILENO);
	progress("reading the repository");
	rc = repo_read(&r, o.content, o.as_of, &o.lim, o.logs, skip);
	free(skip);
	if (rc != 0) {
		progress(NULL);
		return EXIT_USAGE;
	}
	if (r.checked) {
		if (build_start(&r, out, &o.lim, &od, &w) == 0)
			started = 1;
		else
			brc = EXIT_OUTPUT;
		progress("reading the decision logs");
		repo_evidence(&r, started ? &w.sink : NULL);
	}
	progress(NULL);
	diag_sort(&r.d);
	rc = diag_exit_status(&r.d, o.strict);
	if (rc != EXIT_INPUT && started) {
		bo.strict = o.strict;
		bo.quiet = quiet;
		bo.fmt = fmt;
		bo.t0 = &t0;
		brc = build_output(&r, out, &o.lim, &od, &w, &rep, &bo);
		if (brc != 0)
			rc = brc;
		else
			rc = rep.rc;
	} else if (rc != EXIT_INPUT) {
		rc = brc;
	} else {
		if (started) {
			wb_close(&r, &w, 1, &st);
			outdir_abort(&od);
		}
		fprintf(stderr, "charter: inputs could not be read; %s not "
		    "written\n", out);
	}
	/* After a swap nothing allocates: all was said before it. */
	if (!rep.reported && print_findings(&r.d) != 0 && rc < EXIT_OUTPUT)
		rc = EXIT_OUTPUT;
	if (brc == 0 && rep.summary.len > 0 && write(STDOUT_FILENO,
	    rep.summary.data, rep.summary.len) != (ssize_t)rep.summary.len)
		fprintf(stderr, "charter: cannot write output: %s\n",
		    strerror(errno));
	buf_release(&rep.summary);
	repo_free(&r);
	return rc;
}

/* Out of memory while the workbook is written: no temporary file stays. */
static void
oom_unlink(void *path)
{
	unlink(path);
}

/*
 * Read the decision logs into the workbook and write it through a
 * temporary name beside file: .NAME.tmp.XXXXXX, fsynced and renamed over
 * NAME only when the workbook is complete.
 */
static int
export_file(struct repo *r, const char *system, const char *file)
{
	const char *slash = strrchr(file, '/'), *dir;
	struct xlsx_stats st;
	struct wb w;
	char *tmp;
	int fd, rc;

	if (slash != NULL && slash[1] == '\0')
		return bad_usage(usage_export, "--out '%s' is not a file name",
		    file);
	dir = slash == NULL ? "." : slash == file ? "" :
	    arena_strndup(&r->a, file, (size_t)(slash - file));
	tmp = arena_printf(&r->a, "%s/.%s.tmp.XXXXXX", dir,
	    slash != NULL ? slash + 1 : file);
	if ((fd = mkstemp(tmp)) < 0) {
		fprintf(stderr, "charter: cannot create a file beside '%s': "
		    "%s\n", file, strerror(errno));
		return EXIT_OUTPUT;
	}
	close(fd);
	oom_cleanup_push(oom_unlink, tmp);
	if ((rc = wb_open(r, &w, system, tmp)) == 0) {
		repo_evidence(r, &w.sink);
		diag_sort(&r->d);
		if (diag_exit_status(&r->d, 0) == EXIT_INPUT) {
			wb_close(r, &w, 1, &st);
			unlink(tmp);
			oom_cleanup_pop(oom_unlink, tmp);
			print_findings(&r->d);
			fprintf(stderr, "charter: inputs could not be read; "
			    "%s not written\n", file);
			return EXIT_INPUT;
		}
		rc = wb_close(r, &w, 0, &st);
	}
	if (rc == 0 && ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0 ||
	    fchmod(fd, 0644) != 0 || fsync(fd) != 0 || close(fd) != 0 ||
	    rename(tmp, file) != 0)) {
		fprintf(stderr, "charter: cannot write '%s': %s\n", file,
		    strerror(errno));
		rc = -2;
	}
	if (rc != 0)
		unlink(tmp);
	oom_cleanup_pop(oom_unlink, tmp);
	return rc != 0 ? EXIT_OUTPUT : 0;
}

static int
cmd_export(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "out", required_argument, NULL, 'o' },
		{ "system", required_argument, NULL, 'S' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *out = "audit.xlsx", *system = NULL;
	struct repo_opts o;
	struct repo r;
	size_t i;
	int ch, rc;

	if (argc >= 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs(usage_export, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "xlsx") != 0)
		return bad_usage(usage_export, argc < 2 ? "%s" :
		    "unknown export '%s'", argc < 2 ? "export what?" : argv[1]);
	argc--;
	argv++;
	repo_opts_init(&o);
	argv[0] = prog_export;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((rc = repo_opt(&o, ch)) != 0) {
			if (rc < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (ch) {
		case 'o':
			out = optarg;
			break;
		case 'S':
			system = optarg;
			break;
		case 'h':
			fputs(usage_export, stdout);
			return 0;
		default:
			return bad_usage(usage_export, NULL, NULL);
		}
	}
	if (optind != argc)
		return bad_usage(usage_export, "unexpected argument '%s'",
		    argv[optind]);
	if (repo_read(&r, o.content, o.as_of, &o.lim, o.logs, NULL) != 0)
		return EXIT_USAGE;
	if (!r.checked) {
		diag_sort(&r.d);
		print_findings(&r.d);
		fprintf(stderr, "charter: inputs could not be read; %s not "
		    "written\n", out);
		repo_free(&r);
		return EXIT_INPUT;
	}
	for (i = 0; system != NULL && i < r.m.nsystems; i++)
		if (strcmp(r.m.systems[i].id.s, system) == 0)
			break;
	if (system != NULL && i == r.m.nsystems) {
		repo_free(&r);
		return bad_usage(usage_export, "no system '%s'", system);
	}
	rc = export_file(&r, system, out);
	repo_free(&r);
	return rc;
}

static int
cmd_metrics(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "system", required_argument, NULL, 's' },
		{ "period", required_argument, NULL, 'p' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *content = ".", *as_of = NULL, *id = NULL;
	enum format fmt = FORMAT_TEXT;
	int ch, per = PERIOD_MONTH, rc = 0;
	struct limits lim;
	struct repo r;
	struct buf b;
	size_t i;

	limits_default(&lim);
	argv[0] = prog_metrics;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			content = optarg;
			break;
		case 'a':
			as_of = optarg;
			break;
		case 'f':
			if (parse_format(optarg, 1 | 2, &fmt) != 0)
				return bad_usage(usage_metrics,
				    "unknown format '%s'", optarg);
			break;
		case 's':
			id = optarg;
			break;
		case 'p':
			if ((per = enum_lookup(period_names, PERIOD_MAX,
			    optarg)) < 0)
				return bad_usage(usage_metrics,
				    "unknown period '%s'", optarg);
			break;
		case 'l':
			if (limits_set(&lim, optarg) != 0)
				return EXIT_USAGE;
			break;
		case 'h':
			fputs(usage_metrics, stdout);
			return 0;
		default:
			return bad_usage(usage_metrics, NULL, NULL);
		}
	}
	if (optind != argc)
		return bad_usage(usage_metrics, "unexpected argument '%s'",
		    argv[optind]);
	if (repo_load(&r, content, as_of, &lim, 1, NULL) != 0)
		return EXIT_USAGE;
	/* Findings are check's business; here only what stopped reading. */
	if (r.d.input_errors != 0 || !r.has_ev) {
		diag_sort(&r.d);
		rc = print_findings(&r.d) != 0 ? EXIT_OUTPUT : EXIT_INPUT;
		repo_free(&r);
		return rc;
	}
	if (id != NULL) {
		for (i = 0; i < r.m.nsystems; i++)
			if (strcmp(r.m.systems[i].id.s, id) == 0)
				break;
		if (i == r.m.nsystems) {
			fprintf(stderr, "charter: no system '%s' in %s\n",
			    term_escape(&r.a, id), content);
			repo_free(&r);
			return EXIT_USAGE;
		}
	}
	buf_init(&b, 0);
	if (fmt == FORMAT_JSON)
		evidence_print_json(&r.ev, &r.m, id, &b);
	else
		evidence_print_text(&r.ev, &r.m, id, (enum period)per, &b);
	if (write_stdout(&b) != 0)
		rc = EXIT_OUTPUT;
	buf_release(&b);
	repo_free(&r);
	return rc;
}

static int
cmd_log_sample(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "days", required_argument, NULL, 'd' },
		{ "rows", required_argument, NULL, 'r' },
		{ "seed", required_argument, NULL, 's' },
		{ "force", no_argument, NULL, 'f' },
		{ "problems", no_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *content = ".", *as_of = NULL;
	struct sample_opts so;
	struct limits lim;
	struct repo r;
	char *end;
	int ch, rc;

	memset(&so, 0, sizeof(so));
	so.days = 182;
	so.seed = 1;
	limits_default(&lim);
	argv[0] = prog_log;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "q", opts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			content = optarg;
			break;
		case 'a':
			as_of = optarg;
			break;
		case 'd':
			so.days = strtol(optarg, &end, 10);
			if (*end != '\0' || so.days < 1 || so.days > 3660)
				return bad_usage(usage_log, "--days takes 1 to "
				    "3660, not '%s'", optarg);
			break;
		case 'r':
			so.rows = strtoll(optarg, &end, 10);
			if (*end != '\0' || so.rows < 1 ||
			    so.rows > 1000000000LL)
				return bad_usage(usage_log, "--rows takes 1 to "
				    "1000000000, not '%s'", optarg);
			break;
		case 's':
			so.seed = strtoull(optarg, &end, 10);
			if (*end != '\0' || optarg[0] < '0' || optarg[0] > '9')
				return bad_usage(usage_log, "--seed takes a "
				    "number, not '%s'", optarg);
			break;
		case 'f':
			so.force = 1;
			break;
		case 'p':
			so.problems = 1;
			break;
		case 'q':
			so.quiet = 1;
			break;
		case 'h':
			fputs(usage_log, stdout);
			return 0;
		default:
			return bad_usage(usage_log, NULL, NULL);
		}
	}
	if (optind != argc)
		return bad_usage(usage_log, "unexpected argument '%s'",
		    argv[optind]);
	if (repo_load(&r, content, as_of, &lim, 0, NULL) != 0)
		return EXIT_USAGE;
	/* The generator needs a model it can trust, not a clean one. */
	if (r.d.input_errors != 0 || r.d.count[SEV_ERROR] != 0) {
		diag_sort(&r.d);
		print_findings(&r.d);
		fprintf(stderr, "charter: fix the errors above before "
		    "sampling logs\n");
		rc = r.d.input_errors != 0 ? EXIT_INPUT : 1;
		repo_free(&r);
		return rc;
	}
	rc = sample_write(&r.m, &so) != 0 ? EXIT_OUTPUT : 0;
	repo_free(&r);
	return rc;
}

static int
cmd_log(int argc, char *argv[])
{
	struct logw *w;

	if (argc < 2 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0) {
		if (argc < 2)
			return bad_usage(usage_log, NULL, NULL);
		fputs(usage_log, stdout);
		return 0;
	}
	if (strcmp(argv[1], "init") == 0) {
		if (argc == 3 && strcmp(argv[2], "--help") == 0) {
			fputs(usage_log, stdout);
			return 0;
		}
		if (argc != 3 || argv[2][0] == '-')
			return bad_usage(usage_log, argc == 3 ? "unknown "
			    "option '%s'" : "log init takes one FILE%s",
			    argc == 3 ? argv[2] : "");
		if ((w = log_create(argv[2])) == NULL)
			return EXIT_OUTPUT;
		if (log_writer_close(w, 0) != 0)
			return EXIT_OUTPUT;
		printf("created %s, an empty decision log\n", argv[2]);
		return 0;
	}
	if (strcmp(argv[1], "sample") == 0)
		return cmd_log_sample(argc - 1, argv + 1);
	if (strcmp(argv[1], "schema") == 0) {
		if (argc != 2)
			return bad_usage(usage_log, "unexpected argument '%s'",
			    argv[2]);
		fputs(log_schema_sql, stdout);
		return 0;
	}
	return bad_usage(usage_log, "unknown log command '%s'", argv[1]);
}

static int
cmd_rules(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum format fmt = FORMAT_TEXT;
	struct buf b;
	int ch, r, rc = 0;

	argv[0] = prog_rules;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'f':
			if (parse_format(optarg, 1 | 2 | 8, &fmt) != 0)
				return bad_usage(usage_rules,
				    "unknown format '%s'", optarg);
			break;
		case 'h':
			fputs(usage_rules, stdout);
			return 0;
		default:
			return bad_usage(usage_rules, NULL, NULL);
		}
	}
	if (optind != argc)
		return bad_usage(usage_rules, "unexpected argument '%s'",
		    argv[optind]);
	buf_init(&b, 0);
	if (fmt == FORMAT_MARKDOWN)
		diag_rules_markdown(&b);
	else if (fmt == FORMAT_JSON)
		diag_rules_json(&b);
	else
		for (r = 0; r < RULE_MAX; r++)
			buf_printf(&b, "%-34s %-8s %s\n", rule_table[r].id,
			    severity_names[rule_table[r].severity],
			    rule_table[r].summary);
	if (write_stdout(&b) != 0)
		rc = EXIT_OUTPUT;
	buf_release(&b);
	return rc;
}

/*
 * Load one side of a diff.  Returns 0, or the exit status after saying
 * why: EXIT_USAGE for a bad as-of date, EXIT_INPUT when the repo (or one
 * of its logs) could not be read.
 */
static int
diff_load(struct repo *r, const char *which, const char *content,
    const struct repo_opts *o)
{
	if (repo_load(r, content, o->as_of, &o->lim, o->logs, NULL) != 0)
		return EXIT_USAGE;
	if (r->d.input_errors == 0 && r->has_ev)
		return 0;
	/* What stopped the reading, then which side it was. */
	diag_sort(&r->d);
	print_findings(&r->d);
	fprintf(stderr, "charter: %s repo '%s' could not be read\n", which,
	    term_escape(&r->a, content));
	return EXIT_INPUT;
}

static int
cmd_diff(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "no-logs", no_argument, NULL, 'n' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	enum format fmt = FORMAT_MARKDOWN;
	struct diff_side so, sn;
	struct diff_summary sum;
	struct repo_opts o;
	struct repo *ro, *rn;
	struct arena a;
	struct buf b;
	long days;
	char date[11];
	int ch, rc;

	repo_opts_init(&o);
	argv[0] = prog_diff;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if ((rc = repo_opt(&o, ch)) != 0) {
			if (rc < 0)
				return EXIT_USAGE;
			continue;
		}
		switch (ch) {
		case 'f':
			if (parse_format(optarg, 1 << FORMAT_TEXT |
			    1 << FORMAT_JSON | 1 << FORMAT_MARKDOWN,
			    &fmt) != 0)
				return bad_usage(usage_diff,
				    "unknown format '%s'", optarg);
			break;
		case 'h':
			fputs(usage_diff, stdout);
			return 0;
		default:
			return bad_usage(usage_diff, NULL, NULL);
		}
	}
	if (argc - optind != 2)
		return bad_usage(usage_diff, argc - optind < 2 ? "%s" :
		    "unexpected argument '%s'", argc - optind < 2 ?
		    "expected two folders, OLD and NEW" : argv[optind + 2]);
	/* One date for both, even across midnight. */
	if (as_of_date(o.as_of, &days, date) != 0)
		return EXIT_USAGE;
	o.as_of = date;
	/* Zeroed: repo_free is safe on a side never loaded. */
	ro = xcalloc(2, sizeof(*ro));
	rn = ro + 1;
	if ((rc = diff_load(ro, "OLD", argv[optind], &o)) != 0 ||
	    (rc = diff_load(rn, "NEW", argv[optind + 1], &o)) != 0) {
		repo_free(ro);
		repo_free(rn);
		free(ro);
		return rc;
	}
	/* As repo_load has them: "repo/" and "repo" are one repo. */
	so.label = ro->m.root;
	so.m = &ro->m;
	so.d = &ro->d;
	sn.label = rn->m.root;
	sn.m = &rn->m;
	sn.d = &rn->d;
	arena_init(&a);
	buf_init(&b, 0);
	diff_report(&a, &so, &sn, fmt == FORMAT_JSON ? DIFF_JSON :
	    fmt == FORMAT_TEXT ? DIFF_TEXT : DIFF_MARKDOWN, &b, &sum);
	rc = sum.new_errors > 0 ? 1 : 0;
	if (b.overflow) {
		fprintf(stderr, "charter: the comparison is too large to "
		    "print\n");
		rc = EXIT_OUTPUT;
	} else if (write_stdout(&b) != 0)
		rc = EXIT_OUTPUT;
	buf_release(&b);
	arena_release(&a);
	repo_free(ro);
	repo_free(rn);
	free(ro);
	return rc;
}

/* Create every folder of path below dirfd (path's last part excluded). */
static int
make_parents(int dirfd, const char *path)
{
	char tmp[512], *p;

	if (strlen(path) >= sizeof(tmp))
		return -1;
	strcpy(tmp, path);
	/* Skip a leading '/': the root exists. */
	for (p = strchr(tmp + 1, '/'); p != NULL; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdirat(dirfd, tmp, 0777) != 0 && errno != EEXIST)
			return -1;
		*p = '/';
	}
	return 0;
}

static int
write_new_file(int dirfd, const char *path, const unsigned char *data,
    size_t len)
{
	size_t off = 0;
	ssize_t n;
	int fd;

	if (make_parents(dirfd, path) != 0)
		return -1;
	fd = openat(dirfd, path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW |
	    O_CLOEXEC, 0666);
	if (fd < 0)
		return -1;
	while (off < len) {
		n = write(fd, data + off, len - off);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			close(fd);
			return -1;
		}
		off += (size_t)n;
	}
	return close(fd);
}

/* 1 when the folder holds nothing, 0 when it does, -1 on error. */
static int
dir_is_empty(int dirfd)
{
	struct dirent *de;
	DIR *d;
	int fd, empty = 1;

	if ((fd = dup(dirfd)) < 0 || (d = fdopendir(fd)) == NULL)
		return -1;
	while ((de = readdir(d)) != NULL)
		if (strcmp(de->d_name, ".") != 0 &&
		    strcmp(de->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

/*
 * Create an empty decision log for every log.database the new repo's
 * systems name, so it checks as written: the agent has not logged yet.
 */
static int
init_logs(const char *dir)
{
	struct limits lim;
	struct logw *w;
	struct repo r;
	size_t i;
	char *path;
	int rc = 0;

	limits_default(&lim);
	if (repo_load(&r, dir, NULL, &lim, 0, NULL) != 0)
		return -1;
	for (i = 0; i < r.m.nsystems && rc == 0; i++) {
		if (r.m.systems[i].log_database.s == NULL)
			continue;
		path = arena_printf(&r.a, "%s/%s", dir,
		    r.m.systems[i].log_database.s);
		if (access(path, F_OK) == 0)
			continue;
		if (make_parents(AT_FDCWD, path) != 0) {
			fprintf(stderr, "charter: cannot create the folder of "
			    "'%s': %s\n", path, strerror(errno));
			rc = -1;
		} else if ((w = log_create(path)) == NULL ||
		    log_writer_close(w, 0) != 0)
			rc = -1;
	}
	repo_free(&r);
	return rc;
}

static int
cmd_init(int argc, char *argv[])
{
	static const char prefix[] = "templates/init/";
	const struct embedded_file *ef;
	const char *dir, *rel;
	size_t i, written = 0;
	int dirfd, empty;

	if (argc == 2 && (strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "-h") == 0)) {
		fputs(usage_init, stdout);
		return 0;
	}
	if (argc != 2 || argv[1][0] == '-')
		return bad_usage(usage_init, argc == 2 ? "unknown option "
		    "'%s'" : "expected one folder", argc == 2 ? argv[1] : "");
	dir = argv[1];
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		fprintf(stderr, "charter: cannot create '%s': %s\n", dir,
		    strerror(errno));
		return EXIT_OUTPUT;
	}
	dirfd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (dirfd < 0) {
		fprintf(stderr, "charter: cannot open '%s': %s\n", dir,
		    strerror(errno));
		return EXIT_OUTPUT;
	}
	/* Refuse a folder that holds anything: never mix into files. */
	if ((empty = dir_is_empty(dirfd)) != 1) {
		if (empty < 0)
			fprintf(stderr, "charter: cannot read '%s': %s\n", dir,
			    strerror(errno));
		else
			fprintf(stderr, "charter: '%s' is not empty; init "
			    "writes only into a new or empty folder\n", dir);
		close(dirfd);
		return EXIT_OUTPUT;
	}
	for (i = 0; i < embedded_count; i++) {
		ef = &embedded_files[i];
		if (strncmp(ef->name, prefix, strlen(prefix)) == 0)
			rel = ef->name + strlen(prefix);
		else if (strncmp(ef->name, "schemas/", 8) == 0 &&
		    strstr(ef->name, ".schema.json") != NULL)
			rel = ef->name;
		else
			continue;
		if (write_new_file(dirfd, rel, ef->data, ef->len) != 0) {
			fprintf(stderr, "charter: cannot write '%s/%s': %s\n",
			    dir, rel, strerror(errno));
			close(dirfd);
			return EXIT_OUTPUT;
		}
		written++;
	}
	close(dirfd);
	if (init_logs(dir) != 0)
		return EXIT_OUTPUT;
	printf("created a governance repo in %s (%zu files)\n"
	    "next: charter check --content %s\n", dir, written, dir);
	return 0;
}

static int	run(int, char *[]);

/* Every command's output reaches stdout, or the run fails with 4. */
int
main(int argc, char *argv[])
{
	int rc = run(argc, argv);

	if (fflush(stdout) != 0 || ferror(stdout)) {
		fprintf(stderr, "charter: cannot write output: %s\n",
		    strerror(errno));
		return EXIT_OUTPUT;
	}
	return rc;
}

static int
run(int argc, char *argv[])
{
	const char *cmd;

	if (argc < 2)
		return bad_usage(usage_main, NULL, NULL);
	cmd = argv[1];
	if (strcmp(cmd, "--help") == 0 || strcmp(cmd, "-h") == 0 ||
	    strcmp(cmd, "help") == 0) {
		fputs(usage_main, stdout);
		return 0;
	}
	if (strcmp(cmd, "--version") == 0 || strcmp(cmd, "version") == 0) {
		/* Then the libraries whose versions shape the output. */
		printf("charter %s\n%s\nlibxlsxwriter %s\n", CHARTER_VERSION,
		    site_libraries("\n"), xlsx_library_version());
		return 0;
	}
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "build") == 0)
		return cmd_build(argc - 1, argv + 1);
	if (strcmp(cmd, "export") == 0)
		return cmd_export(argc - 1, argv + 1);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	if (strcmp(cmd, "metrics") == 0)
		return cmd_metrics(argc - 1, argv + 1);
	if (strcmp(cmd, "log") == 0)
		return cmd_log(argc - 1, argv + 1);
	if (strcmp(cmd, "verify") == 0)
		return cmd_verify(argc - 1, argv + 1);
	if (strcmp(cmd, "diff") == 0)
		return cmd_diff(argc - 1, argv + 1);
	return bad_usage(usage_main, "unknown command '%s'", cmd);
}
