-- Second factors (issue 5). Each method has its own table; a user "has MFA" when any of them
-- holds an enabled row. Nothing here is readable as a credential: the TOTP secret is sealed
-- with the master key (AES-256-GCM bound to the user), codes are stored as keyed digests.

-- The authenticator app (RFC 6238). confirmed_at is NULL while the user has not yet proved
-- the app with a code (setup in progress). last_step is the last time step accepted, so a
-- code cannot be used twice (RFC 6238 §5.2).
CREATE TABLE totp_credentials (
    user_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed BLOB NOT NULL,
    confirmed_at TEXT,
    last_step INTEGER,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);

-- Email codes as a second factor: a row means enabled.
CREATE TABLE mfa_email (
    user_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enabled_at TEXT NOT NULL,
    last_used_at TEXT
);

-- Single-use recovery codes: a new set replaces the old one.
CREATE TABLE recovery_codes (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BLOB NOT NULL,
    created_at TEXT NOT NULL,
    used_at TEXT
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Passkeys (WebAuthn credentials); passkey holds webauthn-rs's serialised credential (public
-- key, counter, flags). credential_id is unique across users.
CREATE TABLE passkeys (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id BLOB NOT NULL UNIQUE,
    name TEXT NOT NULL,
    passkey TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- WebAuthn ceremonies in progress, so that any node can finish what another started. Each is
-- used once (deleted when finished) and expires after a few minutes.
CREATE TABLE webauthn_ceremonies (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB REFERENCES users (id) ON DELETE CASCADE,
    session_id BLOB,
    purpose TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL
);
CREATE INDEX webauthn_ceremonies_expiry ON webauthn_ceremonies (expires_at);
