-- Webhooks (issue 14): endpoints of the deployment (organization_id NULL, operators) or of one
-- organization, each with the event types it wants ('*' for all) and its signing secret sealed
-- with the master key. During a rotation the previous secret keeps signing too until
-- previous_secret_until. failing_since is when deliveries to it began to fail without a
-- success since; after webhooks.disable_after_days of that, it is disabled and its owner told.
CREATE TABLE webhook_endpoints (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB REFERENCES organizations (id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    description TEXT NOT NULL,
    events TEXT NOT NULL,
    secret BLOB NOT NULL,
    previous_secret BLOB,
    previous_secret_until TEXT,
    enabled BOOLEAN NOT NULL,
    disabled_reason TEXT,
    failing_since TEXT,
    created_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX webhook_endpoints_enabled ON webhook_endpoints (enabled, organization_id);

-- One event for one endpoint: the delivery log. The event's id is the webhook-id every attempt
-- (and a resend) carries, so receivers can drop repeats; payload is the exact body signed.
-- status: pending (queued or retrying), delivered, failed (gave up).
CREATE TABLE webhook_deliveries (
    id BLOB PRIMARY KEY NOT NULL,
    endpoint_id BLOB NOT NULL REFERENCES webhook_endpoints (id) ON DELETE CASCADE,
    event_id TEXT NOT NULL,
    event_type TEXT NOT NULL,
    payload TEXT NOT NULL,
    status TEXT NOT NULL,
    attempts INTEGER NOT NULL,
    response_status INTEGER,
    last_error TEXT,
    duration_ms INTEGER,
    created_at TEXT NOT NULL,
    last_attempt_at TEXT,
    delivered_at TEXT
);
CREATE INDEX webhook_deliveries_endpoint ON webhook_deliveries (endpoint_id, created_at);
