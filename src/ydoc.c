/*
 * ydoc.c - libyaml's event stream composed into a bounded node tree.
 *
 * This is the only file that includes <yaml.h>.  It must never recurse on
 * input structure (the composer keeps an explicit stack), never expand an
 * alias by copying (aliases share nodes, charged against max_nodes), and
 * never accept what YAML forbids but libyaml lets through: duplicate keys,
 * invalid UTF-8 (checked up front, so the position is exact), NUL in values.
 */
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "arena.h"
#include "diag.h"
#include "util.h"
#include "ydoc.h"

#define MAX_ANCHORS	1000

struct frame {
	struct ynode	*node;
	struct ynode	**items;	/* sequence items, or keys and values */
	size_t		 n, cap;
};

struct anchor {
	const char	*name;
	struct ynode	*node;
	int		 open;		/* its collection has not ended yet */
};

struct composer {
	struct arena		*arena;
	struct diag		*diag;
	const struct ylimits	*lim;
	const char		*path;
	const char		*data;		/* after any BOM */
	size_t			 len;
	struct frame		*stack;
	size_t			 depth, stack_cap;
	struct anchor		*anchors;
	size_t			 nanchors, anchors_cap;
	size_t			 nodes;		/* charged so far */
	struct ydoc		*docs;
	size_t			 ndocs, docs_cap;
	struct ynode		*root;
};

static const char *const type_names[YS_MAX] = {
	"string", "null", "boolean", "integer", "number"
};

const char *
ynode_type_name(const struct ynode *n)
{
	if (n == NULL)
		return "nothing";
	switch (n->kind) {
	case YN_SEQ:
		return "list";
	case YN_MAP:
		return "map";
	default:
		return type_names[n->type];
	}
}

/* Line and column (code points) of byte offset off. */
static void
offset_loc(const struct composer *c, size_t off, struct loc *loc)
{
	size_t i, bol = 0;
	int line = 1;

	if (off > c->len)
		off = c->len;
	for (i = 0; i < off; i++)
		if (c->data[i] == '\n') {
			line++;
			bol = i + 1;
		}
	loc->file = c->path;
	loc->line = line;
	loc->col = (int)utf8_count(c->data + bol, off - bol) + 1;
}

static void
mark_loc(const struct composer *c, const yaml_mark_t *m, struct loc *loc)
{
	loc->file = c->path;
	loc->line = (int)m->line + 1;
	loc->col = (int)m->column + 1;
}

/* Byte offset of a 0-based line and code-point column, for hints. */
static const char *
loc_ptr(const struct composer *c, const struct loc *loc)
{
	const char *p = c->data, *end = c->data + c->len;
	int line = 1, col = 1;

	while (p < end && line < loc->line)
		if (*p++ == '\n')
			line++;
	while (p < end && col < loc->col && *p != '\n') {
		p++;
		while (p < end && ((unsigned char)*p & 0xC0) == 0x80)
			p++;
		col++;
	}
	return p < end ? p : NULL;
}

/* Plain-scalar resolution, YAML 1.2 core schema (spec 10.3.2). */
static void
resolve(struct ynode *n)
{
	const char *s = n->str;
	const char *p;
	int digits;

	n->type = YS_STR;
	if (n->len == 0 || strcmp(s, "~") == 0 || strcmp(s, "null") == 0 ||
	    strcmp(s, "Null") == 0 || strcmp(s, "NULL") == 0) {
		n->type = YS_NULL;
		return;
	}
	if (strcmp(s, "true") == 0 || strcmp(s, "True") == 0 ||
	    strcmp(s, "TRUE") == 0) {
		n->type = YS_BOOL;
		n->boolean = 1;
		return;
	}
	if (strcmp(s, "false") == 0 || strcmp(s, "False") == 0 ||
	    strcmp(s, "FALSE") == 0) {
		n->type = YS_BOOL;
		return;
	}
	if (s[0] == '0' && (s[1] == 'o' || s[1] == 'x') && s[2] != '\0') {
		for (p = s + 2; *p; p++)
			if (s[1] == 'o' ? (*p < '0' || *p > '7') :
			    strchr("0123456789abcdefABCDEF", *p) == NULL)
				return;
		n->type = YS_INT;
		n->number = (double)strtoull(s + 2, NULL, s[1] == 'o' ? 8 : 16);
		return;
	}
	p = s;
	if (*p == '-' || *p == '+')
		p++;
	if (strcmp(p, ".inf") == 0 || strcmp(p, ".Inf") == 0 ||
	    strcmp(p, ".INF") == 0 || (p == s && (strcmp(p, ".nan") == 0 ||
	    strcmp(p, ".NaN") == 0 || strcmp(p, ".NAN") == 0))) {
		/* Infinities and NaN are numbers JSON cannot hold: strings. */
		return;
	}
	/* [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )? */
	digits = 0;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits++;
	}
	if (*p == '\0') {
		if (digits == 0)
			return;
		n->type = YS_INT;
		n->number = strtod(s, NULL);
		return;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits++;
		}
	}
	if (digits == 0)
		return;
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '-' || *p == '+')
			p++;
		if (!(*p >= '0' && *p <= '9'))
			return;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	if (*p != '\0')
		return;
	n->type = YS_FLOAT;
	n->number = strtod(s, NULL);
}

static int
fail_at(struct composer *c, enum rule r, const struct loc *loc,
    const char *msg, const char *arg)
{
	if (arg != NULL)
		diag_emit(c->diag, r, loc, msg, arg);
	else
		diag_emit(c->diag, r, loc, "%s", msg);
	return -1;
}

/* Count n more nodes; an alias is charged the size of its target. */
static int
charge(struct composer *c, size_t n, const struct loc *loc, int alias)
{
	if (n > c->lim->max_nodes || c->nodes > c->lim->max_nodes - n) {
		if (alias)
			diag_emit(c->diag, R_YAML_ALIAS, loc,
			    "alias expansion exceeds %zu nodes (limit 'nodes')",
			    c->lim->max_nodes);
		else
			diag_emit(c->diag, R_INPUT_TOO_LARGE, loc,
			    "more than %zu YAML nodes in one file (limit "
			    "'nodes')", c->lim->max_nodes);
		return -1;
	}
	c->nodes += n;
	return 0;
}

static struct anchor *
find_anchor(struct composer *c, const char *name)
{
	size_t i;

	for (i = c->nanchors; i-- > 0;)
		if (strcmp(c->anchors[i].name, name) == 0)
			return &c->anchors[i];
	return NULL;
}

static int
add_anchor(struct composer *c, const char *name, struct ynode *node, int open)
{
	struct anchor *a;

	if (c->nanchors >= MAX_ANCHORS)
		return fail_at(c, R_YAML_ALIAS, &node->loc,
		    "more than %s anchors in one document", "1000");
	c->anchors = xgrow(c->anchors, &c->anchors_cap, c->nanchors + 1,
	    sizeof(*c->anchors));
	a = &c->anchors[c->nanchors++];
	a->name = arena_strdup(c->arena, name);
	a->node = node;
	a->open = open;
	return 0;
}

/* Attach a finished node to the collection being built, or as the root. */
static int
attach(struct composer *c, struct ynode *n)
{
	struct frame *f;

	if (c->depth == 0) {
		c->root = n;
		return 0;
	}
	f = &c->stack[c->depth - 1];
	if (f->node->kind == YN_MAP && f->n % 2 == 0) {
		if (n->kind != YN_SCALAR)
			return fail_at(c, R_YAML_SYNTAX, &n->loc,
			    "a map or list as a mapping key is not supported",
			    NULL);
		if (n->plain && strcmp(n->str, "<<") == 0)
			return fail_at(c, R_YAML_MERGE_KEY, &n->loc,
			    "merge keys ('<<') are not supported; write the "
			    "fields out", NULL);
	}
	f->items = xgrow(f->items, &f->cap, f->n + 1, sizeof(*f->items));
	f->items[f->n++] = n;
	return 0;
}

static int
key_cmp(const void *pa, const void *pb)
{
	const struct ypair *a = pa, *b = pb;
	int r = strcmp(a->key->str, b->key->str);

	if (r != 0)
		return r;
	if (a->key->loc.line != b->key->loc.line)
		return a->key->loc.line < b->key->loc.line ? -1 : 1;
	return a->key->loc.col - b->key->loc.col;
}

/* Report duplicate keys, naming both lines; O(n log n). */
static int
check_duplicates(struct composer *c, struct ynode *map)
{
	struct ypair *sorted;
	size_t i;
	int rc = 0;

	if (map->n < 2)
		return 0;
	sorted = xmalloc(map->n * sizeof(*sorted));
	memcpy(sorted, map->pairs, map->n * sizeof(*sorted));
	qsort(sorted, map->n, sizeof(*sorted), key_cmp);
	for (i = 1; i < map->n; i++)
		if (strcmp(sorted[i].key->str, sorted[i - 1].key->str) == 0) {
			diag_emit(c->diag, R_YAML_DUPLICATE_KEY,
			    &sorted[i].key->loc,
			    "duplicate key '%s' (first at line %d)",
			    sorted[i].key->str, sorted[i - 1].key->loc.line);
			rc = -1;
			break;
		}
	free(sorted);
	return rc;
}

static int
finish_collection(struct composer *c)
{
	struct frame *f = &c->stack[--c->depth];
	struct ynode *n = f->node;
	size_t i, w = 1;

	if (n->kind == YN_SEQ) {
		n->n = f->n;
		n->items = arena_alloc(c->arena, f->n * sizeof(*n->items));
		if (f->n > 0)
			memcpy(n->items, f->items, f->n * sizeof(*n->items));
		for (i = 0; i < f->n; i++)
			w += f->items[i]->weight;
	} else {
		n->n = f->n / 2;
		n->pairs = arena_alloc(c->arena, n->n * sizeof(*n->pairs));
		for (i = 0; i < n->n; i++) {
			n->pairs[i].key = f->items[2 * i];
			n->pairs[i].value = f->items[2 * i + 1];
			w += n->pairs[i].key->weight +
			    n->pairs[i].value->weight;
		}
	}
	n->weight = w;
	free(f->items);
	f->items = NULL;
	f->n = f->cap = 0;
	for (i = 0; i < c->nanchors; i++)
		if (c->anchors[i].node == n)
			c->anchors[i].open = 0;
	if (n->kind == YN_MAP && check_duplicates(c, n) != 0)
		return -1;
	return attach(c, n);
}

static struct ynode *
new_node(struct composer *c, enum ynode_kind kind, const yaml_mark_t *m)
{
	struct ynode *n = arena_alloc(c->arena, sizeof(*n));

	n->kind = kind;
	mark_loc(c, m, &n->loc);
	n->weight = 1;
	return n;
}

#define TAG_PREFIX "tag:yaml.org,2002:"

/* Apply an explicit tag; only the core schema's are known. */
static int
apply_tag(struct composer *c, struct ynode *n, const char *tag)
{
	const char *t;

	if (tag == NULL || strcmp(tag, "!") == 0) {
		if (tag != NULL)
			n->plain = 0;
		return 0;
	}
	if (strncmp(tag, TAG_PREFIX, strlen(TAG_PREFIX)) != 0)
		return fail_at(c, R_YAML_TAG, &n->loc,
		    "unknown tag '%s'; Charter accepts only the YAML core tags",
		    tag);
	t = tag + strlen(TAG_PREFIX);
	if (strcmp(t, "str") != 0 && strcmp(t, "null") != 0 &&
	    strcmp(t, "bool") != 0 && strcmp(t, "int") != 0 &&
	    strcmp(t, "float") != 0 && strcmp(t, "seq") != 0 &&
	    strcmp(t, "map") != 0)
		return fail_at(c, R_YAML_TAG, &n->loc,
		    "unknown tag '!!%s'; Charter accepts only the YAML core tags",
		    t);
	if (n->kind == YN_SEQ)
		return strcmp(t, "seq") == 0 ? 0 : fail_at(c, R_YAML_TAG,
		    &n->loc, "tag '!!%s' on a list", t);
	if (n->kind == YN_MAP)
		return strcmp(t, "map") == 0 ? 0 : fail_at(c, R_YAML_TAG,
		    &n->loc, "tag '!!%s' on a map", t);
	if (strcmp(t, "str") == 0) {
		n->plain = 0;
		n->type = YS_STR;
		return 0;
	}
	resolve(n);
	if ((strcmp(t, "null") == 0 && n->type == YS_NULL) ||
	    (strcmp(t, "bool") == 0 && n->type == YS_BOOL) ||
	    (strcmp(t, "int") == 0 && n->type == YS_INT) ||
	    (strcmp(t, "float") == 0 && (n->type == YS_FLOAT ||
	    n->type == YS_INT))) {
		n->plain = 1;
		return 0;
	}
	return fail_at(c, R_YAML_TAG, &n->loc,
	    "value does not fit its tag '!!%s'", t);
}

/*
 * The first control character other than tab and line breaks, or -1.
 * libyaml refuses them raw, but escapes ("\x01", "\u0085") let them in, and
 * they would corrupt a workbook or spoof a terminal downstream.
 */
static int
control_char(const unsigned char *s, size_t len)
{
	size_t i;

	for (i = 0; i < len; i++) {
		if (s[i] == '\t' || s[i] == '\n' || s[i] == '\r')
			continue;
		if (s[i] < 0x20 || s[i] == 0x7f)
			return s[i];
		if (s[i] == 0xC2 && i + 1 < len && s[i + 1] >= 0x80 &&
		    s[i + 1] < 0xA0)
			return s[i + 1];
	}
	return -1;
}

static int
on_scalar(struct composer *c, yaml_event_t *ev)
{
	struct ynode *n = new_node(c, YN_SCALAR, &ev->start_mark);
	size_t len = ev->data.scalar.length;
	int bad;

	if (charge(c, 1, &n->loc, 0) != 0)
		return -1;
	if (len > c->lim->max_scalar) {
		diag_emit(c->diag, R_INPUT_TOO_LARGE, &n->loc,
		    "a value of %zu bytes exceeds the limit of %zu "
		    "(limit 'scalar')", len, c->lim->max_scalar);
		return -1;
	}
	if ((bad = control_char(ev->data.scalar.value, len)) >= 0) {
		diag_emit(c->diag, R_YAML_ENCODING, &n->loc,
		    "control character U+%04X in a value (written as an "
		    "escape?); only tab and line breaks are allowed", bad);
		return -1;
	}
	n->str = arena_strndup(c->arena, (const char *)ev->data.scalar.value,
	    len);
	n->len = len;
	n->plain = ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
	n->type = YS_STR;
	if (ev->data.scalar.tag != NULL) {
		if (apply_tag(c, n, (const char *)ev->data.scalar.tag) != 0)
			return -1;
	} else if (n->plain)
		resolve(n);
	if (ev->data.scalar.anchor != NULL &&
	    add_anchor(c, (const char *)ev->data.scalar.anchor, n, 0) != 0)
		return -1;
	return attach(c, n);
}

static int
on_start(struct composer *c, yaml_event_t *ev, enum ynode_kind kind)
{
	struct ynode *n = new_node(c, kind, &ev->start_mark);
	const yaml_char_t *tag, *anchor;
	struct frame *f;

	if (c->depth >= c->lim->max_depth) {
		diag_emit(c->diag, R_YAML_DEPTH, &n->loc,
		    "nesting deeper than %zu levels (limit 'depth')",
		    c->lim->max_depth);
		return -1;
	}
	if (charge(c, 1, &n->loc, 0) != 0)
		return -1;
	if (kind == YN_SEQ) {
		tag = ev->data.sequence_start.tag;
		anchor = ev->data.sequence_start.anchor;
	} else {
		tag = ev->data.mapping_start.tag;
		anchor = ev->data.mapping_start.anchor;
	}
	if (tag != NULL && apply_tag(c, n, (const char *)tag) != 0)
		return -1;
	if (anchor != NULL && add_anchor(c, (const char *)anchor, n, 1) != 0)
		return -1;
	c->stack = xgrow(c->stack, &c->stack_cap, c->depth + 1,
	    sizeof(*c->stack));
	f = &c->stack[c->depth++];
	memset(f, 0, sizeof(*f));
	f->node = n;
	return 0;
}

static int
on_alias(struct composer *c, yaml_event_t *ev)
{
	const char *name = (const char *)ev->data.alias.anchor;
	struct anchor *a = find_anchor(c, name);
	struct loc loc;

	mark_loc(c, &ev->start_mark, &loc);
	if (a == NULL)
		return fail_at(c, R_YAML_ALIAS, &loc, "unknown anchor '%s'",
		    name);
	if (a->open)
		return fail_at(c, R_YAML_ALIAS, &loc,
		    "alias '*%s' refers to a node that contains it (a cycle)",
		    name);
	if (charge(c, a->node->weight, &loc, 1) != 0)
		return -1;
	return attach(c, a->node);
}

static void
report_parser_error(struct composer *c, yaml_parser_t *p)
{
	const char *at;
	struct loc loc;

	if (p->error == YAML_MEMORY_ERROR)
		xoom();
	if (p->error == YAML_READER_ERROR) {
		offset_loc(c, p->problem_offset, &loc);
		diag_emit(c->diag, R_YAML_ENCODING, &loc, "%s",
		    p->problem ? p->problem : "unreadable character");
		return;
	}
	mark_loc(c, &p->problem_mark, &loc);
	/* At the end of the file, where the construct began is more useful. */
	if (p->context != NULL && p->problem != NULL &&
	    strstr(p->problem, "end of stream") != NULL)
		mark_loc(c, &p->context_mark, &loc);
	at = loc_ptr(c, &loc);
	if (at != NULL && *at == '\t')
		diag_emit(c->diag, R_YAML_SYNTAX, &loc, "a tab character: "
		    "YAML is indented with spaces, never tabs");
	else if (p->context != NULL)
		diag_emit(c->diag, R_YAML_SYNTAX, &loc, "%s (%s)",
		    p->problem ? p->problem : "syntax error", p->context);
	else
		diag_emit(c->diag, R_YAML_SYNTAX, &loc, "%s",
		    p->problem ? p->problem : "syntax error");
}

static int
compose(struct composer *c, yaml_parser_t *p)
{
	yaml_event_t ev;
	struct ydoc *d;
	int rc = 0, done = 0;

	while (!done && rc == 0) {
		if (!yaml_parser_parse(p, &ev)) {
			report_parser_error(c, p);
			return -1;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = 1;
			break;
		case YAML_DOCUMENT_START_EVENT:
			c->root = NULL;
			c->nanchors = 0;
			c->docs = xgrow(c->docs, &c->docs_cap, c->ndocs + 1,
			    sizeof(*c->docs));
			d = &c->docs[c->ndocs++];
			memset(d, 0, sizeof(*d));
			mark_loc(c, &ev.start_mark, &d->loc);
			break;
		case YAML_DOCUMENT_END_EVENT:
			c->docs[c->ndocs - 1].root = c->root;
			break;
		case YAML_SCALAR_EVENT:
			rc = on_scalar(c, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			rc = on_start(c, &ev, YN_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			rc = on_start(c, &ev, YN_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			rc = finish_collection(c);
			break;
		case YAML_ALIAS_EVENT:
			rc = on_alias(c, &ev);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	return rc;
}

int
ydoc_load(struct arena *a, struct diag *d, const struct ylimits *lim,
    const char *path, const char *data, size_t len, struct yfile *out)
{
	struct composer c;
	yaml_parser_t parser;
	struct loc loc;
	size_t bad, i;
	int rc;

	memset(&c, 0, sizeof(c));
	c.arena = a;
	c.diag = d;
	c.lim = lim;
	c.path = path;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	} else if (len >= 2 && (memcmp(data, "\xFE\xFF", 2) == 0 ||
	    memcmp(data, "\xFF\xFE", 2) == 0)) {
		loc.file = path;
		loc.line = loc.col = 1;
		diag_emit(d, R_YAML_ENCODING, &loc,
		    "UTF-16 is not supported; save the file as UTF-8");
		return -1;
	}
	c.data = data;
	c.len = len;
	if (utf8_valid(data, len, &bad) != 0) {
		offset_loc(&c, bad, &loc);
		diag_emit(d, R_YAML_ENCODING, &loc,
		    "invalid UTF-8 (byte 0x%02x)", (unsigned char)data[bad]);
		return -1;
	}
	/* It fails only when its buffers cannot be allocated. */
	if (!yaml_parser_initialize(&parser))
		xoom();
	yaml_parser_set_input_string(&parser, (const unsigned char *)data, len);
	yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING);
	rc = compose(&c, &parser);
	yaml_parser_delete(&parser);
	for (i = 0; i < c.depth; i++)
		free(c.stack[i].items);
	free(c.stack);
	free(c.anchors);
	out->path = path;
	out->ndocs = 0;
	out->docs = NULL;
	if (rc == 0 && c.ndocs > 0) {
		out->docs = arena_alloc(a, c.ndocs * sizeof(*out->docs));
		memcpy(out->docs, c.docs, c.ndocs * sizeof(*out->docs));
		out->ndocs = c.ndocs;
	}
	free(c.docs);
	return rc;
}

static const struct ypair *
ynode_pair(const struct ynode *map, const char *key)
{
	size_t i;

	if (map == NULL || map->kind != YN_MAP)
		return NULL;
	for (i = 0; i < map->n; i++)
		if (strcmp(map->pairs[i].key->str, key) == 0)
			return &map->pairs[i];
	return NULL;
}

struct ynode *
ynode_get(const struct ynode *map, const char *key)
{
	const struct ypair *p = ynode_pair(map, key);

	return p ? p->value : NULL;
}
