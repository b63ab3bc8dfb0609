-- Pushed authorization requests (RFC 9126, issue 15 item 3).
--
-- require_pushed_authorization_requests (RFC 9126 §6): the client's authorization requests are
-- refused unless they name a request it pushed first.
ALTER TABLE oauth_clients ADD COLUMN require_pushed_authorization_requests BOOLEAN NOT NULL DEFAULT FALSE;

-- A pushed request: its request_uri is handed to the client once and only its SHA-256 is kept
-- (uri_hash), like codes and tokens. params: the validated authorization request as JSON.
-- expires_at: the client must send the user within expires_in (90 s); when the browser first
-- arrives (opened_at) it moves to 10 minutes later, so that signing in, a second factor and the
-- consent screen fit. used_at: the authorization ended (a code or an error went to the client);
-- the request_uri is refused from then on. Rows are purged a day after expires_at.
CREATE TABLE oauth_pushed_requests (
    id UUID PRIMARY KEY NOT NULL,
    uri_hash BYTEA NOT NULL UNIQUE,
    client_id UUID NOT NULL REFERENCES oauth_clients (id) ON DELETE CASCADE,
    params TEXT NOT NULL,
    created_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL,
    opened_at TIMESTAMPTZ,
    used_at TIMESTAMPTZ
);
CREATE INDEX oauth_pushed_requests_expires ON oauth_pushed_requests (expires_at);
