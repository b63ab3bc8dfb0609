-- Users. email_lookup is the canonical form (lower-case, ASCII domain) that uniqueness and
-- sign-in compare; email keeps the address as the user typed its local part.
CREATE TABLE users (
    id BLOB PRIMARY KEY NOT NULL,
    email TEXT NOT NULL,
    email_lookup TEXT NOT NULL UNIQUE,
    email_verified_at TEXT,
    password_hash TEXT,
    password_changed_at TEXT,
    given_name TEXT,
    family_name TEXT,
    locale TEXT,
    time_zone TEXT,
    -- unverified | incomplete_profile | active | disabled | closing | purged
    status TEXT NOT NULL,
    purge_at TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    last_sign_in_at TEXT
);

-- Earlier password hashes, for the "no reuse of the last N" rule.
CREATE TABLE password_history (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    password_hash TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX password_history_user ON password_history (user_id, created_at);

-- Browser sessions. Only the SHA-256 of the cookie value is stored. stage is 'authenticated',
-- or a step the user must finish first (a second factor, an expired password).
CREATE TABLE sessions (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    stage TEXT NOT NULL,
    amr TEXT NOT NULL,
    auth_time TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_seen_at TEXT NOT NULL,
    idle_expires_at TEXT NOT NULL,
    absolute_expires_at TEXT NOT NULL,
    ip TEXT,
    user_agent TEXT
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expiry ON sessions (idle_expires_at);

-- Single-use tokens sent by email (verification, password reset, later invitations and email
-- changes). Only the SHA-256 is stored; email is the address the link was sent to.
CREATE TABLE email_tokens (
    id BLOB PRIMARY KEY NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    purpose TEXT NOT NULL,
    email TEXT NOT NULL,
    return_to TEXT,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX email_tokens_user ON email_tokens (user_id, purpose);

-- Attempt counters shared by every node: fixed windows per (bucket, key), with a lock for
-- progressive delays after repeated failures.
CREATE TABLE rate_limits (
    bucket TEXT NOT NULL,
    key TEXT NOT NULL,
    window_start TEXT NOT NULL,
    count INTEGER NOT NULL,
    locked_until TEXT,
    PRIMARY KEY (bucket, key)
);

-- Append-only security log: who did what to whom, when, from where.
CREATE TABLE audit_events (
    id BLOB PRIMARY KEY NOT NULL,
    occurred_at TEXT NOT NULL,
    action TEXT NOT NULL,
    actor_user_id BLOB,
    subject_user_id BLOB,
    organization_id BLOB,
    ip TEXT,
    user_agent TEXT,
    details TEXT NOT NULL
);
CREATE INDEX audit_events_subject ON audit_events (subject_user_id, occurred_at);
CREATE INDEX audit_events_time ON audit_events (occurred_at);
