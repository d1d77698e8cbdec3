INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action, mode, confidence, amount, model_version, reviewer, human_action, corrected, cycle_seconds, cost, input_ref, rationale) VALUES
 (1, '2026-11-20T12:00:00Z', 'invoice-triage', 'C-1', 'price-mismatch', 'agent', 'auto_resolved', 'live', 0.95, NULL, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:1', 'no amount logged'),
 (2, '2026-11-21T09:00:00Z', 'invoice-triage', 'C-2', 'price-mismatch', 'agent', 'auto_resolved', 'LIVE', 0.95, 5000, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:2', 'mode in capitals');
