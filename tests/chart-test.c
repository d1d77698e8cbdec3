/*
 * chart-test.c - renders every kind of chart for a set of cases (normal
 * KPIs up and down, percent, one point, equal values, NaN and infinity,
 * hostile labels, no data, 60 periods, 25 bars) into DIR/NAME.html, each
 * a minimal HTML5 page, and checks what can be checked on the bytes:
 * escaping, the text alternative, the empty note, label thinning,
 * determinism, number formatting, and that a bad id aborts.
 * tests/t-chart.sh then parses every SVG as XML.
 *
 * usage: chart-test DIR
 * Prints PASS:/FAIL: lines for tests/run.sh; exits 1 after a failure.
 */
#include <math.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "buf.h"
#include "chart.h"

static int failures;
static const char *dir;

#define CHECK(name, cond) do {						\
	if (cond)							\
		printf("PASS: chart.%s\n", (name));			\
	else {								\
		printf("FAIL: chart.%s\n    %s:%d: %s\n", (name),	\
		    __FILE__, __LINE__, #cond);				\
		failures++;						\
	}								\
} while (0)

static const char *const MONTHS[] = {
	"2025-12", "2026-01", "2026-02", "2026-03", "2026-04", "2026-05",
	"2026-06", "2026-07", "2026-08", "2026-09", "2026-10", "2026-11",
};

/* Write the buffer as the body of DIR/name.html. */
static void
page(const char *name, const struct buf *b)
{
	char path[4096];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s.html", dir, name);
	fp = fopen(path, "w");
	if (fp == NULL) {
		perror(path);
		exit(3);
	}
	fprintf(fp, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n<title>chart test: %s</title>\n"
	    "</head>\n<body>\n<h1>%s</h1>\n%s</body>\n</html>\n", name, name,
	    b->data);
	if (fclose(fp) != 0) {
		perror(path);
		exit(3);
	}
}

static size_t
count(const char *hay, const char *needle)
{
	size_t n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

/* The text of <desc ...>...</desc>, into out. */
static const char *
desc_of(const char *svg, char *out, size_t n)
{
	const char *p = strstr(svg, "<desc"), *e;

	out[0] = '\0';
	if (p == NULL || (p = strchr(p, '>')) == NULL ||
	    (e = strstr(p, "</desc>")) == NULL)
		return out;
	p++;
	snprintf(out, n, "%.*s", (int)(e - p), p);
	return out;
}

/* No "nan" or "inf" anywhere, in any case. */
static int
no_nonfinite(const char *s)
{
	const char *p;

	for (p = s; *p != '\0'; p++) {
		if (strncasecmp(p, "nan", 3) == 0 ||
		    strncasecmp(p, "inf", 3) == 0)
			return 0;
	}
	return 1;
}

static void
fill(struct chart_point *p, size_t n, const double *v)
{
	size_t i;

	for (i = 0; i < n; i++) {
		p[i].label = MONTHS[i % 12];
		p[i].v = v[i];
	}
}

static void
test_format(void)
{
	static const struct {
		double		 v;
		int		 percent;
		const char	*unit;
		const char	*want;
	} cases[] = {
		{ 0.952, 1, "%", "95.2%" },
		{ 0.95, 1, NULL, "95%" },
		{ 1, 1, "%", "100%" },
		{ 0.12345, 1, "%", "12.3%" },
		{ 1234.5, 0, NULL, "1234.5" },
		{ 0.125, 0, NULL, "0.125" },
		{ 3, 0, "h", "3 h" },
		{ 3.2, 0, "h", "3.2 h" },
		{ 2.0004, 0, "EUR", "2 EUR" },
		{ 0.001234, 0, NULL, "0.00123" },
		{ -0.0001, 1, NULL, "0%" },
		{ -0.0000001, 0, NULL, "-0.0000001" },
		{ -1e-13, 0, NULL, "0" },
		{ -2.5, 0, "h", "-2.5 h" },
		{ 95.2, 0, "%", "95.2%" },
		{ 1e20, 0, NULL, "1e20" },
		{ 123456789012345678.0, 0, NULL, "1.23e17" },
		{ 0, 0, "", "0" },
	};
	struct chart_kpi k;
	char out[64], name[64];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		memset(&k, 0, sizeof(k));
		k.percent = cases[i].percent;
		k.unit = cases[i].unit;
		chart_format(out, sizeof(out), cases[i].v, &k);
		snprintf(name, sizeof(name), "format.%zu", i);
		CHECK(name, strcmp(out, cases[i].want) == 0);
		if (strcmp(out, cases[i].want) != 0)
			printf("    got '%s'\n", out);
	}
	chart_format(out, sizeof(out), NAN, NULL);
	CHECK("format.nan", strcmp(out, "n/a") == 0);
	chart_format(out, sizeof(out), -INFINITY, NULL);
	CHECK("format.inf", strcmp(out, "n/a") == 0);
	chart_format(out, 4, 1234.5, NULL);
	CHECK("format.truncated", strlen(out) < 4);
}

/* Lower is better: the brief's example, word for word. */
static void
test_line_down(void)
{
	static const double v[12] = { 2.4, 2.1, 1.9, 2.2, 2.6, 3.4, 4.1, 3.8,
		3.0, 2.8, 2.9, 3.2 };
	struct chart_point p[12];
	struct chart_kpi k = { "Invoice cycle time", "h", 0, 1, 1, 1, 1, 2, 3,
		5, "amber", "monthly" };
	struct buf b, b2;
	char d[2048];

	fill(p, 12, v);
	buf_init(&b, 0);
	chart_line(&b, "kpi-cycle", &k, p, 12);
	page("line-down", &b);
	CHECK("line.desc", strcmp(desc_of(b.data, d, sizeof(d)),
	    "Invoice cycle time, monthly, 12 periods from 2025-12 to 2026-11."
	    " Latest 3.2 h (2026-11): amber. Target 2 h; amber above 3 h;"
	    " red above 5 h. Lowest 1.9 h, highest 4.1 h.") == 0);
	if (strcmp(d, "") != 0 && strstr(d, "Lowest 1.9 h") == NULL)
		printf("    desc: %s\n", d);
	CHECK("line.aria", strstr(b.data, "aria-labelledby=\"kpi-cycle-t "
	    "kpi-cycle-d\"") != NULL && strstr(b.data, "<title "
	    "id=\"kpi-cycle-t\">Invoice cycle time</title>") != NULL);
	CHECK("line.bands", count(b.data, "class=\"chart-band-amber\"") == 1 &&
	    count(b.data, "class=\"chart-band-red\"") == 1 &&
	    strstr(b.data, ">amber</text>") != NULL &&
	    strstr(b.data, ">red</text>") != NULL);
	CHECK("line.target", strstr(b.data, ">target 2 h</text>") != NULL &&
	    strstr(b.data, "stroke-dasharray") != NULL);
	CHECK("line.latest", count(b.data, "class=\"chart-latest\"") == 1 &&
	    strstr(b.data, "font-weight=\"600\">3.2 h</text>") != NULL);
	CHECK("line.points", count(b.data, "class=\"chart-point\"") == 11);
	CHECK("line.periods", count(b.data, "chart-period") == 6);
	CHECK("line.no-style", strstr(b.data, "style") == NULL);
	CHECK("line.finite", no_nonfinite(b.data));
	buf_init(&b2, 0);
	chart_line(&b2, "kpi-cycle", &k, p, 12);
	CHECK("line.deterministic", b.len == b2.len &&
	    memcmp(b.data, b2.data, b.len) == 0);
	buf_release(&b2);
	buf_release(&b);
}

/* Higher is better, percent: red below, amber between. */
static void
test_line_up(void)
{
	static const double v[12] = { 0.81, 0.84, 0.86, 0.85, 0.88, 0.9,
		0.91, 0.93, 0.92, 0.94, 0.955, 0.962 };
	struct chart_point p[12];
	struct chart_kpi k = { "First-time-right rate", "%", 1, 0, 1, 1, 1,
		0.95, 0.9, 0.85, "green", "monthly" };
	struct buf b;
	char d[2048];

	fill(p, 12, v);
	buf_init(&b, 0);
	chart_line(&b, "kpi-ftr", &k, p, 12);
	page("line-up-percent", &b);
	desc_of(b.data, d, sizeof(d));
	CHECK("percent.desc", strstr(d, "Latest 96.2% (2026-11): green. "
	    "Target 95%; amber below 90%; red below 85%. Lowest 81%, "
	    "highest 96.2%.") != NULL);
	CHECK("percent.ticks", strstr(b.data, "chart-tick") != NULL &&
	    strstr(b.data, "%</text>") != NULL);
	CHECK("percent.no-unit-label", strstr(b.data, "chart-unit") == NULL);
	buf_release(&b);

	/* Only a red threshold: one band. */
	k.has_amber = 0;
	k.has_target = 0;
	buf_init(&b, 0);
	chart_line(&b, "kpi-ftr-red", &k, p, 12);
	page("line-red-only", &b);
	CHECK("red-only.bands", count(b.data, "chart-band-amber") == 0 &&
	    count(b.data, "class=\"chart-band-red\"") == 1 &&
	    strstr(b.data, "chart-target") == NULL);
	desc_of(b.data, d, sizeof(d));
	CHECK("red-only.desc", strstr(d, ": green. Red below 85%.") != NULL);
	buf_release(&b);
}

static void
test_line_edges(void)
{
	static const double eq[5] = { 7, 7, 7, 7, 7 };
	static const double zero[3] = { 0, 0, 0 };
	double bad[12] = { 4, 5, NAN, 6, INFINITY, 5, 4, -INFINITY, 3, 2, 3,
		NAN };
	double huge[4] = { 1e50, -1e50, 1e120, 2e50 };
	double tiny[4] = { 1e-9, 3e-9, 2e-9, 2.5e-9 };
	struct chart_point p[60];
	struct chart_kpi k = { "Queue length", NULL, 0, 1, 0, 0, 0, 0, 0, 0,
		NULL, NULL };
	struct buf b;
	char d[2048];
	size_t i;

	fill(p, 1, eq);
	buf_init(&b, 0);
	chart_line(&b, "one", &k, p, 1);
	page("line-one", &b);
	desc_of(b.data, d, sizeof(d));
	CHECK("one.desc", strcmp(d, "Queue length, 1 period: 2025-12. "
	    "Latest 7 (2025-12).") == 0);
	CHECK("one.latest", count(b.data, "chart-latest\"") == 1 &&
	    strstr(b.data, "chart-line") == NULL);
	CHECK("one.finite", no_nonfinite(b.data));
	buf_release(&b);

	fill(p, 5, eq);
	buf_init(&b, 0);
	chart_line(&b, "equal", &k, p, 5);
	page("line-equal", &b);
	desc_of(b.data, d, sizeof(d));
	CHECK("equal.desc", strstr(d, "All values 7.") != NULL);
	CHECK("equal.finite", no_nonfinite(b.data) &&
	    count(b.data, "chart-tick") >= 3 &&
	    count(b.data, "chart-tick") <= 5);
	buf_release(&b);

	fill(p, 3, zero);
	buf_init(&b, 0);
	chart_line(&b, "zero", &k, p, 3);
	page("line-zero", &b);
	CHECK("zero.finite", no_nonfinite(b.data) &&
	    strstr(b.data, "chart-line") != NULL);
	buf_release(&b);

	fill(p, 12, bad);
	k.has_target = 1;
	k.target = NAN;		/* a threshold without a value */
	buf_init(&b, 0);
	chart_line(&b, "gaps", &k, p, 12);
	page("line-nan", &b);
	desc_of(b.data, d, sizeof(d));
	CHECK("nan.finite", no_nonfinite(b.data));
	CHECK("nan.desc", strstr(d, "Latest 3 (2026-10).") != NULL &&
	    strstr(d, "4 periods without a value, not drawn: 2026-02, "
	    "2026-04, 2026-07 and 2026-11.") != NULL);
	CHECK("nan.points", count(b.data, "chart-point\"") == 7);
	CHECK("nan.broken-line", count(b.data, "<path class=\"chart-line\"")
	    == 1);
	buf_release(&b);
	k.has_target = 0;

	for (i = 0; i < 12; i++)
		bad[i] = NAN;
	fill(p, 12, bad);
	buf_init(&b, 0);
	chart_line(&b, "all-missing", &k, p, 12);
	page("line-all-nan", &b);
	CHECK("all-nan.empty", strcmp(b.data, "<p class=\"chart-empty\">"
	    "No data yet for Queue length.</p>\n") == 0);
	buf_release(&b);

	fill(p, 4, huge);
	buf_init(&b, 0);
	chart_line(&b, "huge", &k, p, 4);
	page("line-huge", &b);
	CHECK("huge.finite", no_nonfinite(b.data) &&
	    strstr(b.data, "1 period without a value") != NULL);
	buf_release(&b);

	fill(p, 4, tiny);
	buf_init(&b, 0);
	chart_line(&b, "tiny", &k, p, 4);
	page("line-tiny", &b);
	CHECK("tiny.finite", no_nonfinite(b.data) &&
	    strstr(b.data, "0.000000001") != NULL);
	buf_release(&b);

	/* 60 periods: at most 8 labels, the latest one among them. */
	for (i = 0; i < 60; i++) {
		p[i].label = MONTHS[i % 12];
		p[i].v = 50 + 30 * sin((double)i / 6) + (double)(i % 7);
	}
	k.unit = "EUR";
	buf_init(&b, 0);
	chart_line(&b, "sixty", &k, p, 60);
	page("line-60", &b);
	CHECK("sixty.periods", count(b.data, "chart-period") == 8);
	CHECK("sixty.points", count(b.data, "chart-point\"") == 59);
	CHECK("sixty.unit", strstr(b.data, "chart-unit") != NULL);
	desc_of(b.data, d, sizeof(d));
	CHECK("sixty.desc", strstr(d, "60 periods from 2025-12 to 2026-11")
	    != NULL);
	buf_release(&b);
}

static void
test_hostile(void)
{
	static const char title[] = "<script>alert('t')</script> & \"q\" "
	    "{{x}} {{{y}}}";
	struct chart_point p[4] = {
		{ "<script>alert(1)</script>", 1 },
		{ "a\"b'c&d", 2 },
		{ "{{x}}\x01\x1b[31m\xff\xfe", 3 },
		{ "<img src=x onerror=alert(1)>", 4 },
	};
	struct chart_kpi k = { title, "<b>u</b>", 0, 0, 1, 1, 1, 3, 2, 1,
		"\"red\" & <i>bad</i>", "<em>monthly</em>" };
	struct chart_bar bars[2] = {
		{ "<script>x</script>", 5, "<svg onload=alert(1)>" },
		{ "\"quoted\" & 'single'", 3, "{{x}}" },
	};
	struct buf b;

	buf_init(&b, 0);
	chart_line(&b, "hostile-line", &k, p, 4);
	chart_sparkline(&b, "hostile-spark", &k, p, 4);
	chart_bars(&b, "hostile-bars", title, "<b>u</b>", bars, 2);
	page("hostile", &b);
	CHECK("hostile.no-markup", strstr(b.data, "<script") == NULL &&
	    strstr(b.data, "<img") == NULL && strstr(b.data, "<b>") == NULL &&
	    strstr(b.data, "<i>") == NULL && strstr(b.data, "<em>") == NULL &&
	    count(b.data, "<svg") == 3);
	CHECK("hostile.escaped", strstr(b.data,
	    "&lt;script&gt;alert(&#39;t&#39;)&lt;/script&gt; &amp; "
	    "&quot;q&quot; {{x}} {{{y}}}") != NULL &&
	    strstr(b.data, "a&quot;b&#39;c&amp;d") != NULL);
	CHECK("hostile.controls", strchr(b.data, '\x01') == NULL &&
	    strchr(b.data, '\x1b') == NULL &&
	    strstr(b.data, "{{x}}\xEF\xBF\xBD\xEF\xBF\xBD[31m\xEF\xBF\xBD"
	    "\xEF\xBF\xBD") != NULL);
	CHECK("hostile.handler-as-text", strstr(b.data,
	    "&lt;img src=x onerror=alert(1)&gt;") != NULL &&
	    strstr(b.data, "&lt;svg onload=alert(1)&gt;") != NULL);
	buf_release(&b);

	/* Long labels are cut with an ellipsis, on a code point boundary. */
	p[0].label = "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
	    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9";
	buf_init(&b, 0);
	chart_line(&b, "long", &k, p, 1);
	CHECK("long-label.cut", strstr(b.data, ">\xC3\xA9\xC3\xA9\xC3\xA9"
	    "\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9\xC3\xA9"
	    "\xE2\x80\xA6</text>") != NULL);
	buf_release(&b);
}

static void
test_empty(void)
{
	struct chart_kpi k = { "<b>Cost</b> & more", NULL, 0, 0, 0, 0, 0, 0,
		0, 0, NULL, NULL };
	struct buf b;

	buf_init(&b, 0);
	chart_line(&b, "empty-line", &k, NULL, 0);
	chart_sparkline(&b, "empty-spark", &k, NULL, 0);
	chart_bars(&b, "empty-bars", "<b>Bars</b>", NULL, NULL, 0);
	k.title = NULL;
	chart_line(&b, "empty-untitled", &k, NULL, 0);
	page("empty", &b);
	CHECK("empty.notes", strcmp(b.data,
	    "<p class=\"chart-empty\">No data yet for &lt;b&gt;Cost&lt;/b&gt; "
	    "&amp; more.</p>\n"
	    "<p class=\"chart-empty\">No data yet for &lt;b&gt;Cost&lt;/b&gt; "
	    "&amp; more.</p>\n"
	    "<p class=\"chart-empty\">No data yet for &lt;b&gt;Bars&lt;/b&gt;"
	    ".</p>\n"
	    "<p class=\"chart-empty\">No data yet.</p>\n") == 0);
	buf_release(&b);
}

static void
test_spark(void)
{
	static const double v[12] = { 2.4, 2.1, 1.9, 2.2, 2.6, 3.4, 4.1, 3.8,
		3.0, 2.8, 2.9, 3.2 };
	static const double eq[3] = { 5, 5, 5 };
	struct chart_point p[12];
	struct chart_kpi k = { "Invoice cycle time", "h", 0, 1, 1, 1, 1, 2, 3,
		5, "amber", "monthly" };
	struct buf b;
	char d[1024];

	fill(p, 12, v);
	buf_init(&b, 0);
	chart_sparkline(&b, "spark-cycle", &k, p, 12);
	desc_of(b.data, d, sizeof(d));
	CHECK("spark.desc", strcmp(d, "Trend of Invoice cycle time over 12 "
	    "periods: from 2.4 h to 3.2 h; latest 3.2 h, status amber.") == 0);
	CHECK("spark.size", strstr(b.data, "viewBox=\"0 0 120 32\"") != NULL &&
	    count(b.data, "chart-spark-latest") == 1);
	p[11].v = NAN;
	chart_sparkline(&b, "spark-gap", &k, p, 12);
	fill(p, 3, eq);
	chart_sparkline(&b, "spark-equal", &k, p, 3);
	chart_sparkline(&b, "spark-one", &k, p, 1);
	page("sparkline", &b);
	CHECK("spark.finite", no_nonfinite(b.data) &&
	    count(b.data, "<svg") == 4);
	CHECK("spark.nan-desc", strstr(b.data, "from 2.4 h to 2.9 h; latest "
	    "2.9 h, status amber. 1 period without a value, not drawn: "
	    "2026-11.") != NULL);
	CHECK("spark.flat", strstr(b.data, "M4.0 16.0L60.0 16.0L116.0 16.0")
	    != NULL);
	buf_release(&b);
}

static void
test_bars(void)
{
	struct chart_bar v[25];
	char labels[25][32], d[8192];
	struct buf b;
	size_t i;

	for (i = 0; i < 25; i++) {
		snprintf(labels[i], sizeof(labels[i]), "System %02zu", i + 1);
		v[i].label = labels[i];
		v[i].v = (double)((i * 37) % 23) + 0.5;
		v[i].note = i % 5 == 0 ? "2 overdue" : NULL;
	}
	buf_init(&b, 0);
	chart_bars(&b, "bars-25", "Open exceptions by system", NULL, v, 25);
	page("bars-25", &b);
	desc_of(b.data, d, sizeof(d));
	CHECK("bars.rows", count(b.data, "class=\"chart-row\"") == 25 &&
	    count(b.data, "class=\"chart-bar\"") == 25);
	CHECK("bars.desc", strncmp(d, "Open exceptions by system: System 01 "
	    "0.5 (2 overdue); System 02 14.5; ", 66) == 0 &&
	    strstr(d, "; and 5 more.") != NULL &&
	    strstr(d, "System 20") != NULL && strstr(d, "System 21") == NULL);
	CHECK("bars.height", strstr(b.data, "viewBox=\"0 0 640 616\"") != NULL);
	buf_release(&b);

	v[0].v = -3;
	v[1].v = NAN;
	v[2].v = 0;
	v[3].v = 2;
	buf_init(&b, 0);
	chart_bars(&b, "bars-neg", "Budget variance", "EUR", v, 4);
	page("bars-negative", &b);
	CHECK("bars.negative", count(b.data, "chart-bar-neg") == 1 &&
	    count(b.data, "class=\"chart-bar") == 2 &&
	    strstr(b.data, ">no value</text>") != NULL &&
	    strstr(b.data, ">-3 EUR<tspan") != NULL &&
	    no_nonfinite(b.data));
	buf_release(&b);

	v[0].v = NAN;
	v[1].v = NAN;
	buf_init(&b, 0);
	chart_bars(&b, "bars-missing", "No values", "%", v, 2);
	page("bars-nan", &b);
	CHECK("bars.all-nan", no_nonfinite(b.data) &&
	    count(b.data, "class=\"chart-bar") == 0);
	buf_release(&b);
}

/* An id outside [a-z0-9-] is a caller's bug: the chart aborts. */
static void
test_bad_id(void)
{
	static const char *const ids[] = { "Bad", "a b", "x\"y", "", NULL };
	struct chart_point p = { "x", 1 };
	struct chart_kpi k = { "t", NULL, 0, 0, 0, 0, 0, 0, 0, 0, NULL, NULL };
	struct buf b;
	char name[32];
	size_t i;
	pid_t pid;
	int st;

	for (i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
		fflush(stdout);
		pid = fork();
		if (pid == 0) {
			if (freopen("/dev/null", "w", stderr) == NULL)
				_exit(1);
			buf_init(&b, 0);
			chart_line(&b, ids[i], &k, &p, 1);
			_exit(0);
		}
		st = 0;
		waitpid(pid, &st, 0);
		snprintf(name, sizeof(name), "bad-id.%zu", i);
		CHECK(name, pid > 0 && WIFSIGNALED(st) &&
		    WTERMSIG(st) == SIGABRT);
	}
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: chart-test DIR\n");
		return 2;
	}
	dir = argv[1];
	test_format();
	test_line_down();
	test_line_up();
	test_line_edges();
	test_hostile();
	test_empty();
	test_spark();
	test_bars();
	test_bad_id();
	return failures != 0;
}
