-- raw
-- A log whose writer dropped the NOT NULL constraints.
CREATE TABLE decisions (id INTEGER PRIMARY KEY, ts TEXT, system TEXT,
  case_ref TEXT, exception TEXT, actor TEXT, action TEXT, mode TEXT,
  confidence REAL, amount REAL, model_version TEXT, reviewer TEXT,
  human_action TEXT, corrected INTEGER, cycle_seconds REAL, cost REAL,
  input_ref TEXT, rationale TEXT);
INSERT INTO decisions (id, ts, system, case_ref, exception, actor, action, mode, confidence, amount, model_version, reviewer, human_action, corrected, cycle_seconds, cost, input_ref, rationale) VALUES
 (1, '2026-11-20T12:00:00Z', 'invoice-triage', 'C-1', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:1', 'ok'),
 (2, '2026-11-21T09:00:00Z', 'invoice-triage', 'C-2', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:2', 'ok'),
 (3, 'yesterday', 'invoice-triage', 'C-3', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:3', 'ok'),
 (4, '2026-11-21T10:00:00Z', 'invoice-triage', 'C-4', NULL, 'robot', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:4', 'ok'),
 (5, '2026-11-21T11:00:00Z', 'invoice-triage', 'C-5', NULL, 'agent', 'auto_resolved', 'live', 1.5, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:5', 'ok'),
 (6, '2026-11-21T12:00:00Z', 'invoice-triage', 'C-6', NULL, 'agent', 'auto_resolved', 'test', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:6', 'ok'),
 (7, '2026-11-21T13:00:00Z', 'invoice-triage', 'C-7', NULL, 'agent', 'closed', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:7', 'ok'),
 (8, '2026-11-21T14:00:00Z', 'invoice-triage', 'C-8', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, -3, 0.05, 'in:8', 'ok'),
 (9, '2026-11-21T15:00:00Z', NULL, 'C-9', NULL, 'agent', 'auto_resolved', 'live', 0.99, 100, 'm-1', NULL, NULL, 0, 5, 0.05, 'in:9', 'ok');
