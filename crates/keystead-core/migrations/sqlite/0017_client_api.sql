-- OAuth clients administered through the admin API, and acting as its callers (issue 14).
--
-- updated_at: when the registration last changed (its ETag); NULL until the first change.
-- api_scopes: the admin API scopes (space-separated names of the token scope catalogue) a
-- client_credentials token of this client may carry; granted by the operator, '' for none.
-- previous_secret_hash / previous_secret_expires_at: after a secret rotation that keeps the old
-- secret for a while, its SHA-256 and when it stops working.
ALTER TABLE oauth_clients ADD COLUMN updated_at TEXT;
ALTER TABLE oauth_clients ADD COLUMN api_scopes TEXT NOT NULL DEFAULT '';
ALTER TABLE oauth_clients ADD COLUMN previous_secret_hash BLOB;
ALTER TABLE oauth_clients ADD COLUMN previous_secret_expires_at TEXT;

-- An idempotency key now belongs to the caller: a personal access token or an OAuth client
-- (caller_id is the token's id or the client's row id). The rows live 24 hours and are purged
-- by age, so they no longer need to cascade from api_tokens. SQLite cannot drop a foreign key:
-- the table is rebuilt with its rows.
CREATE TABLE api_idempotency_new (
    caller_id BLOB NOT NULL,
    key TEXT NOT NULL,
    request_hash BLOB NOT NULL,
    status INTEGER NOT NULL,
    response TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (caller_id, key)
);
INSERT INTO api_idempotency_new (caller_id, key, request_hash, status, response, created_at)
    SELECT token_id, key, request_hash, status, response, created_at FROM api_idempotency;
DROP TABLE api_idempotency;
ALTER TABLE api_idempotency_new RENAME TO api_idempotency;
CREATE INDEX api_idempotency_created ON api_idempotency (created_at);

-- My Account's Developer section lists the tokens a user made (and deleting a user cascades).
CREATE INDEX api_tokens_created_by ON api_tokens (created_by, created_at);
