-- Writes the Parquet files under hive_parquet/ (run from the repository
-- root with build/basalt after creating the directories): each file holds
-- the rows of its partition, without the partition columns.
COPY (SELECT i AS id, i * 10 AS amount FROM range(1, 4) t(i)) TO 'tests/sql/files/data/hive_parquet/region=eu/year=2023/data.parquet' (FORMAT parquet);
COPY (SELECT i AS id, i * 10 AS amount FROM range(4, 6) t(i)) TO 'tests/sql/files/data/hive_parquet/region=eu/year=2024/data.parquet' (FORMAT parquet);
COPY (SELECT i AS id, i * 10 AS amount FROM range(6, 10) t(i)) TO 'tests/sql/files/data/hive_parquet/region=us/year=2024/data.parquet' (FORMAT parquet);
