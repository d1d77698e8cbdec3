/*
 * chart.c - inline SVG charts for the KPI site: a line chart with its
 * target and amber/red bands, a sparkline, and horizontal bars.
 *
 * Each chart is one <svg> element that a template places raw into an HTML5
 * page, under a CSP without 'unsafe-inline'.  So the SVG carries no style
 * attribute, no <style>, no script, no event handler and no external
 * reference.  Colours are presentation attributes (what shows when the
 * stylesheet fails to load) and class names, which the site's CSS uses to
 * set the palette and the print look.  Every caller string is escaped
 * here; numbers are formatted without the locale and coordinates with one
 * fixed decimal, so the same data gives the same bytes.  This module only
 * draws: it never decides a status, which the caller passes in words.
 *
 * Classes, for the stylesheet:
 *
 *   chart                every chart's <svg>, with one of:
 *   chart-kpi              the line chart
 *   chart-spark            the sparkline
 *   chart-bars             the bar chart
 *   chart-empty          the <p> written instead of a chart without data
 *
 *   chart-band-amber     amber band (rect; fill, fill-opacity)
 *   chart-band-red       red band (rect)
 *   chart-band-label     "amber" or "red" inside its band (text)
 *   chart-grid           grid line at a y tick (line)
 *   chart-axis           x axis of the line chart, zero line of the bars
 *   chart-target         dashed target line (line)
 *   chart-target-label   "target X" beside it (text)
 *   chart-line           the KPI series (path, fill none)
 *   chart-point          one period's value (circle)
 *   chart-latest         the latest value: a diamond (path)
 *   chart-latest-label   its value (text)
 *   chart-spark-line     the sparkline's series (path)
 *   chart-spark-latest   its last point (circle)
 *   chart-row            one bar's group (g)
 *   chart-bar            a bar (rect), with chart-bar-neg when negative
 *   chart-value          a bar's value (text)
 *   chart-note           a bar's note (tspan inside chart-value)
 *
 *   chart-label          every text element, with one of chart-tick
 *                        (y value), chart-period (x label), chart-unit
 *                        (unit above the y axis), chart-cat (bar label),
 *                        chart-value, or one of the *-label classes above
 *
 * Any CSS rule beats a presentation attribute, so the stylesheet needs no
 * !important.  SVG text takes its colour from fill, not color.  The
 * sparkline's width="120" height="32" are defaults the CSS may change;
 * the other charts are width="100%" and keep their aspect ratio.
 *
 * Every caller string is text, never markup: & < > " ' become references,
 * control characters and invalid UTF-8 become U+FFFD (XML 1.0 forbids
 * them).
 */
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "buf.h"
#include "chart.h"
#include "util.h"

/* The line chart's viewBox and plot area. */
#define L_W		640
#define L_H		240
#define L_X0		56	/* plot left; y tick labels to its left */
#define L_X1		556	/* plot right; margin labels after */
#define L_Y0		22
#define L_Y1		210
#define L_INSET		10	/* end points off the edges */
#define L_PERIODS	8	/* at most this many period labels */
#define L_LABEL_CP	12	/* code points of a period label */
#define L_UNIT_CP	40	/* and of the unit above the y axis */

/* The sparkline. */
#define S_W		120
#define S_H		32
#define S_INSET		4

/* The bar chart: rows of B_ROW, bar area from B_X0 to B_X1. */
#define B_W		640
#define B_ROW		24
#define B_BAR		14
#define B_TOP		8
#define B_X0		184
#define B_X1		468
#define B_LABEL_CP	30
#define B_NOTE_CP	24
#define B_DESC_MAX	20	/* bars listed in the description */

#define DESC_BAD_MAX	5	/* periods without a value named in desc */

/*
 * Values beyond this magnitude are not drawn: the scale's arithmetic
 * would overflow.  No KPI comes near it.
 */
#define V_MAX		1e100

/* Palette, used when the stylesheet does not load. */
#define C_INK		"#334155"	/* the series: slate */
#define C_INK_DARK	"#0f172a"
#define C_TEXT		"#475569"
#define C_MUTED		"#64748b"
#define C_GRID		"#e2e8f0"
#define C_AXIS		"#94a3b8"
#define C_TARGET	"#15803d"
#define C_AMBER		"#f59e0b"
#define C_RED		"#dc2626"

#define FONT		"system-ui, Segoe UI, Roboto, sans-serif"

static int
plottable(double v)
{
	return isfinite(v) && fabs(v) <= V_MAX;
}

/* --- text ----------------------------------------------------------------- */

/*
 * Decode one code point of s[0..n), n >= 1.  Invalid UTF-8 (bad lead or
 * continuation byte, overlong form, surrogate, past U+10FFFF) decodes as
 * U+FFFD consuming one byte.  Returns the bytes consumed.
 */
static size_t
next_cp(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
		min = 0x80;
	} else if ((s[0] & 0xF0) == 0xE0) {
		len = 3;
		c = s[0] & 0x0F;
		min = 0x800;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
		min = 0x10000;
	} else
		goto bad;
	if (len > n)
		goto bad;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			goto bad;
		c = c << 6 | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		goto bad;
	*cp = c;
	return len;
bad:
	*cp = 0xFFFD;
	return 1;
}

static size_t
count_cp(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, count = 0;
	uint32_t cp;

	while (i < n) {
		i += next_cp(p + i, n - i, &cp);
		count++;
	}
	return count;
}

/*
 * Write s as text safe in an element and in a quoted attribute, in HTML
 * and in XML.  Tab, CR and LF become a space (labels are one line); other
 * control characters, U+FFFE, U+FFFF and invalid UTF-8 become U+FFFD.
 * With max > 0, at most max code points, the last an ellipsis when s is
 * longer.  NULL writes nothing.
 */
static void
put_text(struct buf *b, const char *s, size_t max)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n, i, len, keep, count;
	uint32_t cp;

	if (s == NULL)
		return;
	keep = (size_t)-1;
	if (max > 0 && count_cp(s) > max)
		keep = max - 1;
	n = strlen(s);
	for (i = 0, count = 0; i < n && count < keep; i += len, count++) {
		len = next_cp(p + i, n - i, &cp);
		switch (cp) {
		case '&':
			buf_puts(b, "&amp;");
			continue;
		case '<':
			buf_puts(b, "&lt;");
			continue;
		case '>':
			buf_puts(b, "&gt;");
			continue;
		case '"':
			buf_puts(b, "&quot;");
			continue;
		case '\'':
			buf_puts(b, "&#39;");
			continue;
		case '\t':
		case '\n':
		case '\r':
			buf_putc(b, ' ');
			continue;
		}
		if (cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) ||
		    cp == 0xFFFE || cp == 0xFFFF || cp == 0xFFFD)
			buf_puts(b, "\xEF\xBF\xBD");
		else
			buf_append(b, p + i, len);
	}
	if (keep != (size_t)-1)
		buf_puts(b, "\xE2\x80\xA6");
}

/* --- numbers -------------------------------------------------------------- */

/*
 * v rounded to dec decimals (0 to 12) with integer arithmetic, so no
 * locale can change the decimal point; trailing zeros trimmed if trim.
 * |v| * 10^dec must stay below 9e18.  Never "-0".
 */
static void
fmt_fixed(char *out, size_t n, double v, int dec, int trim)
{
	char digits[24], *p;
	long long scale = 1, q;
	size_t len;
	int i;

	if (dec < 0 || dec > 12)
		BUG("fmt_fixed: decimals out of range");
	for (i = 0; i < dec; i++)
		scale *= 10;
	q = llround(fabs(v) * (double)scale);
	/* At least dec + 1 digits, so the point has a digit before it. */
	snprintf(digits, sizeof(digits), "%lld", q);
	len = strlen(digits);
	if (len < (size_t)dec + 1) {
		memmove(digits + dec + 1 - len, digits, len + 1);
		memset(digits, '0', dec + 1 - len);
		len = (size_t)dec + 1;
	}
	p = out;
	if (n < len + 3) {
		snprintf(out, n, "?");
		return;
	}
	if (v < 0 && q != 0)
		*p++ = '-';
	memcpy(p, digits, len - dec);
	p += len - dec;
	if (dec > 0) {
		*p++ = '.';
		memcpy(p, digits + len - dec, dec);
		p += dec;
	}
	*p = '\0';
	if (!trim || dec == 0)
		return;
	while (p[-1] == '0')
		*--p = '\0';
	if (p[-1] == '.')
		*--p = '\0';
}

/* A finite value without unit: 95.2 for a percent, else up to 3 decimals. */
static void
fmt_number(char *out, size_t n, double v, int percent)
{
	char m[32];
	double a;
	int dec, e;

	if (percent)
		v *= 100;
	a = fabs(v);
	if (a >= 1e15) {
		/* Too large for fixed digits: 1.23e20. */
		e = (int)floor(log10(a));
		fmt_fixed(m, sizeof(m), v / pow(10, e), 2, 1);
		if (strcmp(m, "10") == 0 || strcmp(m, "-10") == 0)
			fmt_fixed(m, sizeof(m), v / pow(10, ++e), 2, 1);
		snprintf(out, n, "%se%d", m, e);
		return;
	}
	if (percent)
		dec = 1;
	else if (a >= 1 || a < 1e-12)
		dec = 3;
	else
		dec = 2 - (int)floor(log10(a));	/* 3 significant */
	if (dec > 12)
		dec = 12;
	fmt_fixed(out, n, v, dec, 1);
}

void
chart_format(char *out, size_t n, double v, const struct chart_kpi *k)
{
	const char *unit = k != NULL ? k->unit : NULL;
	int percent = k != NULL && k->percent;
	char num[48];

	if (n == 0)
		return;
	if (!isfinite(v)) {
		snprintf(out, n, "n/a");
		return;
	}
	fmt_number(num, sizeof(num), v, percent);
	if (unit != NULL && strcmp(unit, "%") == 0) {
		unit = NULL;
		percent = 1;
	}
	snprintf(out, n, "%s%s%s%s", num, percent ? "%" : "",
	    unit != NULL && *unit != '\0' ? " " : "",
	    unit != NULL ? unit : "");
}

/* A value for a tick or a label: chart_format, escaped. */
static void
put_value(struct buf *b, double v, const struct chart_kpi *k)
{
	char s[160];

	chart_format(s, sizeof(s), v, k);
	put_text(b, s, 0);
}

/*
 * A coordinate: fixed one decimal, like "%.1f" but locale-free.  A
 * non-finite coordinate is a bug in the scale arithmetic, never data.
 */
static void
put_coord(struct buf *b, double v)
{
	char s[32];

	if (!isfinite(v) || fabs(v) > 1e9)
		BUG("chart coordinate out of range");
	fmt_fixed(s, sizeof(s), v, 1, 0);
	buf_puts(b, s);
}

/*
 * A tiny printf for markup: %f a coordinate (double), %d an int, %z a
 * size_t, %s a trusted string (our literals, the checked id), %t caller
 * text (escaped), %% a percent sign.  Nothing else: an unknown conversion
 * is a bug.
 */
static void
svgf(struct buf *b, const char *fmt, ...)
{
	const char *p, *q;
	va_list ap;

	va_start(ap, fmt);
	for (p = fmt; *p != '\0'; p = q + 2) {
		q = strchr(p, '%');
		if (q == NULL) {
			buf_puts(b, p);
			break;
		}
		buf_append(b, p, (size_t)(q - p));
		switch (q[1]) {
		case 'f':
			put_coord(b, va_arg(ap, double));
			break;
		case 'd':
			buf_printf(b, "%d", va_arg(ap, int));
			break;
		case 'z':
			buf_printf(b, "%zu", va_arg(ap, size_t));
			break;
		case 's':
			buf_puts(b, va_arg(ap, const char *));
			break;
		case 't':
			put_text(b, va_arg(ap, const char *), 0);
			break;
		case '%':
			buf_putc(b, '%');
			break;
		default:
			BUG("svgf: bad conversion");
		}
	}
	va_end(ap);
}

/* --- shared pieces -------------------------------------------------------- */

static void
check_id(const char *id)
{
	const char *p;

	if (id == NULL || *id == '\0')
		BUG("chart id is empty");
	for (p = id; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-'))
			BUG("chart id outside [a-z0-9-]");
}

static const char *
or_empty(const char *s)
{
	return s != NULL ? s : "";
}

static void
put_empty(struct buf *b, const char *title)
{
	buf_puts(b, "<p class=\"chart-empty\">No data yet");
	if (title != NULL && *title != '\0') {
		buf_puts(b, " for ");
		put_text(b, title, 0);
	}
	buf_puts(b, ".</p>\n");
}

/*
 * The <svg> start tag and its <title>; leaves <desc> open for the caller
 * to write the text alternative into.  width and height may be NULL.
 */
static void
svg_open(struct buf *b, const char *id, const char *cls, int w, size_t h,
    const char *width, const char *height, const char *title)
{
	svgf(b, "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"%s\" "
	    "viewBox=\"0 0 %d %z\"", cls, w, h);
	if (width != NULL)
		svgf(b, " width=\"%s\"", width);
	if (height != NULL)
		svgf(b, " height=\"%s\"", height);
	svgf(b, " preserveAspectRatio=\"xMidYMid meet\" role=\"img\" "
	    "aria-labelledby=\"%s-t %s-d\" font-family=\"%s\" "
	    "font-size=\"11\">\n", id, id, FONT);
	svgf(b, "<title id=\"%s-t\">%t</title>\n<desc id=\"%s-d\">", id,
	    title != NULL && *title != '\0' ? title : "Chart", id);
}

/* Series statistics over the values that can be drawn. */
struct series {
	size_t	 nok;		/* values drawn */
	size_t	 first, last;	/* first and last index */
	double	 min, max;
};

/* Count value x of index i, in order; start from a zeroed struct. */
static void
series_add(struct series *s, size_t i, double x)
{
	if (!plottable(x))
		return;
	if (s->nok == 0) {
		s->first = i;
		s->min = s->max = x;
	}
	s->min = fmin(s->min, x);
	s->max = fmax(s->max, x);
	s->last = i;
	s->nok++;
}

static void
series_points(struct series *s, const struct chart_point *p, size_t n)
{
	size_t i;

	memset(s, 0, sizeof(*s));
	for (i = 0; i < n; i++)
		series_add(s, i, p[i].v);
}

/* " N periods without a value, not drawn: A, B and 3 more." */
static void
desc_missing(struct buf *b, const struct chart_point *p, size_t n,
    size_t nbad)
{
	size_t i, shown = 0;

	if (nbad == 0)
		return;
	svgf(b, " %z %s without a value, not drawn: ", nbad,
	    nbad == 1 ? "period" : "periods");
	for (i = 0; i < n && shown < DESC_BAD_MAX; i++) {
		if (plottable(p[i].v))
			continue;
		if (shown > 0)
			buf_puts(b, shown + 1 == nbad ? " and " : ", ");
		put_text(b, p[i].label != NULL && *p[i].label != '\0' ?
		    p[i].label : "(unnamed)", 0);
		shown++;
	}
	if (shown < nbad)
		svgf(b, " and %z more", nbad - shown);
	buf_putc(b, '.');
}

/* --- the line chart ------------------------------------------------------- */

struct yscale {
	double	 lo, hi, step;	/* axis range and tick step */
	int	 nticks;
};

/*
 * Choose an axis covering [lo, hi] with 3 to 5 ticks at a step of 1, 2,
 * 2.5 or 5 times a power of ten, after 5% headroom on each side.  Axes of
 * data at or above zero stay at or above zero; a percent axis of data at
 * most 100% stops at 100%.  All-equal values get a range around them.
 */
static void
yscale_fit(struct yscale *s, double lo, double hi, int percent)
{
	static const double mult[] = { 1, 2, 2.5, 5 };
	double span, a, z, raw, step = 1;
	int e, i;

	span = hi - lo;
	if (span <= fmax(fabs(lo), fabs(hi)) * 1e-12 || span < 1e-200) {
		span = fabs(lo) >= 1e-200 ? fabs(lo) * 0.2 : percent ? 0.02 : 2;
		a = lo - span / 2;
		z = hi + span / 2;
		if (lo >= 0 && a < 0)
			a = 0;
	} else {
		a = lo - span * 0.05;
		z = hi + span * 0.05;
		if (lo >= 0 && a < 0)
			a = 0;
		if (percent && hi <= 1 && z > 1)
			z = 1;
	}
	raw = (z - a) / 4;
	e = (int)floor(log10(raw));
	s->lo = s->hi = 0;
	s->nticks = 0;
	for (i = 0; i < 16; i++) {
		step = mult[i % 4] * pow(10, e + i / 4);
		if (step < raw * (1 - 1e-9))
			continue;
		s->lo = floor(a / step + 1e-9) * step;
		s->hi = ceil(z / step - 1e-9) * step;
		s->nticks = (int)llround((s->hi - s->lo) / step) + 1;
		if (s->nticks <= 5)
			break;
	}
	s->step = step;
	if (s->nticks < 2 || !(s->hi > s->lo))
		BUG("chart axis without a range");
}

static double
ymap(const struct yscale *s, double v)
{
	return L_Y1 - (v - s->lo) / (s->hi - s->lo) * (L_Y1 - L_Y0);
}

static double
xmap(size_t i, size_t n)
{
	if (n == 1)
		return (L_X0 + L_X1) / 2.0;
	return L_X0 + L_INSET +
	    (double)i * (L_X1 - L_X0 - 2 * L_INSET) / (double)(n - 1);
}

/*
 * A band between two values, clipped to the axis: its rectangle, or with
 * cls NULL its name (drawn later, over the grid lines).
 */
static void
band(struct buf *b, const struct yscale *s, const char *cls,
    const char *fill, const char *name, double v1, double v2)
{
	double lo = fmax(fmin(v1, v2), s->lo), hi = fmin(fmax(v1, v2), s->hi);
	double ytop, ybot;

	if (!(hi > lo))
		return;
	ytop = ymap(s, hi);
	ybot = ymap(s, lo);
	if (ybot - ytop < 0.5)
		return;
	if (cls != NULL) {
		svgf(b, "<rect class=\"%s\" x=\"%d\" y=\"%f\" width=\"%d\" "
		    "height=\"%f\" fill=\"%s\" fill-opacity=\"0.14\"/>\n",
		    cls, L_X0, ytop, L_X1 - L_X0, ybot - ytop, fill);
		return;
	}
	svgf(b, "<text class=\"chart-label chart-band-label\" x=\"%d\" "
	    "y=\"%f\" fill=\"%s\">%s</text>\n", L_X0 + 6,
	    (ytop + ybot) / 2 + 4, C_MUTED, name);
}

static void
line_desc(struct buf *b, const struct chart_kpi *k,
    const struct chart_point *p, size_t n, const struct series *st)
{
	const char *dir = k->lower_is_better ? "above" : "below";
	const char *sep = " ";
	const struct chart_point *last = &p[st->last];

	put_text(b, k->title != NULL && *k->title != '\0' ? k->title : "KPI",
	    0);
	if (k->period_name != NULL && *k->period_name != '\0')
		svgf(b, ", %t", k->period_name);
	if (n == 1)
		svgf(b, ", 1 period: %t.", or_empty(p[0].label));
	else
		svgf(b, ", %z periods from %t to %t.", n,
		    or_empty(p[0].label), or_empty(p[n - 1].label));
	buf_puts(b, " Latest ");
	put_value(b, last->v, k);
	svgf(b, " (%t)", or_empty(last->label));
	if (k->status != NULL && *k->status != '\0')
		svgf(b, ": %t", k->status);
	buf_putc(b, '.');
	if (k->has_target) {
		buf_puts(b, " Target ");
		put_value(b, k->target, k);
		sep = "; ";
	}
	if (k->has_amber) {
		svgf(b, "%s%s %s ", sep, *sep == ' ' ? "Amber" : "amber", dir);
		put_value(b, k->amber, k);
		sep = "; ";
	}
	if (k->has_red) {
		svgf(b, "%s%s %s ", sep, *sep == ' ' ? "Red" : "red", dir);
		put_value(b, k->red, k);
		sep = "; ";
	}
	if (*sep == ';')
		buf_putc(b, '.');
	if (st->nok > 1 && st->min == st->max) {
		buf_puts(b, " All values ");
		put_value(b, st->min, k);
		buf_putc(b, '.');
	} else if (st->nok > 1) {
		buf_puts(b, " Lowest ");
		put_value(b, st->min, k);
		buf_puts(b, ", highest ");
		put_value(b, st->max, k);
		buf_putc(b, '.');
	}
	desc_missing(b, p, n, n - st->nok);
}

/* The latest point: a diamond, and its value in the right margin. */
static void
line_latest(struct buf *b, const struct chart_kpi *k,
    const struct chart_point *pt, double x, double y, double ty,
    int has_ty)
{
	double ly = y;

	svgf(b, "<path class=\"chart-latest\" d=\"M%f %fL%f %fL%f %fL%f %fZ\" "
	    "fill=\"%s\" stroke=\"#ffffff\" stroke-width=\"1.5\"><title>"
	    "latest: %t: ", x, y - 6.5, x + 6.5, y, x, y + 6.5, x - 6.5, y,
	    C_INK_DARK, or_empty(pt->label));
	put_value(b, pt->v, k);
	buf_puts(b, "</title></path>\n");
	/* Keep the value clear of the target's label in the same margin. */
	if (has_ty && fabs(ly - ty) < 14)
		ly = ly <= ty ? ty - 14 : ty + 14;
	ly = fmin(fmax(ly, L_Y0), L_Y1 + 4);
	svgf(b, "<text class=\"chart-label chart-latest-label\" x=\"%f\" "
	    "y=\"%f\" fill=\"%s\" font-weight=\"600\">", x + 10, ly + 4,
	    C_INK_DARK);
	put_value(b, pt->v, k);
	buf_puts(b, "</text>\n");
}

/*
 * Lower is better: red above the red threshold, amber from amber up to
 * red.  Higher is better: red below red, amber from red up to amber.  A
 * band is drawn only when its threshold is set.  Rectangles, or with
 * names set, the bands' names.
 */
static void
bands(struct buf *b, const struct yscale *s, const struct chart_kpi *k,
    int has_amber, int has_red, int names)
{
	const char *amber = names ? NULL : "chart-band-amber";
	const char *red = names ? NULL : "chart-band-red";

	if (k->lower_is_better) {
		if (has_amber)
			band(b, s, amber, C_AMBER, "amber", k->amber,
			    has_red ? k->red : s->hi);
		if (has_red)
			band(b, s, red, C_RED, "red", k->red, s->hi);
	} else {
		if (has_amber)
			band(b, s, amber, C_AMBER, "amber",
			    has_red ? k->red : s->lo, k->amber);
		if (has_red)
			band(b, s, red, C_RED, "red", s->lo, k->red);
	}
}

void
chart_line(struct buf *b, const char *id, const struct chart_kpi *k,
    const struct chart_point *p, size_t n)
{
	struct chart_kpi tick;
	struct yscale s;
	struct series st;
	double lo, hi, y, ty = 0;
	size_t i, step;
	int joined, has_ty = 0, has_amber, has_red;

	check_id(id);
	if (k == NULL)
		BUG("chart_line without a KPI");
	series_points(&st, p, n);
	if (st.nok == 0) {
		put_empty(b, k->title);
		return;
	}
	has_amber = k->has_amber && plottable(k->amber);
	has_red = k->has_red && plottable(k->red);
	lo = st.min;
	hi = st.max;
	if (k->has_target && plottable(k->target)) {
		lo = fmin(lo, k->target);
		hi = fmax(hi, k->target);
	}
	if (has_amber) {
		lo = fmin(lo, k->amber);
		hi = fmax(hi, k->amber);
	}
	if (has_red) {
		lo = fmin(lo, k->red);
		hi = fmax(hi, k->red);
	}
	yscale_fit(&s, lo, hi, k->percent);

	svg_open(b, id, "chart chart-kpi", L_W, L_H, "100%", NULL, k->title);
	line_desc(b, k, p, n, &st);
	buf_puts(b, "</desc>\n");

	/* Bands first, so grid, line and labels draw over them. */
	bands(b, &s, k, has_amber, has_red, 0);
	/* Ticks: the values alone; a unit but "%" once, above the axis. */
	tick = *k;
	if (k->unit != NULL && strcmp(k->unit, "%") != 0)
		tick.unit = NULL;
	for (i = 0; i < (size_t)s.nticks; i++) {
		y = ymap(&s, s.lo + (double)i * s.step);
		svgf(b, "<line class=\"chart-grid\" x1=\"%d\" y1=\"%f\" "
		    "x2=\"%d\" y2=\"%f\" stroke=\"%s\" stroke-width=\"1\"/>\n",
		    L_X0, y, L_X1, y, C_GRID);
		svgf(b, "<text class=\"chart-label chart-tick\" x=\"%d\" "
		    "y=\"%f\" text-anchor=\"end\" fill=\"%s\">", L_X0 - 8,
		    y + 4, C_MUTED);
		put_value(b, s.lo + (double)i * s.step, &tick);
		buf_puts(b, "</text>\n");
	}
	if (k->unit != NULL && *k->unit != '\0' && strcmp(k->unit, "%") != 0) {
		svgf(b, "<text class=\"chart-label chart-unit\" x=\"%d\" "
		    "y=\"%d\" fill=\"%s\">", L_X0, L_Y0 - 10, C_MUTED);
		put_text(b, k->unit, L_UNIT_CP);
		buf_puts(b, "</text>\n");
	}
	svgf(b, "<line class=\"chart-axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" "
	    "y2=\"%d\" stroke=\"%s\" stroke-width=\"1\"/>\n", L_X0, L_Y1,
	    L_X1, L_Y1, C_AXIS);
	bands(b, &s, k, has_amber, has_red, 1);

	/* Period labels: at most L_PERIODS, evenly, counted from the latest. */
	step = (n + L_PERIODS - 1) / L_PERIODS;
	for (i = n; i > 0; i = i > step ? i - step : 0) {
		svgf(b, "<text class=\"chart-label chart-period\" x=\"%f\" "
		    "y=\"%d\" text-anchor=\"middle\" fill=\"%s\">",
		    xmap(i - 1, n), L_Y1 + 17, C_MUTED);
		put_text(b, p[i - 1].label, L_LABEL_CP);
		buf_puts(b, "</text>\n");
	}

	if (k->has_target && plottable(k->target)) {
		ty = ymap(&s, k->target);
		has_ty = 1;
		svgf(b, "<line class=\"chart-target\" x1=\"%d\" y1=\"%f\" "
		    "x2=\"%d\" y2=\"%f\" stroke=\"%s\" stroke-width=\"1.5\" "
		    "stroke-dasharray=\"6 4\"/>\n", L_X0, ty, L_X1, ty,
		    C_TARGET);
		svgf(b, "<text class=\"chart-label chart-target-label\" "
		    "x=\"%d\" y=\"%f\" fill=\"%s\">target ", L_X1 + 6, ty + 4,
		    C_TARGET);
		put_value(b, k->target, k);
		buf_puts(b, "</text>\n");
	}

	/* The series, broken where a period has no value. */
	for (i = 1, joined = 0; i < n; i++)
		joined |= plottable(p[i - 1].v) && plottable(p[i].v);
	if (joined) {
		buf_puts(b, "<path class=\"chart-line\" d=\"");
		for (i = 0; i < n; i++)
			if (plottable(p[i].v))
				svgf(b, "%s%f %f", i > 0 &&
				    plottable(p[i - 1].v) ? "L" : "M",
				    xmap(i, n), ymap(&s, p[i].v));
		svgf(b, "\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
		    "stroke-linejoin=\"round\" stroke-linecap=\"round\"/>\n",
		    C_INK);
	}

	for (i = 0; i < n; i++) {
		if (!plottable(p[i].v) || i == st.last)
			continue;
		svgf(b, "<circle class=\"chart-point\" cx=\"%f\" cy=\"%f\" "
		    "r=\"%s\" fill=\"%s\"><title>%t: ", xmap(i, n),
		    ymap(&s, p[i].v), n > 24 ? "2" : "3", C_INK,
		    or_empty(p[i].label));
		put_value(b, p[i].v, k);
		buf_puts(b, "</title></circle>\n");
	}
	line_latest(b, k, &p[st.last], xmap(st.last, n),
	    ymap(&s, p[st.last].v), ty, has_ty);
	buf_puts(b, "</svg>\n");
}

/* --- the sparkline -------------------------------------------------------- */

static double
spark_x(size_t i, size_t n)
{
	if (n == 1)
		return S_W / 2.0;
	return S_INSET + (double)i * (S_W - 2 * S_INSET) / (double)(n - 1);
}

/* All-equal values draw a flat line through the middle. */
static double
spark_y(const struct series *st, double v)
{
	if (st->max - st->min <= fmax(fabs(st->min), fabs(st->max)) * 1e-12)
		return S_H / 2.0;
	return S_H - S_INSET - (v - st->min) / (st->max - st->min) *
	    (S_H - 2 * S_INSET);
}

void
chart_sparkline(struct buf *b, const char *id, const struct chart_kpi *k,
    const struct chart_point *p, size_t n)
{
	struct series st;
	size_t i;
	int joined;

	check_id(id);
	if (k == NULL)
		BUG("chart_sparkline without a KPI");
	series_points(&st, p, n);
	if (st.nok == 0) {
		put_empty(b, k->title);
		return;
	}
	svg_open(b, id, "chart chart-spark", S_W, S_H, "120", "32",
	    k->title);
	svgf(b, "Trend of %t over %z %s: ", k->title != NULL &&
	    *k->title != '\0' ? k->title : "KPI", n,
	    n == 1 ? "period" : "periods");
	if (st.nok > 1) {
		buf_puts(b, "from ");
		put_value(b, p[st.first].v, k);
		buf_puts(b, " to ");
		put_value(b, p[st.last].v, k);
		buf_puts(b, "; ");
	}
	buf_puts(b, "latest ");
	put_value(b, p[st.last].v, k);
	if (k->status != NULL && *k->status != '\0')
		svgf(b, ", status %t", k->status);
	buf_putc(b, '.');
	desc_missing(b, p, n, n - st.nok);
	buf_puts(b, "</desc>\n");

	for (i = 1, joined = 0; i < n; i++)
		joined |= plottable(p[i - 1].v) && plottable(p[i].v);
	if (joined) {
		buf_puts(b, "<path class=\"chart-spark-line\" d=\"");
		for (i = 0; i < n; i++)
			if (plottable(p[i].v))
				svgf(b, "%s%f %f", i > 0 &&
				    plottable(p[i - 1].v) ? "L" : "M",
				    spark_x(i, n), spark_y(&st, p[i].v));
		svgf(b, "\" fill=\"none\" stroke=\"%s\" "
		    "stroke-width=\"1.5\" stroke-linejoin=\"round\" "
		    "stroke-linecap=\"round\"/>\n", C_INK);
	}
	svgf(b, "<circle class=\"chart-spark-latest\" cx=\"%f\" cy=\"%f\" "
	    "r=\"2.5\" fill=\"%s\"/>\n</svg>\n", spark_x(st.last, n),
	    spark_y(&st, p[st.last].v), C_INK_DARK);
}

/* --- bars ----------------------------------------------------------------- */

void
chart_bars(struct buf *b, const char *id, const char *title,
    const char *unit, const struct chart_bar *v, size_t n)
{
	struct chart_kpi k;
	struct series st;
	double lo, hi, x0, x, y;
	size_t i;

	check_id(id);
	if (n == 0) {
		put_empty(b, title);
		return;
	}
	memset(&k, 0, sizeof(k));
	k.unit = unit;
	memset(&st, 0, sizeof(st));
	for (i = 0; i < n; i++)
		series_add(&st, i, v[i].v);
	lo = st.nok > 0 ? fmin(st.min, 0) : 0;
	hi = st.nok > 0 ? fmax(st.max, 0) : 0;
	if (!(hi > lo))
		hi = lo + 1;
	x0 = B_X0 + (0 - lo) / (hi - lo) * (B_X1 - B_X0);

	svg_open(b, id, "chart chart-bars", B_W, B_TOP * 2 + n * B_ROW,
	    "100%", NULL, title);
	svgf(b, "%t: ", title != NULL && *title != '\0' ? title : "Values");
	for (i = 0; i < n && i < B_DESC_MAX; i++) {
		if (i > 0)
			buf_puts(b, "; ");
		svgf(b, "%t ", v[i].label != NULL && *v[i].label != '\0' ?
		    v[i].label : "(unnamed)");
		if (plottable(v[i].v))
			put_value(b, v[i].v, &k);
		else
			buf_puts(b, "no value");
		if (v[i].note != NULL && *v[i].note != '\0')
			svgf(b, " (%t)", v[i].note);
	}
	if (n > B_DESC_MAX)
		svgf(b, "; and %z more", n - B_DESC_MAX);
	buf_puts(b, ".</desc>\n");

	for (i = 0; i < n; i++) {
		y = B_TOP + (double)i * B_ROW;
		svgf(b, "<g class=\"chart-row\"><title>%t: ",
		    or_empty(v[i].label));
		if (plottable(v[i].v))
			put_value(b, v[i].v, &k);
		else
			buf_puts(b, "no value");
		if (v[i].note != NULL && *v[i].note != '\0')
			svgf(b, " (%t)", v[i].note);
		buf_puts(b, "</title>\n");
		svgf(b, "<text class=\"chart-label chart-cat\" x=\"%d\" "
		    "y=\"%f\" text-anchor=\"end\" fill=\"%s\">", B_X0 - 8,
		    y + B_ROW / 2.0 + 4, C_TEXT);
		put_text(b, v[i].label, B_LABEL_CP);
		buf_puts(b, "</text>\n");
		if (plottable(v[i].v)) {
			x = B_X0 + (v[i].v - lo) / (hi - lo) * (B_X1 - B_X0);
			if (fabs(x - x0) >= 0.05)
				svgf(b, "<rect class=\"chart-bar%s\" x=\"%f\" "
				    "y=\"%f\" width=\"%f\" height=\"%d\" "
				    "fill=\"%s\"/>\n", v[i].v < 0 ?
				    " chart-bar-neg" : "", fmin(x, x0),
				    y + (B_ROW - B_BAR) / 2.0, fabs(x - x0),
				    B_BAR, v[i].v < 0 ? C_AXIS : C_INK);
		}
		svgf(b, "<text class=\"chart-label chart-value\" x=\"%d\" "
		    "y=\"%f\" fill=\"%s\">", B_X1 + 10, y + B_ROW / 2.0 + 4,
		    C_INK_DARK);
		if (plottable(v[i].v))
			put_value(b, v[i].v, &k);
		else
			buf_puts(b, "no value");
		if (v[i].note != NULL && *v[i].note != '\0') {
			svgf(b, "<tspan class=\"chart-note\" fill=\"%s\"> (",
			    C_MUTED);
			put_text(b, v[i].note, B_NOTE_CP);
			buf_puts(b, ")</tspan>");
		}
		buf_puts(b, "</text></g>\n");
	}
	svgf(b, "<line class=\"chart-axis\" x1=\"%f\" y1=\"%d\" x2=\"%f\" "
	    "y2=\"%f\" stroke=\"%s\" stroke-width=\"1\"/>\n</svg>\n", x0,
	    B_TOP / 2, x0, B_TOP * 1.5 + (double)n * B_ROW, C_AXIS);
}
