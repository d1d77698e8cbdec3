/*
 * main.c - the command line: subcommands, options, the as-of date and the
 * exit status.  Wiring only: every real job lives in its module.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "euaia.h"
#include "input.h"
#include "model.h"
#include "rules.h"
#include "util.h"

#define EXIT_USAGE	2
#define EXIT_INPUT	3
#define EXIT_OUTPUT	4

enum format {
	FORMAT_TEXT, FORMAT_JSON, FORMAT_SARIF, FORMAT_MARKDOWN, FORMAT_MAX
};

static const char *const format_names[FORMAT_MAX] = {
	"text", "json", "sarif", "markdown"
};

static const char usage_main[] =
"usage: charter <command> [options]\n"
"\n"
"commands:\n"
"  check   validate a governance repo and report findings\n"
"  init    create a new governance repo with a worked example\n"
"  rules   list every rule Charter checks\n"
"\n"
"  charter --help | --version\n"
"  charter <command> --help\n";

static const char usage_check[] =
"usage: charter check [--content DIR] [--as-of DATE] [--format FORMAT]\n"
"                     [--strict] [--limit NAME=N]...\n"
"\n"
"Validate every YAML and Markdown file below DIR (default: the current\n"
"folder) and report findings as FILE:LINE:COL: SEVERITY: MESSAGE [RULE].\n"
"\n"
"  --content DIR   the governance repo to check (default .)\n"
"  --as-of DATE    YYYY-MM-DD for date rules (default: SOURCE_DATE_EPOCH,\n"
"                  else today, UTC)\n"
"  --format F      text (stderr), json or sarif (stdout)\n"
"  --strict        warnings count as errors for the exit status\n"
"  --limit NAME=N  raise a limit: file, total, files, depth, nodes, scalar\n"
"\n"
"exit status: 0 no errors, 1 errors found, 2 bad usage,\n"
"             3 an input could not be read or parsed\n";

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

/* getopt names the program by argv[0] in its messages. */
static char prog_check[] = "charter check";
static char prog_rules[] = "charter rules";

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
	int y, m, d;

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
	civil_from_days(*days, &y, &m, &d);
	snprintf(text, 11, "%04u-%02u-%02u", (unsigned)y % 10000,
	    (unsigned)m % 100, (unsigned)d % 100);
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

static int
cmd_check(int argc, char *argv[])
{
	static const struct option opts[] = {
		{ "content", required_argument, NULL, 'c' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "format", required_argument, NULL, 'f' },
		{ "strict", no_argument, NULL, 's' },
		{ "limit", required_argument, NULL, 'l' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 }
	};
	const char *content = ".", *as_of = NULL;
	enum format fmt = FORMAT_TEXT;
	struct schema_set *schemas;
	struct euaia_facts facts;
	struct input_set in;
	struct limits lim;
	struct model m;
	struct arena a;
	struct diag d;
	struct buf b;
	char date[11];
	int ch, strict = 0, rc;

	limits_default(&lim);
	argv[0] = prog_check;
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
			if (parse_format(optarg, 7, &fmt) != 0)
				return bad_usage(usage_check,
				    "unknown format '%s'", optarg);
			break;
		case 's':
			strict = 1;
			break;
		case 'l':
			if (limits_set(&lim, optarg) != 0)
				return EXIT_USAGE;
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
	memset(&m, 0, sizeof(m));
	if (as_of_date(as_of, &m.as_of, date) != 0)
		return EXIT_USAGE;
	m.as_of_text = date;
	m.root = content;
	arena_init(&a);
	diag_init(&d, &a);
	if (euaia_load(&a, &d, &facts) != 0)
		BUG("the embedded EU AI Act facts do not load");
	if ((schemas = model_schemas_load(&a, &d)) == NULL)
		BUG("the embedded schemas do not load");
	if (input_scan(&a, &d, &lim, content, &in) == 0) {
		model_load(&a, &d, &lim, schemas, &in, &m);
		/*
		 * Cross-document rules on a repo with unreadable files would
		 * report the missing files' contents as missing references.
		 */
		if (d.input_errors == 0)
			rules_check(&m, &facts, &d);
	}
	diag_sort(&d);
	rc = diag_exit_status(&d, strict);
	if (fmt == FORMAT_TEXT) {
		diag_print_text(&d, stderr, isatty(2) &&
		    getenv("NO_COLOR") == NULL);
		if (fflush(stderr) != 0 || ferror(stderr))
			rc = EXIT_OUTPUT;
	} else {
		buf_init(&b, 0);
		if (fmt == FORMAT_JSON)
			diag_print_json(&d, &b, date);
		else
			diag_print_sarif(&d, &b);
		if (write_stdout(&b) != 0)
			rc = EXIT_OUTPUT;
		buf_release(&b);
	}
	model_schemas_free(schemas);
	free(in.v);
	diag_release(&d);
	arena_release(&a);
	return rc;
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

/* Create every folder of path below dirfd (path's last part excluded). */
static int
make_parents(int dirfd, const char *path)
{
	char tmp[512], *p;

	if (strlen(path) >= sizeof(tmp))
		return -1;
	strcpy(tmp, path);
	for (p = strchr(tmp, '/'); p != NULL; p = strchr(p + 1, '/')) {
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
		printf("charter %s\n", CHARTER_VERSION);
		return 0;
	}
	if (strcmp(cmd, "check") == 0)
		return cmd_check(argc - 1, argv + 1);
	if (strcmp(cmd, "init") == 0)
		return cmd_init(argc - 1, argv + 1);
	if (strcmp(cmd, "rules") == 0)
		return cmd_rules(argc - 1, argv + 1);
	return bad_usage(usage_main, "unknown command '%s'", cmd);
}
