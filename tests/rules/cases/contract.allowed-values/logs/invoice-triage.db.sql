INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action, mode, confidence, amount, model_version, reviewer, human_action, corrected, cycle_seconds, cost, input_ref, rationale) VALUES
 (1, '2026-11-20T12:00:00Z', 'invoice-triage', 'C-1', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:1', 'ok'),
 (2, '2026-11-21T09:00:00Z', 'invoice-triage', 'C-2', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:2', 'ok'),
 (3, '2026-11-21T10:00:00Z', 'invoice-triage', 'C-3', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-2', NULL, NULL, 0, 5, 0.05, 'in:3', 'ok'),
 (4, '2026-11-21T11:00:00Z', 'invoice-triage', 'C-4', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 1, 5, 0.05, 'in:4', 'ok');
