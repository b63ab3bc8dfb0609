-- Access tokens revoked one by one (issue 15): a client's own token (client_credentials) has no
-- grant to revoke, so its `jti` is remembered until the token would have expired anyway, and
-- this server's endpoints refuse it (RFC 7009 §2: revocation ends the token at this server).
CREATE TABLE oauth_revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_revoked_tokens_expires ON oauth_revoked_tokens (expires_at);

-- DPoP proofs already accepted (RFC 9449 §11.1): SHA-256 of the key thumbprint and the proof's
-- jti, until the proof could no longer pass the iat window. Shared by every node.
CREATE TABLE oauth_dpop_proofs (
    proof_hash BYTEA PRIMARY KEY,
    expires_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX oauth_dpop_proofs_expires ON oauth_dpop_proofs (expires_at);

-- A public client's refresh token bound to its DPoP key (RFC 9449 §5), and a code bound to one
-- by the `dpop_jkt` authorization parameter (§10): the key's thumbprint.
ALTER TABLE oauth_refresh_tokens ADD COLUMN dpop_jkt TEXT;
ALTER TABLE oauth_codes ADD COLUMN dpop_jkt TEXT;

-- Claims asked for one by one with the `claims` request parameter (OpenID Connect Core §5.5):
-- JSON {"userinfo": [names], "id_token": [names]}, carried from the code to its grant.
ALTER TABLE oauth_codes ADD COLUMN claims TEXT;
ALTER TABLE oauth_grants ADD COLUMN claims TEXT;
