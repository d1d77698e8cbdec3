-- raw
CREATE TABLE decisions (id INTEGER PRIMARY KEY, ts TEXT, system TEXT,
  case_ref TEXT, exception TEXT, actor TEXT, action TEXT, mode TEXT,
  confidence REAL, amount REAL, model_version TEXT, reviewer TEXT,
  human_action TEXT, corrected INTEGER, cycle_seconds REAL, cost REAL,
  input_ref TEXT, rationale TEXT) WITHOUT ROWID;
