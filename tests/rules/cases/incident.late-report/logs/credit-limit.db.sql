INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action, mode, confidence, amount, model_version, reviewer, human_action, corrected, cycle_seconds, cost, input_ref, rationale) VALUES
 (1, '2026-11-20T12:00:00Z', 'credit-limit', 'C-1', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:1', 'ok'),
 (2, '2026-11-21T09:00:00Z', 'credit-limit', 'C-2', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:2', 'ok');
INSERT INTO incidents (id, system, opened, severity, serious, summary, reported, closed, category) VALUES
 (1, 'credit-limit', '2026-09-01', 'high', 1, 'Limits cut for a group of sole traders', '2026-09-20', '2026-10-01', NULL),
 (2, 'credit-limit', '2026-10-01', 'critical', 1, 'A death linked to a frozen account', '2026-10-12', NULL, 'death'),
 (3, 'credit-limit', '2026-11-10', 'critical', 1, 'Scoring outage across the grid', NULL, NULL, 'widespread'),
 (4, 'credit-limit', '2026-10-01', 'low', 0, 'Typo in a letter', NULL, '2026-10-02', NULL),
 (5, 'credit-limit', '2026-08-01', 'high', 1, 'Reported on time', '2026-08-14', '2026-08-20', 'general');
