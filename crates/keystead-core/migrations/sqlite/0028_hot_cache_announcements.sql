-- PostgreSQL announces changes to the rows its nodes cache (store/hot). SQLite has one process
-- and no cache, so nothing to do; the migration keeps both numbered alike.
SELECT 1;
