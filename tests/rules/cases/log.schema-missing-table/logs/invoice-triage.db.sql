-- raw
CREATE TABLE other (x);
