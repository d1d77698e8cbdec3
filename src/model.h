/*
 * model.h - the typed governance model: C structs for every kind, each
 * field keeping the source location it came from.
 *
 * The model is built only from documents that passed their schema, so its
 * builders may assume shapes and enum values; references between objects
 * are resolved by rules.c, not here.  Every string and array lives in the
 * run's arena; collections are sorted by id for deterministic output.
 */
#ifndef CHARTER_MODEL_H
#define CHARTER_MODEL_H

#include <stddef.h>

#include "diag.h"

struct arena;
struct input_set;
struct limits;

/* A scalar field: s is NULL when the field is absent. */
struct sval {
	const char	*s;
	struct loc	 loc;
};

struct nval {
	double		 v;
	int		 set;
	struct loc	 loc;
};

struct bval {
	int		 v;
	int		 set;
	struct loc	 loc;
};

/* An enum field: v is -1 when absent. */
struct eval {
	int		 v;
	struct loc	 loc;
};

struct slist {
	struct sval	*v;
	size_t		 n;
	struct loc	 loc;
};

enum stage {
	STAGE_IDEA, STAGE_PILOT, STAGE_SHADOW, STAGE_PRODUCTION, STAGE_RETIRED,
	STAGE_MAX
};
enum lane {
	LANE_ALLOWED, LANE_REVIEWED, LANE_PROHIBITED, LANE_MAX
};
enum oversight {
	OVERSIGHT_NONE, OVERSIGHT_SPOT_CHECK, OVERSIGHT_APPROVE_EXCEPTIONS,
	OVERSIGHT_APPROVE_ALL, OVERSIGHT_MAX
};
enum euclass {
	EUCLASS_PROHIBITED, EUCLASS_HIGH_RISK, EUCLASS_LIMITED_RISK,
	EUCLASS_MINIMAL_RISK, EUCLASS_MAX
};
enum eurole {
	EUROLE_PROVIDER, EUROLE_DEPLOYER, EUROLE_PROVIDER_AND_DEPLOYER,
	EUROLE_MAX
};
enum regime {
	REGIME_2024, REGIME_OMNIBUS, REGIME_MAX
};
enum owner_role {
	ROLE_OUTCOME, ROLE_DATA_DOMAIN, ROLE_MODEL_BEHAVIOUR,
	ROLE_WORKFLOW_IMPACT, ROLE_OPERATING_RISK, ROLE_EXCEPTION_PATH,
	ROLE_FAILURE_MODE, ROLE_MAX
};
/* In order of height: a KPI supports one of a higher level. */
enum kpi_level {
	LEVEL_MODEL, LEVEL_LEADING, LEVEL_OPERATIONAL, LEVEL_BUSINESS,
	LEVEL_MAX
};
enum direction {
	DIRECTION_UP, DIRECTION_DOWN, DIRECTION_MAX
};
enum function {
	FUNCTION_PROCUREMENT, FUNCTION_FINANCE, FUNCTION_SUPPLY_CHAIN,
	FUNCTION_HR, FUNCTION_IT, FUNCTION_SUPPORT, FUNCTION_SALES,
	FUNCTION_MARKETING, FUNCTION_OTHER, FUNCTION_MAX
};
enum value_bucket {
	VALUE_REVENUE, VALUE_COST, VALUE_RISK, VALUE_EXPERIENCE, VALUE_MAX
};
enum model_type {
	MODEL_LLM, MODEL_ML, MODEL_RULES, MODEL_HYBRID, MODEL_TYPE_MAX
};
enum conformity_route {
	ROUTE_INTERNAL, ROUTE_NOTIFIED_BODY, ROUTE_MAX
};

extern const char *const stage_names[STAGE_MAX];
extern const char *const lane_names[LANE_MAX];
extern const char *const oversight_names[OVERSIGHT_MAX];
extern const char *const euclass_names[EUCLASS_MAX];
extern const char *const eurole_names[EUROLE_MAX];
extern const char *const regime_names[REGIME_MAX];
extern const char *const role_names[ROLE_MAX];
extern const char *const level_names[LEVEL_MAX];
extern const char *const direction_names[DIRECTION_MAX];
extern const char *const function_names[FUNCTION_MAX];
extern const char *const value_names[VALUE_MAX];
extern const char *const model_type_names[MODEL_TYPE_MAX];
extern const char *const route_names[ROUTE_MAX];

/* The same values as people read them (site, workbook). */
extern const char *const role_labels[ROLE_MAX];
extern const char *const stage_labels[STAGE_MAX];
extern const char *const euclass_labels[EUCLASS_MAX];
extern const char *const eurole_labels[EUROLE_MAX];

/* The seven decision types every organisation must cover. */
extern const char *const required_decisions[7];

struct person {
	struct sval	 id, name, title, team, email;
	struct loc	 loc;
};

struct team {
	struct sval	 id, name, lead, on_call;
	struct loc	 loc;
};

struct organization {
	struct loc	 loc;
	struct sval	 id, name, steering, address, contact;
	struct slist	 jurisdictions;
	struct person	*people;
	size_t		 npeople;
	struct team	*teams;
	size_t		 nteams;
	struct eval	 regime;		/* REGIME_OMNIBUS by default */
	struct bval	 public_body;
	struct nval	 shadow_min_agreement;	/* 0.95 by default */
	struct nval	 shadow_min_cases;	/* 200 by default */
	int		 eu;			/* jurisdictions include EU */
};

struct control {
	struct sval	 id, name, description;
	struct slist	 articles;
	struct loc	 loc;
};

struct tier {
	struct sval	 id, name, description;
	struct eval	 lane, oversight;
	struct nval	 review_every_days;
	struct slist	 required_controls;
	struct eval	*eu;			/* allowed classifications */
	size_t		 neu;
	struct loc	 eu_loc;
	int		 has_eu;
	struct loc	 loc;
};

struct risk_tiers {
	struct loc	 loc;
	struct control	*controls;
	size_t		 ncontrols;
	struct tier	*tiers;
	size_t		 ntiers;
};

struct assignment {
	struct sval	 decides;
	struct slist	 consulted, informed;
	struct loc	 loc;
};

struct tier_assignment {
	struct sval		 tier;		/* the by_tier key */
	struct assignment	 a;
};

struct decision {
	struct sval		 id, name, description;
	int			 has_default;
	struct assignment	 def;
	struct tier_assignment	*by_tier;
	size_t			 nby_tier;
	struct loc		 loc;
};

struct decision_rights {
	struct loc	 loc;
	struct decision	*decisions;
	size_t		 ndecisions;
};

struct table_row {
	struct sval	 exception, description, escalate_to;
	struct bval	 ai_may_resolve;
	struct nval	 min_confidence, max_amount, sla_hours;
	struct slist	 documentation;
	struct loc	 loc;
};

struct kpi_value {
	struct sval	 period;
	struct nval	 value;
};

struct kpi {
	struct sval	 id, name, unit, supports, owner, metric, sql;
	struct eval	 level, direction;
	struct eval	 period;		/* enum period (metrics.h); month
						   by default */
	struct nval	 target, baseline, amber, red;
	struct kpi_value *values;
	size_t		 nvalues;
	int		 has_values;
	struct loc	 loc;
};

struct allowed_values {
	struct sval	 column;
	struct sval	*values;	/* numbers kept as their literal text */
	size_t		 nvalues;
};

struct contract {
	struct sval	 table, database;
	struct slist	 not_null, unique;
	struct allowed_values *allowed;
	size_t		 nallowed;
	struct nval	 fresh_within_hours;
	struct loc	 loc;
};

struct data_asset {
	struct sval	 id, name, owner, on_call;
	struct bval	 personal_data;
	struct contract	*contract;		/* NULL when absent */
	struct loc	 loc;
};

struct change {
	struct sval	 date, version, summary;
	struct loc	 loc;
};

struct evidence {
	struct sval	 title, href;
	struct loc	 loc;
};

struct eu_ai_act {
	int		 present;
	struct loc	 loc;
	struct eval	 role, classification;
	struct sval	 annex_iii, rationale, registration_id, transparency;
	struct bval	 profiling;
	int		 has_exemption;
	struct sval	 exemption_condition, exemption_reason;
	struct loc	 exemption_loc;
	int		 has_conformity;
	struct eval	 conformity_route;
	struct sval	 conformity_completed;
	struct loc	 conformity_loc;
	int		 has_fria;
	struct sval	 fria_completed, fria_href;
	struct loc	 fria_loc;
};

struct system {
	struct loc	 loc;			/* the document */
	const char	*file;			/* relative path of its file */
	size_t		 seq;			/* load order */
	struct sval	 id, name, summary, purpose;
	struct eval	 function, stage, value;
	struct sval	 risk_tier;
	struct nval	 score[5];	/* value, feasibility, data_readiness,
					   integration_complexity, change_pain */
	int		 has_score;
	struct sval	 owners[ROLE_MAX];
	struct loc	 owners_loc;
	int		 has_owners;
	struct sval	 model_provider, model_name, model_version,
			 model_data_retention;
	struct eval	 model_type;
	int		 has_model;
	struct eu_ai_act eu;
	struct slist	 controls;
	struct table_row *table;
	size_t		 ntable;
	struct loc	 table_loc;
	int		 has_oversight;
	struct loc	 oversight_loc;
	struct eval	 oversight_level;
	struct sval	 oversight_mechanism, oversight_reviewer,
			 oversight_stop_procedure;
	struct bval	 oversight_can_override;
	struct kpi	*kpis;
	size_t		 nkpis;
	struct loc	 kpis_loc;
	int		 has_log;
	struct loc	 log_loc;
	struct sval	 log_database, log_system_key;
	struct nval	 log_retention_days;
	struct data_asset *data;
	size_t		 ndata;
	int		 has_incident_response;
	struct loc	 incident_loc;
	struct slist	 incident_steps, incident_notify;
	struct sval	 incident_suspend;
	struct sval	 last_review;
	struct change	*changes;
	size_t		 nchanges;
	struct evidence	*evidence;
	size_t		 nevidence;
};

extern const char *const score_names[5];

struct page {
	const char	*rel;		/* relative path of the .md file */
	const char	*path;		/* display path */
	struct sval	 title;		/* front matter, first heading or
					   file name */
	struct nval	 order;
	struct bval	 nav;
	const char	*body;		/* Markdown after the front matter */
	int		 body_line;	/* line of the body's first line */
};

struct model {
	const char		*root;		/* the content folder */
	struct organization	*org;		/* NULL when absent or invalid */
	struct risk_tiers	*tiers;
	struct decision_rights	*rights;
	struct system		*systems;	/* sorted by id */
	size_t			 nsystems;
	struct page		*pages;		/* in navigation order */
	size_t			 npages;
	int			 seen[4];	/* documents per kind,
						   valid or not */
	long			 as_of;		/* days since 1970-01-01 */
	const char		*as_of_text;	/* YYYY-MM-DD */
};

/*
 * The built-in JSON Schemas, compiled once.  model_schemas_load returns NULL
 * after a diagnostic if an embedded schema is broken; free with
 * model_schemas_free (it owns compiled regular expressions).  The set only
 * reads its arena after loading, so one set may serve many model_load calls.
 */
struct schema_set;
struct schema_set *model_schemas_load(struct arena *, struct diag *);
void	 model_schemas_free(struct schema_set *);

/*
 * Parse, validate against the schemas, and build the model from every
 * input.  Schema findings and duplicate ids are reported to the diag;
 * documents that fail are left out.  Everything lives in the arena.
 */
void	 model_load(struct arena *, struct diag *, const struct limits *,
	    struct schema_set *, const struct input_set *, struct model *);

/* Lookups by id; NULL when absent. */
const struct person	*model_person(const struct model *, const char *id);
const struct team	*model_team(const struct model *, const char *id);
const struct tier	*model_tier(const struct model *, const char *id);
const struct control	*model_control(const struct model *, const char *id);
const struct kpi	*system_kpi(const struct system *, const char *id);
const struct decision	*model_decision(const struct model *, const char *id);

/*
 * The KPI stack in tree order: each KPI supporting nothing in the system
 * (a business KPI, usually) followed, depth first, by the KPIs supporting
 * it; a KPI in a `supports` cycle (kpi.cycle) starts a tree of its own, so
 * every KPI appears exactly once.  Fills order[0..nkpis) with indexes into
 * s->kpis and depth[] with each one's depth (0 for a root, at most
 * KPI_TREE_DEPTH).
 */
#define KPI_TREE_DEPTH	16
void	 kpi_tree_order(const struct system *, size_t *order, int *depth);

/*
 * The system a finding is about (an index into m->systems), or -1: the
 * system document its basis (for a decision-log row) or its place lies
 * in; when a file holds several system documents, the last one starting
 * at or before its line.  The site, the packs, the workbook and diff all
 * attribute findings this way.
 */
long	 model_finding_system(const struct model *, const struct finding *);

/* Who decides, is consulted and informed for a tier: its by_tier entry,
   else the default; NULL when neither. */
const struct assignment	*decision_assignment(const struct decision *,
			    const char *tier);

#endif
