-- raw
-- A database of its own: no decisions table, which is fine here.
CREATE TABLE vendors (id INTEGER PRIMARY KEY, name TEXT, iban TEXT);
INSERT INTO vendors VALUES (1, 'Acme', 'DE02120300000000202051'),
  (2, 'Brandt', NULL);
