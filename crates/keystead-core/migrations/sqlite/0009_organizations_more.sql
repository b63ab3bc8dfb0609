-- Organizations, the rest of issue 7: DNS proof of email domains, logos, the organization a new
-- session starts in.

-- When the user last chose this organization in My Account ("Log in"): a new session starts in
-- the most recently chosen one. Leaving the organization forgets it with the row.
ALTER TABLE organization_members ADD COLUMN last_active_at TEXT;

-- The logo (the 128 px image in `logo`): its type and its version (a digest, the ETag and the
-- cache-busting version in its URL).
ALTER TABLE organizations ADD COLUMN logo_content_type TEXT;
ALTER TABLE organizations ADD COLUMN logo_etag TEXT;

-- Domains: while pending, any number of organizations may claim a domain (so nobody can block
-- another by claiming it first); once verified it belongs to exactly one. SQLite cannot drop a
-- column's UNIQUE, so the table is rebuilt. checked_at / check_message keep the last DNS check's
-- outcome for the settings page.
CREATE TABLE organization_domains_new (
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    domain TEXT NOT NULL,
    verification_token TEXT NOT NULL,
    verified_at TEXT,
    created_at TEXT NOT NULL,
    checked_at TEXT,
    check_message TEXT,
    PRIMARY KEY (organization_id, domain)
);
INSERT INTO organization_domains_new (organization_id, domain, verification_token, verified_at, created_at)
    SELECT organization_id, domain, verification_token, verified_at, created_at FROM organization_domains;
DROP TABLE organization_domains;
ALTER TABLE organization_domains_new RENAME TO organization_domains;
CREATE UNIQUE INDEX organization_domains_verified ON organization_domains (domain) WHERE verified_at IS NOT NULL;
-- The periodic re-check reads pending domains by age.
CREATE INDEX organization_domains_pending ON organization_domains (created_at) WHERE verified_at IS NULL;
