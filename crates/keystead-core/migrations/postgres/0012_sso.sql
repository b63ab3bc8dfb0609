-- Single sign-on (issue 13): an organization's connections to its own identity provider, the
-- identities people proved there, the sign-in round trips in flight, and the SAML assertions
-- already used. The same tables and columns on SQLite and PostgreSQL; only the types differ.

-- A connection to an organization's identity provider. kind is 'oidc' or 'saml'. For OpenID
-- Connect: issuer, client_id, the client secret sealed with the secrets box (context
-- 'sso client secret:<id>') and scopes (space-separated); provider_cache is the discovered
-- metadata with its keys (JSON), refreshed when stale or on an unknown key id. For SAML:
-- metadata_url (when fetched, else NULL for an upload) and provider_cache is the parsed IdP
-- metadata (entity id, SSO URL, certificates). claim_mapping is JSON. trust_idp_mfa: an IdP
-- sign-in that reports a second factor (amr/acr) counts as one here. rp_logout: signing out of
-- Keystead also offers to end the session at the IdP (OIDC RP-initiated logout).
CREATE TABLE sso_connections (
    id UUID PRIMARY KEY NOT NULL,
    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    enabled BOOLEAN NOT NULL,
    issuer TEXT,
    client_id TEXT,
    client_secret_sealed BYTEA,
    scopes TEXT,
    metadata_url TEXT,
    provider_cache TEXT NOT NULL,
    provider_cached_at TIMESTAMPTZ NOT NULL,
    claim_mapping TEXT NOT NULL,
    trust_idp_mfa BOOLEAN NOT NULL,
    rp_logout BOOLEAN NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    UNIQUE (organization_id, name)
);
CREATE INDEX sso_connections_enabled ON sso_connections (organization_id, created_at) WHERE enabled;

-- A person's identity at a provider, linked to their account: (issuer, subject) is who they are
-- there, whatever their email becomes. connection_id is NULL for the deployment's social
-- sign-in presets (provider names which one: 'google', 'microsoft', 'github'); for a connection
-- it is 'sso'. email is the last address the provider asserted.
CREATE TABLE federated_identities (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    connection_id UUID REFERENCES sso_connections (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    issuer TEXT NOT NULL,
    subject TEXT NOT NULL,
    email TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    last_used_at TIMESTAMPTZ NOT NULL,
    UNIQUE (issuer, subject)
);
CREATE INDEX federated_identities_user ON federated_identities (user_id);

-- A sign-in round trip to a provider, from the redirect to the callback (10 minutes, used
-- once). state_hash is the SHA-256 of the state (OIDC `state`, SAML `RelayState`); the browser
-- also carries the state in a cookie, so a callback started by someone else is refused.
-- provider is 'sso' (connection_id set) or a social preset. saml_request_id is the
-- AuthnRequest's ID the response must answer (InResponseTo).
CREATE TABLE sso_states (
    state_hash BYTEA PRIMARY KEY NOT NULL,
    connection_id UUID REFERENCES sso_connections (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    nonce TEXT,
    pkce_verifier TEXT,
    saml_request_id TEXT,
    return_to TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX sso_states_expiry ON sso_states (expires_at);

-- SAML assertions already accepted, kept until they expire so that one cannot be replayed.
CREATE TABLE saml_seen_assertions (
    issuer TEXT NOT NULL,
    assertion_id TEXT NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (issuer, assertion_id)
);
CREATE INDEX saml_seen_assertions_expiry ON saml_seen_assertions (expires_at);

-- Which provider a session came through, and what ending the session there needs (the ID
-- token as id_token_hint, or the SAML SessionIndex).
CREATE TABLE sso_sessions (
    session_id UUID PRIMARY KEY NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
    connection_id UUID REFERENCES sso_connections (id) ON DELETE CASCADE,
    provider TEXT NOT NULL,
    logout_hint TEXT
);

-- "Members must sign in through SSO": password sign-in, reset and change are refused for them.
ALTER TABLE organizations ADD COLUMN sso_required BOOLEAN NOT NULL DEFAULT FALSE;
