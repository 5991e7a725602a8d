-- A small sample database loaded by scripts/run.sh: a shop with customers,
-- products and orders.
CREATE TABLE customers (
  id INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  country VARCHAR,
  signup_date DATE
);
INSERT INTO customers VALUES
  (1, 'Ada Lovelace', 'UK', DATE '2021-03-14'),
  (2, 'Grace Hopper', 'US', DATE '2020-12-09'),
  (3, 'Edsger Dijkstra', 'NL', DATE '2022-05-11'),
  (4, 'Barbara Liskov', 'US', DATE '2023-11-07'),
  (5, 'Donald Knuth', 'US', NULL),
  (6, 'Tony Hoare', 'UK', DATE '2021-01-11');

CREATE TABLE products (
  id INTEGER NOT NULL,
  name VARCHAR NOT NULL,
  category VARCHAR,
  price DECIMAL(10,2)
);
INSERT INTO products VALUES
  (1, 'Keyboard', 'hardware', 49.90),
  (2, 'Monitor', 'hardware', 189.00),
  (3, 'Compiler licence', 'software', 99.99),
  (4, 'Database course', 'training', 249.50),
  (5, 'Mouse', 'hardware', 19.95);

CREATE TABLE orders (
  id INTEGER NOT NULL,
  customer_id INTEGER NOT NULL,
  product_id INTEGER NOT NULL,
  quantity INTEGER,
  ordered_at TIMESTAMP
);
INSERT INTO orders VALUES
  (1, 1, 1, 2, TIMESTAMP '2024-01-05 10:15:00'),
  (2, 1, 3, 1, TIMESTAMP '2024-01-06 09:00:00'),
  (3, 2, 2, 1, TIMESTAMP '2024-02-11 16:30:00'),
  (4, 3, 4, 1, TIMESTAMP '2024-02-12 08:45:00'),
  (5, 4, 5, 3, TIMESTAMP '2024-03-01 12:00:00'),
  (6, 2, 1, 1, TIMESTAMP '2024-03-02 13:20:00'),
  (7, 5, 2, 2, TIMESTAMP '2024-03-15 18:05:00'),
  (8, 6, 3, NULL, TIMESTAMP '2024-04-01 07:30:00');
