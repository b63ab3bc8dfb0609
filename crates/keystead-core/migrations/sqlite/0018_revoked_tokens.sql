-- Access tokens revoked one by one (issue 15): a client's own token (client_credentials) has no
-- grant to revoke, so its `jti` is remembered until the token would have expired anyway, and
-- this server's endpoints refuse it (RFC 7009 §2: revocation ends the token at this server).
CREATE TABLE oauth_revoked_tokens (
    jti TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL
);
CREATE INDEX oauth_revoked_tokens_expires ON oauth_revoked_tokens (expires_at);
