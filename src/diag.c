/*
 * diag.c - the rule table and the finding printers.
 *
 * Printers escape untrusted text for their medium: the text printer for a
 * terminal or a CI log (no control characters, no line a CI runner could
 * take as a workflow command), JSON and SARIF through JSON string escaping.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "manifest.h"
#include "util.h"

const char *const severity_names[SEV_MAX] = {
	"note", "warning", "error"
};

#define IN	RULE_CLASS_INPUT
#define FI	RULE_CLASS_FINDING

const struct rule_info rule_table[RULE_MAX] = {
	[R_INPUT_UNREADABLE] = { "input.unreadable", SEV_ERROR, IN,
	    "an input file or folder could not be opened or read" },
	[R_INPUT_SYMLINK] = { "input.symlink", SEV_ERROR, IN,
	    "a symbolic link among the inputs; links are never followed" },
	[R_INPUT_NOT_REGULAR] = { "input.not-regular", SEV_ERROR, IN,
	    "an input is a FIFO, device or socket, not a regular file" },
	[R_INPUT_TOO_LARGE] = { "input.too-large", SEV_ERROR, IN,
	    "an input file, or all inputs together, exceed a size limit" },
	[R_YAML_SYNTAX] = { "yaml.syntax", SEV_ERROR, IN,
	    "the file is not well-formed YAML (tabs for indentation included)" },
	[R_YAML_ENCODING] = { "yaml.encoding", SEV_ERROR, IN,
	    "the file is not valid UTF-8, or holds a forbidden character" },
	[R_PAGE_ENCODING] = { "page.encoding", SEV_ERROR, IN,
	    "a Markdown page is not valid UTF-8, or holds a control character" },
	[R_PAGE_NAME] = { "page.name", SEV_ERROR, FI,
	    "a Markdown page's path is not a safe file name on every system "
	    "(left out of the site)" },
	[R_YAML_DUPLICATE_KEY] = { "yaml.duplicate-key", SEV_ERROR, IN,
	    "a mapping names the same key twice" },
	[R_YAML_DEPTH] = { "yaml.depth", SEV_ERROR, IN,
	    "nesting deeper than the depth limit" },
	[R_YAML_ALIAS] = { "yaml.alias", SEV_ERROR, IN,
	    "alias expansion over budget, an alias cycle or an unknown anchor" },
	[R_YAML_TAG] = { "yaml.tag", SEV_ERROR, IN,
	    "an explicit tag other than the YAML 1.2 core ones" },
	[R_YAML_MERGE_KEY] = { "yaml.merge-key", SEV_ERROR, IN,
	    "a merge key ('<<'), which Charter does not expand" },
	[R_TEMPLATE_SYNTAX] = { "template.syntax", SEV_ERROR, IN,
	    "a Mustache template that does not parse: an unclosed tag or "
	    "section, a mismatched closing tag, a bad delimiter change" },
	[R_TEMPLATE_MISSING] = { "template.missing", SEV_ERROR, IN,
	    "a template, partial or parent that does not exist" },
	[R_TEMPLATE_LIMIT] = { "template.limit", SEV_ERROR, IN,
	    "templates nested too deep (one that includes itself), or output "
	    "over its size limit" },
	[R_SCHEMA_KIND] = { "schema.kind", SEV_ERROR, FI,
	    "a document with no, or an unknown, 'kind'" },
	[R_SCHEMA_TYPE] = { "schema.type", SEV_ERROR, FI,
	    "a value of the wrong type (string, number, boolean, list, map)" },
	[R_SCHEMA_REQUIRED] = { "schema.required", SEV_ERROR, FI,
	    "a required field is missing" },
	[R_SCHEMA_UNKNOWN_KEY] = { "schema.unknown-key", SEV_ERROR, FI,
	    "a field the schema does not define (often a typo)" },
	[R_SCHEMA_ENUM] = { "schema.enum", SEV_ERROR, FI,
	    "a value outside the allowed set" },
	[R_SCHEMA_PATTERN] = { "schema.pattern", SEV_ERROR, FI,
	    "a value of the wrong form (id, reference, date, path, URL)" },
	[R_SCHEMA_RANGE] = { "schema.range", SEV_ERROR, FI,
	    "a number outside its allowed range" },
	[R_SCHEMA_SIZE] = { "schema.size", SEV_ERROR, FI,
	    "a text, list or map that is too short or too long" },
	[R_SCHEMA_ONE_OF] = { "schema.one-of", SEV_ERROR, FI,
	    "a value matching none, or more than one, of its allowed forms" },
	[R_SCHEMA_NOT] = { "schema.not", SEV_ERROR, FI,
	    "a value the schema forbids (e.g. a Windows device name as id)" },
	[R_SCHEMA_UNIQUE] = { "schema.unique", SEV_ERROR, FI,
	    "a list that must not repeat an entry repeats one" },
	[R_SCHEMA_DATE] = { "schema.date", SEV_ERROR, FI,
	    "a date that does not exist in the calendar" },
	[R_SCHEMA_SINGLETON] = { "schema.singleton", SEV_ERROR, FI,
	    "organization, risk-tiers and decision-rights: exactly one each" },
	[R_SCHEMA_DUPLICATE_ID] = { "schema.duplicate-id", SEV_ERROR, FI,
	    "two objects of the same kind share an id" },
	[R_REF_UNKNOWN] = { "ref.unknown", SEV_ERROR, FI,
	    "a reference to a person, team, tier, control or KPI that does "
	    "not exist" },
	[R_OWNERS_UNASSIGNED] = { "owners.unassigned", SEV_ERROR, FI,
	    "a system in shadow or production lacks an owner role (outcome, "
	    "exception_path, failure_mode: error; others: warning)" },
	[R_TIER_PROHIBITED_IN_USE] = { "tier.prohibited-in-use", SEV_ERROR, FI,
	    "a system in a prohibited-lane tier is beyond the idea stage" },
	[R_TIER_CLASSIFICATION] = { "tier.classification", SEV_ERROR, FI,
	    "the system's EU AI Act classification is not allowed in its tier" },
	[R_TIER_MISSING_CONTROL] = { "tier.missing-control", SEV_ERROR, FI,
	    "a system in shadow or production lacks a control its tier "
	    "requires" },
	[R_TIER_OVERSIGHT] = { "tier.oversight", SEV_ERROR, FI,
	    "a system in shadow or production has less human oversight than "
	    "its tier requires" },
	[R_EUAIA_PROHIBITED] = { "euaia.prohibited", SEV_ERROR, FI,
	    "a system classified as a prohibited practice (Art. 5) is not "
	    "retired" },
	[R_EUAIA_MISSING_CLASSIFICATION] = { "euaia.missing-classification",
	    SEV_ERROR, FI,
	    "the organisation is in the EU but the system has no EU AI Act "
	    "classification" },
	[R_EUAIA_ANNEX_III] = { "euaia.annex-iii", SEV_ERROR, FI,
	    "'annex_iii' is not a point of Annex III" },
	[R_EUAIA_MISSING_EXEMPTION] = { "euaia.missing-exemption", SEV_ERROR, FI,
	    "an Annex III system not classified high-risk without an Art. 6(3) "
	    "exemption" },
	[R_EUAIA_PROFILING] = { "euaia.profiling", SEV_ERROR, FI,
	    "an Annex III system that profiles people is always high-risk "
	    "(Art. 6(3))" },
	[R_EUAIA_MISSING_OVERSIGHT] = { "euaia.missing-oversight", SEV_ERROR, FI,
	    "a high-risk system in production without human oversight "
	    "(Art. 14)" },
	[R_EUAIA_MISSING_LOG] = { "euaia.missing-log", SEV_ERROR, FI,
	    "a high-risk system in production without a decision log "
	    "(Art. 12)" },
	[R_EUAIA_MISSING_INCIDENT_RESPONSE] = {
	    "euaia.missing-incident-response", SEV_ERROR, FI,
	    "a high-risk system in production without incident response "
	    "(Art. 73)" },
	[R_EUAIA_MISSING_CONFORMITY] = { "euaia.missing-conformity", SEV_ERROR,
	    FI, "a high-risk system in production without a completed "
	    "conformity assessment (Art. 43)" },
	[R_EUAIA_MISSING_FRIA] = { "euaia.missing-fria", SEV_ERROR, FI,
	    "a high-risk system in production whose deployer needs a "
	    "fundamental-rights impact assessment (Art. 27) without one" },
	[R_EUAIA_MISSING_REGISTRATION] = { "euaia.missing-registration",
	    SEV_ERROR, FI, "a high-risk system in production without an EU "
	    "database registration id (Art. 49)" },
	[R_RIGHTS_MISSING_DECISION] = { "rights.missing-decision", SEV_ERROR, FI,
	    "one of the seven decision types every organisation must cover is "
	    "missing" },
	[R_RIGHTS_NO_DECIDER] = { "rights.no-decider", SEV_ERROR, FI,
	    "a decision has no decider for a tier (no default, no by_tier "
	    "entry)" },
	[R_RIGHTS_UNRESOLVED] = { "rights.unresolved", SEV_WARNING, FI,
	    "an 'owner:ROLE' the system has not assigned (error when it decides "
	    "for a system in shadow or production)" },
	[R_TABLE_DUPLICATE] = { "table.duplicate", SEV_ERROR, FI,
	    "a decision table lists an exception twice (UNIQUE hit policy)" },
	[R_TABLE_ESCALATION_WITHOUT_RIGHT] = {
	    "table.escalation-without-right", SEV_WARNING, FI,
	    "an exception the AI may not resolve escalates to a party with "
	    "neither the 'escalate' right nor an owner role" },
	[R_KPI_MISSING] = { "kpi.missing", SEV_WARNING, FI,
	    "a system in shadow or production has no KPI" },
	[R_KPI_NO_BUSINESS] = { "kpi.no-business", SEV_WARNING, FI,
	    "a KPI stack without a business KPI" },
	[R_KPI_DUPLICATE] = { "kpi.duplicate", SEV_ERROR, FI,
	    "two KPIs of one system share an id" },
	[R_KPI_ORPHAN] = { "kpi.orphan", SEV_WARNING, FI,
	    "a non-business KPI that supports no KPI of a higher level" },
	[R_KPI_CYCLE] = { "kpi.cycle", SEV_ERROR, FI,
	    "KPIs whose 'supports' links form a cycle" },
	[R_KPI_VANITY] = { "kpi.vanity", SEV_WARNING, FI,
	    "a KPI stack of model metrics only" },
	[R_REVIEW_OVERDUE] = { "review.overdue", SEV_WARNING, FI,
	    "'last_review' is older than the tier's review_every_days" },
	[R_REVIEW_MISSING] = { "review.missing", SEV_WARNING, FI,
	    "a system in shadow or production in a tier with a review cadence "
	    "has no 'last_review'" },
	[R_LOG_RETENTION_TOO_SHORT] = { "log.retention-too-short", SEV_WARNING,
	    FI, "decision logs kept under 183 days (Arts. 19, 26(6)); an error "
	    "for high-risk systems" },
	[R_LOG_UNREADABLE] = { "log.unreadable", SEV_ERROR, IN,
	    "a decision log is missing, a symbolic link, not an SQLite "
	    "database, or locked by another process" },
	[R_LOG_CORRUPT] = { "log.corrupt", SEV_ERROR, IN,
	    "a decision log fails SQLite's integrity check" },
	[R_LOG_NEEDS_RECOVERY] = { "log.needs-recovery", SEV_ERROR, IN,
	    "a decision log has a hot journal or an un-checkpointed WAL beside "
	    "it" },
	[R_LOG_SCHEMA] = { "log.schema", SEV_ERROR, IN,
	    "a decision log lacks a table or column of the documented schema" },
	[R_LOG_LIMIT] = { "log.limit", SEV_ERROR, IN,
	    "a decision log holds a value or result over a size limit" },
	[R_LOG_INVALID_VALUE] = { "log.invalid-value", SEV_ERROR, FI,
	    "decision-log values of the wrong type or outside their set (ts, "
	    "actor, action, mode, confidence, ...)" },
	[R_LOG_NO_ROWS] = { "log.no-rows", SEV_WARNING, FI,
	    "a system in shadow or production has no row in its decision log "
	    "(check log.system_key)" },
	[R_LOG_SHARED_KEY] = { "log.shared-key", SEV_ERROR, FI,
	    "two systems read the same system key in one decision log" },
	[R_LOG_UNKNOWN_EXCEPTION] = { "log.unknown-exception", SEV_ERROR, FI,
	    "decisions on an exception the system's decision table does not "
	    "list" },
	[R_LOG_BOUNDARY_BREACH] = { "log.boundary-breach", SEV_ERROR, FI,
	    "live agent auto_resolved decisions outside the decision table's "
	    "authority (ai_may_resolve, min_confidence, max_amount)" },
	[R_LOG_INCOMPLETE] = { "log.incomplete", SEV_WARNING, FI,
	    "decisions missing an Art. 12 field (case_ref, model_version, "
	    "input_ref, reviewer); an error for high-risk systems" },
	[R_LOG_GAP] = { "log.gap", SEV_WARNING, FI,
	    "a production system logged nothing for more than a day; an error "
	    "for high-risk systems" },
	[R_INCIDENT_LATE_REPORT] = { "incident.late-report", SEV_ERROR, FI,
	    "a serious incident reported, or still unreported, after its "
	    "Art. 73 deadline (15, 10 or 2 days)" },
	[R_INCIDENT_REPORT_DUE] = { "incident.report-due", SEV_NOTE, FI,
	    "a serious incident not yet reported whose Art. 73 deadline is "
	    "still ahead" },
	[R_INCIDENT_INVALID] = { "incident.invalid", SEV_ERROR, FI,
	    "an incident row with a value of the wrong type or outside its set "
	    "(dates, severity, category)" },
	[R_KPI_NO_LOG] = { "kpi.no-log", SEV_ERROR, FI,
	    "a KPI with a 'metric' or 'sql' source on a system without "
	    "log.database" },
	[R_KPI_SQL] = { "kpi.sql", SEV_ERROR, FI,
	    "a KPI query that is not one read-only SELECT of (period, value), "
	    "fails, or exceeds its limits" },
	[R_CONTRACT_SCHEMA] = { "contract.schema", SEV_ERROR, FI,
	    "a data contract names a table or column that does not exist" },
	[R_CONTRACT_NOT_NULL] = { "contract.not-null", SEV_ERROR, FI,
	    "a column a data contract declares not_null holds NULL" },
	[R_CONTRACT_UNIQUE] = { "contract.unique", SEV_ERROR, FI,
	    "a column a data contract declares unique repeats a value" },
	[R_CONTRACT_ALLOWED_VALUES] = { "contract.allowed-values", SEV_ERROR,
	    FI, "a column holds a value outside the data contract's "
	    "allowed_values" },
	[R_CONTRACT_FRESHNESS] = { "contract.freshness", SEV_WARNING, FI,
	    "a table's newest row is older than the data contract's "
	    "fresh_within_hours at the as-of date" },
};

#undef IN
#undef FI

void
diag_init(struct diag *d, struct arena *a)
{
	memset(d, 0, sizeof(*d));
	d->arena = a;
	d->max_findings = 100000;
}

void
diag_release(struct diag *d)
{
	free(d->v);
	d->v = NULL;
	d->n = d->cap = 0;
}

void
diag_merge(struct diag *d, const struct diag *from)
{
	size_t i;
	int s;

	for (s = 0; s < SEV_MAX; s++)
		d->count[s] += from->count[s];
	d->input_errors += from->input_errors;
	d->dropped += from->dropped;
	for (i = 0; i < from->n; i++) {
		if (d->n >= d->max_findings) {
			d->dropped++;
			continue;
		}
		d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
		d->v[d->n++] = from->v[i];
	}
}

static struct finding *
emitv(struct diag *d, enum rule r, enum severity sev, const struct loc *loc,
    const char *fmt, va_list ap)
{
	struct finding *f;
	va_list aq;
	char *msg;
	int n;

	if ((unsigned)r >= RULE_MAX || (unsigned)sev >= SEV_MAX)
		BUG("bad rule or severity");
	d->count[sev]++;
	if (rule_table[r].class == RULE_CLASS_INPUT)
		d->input_errors++;
	if (d->n >= d->max_findings) {
		d->dropped++;
		return NULL;
	}
	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		BUG("vsnprintf failed");
	msg = arena_alloc(d->arena, (size_t)n + 1);
	vsnprintf(msg, (size_t)n + 1, fmt, ap);
	d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof(*d->v));
	f = &d->v[d->n++];
	memset(f, 0, sizeof(*f));
	f->rule = r;
	f->severity = sev;
	f->message = msg;
	if (loc != NULL)
		f->loc = *loc;
	return f;
}

void
diag_emit(struct diag *d, enum rule r, const struct loc *loc,
    const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emitv(d, r, rule_table[r].severity, loc, fmt, ap);
	va_end(ap);
}

void
diag_emit_sev(struct diag *d, enum rule r, enum severity sev,
    const struct loc *loc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	emitv(d, r, sev, loc, fmt, ap);
	va_end(ap);
}

void
diag_emit_row(struct diag *d, enum rule r, enum severity sev, const char *db,
    const char *table, long long rowid, const struct loc *basis,
    const char *fmt, ...)
{
	struct finding *f;
	struct loc at;
	va_list ap;

	memset(&at, 0, sizeof(at));
	at.file = db;
	va_start(ap, fmt);
	f = emitv(d, r, sev, &at, fmt, ap);
	va_end(ap);
	if (f == NULL)
		return;
	f->table = table != NULL ? arena_strdup(d->arena, table) : NULL;
	f->rowid = rowid;
	if (basis != NULL)
		f->basis = *basis;
}

static int
strcmp0(const char *a, const char *b)
{
	return strcmp(a ? a : "", b ? b : "");
}

static int
finding_cmp(const void *pa, const void *pb)
{
	const struct finding *a = pa, *b = pb;
	int c;

	if ((c = strcmp0(a->loc.file, b->loc.file)) != 0)
		return c;
	if (a->loc.line != b->loc.line)
		return a->loc.line < b->loc.line ? -1 : 1;
	if (a->loc.col != b->loc.col)
		return a->loc.col < b->loc.col ? -1 : 1;
	if ((c = strcmp0(a->table, b->table)) != 0)
		return c;
	if (a->rowid != b->rowid)
		return a->rowid < b->rowid ? -1 : 1;
	if ((c = strcmp(rule_table[a->rule].id, rule_table[b->rule].id)) != 0)
		return c;
	return strcmp(a->message, b->message);
}

void
diag_sort(struct diag *d)
{
	if (d->n > 1)
		qsort(d->v, d->n, sizeof(*d->v), finding_cmp);
}

/* ---- invisible characters ----------------------------------------------- */

/* Sorted by code point; the Unicode names. */
static const struct {
	uint32_t	 cp;
	const char	*name;
} invisibles[] = {
	{ 0x061C, "ARABIC LETTER MARK" },
	{ 0x180E, "MONGOLIAN VOWEL SEPARATOR" },
	{ 0x200B, "ZERO WIDTH SPACE" },
	{ 0x200C, "ZERO WIDTH NON-JOINER" },
	{ 0x200D, "ZERO WIDTH JOINER" },
	{ 0x200E, "LEFT-TO-RIGHT MARK" },
	{ 0x200F, "RIGHT-TO-LEFT MARK" },
	{ 0x2028, "LINE SEPARATOR" },
	{ 0x2029, "PARAGRAPH SEPARATOR" },
	{ 0x202A, "LEFT-TO-RIGHT EMBEDDING" },
	{ 0x202B, "RIGHT-TO-LEFT EMBEDDING" },
	{ 0x202C, "POP DIRECTIONAL FORMATTING" },
	{ 0x202D, "LEFT-TO-RIGHT OVERRIDE" },
	{ 0x202E, "RIGHT-TO-LEFT OVERRIDE" },
	{ 0x2060, "WORD JOINER" },
	{ 0x2061, "FUNCTION APPLICATION" },
	{ 0x2062, "INVISIBLE TIMES" },
	{ 0x2063, "INVISIBLE SEPARATOR" },
	{ 0x2064, "INVISIBLE PLUS" },
	{ 0x2066, "LEFT-TO-RIGHT ISOLATE" },
	{ 0x2067, "RIGHT-TO-LEFT ISOLATE" },
	{ 0x2068, "FIRST STRONG ISOLATE" },
	{ 0x2069, "POP DIRECTIONAL ISOLATE" },
	{ 0x206A, "INHIBIT SYMMETRIC SWAPPING" },
	{ 0x206B, "ACTIVATE SYMMETRIC SWAPPING" },
	{ 0x206C, "INHIBIT ARABIC FORM SHAPING" },
	{ 0x206D, "ACTIVATE ARABIC FORM SHAPING" },
	{ 0x206E, "NATIONAL DIGIT SHAPES" },
	{ 0x206F, "NOMINAL DIGIT SHAPES" },
	{ 0xFEFF, "ZERO WIDTH NO-BREAK SPACE" }
};

const char *
invisible_name(uint32_t cp)
{
	size_t lo = 0, hi = sizeof(invisibles) / sizeof(invisibles[0]), mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (invisibles[mid].cp == cp)
			return invisibles[mid].name;
		if (invisibles[mid].cp < cp)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/*
 * Every one is two bytes (U+061C) or three, with a lead byte D8, E1, E2 or
 * EF: text without those bytes is passed over at a byte's cost.
 */
size_t
invisible_at(const char *s, uint32_t *cp)
{
	const unsigned char *p = (const unsigned char *)s;
	uint32_t c;

	if (p[0] == 0xD8 && p[1] == 0x9C) {
		*cp = 0x061C;
		return 2;
	}
	if ((p[0] != 0xE1 && p[0] != 0xE2 && p[0] != 0xEF) ||
	    (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80)
		return 0;
	c = (uint32_t)(p[0] & 0x0F) << 12 | (uint32_t)(p[1] & 0x3F) << 6 |
	    (uint32_t)(p[2] & 0x3F);
	if (invisible_name(c) == NULL)
		return 0;
	*cp = c;
	return 3;
}

int
invisible_mark(struct buf *b, uint32_t cp, enum mark_style style)
{
	switch (style) {
	case MARK_MARKDOWN:
		return buf_printf(b, "\\[U+%04X\\]", (unsigned)cp);
	case MARK_HTML:
		/* Classes only: the pages' CSP has no 'unsafe-inline'. */
		return buf_printf(b, "<span class=\"char-mark\" title=\""
		    "invisible character U+%04X %s, shown here instead of "
		    "applied\">[U+%04X]</span>", (unsigned)cp,
		    invisible_name(cp), (unsigned)cp);
	default:
		return buf_printf(b, "[U+%04X]", (unsigned)cp);
	}
}

const char *
invisible_text(struct arena *a, const char *s)
{
	return invisible_replace(a, s, invisible_at);
}

const char *
invisible_replace(struct arena *a, const char *s,
    size_t (*match)(const char *, uint32_t *))
{
	const char *p, *run;
	struct buf b;
	uint32_t cp;
	size_t n;
	char *r;

	if (s == NULL)
		return NULL;
	for (p = s; *p != '\0' && match(p, &cp) == 0; p++)
		continue;
	if (*p == '\0')
		return s;
	buf_init(&b, 0);
	for (run = s; *p != '\0'; ) {
		if ((n = match(p, &cp)) == 0) {
			p++;
			continue;
		}
		buf_append(&b, run, (size_t)(p - run));
		invisible_mark(&b, cp, MARK_TEXT);
		run = p += n;
	}
	buf_append(&b, run, (size_t)(p - run));
	r = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return r;
}

char *
term_escape(struct arena *a, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	struct buf b;
	size_t bad, len;
	uint32_t cp;
	char *r;
	int n;

	buf_init(&b, 0);
	while (*p) {
		if (*p < 0x20 || *p == 0x7f) {
			buf_printf(&b, "\\x%02x", *p++);
			continue;
		}
		if (*p < 0x80) {
			buf_putc(&b, *p++);
			continue;
		}
		len = strnlen((const char *)p, 4);
		n = (*p & 0xE0) == 0xC0 ? 2 : (*p & 0xF0) == 0xE0 ? 3 :
		    (*p & 0xF8) == 0xF0 ? 4 : 0;
		if (n == 0 || (size_t)n > len ||
		    utf8_valid((const char *)p, (size_t)n, &bad) != 0) {
			buf_printf(&b, "\\x%02x", *p++);
			continue;
		}
		utf8_decode(p, &cp);
		if ((cp >= 0x80 && cp < 0xA0) || invisible_name(cp) != NULL)
			buf_printf(&b, "\\u{%04x}", (unsigned)cp);
		else
			buf_append(&b, p, (size_t)n);
		p += n;
	}
	r = arena_strndup(a, b.data, b.len);
	buf_release(&b);
	return r;
}

/* "FILE:LINE:COL: " or "DB:TABLE:ROWID: ", escaped for a terminal. */
static void
print_loc(struct arena *tmp, FILE *fp, const struct loc *loc,
    const char *table, long long rowid)
{
	/* A line starting "::" is a CI runner's command. */
	if (loc->file[0] == ':')
		fputs("./", fp);
	fputs(term_escape(tmp, loc->file), fp);
	if (table != NULL)
		fprintf(fp, ":%s", term_escape(tmp, table));
	if (rowid != 0)
		fprintf(fp, ":%lld", rowid);
	else if (loc->line > 0)
		fprintf(fp, ":%d:%d", loc->line, loc->col > 0 ? loc->col : 1);
	fputs(": ", fp);
}

void
diag_print_text(const struct diag *d, FILE *fp, int color)
{
	static const char *const sevcolor[SEV_MAX] = {
		"\033[1;36m", "\033[1;35m", "\033[1;31m"
	};
	const struct finding *f;
	struct arena tmp;
	size_t i;

	arena_init(&tmp);
	for (i = 0; i < d->n; i++) {
		f = &d->v[i];
		if (f->loc.file != NULL)
			print_loc(&tmp, fp, &f->loc, f->table, f->rowid);
		else
			fputs("charter: ", fp);
		if (color)
			fprintf(fp, "%s%s:\033[0m ", sevcolor[f->severity],
			    severity_names[f->severity]);
		else
			fprintf(fp, "%s: ", severity_names[f->severity]);
		fprintf(fp, "%s [%s]\n", term_escape(&tmp, f->message),
		    rule_table[f->rule].id);
		if (f->basis.file != NULL) {
			print_loc(&tmp, fp, &f->basis, NULL, 0);
			fprintf(fp, "%s [%s]\n", color ? "\033[1;36mnote:\033[0m "
			    "declared here" : "note: declared here",
			    rule_table[f->rule].id);
		}
	}
	if (d->dropped)
		fprintf(fp, "charter: %zu further findings not shown\n",
		    d->dropped);
	fprintf(fp, "%d error%s, %d warning%s, %d note%s\n",
	    d->count[SEV_ERROR], d->count[SEV_ERROR] == 1 ? "" : "s",
	    d->count[SEV_WARNING], d->count[SEV_WARNING] == 1 ? "" : "s",
	    d->count[SEV_NOTE], d->count[SEV_NOTE] == 1 ? "" : "s");
	arena_release(&tmp);
}

void
diag_print_json(const struct diag *d, struct buf *b, const char *as_of)
{
	const struct finding *f;
	size_t i;

	buf_puts(b, "{\n  \"tool\": \"charter\",\n  \"version\": ");
	buf_json_str(b, CHARTER_VERSION);
	buf_puts(b, ",\n  \"as_of\": ");
	buf_json_str(b, as_of);
	buf_printf(b, ",\n  \"summary\": {\"errors\": %d, \"warnings\": %d, "
	    "\"notes\": %d, \"not_shown\": %zu},\n  \"findings\": [",
	    d->count[SEV_ERROR], d->count[SEV_WARNING], d->count[SEV_NOTE],
	    d->dropped);
	for (i = 0; i < d->n; i++) {
		f = &d->v[i];
		buf_puts(b, i ? ",\n    {" : "\n    {");
		buf_puts(b, "\"rule\": ");
		buf_json_str(b, rule_table[f->rule].id);
		buf_puts(b, ", \"severity\": ");
		buf_json_str(b, severity_names[f->severity]);
		buf_puts(b, ", \"file\": ");
		if (f->loc.file)
			buf_json_str(b, f->loc.file);
		else
			buf_puts(b, "null");
		buf_printf(b, ", \"line\": %d, \"column\": %d",
		    f->loc.line, f->loc.col);
		if (f->table != NULL) {
			buf_puts(b, ", \"table\": ");
			buf_json_str(b, f->table);
		}
		if (f->rowid != 0)
			buf_printf(b, ", \"row\": %lld", f->rowid);
		if (f->basis.file != NULL) {
			buf_puts(b, ", \"basis\": {\"file\": ");
			buf_json_str(b, f->basis.file);
			buf_printf(b, ", \"line\": %d, \"column\": %d}",
			    f->basis.line, f->basis.col);
		}
		buf_puts(b, ", \"message\": ");
		buf_json_str(b, f->message);
		buf_putc(b, '}');
	}
	buf_puts(b, d->n ? "\n  ]\n}\n" : "]\n}\n");
}

static const char *const codequality_severity[SEV_MAX] = {
	"info", "minor", "major"
};

void
diag_print_codequality(const struct diag *d, struct buf *b)
{
	const struct finding *f, *g;
	const char *path;
	char fp[65];
	struct buf key;
	size_t i, rank;
	int line, inlog;

	buf_puts(b, "[");
	for (i = 0; i < d->n; i++) {
		f = &d->v[i];
		/*
		 * A decision-log finding is shown at the YAML that declared
		 * what the rows break (a merge request changes YAML, not the
		 * database); the rows are named in the description.
		 */
		inlog = f->table != NULL && f->basis.file != NULL;
		path = inlog ? f->basis.file : f->loc.file != NULL ?
		    f->loc.file : f->basis.file != NULL ? f->basis.file : ".";
		line = inlog ? f->basis.line : f->loc.line;
		/* Equal findings are adjacent once sorted: number them. */
		for (rank = 0; rank < i; rank++) {
			g = &d->v[i - rank - 1];
			if (g->rule != f->rule || g->loc.line != f->loc.line ||
			    g->loc.col != f->loc.col || strcmp(g->message,
			    f->message) != 0 || (g->loc.file == NULL) !=
			    (f->loc.file == NULL) || (f->loc.file != NULL &&
			    strcmp(g->loc.file, f->loc.file) != 0))
				break;
		}
		buf_init(&key, 0);
		buf_printf(&key, "%s%c%s%c%d%c%d%c%lld%c%s%c%zu",
		    rule_table[f->rule].id, 0, path, 0, f->loc.line, 0,
		    f->loc.col, 0, f->rowid, 0, f->message, 0, rank);
		sha256_hex(key.data, key.len, fp);
		buf_release(&key);
		buf_puts(b, i ? ",\n  {" : "\n  {");
		buf_puts(b, "\"description\": ");
		if (inlog) {
			buf_init(&key, 0);
			buf_printf(&key, "%s:%s:", f->loc.file != NULL ?
			    f->loc.file : "", f->table);
			if (f->rowid != 0)
				buf_printf(&key, "%lld:", f->rowid);
			buf_printf(&key, " %s", f->message);
			buf_json_str(b, key.data);
			buf_release(&key);
		} else
			buf_json_str(b, f->message);
		buf_puts(b, ", \"check_name\": ");
		buf_json_str(b, rule_table[f->rule].id);
		buf_printf(b, ", \"fingerprint\": \"%s\", \"severity\": \"%s\"",
		    fp, codequality_severity[f->severity]);
		buf_puts(b, ", \"location\": {\"path\": ");
		buf_json_str(b, path);
		buf_printf(b, ", \"lines\": {\"begin\": %d}}}",
		    line > 0 ? line : 1);
	}
	buf_puts(b, d->n ? "\n]\n" : "]\n");
}

static const char *const sarif_level[SEV_MAX] = {
	"note", "warning", "error"
};

/* A relative path as a URI reference: percent-encode what RFC 3986 needs. */
static void
sarif_uri(struct buf *b, const char *path)
{
	static const char hex[] = "0123456789ABCDEF";
	const unsigned char *p;
	char tmp[4];
	struct buf u;

	buf_init(&u, 0);
	if (path[0] == '/')
		buf_puts(&u, "file://");
	for (p = (const unsigned char *)path; *p; p++) {
		if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || strchr("-._~/", *p))
			buf_putc(&u, *p);
		else {
			tmp[0] = '%';
			tmp[1] = hex[*p >> 4];
			tmp[2] = hex[*p & 15];
			buf_append(&u, tmp, 3);
		}
	}
	buf_json_str(b, u.data);
	buf_release(&u);
}

/*
 * A SARIF location object; for a database (f given), the row is named in
 * the location's message since a binary file has no region.
 */
static void
sarif_location(struct buf *b, const struct loc *loc, const struct finding *f)
{
	struct buf text;

	buf_puts(b, "{");
	buf_puts(b, "\"physicalLocation\": {\"artifactLocation\": {\"uri\": ");
	sarif_uri(b, loc->file);
	if (loc->file[0] != '/')
		buf_puts(b, ", \"uriBaseId\": \"%SRCROOT%\"");
	buf_puts(b, "}");
	if (loc->line > 0)
		buf_printf(b, ", \"region\": {\"startLine\": %d, "
		    "\"startColumn\": %d}", loc->line,
		    loc->col > 0 ? loc->col : 1);
	buf_puts(b, "}");
	if (f != NULL && (f->table != NULL || f->rowid != 0)) {
		buf_init(&text, 0);
		if (f->rowid != 0)
			buf_printf(&text, "row %lld", f->rowid);
		if (f->table != NULL)
			buf_printf(&text, "%stable %s", f->rowid ? " of " : "",
			    f->table);
		buf_puts(b, ", \"message\": {\"text\": ");
		buf_json_str(b, text.data);
		buf_puts(b, "}");
		buf_release(&text);
	}
	buf_puts(b, "}");
}

void
diag_print_sarif(const struct diag *d, struct buf *b)
{
	const struct finding *f;
	size_t i;
	int r;

	buf_puts(b, "{\n  \"$schema\": \"https://json.schemastore.org/"
	    "sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n"
	    "    {\n      \"tool\": {\n        \"driver\": {\n"
	    "          \"name\": \"charter\",\n          \"version\": ");
	buf_json_str(b, CHARTER_VERSION);
	buf_puts(b, ",\n          \"semanticVersion\": ");
	buf_json_str(b, CHARTER_VERSION);
	buf_puts(b, ",\n          \"rules\": [");
	for (r = 0; r < RULE_MAX; r++) {
		buf_puts(b, r ? ",\n            {" : "\n            {");
		buf_puts(b, "\"id\": ");
		buf_json_str(b, rule_table[r].id);
		buf_puts(b, ", \"shortDescription\": {\"text\": ");
		buf_json_str(b, rule_table[r].summary);
		buf_puts(b, "}, \"defaultConfiguration\": {\"level\": ");
		buf_json_str(b, sarif_level[rule_table[r].severity]);
		buf_puts(b, "}}");
	}
	buf_puts(b, "\n          ]\n        }\n      },\n"
	    "      \"columnKind\": \"unicodeCodePoints\",\n"
	    "      \"results\": [");
	for (i = 0; i < d->n; i++) {
		f = &d->v[i];
		buf_puts(b, i ? ",\n        {" : "\n        {");
		buf_puts(b, "\"ruleId\": ");
		buf_json_str(b, rule_table[f->rule].id);
		buf_printf(b, ", \"ruleIndex\": %d, \"level\": ", (int)f->rule);
		buf_json_str(b, sarif_level[f->severity]);
		buf_puts(b, ", \"message\": {\"text\": ");
		buf_json_str(b, f->message);
		buf_puts(b, "}");
		/*
		 * Code scanning annotates lines of text files, so a finding
		 * in a database is placed at the YAML it was checked against,
		 * with the database row as a related location.
		 */
		if (f->basis.file != NULL) {
			buf_puts(b, ", \"locations\": [");
			sarif_location(b, &f->basis, NULL);
			buf_puts(b, "], \"relatedLocations\": [");
			sarif_location(b, &f->loc, f);
			buf_puts(b, "]");
		} else if (f->loc.file != NULL) {
			buf_puts(b, ", \"locations\": [");
			sarif_location(b, &f->loc, f);
			buf_puts(b, "]");
		}
		buf_puts(b, "}");
	}
	buf_puts(b, d->n ? "\n      ]\n    }\n  ]\n}\n" : "]\n    }\n  ]\n}\n");
}

static const char *const class_names[] = { "input", "finding" };

void
diag_rules_markdown(struct buf *b)
{
	int r;

	buf_puts(b, "| rule | default severity | exit | what it means |\n"
	    "| --- | --- | --- | --- |\n");
	for (r = 0; r < RULE_MAX; r++)
		buf_printf(b, "| `%s` | %s | %s | %s |\n", rule_table[r].id,
		    severity_names[rule_table[r].severity],
		    rule_table[r].class == RULE_CLASS_INPUT ? "3" : "1 if error",
		    rule_table[r].summary);
}

void
diag_rules_json(struct buf *b)
{
	int r;

	buf_puts(b, "[");
	for (r = 0; r < RULE_MAX; r++) {
		buf_puts(b, r ? ",\n  {\"id\": " : "\n  {\"id\": ");
		buf_json_str(b, rule_table[r].id);
		buf_puts(b, ", \"severity\": ");
		buf_json_str(b, severity_names[rule_table[r].severity]);
		buf_puts(b, ", \"class\": ");
		buf_json_str(b, class_names[rule_table[r].class]);
		buf_puts(b, ", \"summary\": ");
		buf_json_str(b, rule_table[r].summary);
		buf_puts(b, "}");
	}
	buf_puts(b, "\n]\n");
}

int
diag_exit_status(const struct diag *d, int strict)
{
	if (d->input_errors)
		return 3;
	if (d->count[SEV_ERROR])
		return 1;
	if (strict && d->count[SEV_WARNING])
		return 1;
	return 0;
}
