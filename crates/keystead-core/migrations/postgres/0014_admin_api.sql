-- The admin API's user directory and idempotent creates (issue 14).
--
-- name_lookup is the full name ("given family"), lowercased by Keystead (Unicode, the same on
-- both databases) whenever a name is written, for the name filter; existing rows are filled here
-- by the database's lower().
ALTER TABLE users ADD COLUMN name_lookup TEXT;
-- Who closed a closing account: 'owner' (may reactivate it by signing in during the grace
-- period) or 'operator' (the admin API's delete: may not); NULL before this column existed.
ALTER TABLE users ADD COLUMN closed_by TEXT;
UPDATE users SET name_lookup = lower(trim(coalesce(given_name, '') || ' ' || coalesce(family_name, '')))
    WHERE given_name IS NOT NULL OR family_name IS NOT NULL;
-- Email prefix search and the directory's order compare email_lookup byte-wise (COLLATE "C"),
-- whatever the database's collation, so a prefix is a range and the pages follow one order.
CREATE INDEX users_email_lookup_c ON users (email_lookup COLLATE "C");
CREATE INDEX users_status_email ON users (status, email_lookup COLLATE "C");

-- What an Idempotency-Key on an admin API create answered: the same key from the same token
-- within 24 hours gets the same response instead of a second create; request_hash is the
-- SHA-256 of method, path and body, so a key reused for another request is refused.
-- status 0 while the first request is running.
CREATE TABLE api_idempotency (
    token_id UUID NOT NULL REFERENCES api_tokens (id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash BYTEA NOT NULL,
    status INTEGER NOT NULL,
    response TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (token_id, key)
);
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);

-- The admin API's audit search filters by actor or action over time, newest first.
CREATE INDEX audit_events_actor ON audit_events (actor_user_id, occurred_at);
CREATE INDEX audit_events_action ON audit_events (action, occurred_at);
