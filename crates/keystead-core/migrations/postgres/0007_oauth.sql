-- OAuth 2.0 / OpenID Connect provider (issue 6).

-- Keys that sign ID tokens, access tokens and logout tokens. private_key is the PKCS#8 DER,
-- sealed with the secrets box under the context 'oauth signing key:<kid>'. A key is published
-- (JWKS) from created_at, signs from active_from until retired_at, and leaves the JWKS at
-- expires_at, once every token it signed has expired.
CREATE TABLE oauth_signing_keys (
    id UUID PRIMARY KEY NOT NULL,
    kid TEXT NOT NULL UNIQUE,
    alg TEXT NOT NULL,
    private_key BYTEA NOT NULL,
    public_jwk TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    active_from TIMESTAMPTZ NOT NULL,
    retired_at TIMESTAMPTZ,
    expires_at TIMESTAMPTZ
);
CREATE INDEX oauth_signing_keys_alg ON oauth_signing_keys (alg, active_from);

-- Registered applications. Lists (redirect URIs, grant types) are space-separated: none of
-- their values may contain a space. secret_hash is the SHA-256 of a 256-bit random secret.
CREATE TABLE oauth_clients (
    id UUID PRIMARY KEY NOT NULL,
    client_id TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    secret_hash BYTEA,
    first_party BOOLEAN NOT NULL,
    redirect_uris TEXT NOT NULL,
    post_logout_redirect_uris TEXT NOT NULL,
    grant_types TEXT NOT NULL,
    backchannel_logout_uri TEXT,
    id_token_alg TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL
);

-- What a user allowed an application to see (the union of the scope sets accepted).
CREATE TABLE oauth_consents (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    client_id UUID NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    granted_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, client_id)
);

-- One authorization of a user for a client: the family of refresh tokens (and the access
-- tokens, which carry its id) issued from one code or device approval. Revoking it ends them
-- all. session_id is the browser session it came from (the `sid` claim; no foreign key: the
-- grant outlives the session).
CREATE TABLE oauth_grants (
    id UUID PRIMARY KEY NOT NULL,
    client_id UUID NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id UUID,
    scope TEXT NOT NULL,
    nonce TEXT,
    auth_time TIMESTAMPTZ NOT NULL,
    amr TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX oauth_grants_user ON oauth_grants (user_id, client_id);
CREATE INDEX oauth_grants_session ON oauth_grants (session_id);

-- Authorization codes (RFC 6749 §4.1.2): SHA-256 only, single use, 60 s. grant_id is set by the
-- exchange, so that a replayed code can revoke what it produced.
CREATE TABLE oauth_codes (
    id UUID PRIMARY KEY NOT NULL,
    code_hash BYTEA NOT NULL UNIQUE,
    client_id UUID NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    session_id UUID,
    redirect_uri TEXT NOT NULL,
    scope TEXT NOT NULL,
    nonce TEXT,
    code_challenge TEXT,
    auth_time TIMESTAMPTZ NOT NULL,
    amr TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ,
    grant_id UUID
);

-- Refresh tokens: SHA-256 only; rotated on each use. A used token presented again is a replay
-- and revokes its whole grant (RFC 9700 §4.14.2).
CREATE TABLE oauth_refresh_tokens (
    id UUID PRIMARY KEY NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    grant_id UUID NOT NULL REFERENCES oauth_grants (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    used_at TIMESTAMPTZ
);
CREATE INDEX oauth_refresh_tokens_grant ON oauth_refresh_tokens (grant_id);

-- Device authorization requests (RFC 8628). status: pending | approved | denied | used.
CREATE TABLE oauth_device_codes (
    id UUID PRIMARY KEY NOT NULL,
    device_code_hash BYTEA NOT NULL UNIQUE,
    user_code TEXT NOT NULL UNIQUE,
    client_id UUID NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    scope TEXT NOT NULL,
    status TEXT NOT NULL,
    interval_secs BIGINT NOT NULL,
    last_polled_at TIMESTAMPTZ,
    user_id UUID REFERENCES users (id) ON DELETE CASCADE,
    session_id UUID,
    auth_time TIMESTAMPTZ,
    amr TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
