INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action, mode, confidence, amount, model_version, reviewer, human_action, corrected, cycle_seconds, cost, input_ref, rationale) VALUES
 (1, '2026-11-20T12:00:00Z', 'credit-limit', 'C-1', NULL, 'agent', 'escalated', 'live', 0.5, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:1', 'ok'),
 (2, '2026-11-21T09:00:00Z', 'credit-limit', 'C-2', NULL, 'agent', 'escalated', 'live', 0.5, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:2', 'ok');
INSERT INTO incidents (id, system, opened, severity, serious, summary, reported, closed, category) VALUES
 (1, 'credit-limit', '2026-11-01', 'high', 1, 'Category in capitals: the strictest deadline applies', '2026-11-05', NULL, 'Death');
