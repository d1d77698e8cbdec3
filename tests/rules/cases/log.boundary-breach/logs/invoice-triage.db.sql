INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action, mode, confidence, amount, model_version, reviewer, human_action, corrected, cycle_seconds, cost, input_ref, rationale) VALUES
 (1, '2026-11-20T12:00:00Z', 'invoice-triage', 'C-1', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:1', 'ok'),
 (2, '2026-11-21T09:00:00Z', 'invoice-triage', 'C-2', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:2', 'ok'),
 (3, '2026-11-21T10:00:00Z', 'invoice-triage', 'C-3', 'missing-po', 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:3', 'ok'),
 (4, '2026-11-21T10:30:00Z', 'invoice-triage', 'C-4', 'missing-po', 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:4', 'ok'),
 (5, '2026-11-21T11:00:00Z', 'invoice-triage', 'C-5', 'price-mismatch', 'agent', 'auto_resolved', 'live', 0.5, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:5', 'ok'),
 (6, '2026-11-21T11:30:00Z', 'invoice-triage', 'C-6', 'price-mismatch', 'agent', 'auto_resolved', 'live', NULL, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:6', 'ok'),
 (7, '2026-11-21T12:00:00Z', 'invoice-triage', 'C-7', 'price-mismatch', 'agent', 'auto_resolved', 'live', 0.99, 5000, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:7', 'ok'),
 (8, '2026-11-21T12:30:00Z', 'invoice-triage', 'C-8', 'price-mismatch', 'human', 'auto_resolved', 'live', NULL, 5000, NULL, 'm.kaya', NULL, 0, 5, 0.05, 'in:8', 'ok'),
 (9, '2026-11-21T13:00:00Z', 'invoice-triage', 'C-9', 'missing-po', 'agent', 'auto_resolved', 'shadow', 0.99, 100, 'm-1', NULL, 'escalated', 0, 5, 0.05, 'in:9', 'ok');
