-- The decision log of hiring-ranker: tests/t-packs.sh runs 'charter log
-- init logs/hiring-ranker.db' and then this file.  One row every three
-- hours from 1 October to 21 November 2026 (no gap over a day), every
-- Art. 12 field present, one serious incident reported on time.
WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i < 415)
INSERT INTO decisions (ts, system, case_ref, exception, actor, action, mode,
    confidence, model_version, reviewer, corrected, cycle_seconds, cost,
    input_ref, rationale)
SELECT strftime('%Y-%m-%dT%H:%M:%SZ', '2026-10-01', '+' || (i * 3) || ' hours'),
    'hiring-ranker', 'APP-' || i,
    CASE i % 4 WHEN 0 THEN 'incomplete-application'
               WHEN 1 THEN 'borderline-score' END,
    CASE i % 4 WHEN 3 THEN 'human' ELSE 'agent' END,
    CASE i % 4 WHEN 1 THEN 'escalated' WHEN 3 THEN 'approved'
               ELSE 'auto_resolved' END,
    'live',
    CASE i % 4 WHEN 3 THEN NULL WHEN 1 THEN 0.7 ELSE 0.95 END,
    CASE i % 4 WHEN 3 THEN NULL ELSE '2.3' END,
    CASE i % 4 WHEN 3 THEN 'h.ito' END,
    CASE WHEN i % 50 = 0 THEN 1 ELSE 0 END,
    30 + i % 7, 0.02, 'ats:APP-' || i, 'ranked against the requirements'
FROM n;
INSERT INTO incidents (system, opened, severity, serious, summary, reported,
    closed) VALUES
 ('hiring-ranker', '2026-10-20', 'high', 1,
  'Ranking used an outdated requirement list for one role', '2026-10-25',
  '2026-10-28'),
 ('hiring-ranker', '2026-11-05', 'low', 0, 'Slow ranking for two hours',
  NULL, '2026-11-05');
