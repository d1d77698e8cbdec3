/*
 * chart.h - inline SVG charts drawn by Charter: a KPI line chart with its
 * target line and amber/red bands, a sparkline, and a horizontal bar chart.
 *
 * Each chart is one <svg role="img"> element with a <title> and a <desc>
 * (the text alternative: what the chart shows, in words and numbers), its
 * labels escaped for HTML, no script, no external reference, no style
 * attribute (classes only, so a strict CSP without 'unsafe-inline' holds),
 * and numbers printed in a fixed format, so the same data gives the same
 * bytes.  Status is never shown by colour alone: bands and the target are
 * labelled in words, and the latest point carries its status in the
 * description.
 */
#ifndef CHARTER_CHART_H
#define CHARTER_CHART_H

#include <stddef.h>

struct buf;

struct chart_point {
	const char	*label;		/* period label shown on the axis */
	double		 v;
};

/* Thresholds of a KPI; has_* 0 when the KPI does not declare one. */
struct chart_kpi {
	const char	*title;		/* the chart's <title> */
	const char	*unit;		/* "%", "EUR", "h", ... or NULL */
	int		 percent;	/* values are ratios shown as % */
	int		 lower_is_better;
	int		 has_target, has_amber, has_red;
	double		 target, amber, red;
	const char	*status;	/* status of the latest value, in words */
	const char	*period_name;	/* "monthly", "weekly", ... or NULL */
};

/*
 * Format v for people: a percent KPI as "95.2%" (v * 100, at most one
 * decimal), else at most three decimals ("1234.5", "0.125", "3"; three
 * significant digits below 1), then the unit after a space, or directly
 * when it is "%".  Locale-free; "n/a" for NaN or infinity.  The result is
 * plain text holding the caller's unit: escape it before writing HTML.
 * k may be NULL (no unit, not a percent).  Always NUL-terminates when
 * n > 0, truncating if needed.
 */
void	chart_format(char *out, size_t n, double v,
	    const struct chart_kpi *);

/*
 * id is a prefix unique within the page (for aria-labelledby); it must
 * match [a-z0-9-]+.  Nothing is written for n == 0 but a short note.
 *
 * The charts append to the buffer; past its cap the buffer sets its
 * overflow flag (buf.h), which the caller checks.  Points whose value is
 * NaN or infinite are left out of the drawing and named in the
 * description.  The <p class="chart-empty"> note is also written when no
 * point of a line chart or sparkline has a value.
 */
void	chart_line(struct buf *, const char *id, const struct chart_kpi *,
	    const struct chart_point *, size_t n);
void	chart_sparkline(struct buf *, const char *id, const struct chart_kpi *,
	    const struct chart_point *, size_t n);

struct chart_bar {
	const char	*label;
	double		 v;
	const char	*note;		/* shown after the value, or NULL */
};

/*
 * One horizontal bar per category, in the caller's order, drawn from zero
 * (negative values to the left of a zero line); the height grows with n.
 * unit is as in struct chart_kpi, or NULL.
 */
void	chart_bars(struct buf *, const char *id, const char *title,
	    const char *unit, const struct chart_bar *, size_t n);

#endif
