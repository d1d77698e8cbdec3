-- raw
CREATE TABLE decisions (id INTEGER PRIMARY KEY, ts TEXT, system TEXT,
    actor TEXT);
