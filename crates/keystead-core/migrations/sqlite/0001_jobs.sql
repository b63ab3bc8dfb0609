-- Queued work: every email (queue 'mail') and, later, webhook or task to run once. A feature
-- inserts its row in the same transaction as the change that causes it (the outbox pattern),
-- so nothing is sent for a change that rolled back and nothing is lost for one that committed.
CREATE TABLE jobs (
    id BLOB PRIMARY KEY NOT NULL,
    queue TEXT NOT NULL,
    payload TEXT NOT NULL,
    -- pending → done, or dead after max_attempts failures
    status TEXT NOT NULL CHECK (status IN ('pending', 'done', 'dead')),
    attempts INTEGER NOT NULL DEFAULT 0,
    max_attempts INTEGER NOT NULL,
    run_at TEXT NOT NULL,
    -- A node that claims a job owns it until lease_until; after that another node may retry it
    -- (so a process killed mid-delivery loses nothing).
    lease_owner TEXT,
    lease_until TEXT,
    last_error TEXT,
    created_at TEXT NOT NULL,
    finished_at TEXT
);
CREATE INDEX jobs_due ON jobs (queue, status, run_at);
CREATE INDEX jobs_finished ON jobs (status, finished_at);

-- Periodic jobs (clean-ups, purges, key rotation): one row each, claimed with a lease so that
-- with many nodes each run happens on exactly one of them.
CREATE TABLE periodic_jobs (
    name TEXT PRIMARY KEY NOT NULL,
    next_run_at TEXT NOT NULL,
    lease_owner TEXT,
    lease_until TEXT,
    last_started_at TEXT,
    last_finished_at TEXT,
    last_error TEXT
);
