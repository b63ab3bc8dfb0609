-- Second factors (issue 5). Each method has its own table; a user "has MFA" when any of them
-- holds an enabled row. Nothing here is readable as a credential: the TOTP secret is sealed
-- with the master key (AES-256-GCM bound to the user), codes are stored as keyed digests.

-- The authenticator app (RFC 6238). confirmed_at is NULL while the user has not yet proved
-- the app with a code (setup in progress). last_step is the last time step accepted, so a
-- code cannot be used twice (RFC 6238 §5.2).
CREATE TABLE totp_credentials (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    secret_sealed BYTEA NOT NULL,
    confirmed_at TIMESTAMPTZ,
    last_step BIGINT,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);

-- Email codes as a second factor: a row means enabled.
CREATE TABLE mfa_email (
    user_id UUID PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    enabled_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);

-- Single-use recovery codes: a new set replaces the old one.
CREATE TABLE recovery_codes (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    code_hash BYTEA NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX recovery_codes_user ON recovery_codes (user_id);

-- Passkeys (WebAuthn credentials); passkey holds webauthn-rs's serialised credential (public
-- key, counter, flags). credential_id is unique across users.
CREATE TABLE passkeys (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    credential_id BYTEA NOT NULL UNIQUE,
    name TEXT NOT NULL,
    passkey JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ
);
CREATE INDEX passkeys_user ON passkeys (user_id);

-- WebAuthn ceremonies in progress, so that any node can finish what another started. Each is
-- used once (deleted when finished) and expires after a few minutes.
CREATE TABLE webauthn_ceremonies (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID REFERENCES users (id) ON DELETE CASCADE,
    session_id UUID,
    purpose TEXT NOT NULL,
    state JSONB NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX webauthn_ceremonies_expiry ON webauthn_ceremonies (expires_at);
