-- Personal access tokens for the admin API and SCIM (issue 14). The token itself is shown once
-- and only its SHA-256 is kept; prefix is its first characters, shown in lists to tell tokens
-- apart. scopes is space-separated names of the scope catalogue. organization_id NULL means a
-- deployment-wide token (operators only); otherwise the token reaches only that organization.
-- created_by is the user who made it (NULL: the operator, on the command line); a user's token
-- acts with that user's permissions, so it stops working when they lose them. expires_at NULL
-- never happens for tokens made by people (the default is 90 days); last_used_at is updated at
-- most once a minute.
CREATE TABLE api_tokens (
    id UUID PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    token_hash BYTEA NOT NULL UNIQUE,
    prefix TEXT NOT NULL,
    scopes TEXT NOT NULL,
    organization_id UUID REFERENCES organizations (id) ON DELETE CASCADE,
    created_by UUID REFERENCES users (id) ON DELETE CASCADE,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ,
    last_used_at TIMESTAMPTZ,
    revoked_at TIMESTAMPTZ
);
CREATE INDEX api_tokens_organization ON api_tokens (organization_id, created_at);
