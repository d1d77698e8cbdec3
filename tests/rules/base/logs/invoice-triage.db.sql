-- A clean decision log for invoice-triage: tests/t-rules.sh runs
-- 'charter log init logs/invoice-triage.db' and then this file.
INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action,
    mode, confidence, amount, model_version, reviewer, human_action,
    corrected, cycle_seconds, cost, input_ref, rationale) VALUES
 (1, '2026-11-20T08:00:00Z', 'invoice-triage', 'INV-1', NULL, 'agent',
  'auto_resolved', 'live', 0.99, 120, 'm-1', NULL, NULL, 0, 4, 0.05,
  'erp:INV-1', 'three-way match'),
 (2, '2026-11-20T15:00:00Z', 'invoice-triage', 'INV-2', 'price-mismatch',
  'agent', 'auto_resolved', 'live', 0.95, 500, 'm-1', NULL, NULL, 0, 6,
  0.05, 'erp:INV-2', 'within tolerance'),
 (3, '2026-11-21T09:00:00Z', 'invoice-triage', 'INV-3', 'missing-po',
  'agent', 'escalated', 'live', 0.80, 900, 'm-1', NULL, NULL, 0, 5, 0.05,
  'erp:INV-3', 'no purchase order'),
 (4, '2026-11-21T11:00:00Z', 'invoice-triage', 'INV-3', 'missing-po',
  'human', 'approved', 'live', NULL, 900, NULL, 'm.kaya', NULL, 0, 7200,
  4.5, 'erp:INV-3', 'PO raised retroactively'),
 (5, '2026-11-21T16:00:00Z', 'invoice-triage', 'INV-4', 'price-mismatch',
  'agent', 'escalated', 'live', 0.70, 2400, 'm-1', NULL, NULL, 0, 5, 0.05,
  'erp:INV-4', 'over the amount limit');
