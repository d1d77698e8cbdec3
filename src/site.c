/*
 * site.c - the static site: one HTML page per view, the stylesheet, the
 * findings as JSON and SARIF, and summary.md, written through an outdir.
 *
 * Templates come from the governance repo's templates/ folder when it has
 * one of the name asked for, else from the built-in set compiled into the
 * binary (templates/site/).  Overrides are read like every other input:
 * relative to the content folder's descriptor, never through a symbolic
 * link, within the file-size limit.  Template names are [a-z0-9_-]+, so a
 * partial tag cannot name a path.
 *
 * Each page's view is built in an arena of its own and released once the
 * page is written, so memory grows with the largest page, not the site.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "arena.h"
#include "buf.h"
#include "diag.h"
#include "embedded.h"
#include "input.h"
#include "md.h"
#include "model.h"
#include "mustache.h"
#include "manifest.h"
#include "outdir.h"
#include "pack.h"
#include "site.h"
#include "util.h"
#include "view.h"
#include "zipw.h"

struct loader {
	struct arena		*a;
	struct diag		*d;
	const char		*root;
	int			 tfd;	/* the repo's templates/, or -1 */
	size_t			 max;	/* bytes in one template */
};

static int
name_ok(const char *name)
{
	const char *p;

	if (*name == '\0' || strlen(name) > 64)
		return 0;
	for (p = name; *p != '\0'; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') ||
		    *p == '-' || *p == '_' || *p == '.'))
			return 0;
	return name[0] != '.';
}

/*
 * Read templates/FILE from the governance repo: 1 found, 0 absent, -1
 * after a diagnostic (a link, not a regular file, too large, unreadable).
 */
static int
read_override(struct loader *l, const char *file, const char **src,
    size_t *len, const char **path)
{
	struct loc loc;
	struct stat st;
	char *data;
	size_t got = 0;
	ssize_t n;
	int fd;

	if (l->tfd < 0)
		return 0;
	loc.file = input_display(l->a, l->root, arena_printf(l->a,
	    "templates/%s", file));
	loc.line = loc.col = 0;
	fd = openat(l->tfd, file, O_RDONLY | O_NOFOLLOW | O_NONBLOCK |
	    O_CLOEXEC);
	if (fd < 0) {
		if (errno == ENOENT)
			return 0;
		if (errno == ELOOP)
			diag_emit(l->d, R_INPUT_SYMLINK, &loc, "%s", "a symbolic "
			    "link; templates must be regular files");
		else
			diag_emit(l->d, R_INPUT_UNREADABLE, &loc, "cannot open "
			    "template: %s", strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
		diag_emit(l->d, R_INPUT_NOT_REGULAR, &loc, "%s",
		    "a template must be a regular file");
		close(fd);
		return -1;
	}
	if ((size_t)st.st_size > l->max) {
		diag_emit(l->d, R_INPUT_TOO_LARGE, &loc, "template of %lld "
		    "bytes is over the file limit of %zu (raise it with "
		    "--limit file=N)", (long long)st.st_size, l->max);
		close(fd);
		return -1;
	}
	data = arena_alloc(l->a, (size_t)st.st_size + 1);
	while (got < (size_t)st.st_size &&
	    (n = read(fd, data + got, (size_t)st.st_size - got)) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			diag_emit(l->d, R_INPUT_UNREADABLE, &loc, "cannot read "
			    "template: %s", strerror(errno));
			close(fd);
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	data[got] = '\0';
	*src = data;
	*len = got;
	*path = loc.file;
	return 1;
}

/* Find a file of the site (a template or an asset): override, else built in. */
static int
find_file(struct loader *l, const char *file, const char **src, size_t *len,
    const char **path)
{
	const struct embedded_file *e;
	int rc;

	if ((rc = read_override(l, file, src, len, path)) != 0)
		return rc > 0 ? 0 : -2;
	e = embedded_find(arena_printf(l->a, "templates/site/%s", file));
	if (e == NULL)
		return -1;
	*src = (const char *)e->data;
	*len = e->len;
	*path = arena_printf(l->a, "templates/site/%s", file);
	return 0;
}

static int
load_template(void *ctx, const char *name, const char **src, size_t *len,
    const char **file)
{
	struct loader *l = ctx;

	if (!name_ok(name) || strchr(name, '.') != NULL)
		return -1;
	return find_file(l, arena_printf(l->a, "%s.mustache", name), src,
	    len, file) == 0 ? 0 : -1;
}

struct site {
	struct arena		*a;
	struct diag		*d;	/* template and override errors */
	struct outdir		*od;
	struct menv		*env;
	struct view		 v;
	const struct model	*m;
	size_t			 pages;
};

static int
write_buf(struct site *s, const char *rel, const struct buf *b)
{
	if (b->overflow) {
		fprintf(stderr, "charter: %s: output over the size limit\n",
		    rel);
		return -1;
	}
	if (s->od != NULL && outdir_write(s->od, rel, b->data, b->len) != 0) {
		fprintf(stderr, "charter: %s\n", term_escape(s->a, s->od->err));
		return -1;
	}
	return 0;
}

/*
 * Render template name with the view in page (built in the per-page arena
 * pa) to rel.  Returns 0, -1 after a template diagnostic (exit 3) or -2
 * after an output error (exit 4).
 */
static int
render(struct site *s, const char *name, struct mval *page, const char *rel)
{
	struct buf b;
	int rc = 0;

	buf_init(&b, 0);
	if (menv_render(s->env, name, page, &b) != 0)
		rc = -1;
	else if (write_buf(s, rel, &b) != 0)
		rc = -2;
	buf_release(&b);
	s->pages += rc == 0;
	return rc;
}

/* ---- the documentation packs -------------------------------------------------- */

/* The files of one pack, rendered before anything is written. */
struct pack_files {
	const char	**name;		/* below packs/ID/ */
	struct buf	 *data;
	size_t		  n;
};

static int
pack_page(struct site *s, struct pack_files *pf, const char *tmpl,
    const struct mval *view, enum mustache_escape esc, const char *name)
{
	struct buf *b = &pf->data[pf->n];

	buf_init(b, 0);
	pf->name[pf->n++] = name;
	if (menv_render_as(s->env, tmpl, view, b, esc) != 0)
		return -1;
	if (b->overflow) {
		fprintf(stderr, "charter: %s: output over the size limit\n",
		    name);
		return -2;
	}
	return 0;
}

/*
 * packs/ID/: the index and each section in HTML and Markdown, the
 * stylesheet and MANIFEST.sha256; then packs/ID.zip with the same files
 * under ID/, stamped with the as-of date.  Returns 0, -1 after a template
 * diagnostic, -2 after an output error.
 */
static int
render_pack(struct site *s, const struct pack *p, const char *id,
    const char *css, size_t csslen)
{
	struct pack_files pf;
	struct manifest man;
	struct zip_in *z;
	struct buf zb;
	char err[512];
	size_t i, cap = 2 * p->n + 4;
	int rc;

	pf.name = xcalloc(cap, sizeof(*pf.name));
	pf.data = xcalloc(cap, sizeof(*pf.data));
	pf.n = 0;
	rc = pack_page(s, &pf, "pack-index", p->index, MUSTACHE_ESCAPE_HTML,
	    "index.html");
	if (rc == 0)
		rc = pack_page(s, &pf, "pack-index-md", p->index,
		    MUSTACHE_ESCAPE_MARKDOWN, "index.md");
	for (i = 0; rc == 0 && i < p->n; i++) {
		rc = pack_page(s, &pf, "pack-section", p->sections[i],
		    MUSTACHE_ESCAPE_HTML, arena_printf(s->v.a, "%s.html",
		    p->stems[i]));
		if (rc == 0)
			rc = pack_page(s, &pf, "pack-section-md",
			    p->sections[i], MUSTACHE_ESCAPE_MARKDOWN,
			    arena_printf(s->v.a, "%s.md", p->stems[i]));
	}
	if (rc == 0) {
		buf_init(&pf.data[pf.n], 0);
		buf_append(&pf.data[pf.n], css, csslen);
		pf.name[pf.n++] = "style.css";
	}

	/* Write the folder, with its manifest last. */
	manifest_init(&man);
	for (i = 0; rc == 0 && i < pf.n; i++) {
		manifest_add(&man, pf.name[i], pf.data[i].data,
		    pf.data[i].len);
		rc = write_buf(s, arena_printf(s->v.a, "%s/%s", p->dir,
		    pf.name[i]), &pf.data[i]) ? -2 : 0;
	}
	if (rc == 0) {
		buf_init(&pf.data[pf.n], 0);
		manifest_format(&man, &pf.data[pf.n]);
		pf.name[pf.n++] = "MANIFEST.sha256";
		rc = write_buf(s, arena_printf(s->v.a, "%s/MANIFEST.sha256",
		    p->dir), &pf.data[pf.n - 1]) ? -2 : 0;
	}
	manifest_free(&man);

	if (rc == 0) {
		z = xcalloc(pf.n, sizeof(*z));
		for (i = 0; i < pf.n; i++) {
			z[i].name = arena_printf(s->v.a, "%s/%s", id,
			    pf.name[i]);
			z[i].data = pf.data[i].data;
			z[i].len = pf.data[i].len;
		}
		buf_init(&zb, 0);
		/* An as-of date before 1980 or after 2107 is stamped at
		   the nearest end of the range. */
		if (zip_build(z, pf.n, zip_time_clamp((long long)s->m->as_of *
		    86400), &zb, err, sizeof(err)) != 0) {
			fprintf(stderr, "charter: %s.zip: %s\n", p->dir,
			    term_escape(s->a, err));
			rc = -2;
		} else
			rc = write_buf(s, arena_printf(s->v.a, "%s.zip",
			    p->dir), &zb) ? -2 : 0;
		buf_release(&zb);
		free(z);
	}
	for (i = 0; i < pf.n; i++)
		buf_release(&pf.data[i]);
	free(pf.name);
	free(pf.data);
	return rc;
}

/*
 * Markdown table cells: one line, no '|', no raw HTML, invisible
 * characters as markers.
 */
static void
md_cell(struct buf *b, const char *s)
{
	uint32_t cp;
	size_t n;

	for (; s != NULL && *s != '\0'; s++) {
		if ((n = invisible_at(s, &cp)) > 0) {
			invisible_mark(b, cp, MARK_MARKDOWN);
			s += n - 1;
			continue;
		}
		switch (*s) {
		case '|':
			buf_puts(b, "\\|");
			break;
		case '<':
			buf_puts(b, "&lt;");
			break;
		case '>':
			buf_puts(b, "&gt;");
			break;
		case '&':
			buf_puts(b, "&amp;");
			break;
		case '`': case '*': case '_': case '[': case ']': case '\\':
		case '#': case '!':
			buf_putc(b, '\\');
			buf_putc(b, *s);
			break;
		case '\n': case '\r': case '\t':
			buf_putc(b, ' ');
			break;
		default:
			if ((unsigned char)*s >= 0x20 && *s != 0x7f)
				buf_putc(b, *s);
		}
	}
}

/*
 * summary.md: what a CI job summary or a pull-request comment shows.  At
 * most SUMMARY_ROWS findings are listed, errors first; the rest are
 * counted, and findings.html has them all.
 */
#define SUMMARY_ROWS 50

static void
summary_md(struct site *s, const struct diag *d, struct buf *b)
{
	static const char *const sev[SEV_MAX] = { "note", "warning", "error" };
	const struct organization *o = s->m->org;
	const struct finding *f;
	size_t i, shown = 0;
	int k, c[SEV_MAX] = { 0 };
	long si;

	for (i = 0; i < d->n; i++)
		c[d->v[i].severity]++;
	buf_puts(b, "# Charter: ");
	md_cell(b, o != NULL && o->name.s != NULL ? o->name.s : "governance");
	buf_printf(b, "\n\nAs of %s, charter %s: **%zu systems**, "
	    "**%d error%s**, %d warning%s, %d note%s.\n",
	    s->m->as_of_text, CHARTER_VERSION, s->m->nsystems, c[SEV_ERROR],
	    c[SEV_ERROR] == 1 ? "" : "s", c[SEV_WARNING],
	    c[SEV_WARNING] == 1 ? "" : "s", c[SEV_NOTE],
	    c[SEV_NOTE] == 1 ? "" : "s");
	if (s->m->nsystems > 0) {
		buf_puts(b, "\n| system | stage | errors | warnings |\n"
		    "| --- | --- | ---: | ---: |\n");
		for (i = 0; i < s->m->nsystems; i++) {
			const struct system *sy = &s->m->systems[i];

			buf_puts(b, "| ");
			md_cell(b, sy->id.s);
			buf_printf(b, " | %s | %d | %d |\n", sy->stage.v >= 0 ?
			    stage_names[sy->stage.v] : "", s->v.sev[i][SEV_ERROR],
			    s->v.sev[i][SEV_WARNING]);
		}
	}
	if (d->n == 0) {
		buf_puts(b, "\nNo findings.\n");
		return;
	}
	buf_puts(b, "\n| severity | rule | system | location | message |\n"
	    "| --- | --- | --- | --- | --- |\n");
	for (k = SEV_MAX - 1; k >= 0; k--)
		for (i = 0; i < d->n && shown < SUMMARY_ROWS; i++) {
			f = &d->v[i];
			if ((int)f->severity != k)
				continue;
			si = view_finding_system(&s->v, f);
			buf_printf(b, "| %s | %s | ", sev[k],
			    rule_table[f->rule].id);
			md_cell(b, si >= 0 ? s->m->systems[si].id.s : "");
			buf_puts(b, " | ");
			md_cell(b, f->loc.file);
			if (f->table != NULL && f->rowid > 0) {
				buf_putc(b, ':');
				md_cell(b, f->table);
				buf_printf(b, ":%lld", f->rowid);
			} else if (f->loc.line > 0)
				buf_printf(b, ":%d:%d", f->loc.line, f->loc.col);
			buf_puts(b, " | ");
			md_cell(b, f->message);
			buf_puts(b, " |\n");
			shown++;
		}
	if (shown < d->n)
		buf_printf(b, "\nAnd %zu more; see findings.html.\n",
		    d->n - shown);
}

const char *
site_libraries(const char *sep)
{
	static char s[256];

	snprintf(s, sizeof(s), "cmark %s%slibzip %s%szlib %s",
	    md_cmark_version(), sep, zipw_libzip_version(), sep,
	    zipw_zlib_version());
	return s;
}

static int
depth_root(struct arena *a, const char *rel, const char **root)
{
	const char *p;
	struct buf b;

	buf_init(&b, 0);
	for (p = rel; *p != '\0'; p++)
		if (*p == '/')
			buf_puts(&b, "../");
	*root = arena_strdup(a, b.data);
	buf_release(&b);
	return 0;
}

static const char *
html_rel(struct arena *a, const char *rel)
{
	/* "pages/" + rel with .md replaced by .html; view_page_href encodes
	   for URLs, the file name itself stays as the repo names it. */
	size_t n = strlen(rel);

	return arena_printf(a, "pages/%.*s.html", (int)(n - 3), rel);
}

int
site_render(struct site_in *in, struct outdir *od)
{
	struct site s;
	struct loader l;
	struct mustache_loader ml;
	struct arena pa;
	struct mval *page;
	struct buf b;
	const char *src = NULL, *path, *root;
	struct pack_summary *sums;
	size_t len = 0, i;
	int rc = 0, fd;

	memset(&s, 0, sizeof(s));
	s.a = in->a;
	s.d = in->d;
	s.od = od;
	s.m = in->m;
	l.a = in->a;
	l.d = in->d;
	l.root = in->m->root;
	l.max = in->max_template;
	l.tfd = -1;
	fd = open(in->m->root, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd >= 0) {
		l.tfd = openat(fd, "templates", O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (l.tfd < 0 && errno != ENOENT) {
			struct loc loc = { input_display(in->a, in->m->root,
			    "templates"), 0, 0 };

			diag_emit(in->d, errno == ELOOP || errno == ENOTDIR ?
			    R_INPUT_SYMLINK : R_INPUT_UNREADABLE, &loc,
			    "cannot open the templates folder: %s",
			    errno == ELOOP || errno == ENOTDIR ? "a symbolic "
			    "link or not a folder" : strerror(errno));
			close(fd);
			return -1;
		}
		close(fd);
	}
	ml.load = load_template;
	ml.ctx = &l;
	s.env = menv_new(in->a, in->d, &ml, 1);
	view_init(&s.v, in->a, in->m, in->ev, in->findings, CHARTER_VERSION);
	s.v.libraries = arena_strdup(in->a, site_libraries(", "));

	/* The stylesheet first: every page links to it. */
	switch (find_file(&l, "style.css", &src, &len, &path)) {
	case 0:
		if (od != NULL && outdir_write(od, "style.css", src, len) != 0) {
			fprintf(stderr, "charter: %s\n", term_escape(in->a, od->err));
			rc = -2;
		}
		break;
	case -1:
		BUG("the built-in style.css is missing");
		break;
	default:
		rc = -1;
	}

	/*
	 * The packs first: the overview and the system pages show how
	 * complete each is.
	 */
	sums = arena_alloc(in->a, (in->m->nsystems + 1) * sizeof(*sums));
	for (i = 0; rc == 0 && i < in->m->nsystems; i++) {
		struct pack pk;

		arena_init(&pa);
		s.v.a = &pa;
		pack_build(&s.v, in->facts, i, &pk);
		sums[i] = pk.sum;
		sums[i].key = arena_strdup(in->a, pk.sum.key);
		sums[i].text = arena_strdup(in->a, pk.sum.text);
		rc = render_pack(&s, &pk, in->m->systems[i].id.s, src, len);
		arena_release(&pa);
		in->packs += rc == 0;
		in->packs_complete += rc == 0 && sums[i].complete;
	}
	s.v.a = in->a;
	s.v.packs = sums;

#define PAGE(title, root, key, fill, tmpl, rel) do {			\
		arena_init(&pa);					\
		s.v.a = &pa;						\
		page = view_page(&s.v, (title), (root), (key));		\
		fill;							\
		rc = render(&s, (tmpl), page, (rel));			\
		arena_release(&pa);					\
	} while (0)

	if (rc == 0)
		PAGE("Overview", "", "index", view_index(&s.v, page), "index",
		    "index.html");
	for (i = 0; rc == 0 && i < in->m->nsystems; i++) {
		const struct system *sy = &in->m->systems[i];

		PAGE(sy->name.s != NULL ? sy->name.s : sy->id.s, "../", NULL,
		    view_system(&s.v, page, i), "system",
		    arena_printf(in->a, "systems/%s.html", sy->id.s));
	}
	if (rc == 0)
		PAGE("Ownership", "", "ownership", view_ownership(&s.v, page),
		    "ownership", "ownership.html");
	if (rc == 0)
		PAGE("Decision rights", "", "decision-rights",
		    view_rights(&s.v, page), "decision-rights",
		    "decision-rights.html");
	if (rc == 0)
		PAGE("Risk register", "", "risk-register",
		    view_risk(&s.v, page), "risk-register",
		    "risk-register.html");
	if (rc == 0)
		PAGE("Findings", "", "findings", view_findings(&s.v, page),
		    "findings", "findings.html");
	for (i = 0; rc == 0 && i < in->m->npages; i++) {
		const struct page *pg = &in->m->pages[i];
		const char *rel = html_rel(in->a, pg->rel);

		depth_root(in->a, rel, &root);
		PAGE(pg->title.s, root, pg->rel, mv_set_str(&pa, page,
		    "content_html", md_to_html(&pa, pg->body,
		    strlen(pg->body), "")), "page", rel);
	}
#undef PAGE
	s.v.a = in->a;

	/* Machine-readable findings and the CI digest. */
	if (rc == 0) {
		buf_init(&b, 0);
		diag_print_json(in->findings, &b, in->m->as_of_text);
		rc = write_buf(&s, "findings.json", &b) ? -2 : 0;
		buf_release(&b);
	}
	if (rc == 0) {
		buf_init(&b, 0);
		diag_print_sarif(in->findings, &b);
		rc = write_buf(&s, "findings.sarif", &b) ? -2 : 0;
		buf_release(&b);
	}
	if (rc == 0) {
		buf_init(&b, 0);
		summary_md(&s, in->findings, &b);
		rc = write_buf(&s, "summary.md", &b) ? -2 : 0;
		buf_release(&b);
	}
	in->pages = s.pages;
	menv_free(s.env);
	if (l.tfd >= 0)
		close(l.tfd);
	return rc;
}
