-- Organizations, the rest of issue 7: DNS proof of email domains, logos, the organization a new
-- session starts in.

-- When the user last chose this organization in My Account ("Log in"): a new session starts in
-- the most recently chosen one. Leaving the organization forgets it with the row.
ALTER TABLE organization_members ADD COLUMN last_active_at TIMESTAMPTZ;

-- The logo (the 128 px image in `logo`): its type and its version (a digest, the ETag and the
-- cache-busting version in its URL).
ALTER TABLE organizations ADD COLUMN logo_content_type TEXT;
ALTER TABLE organizations ADD COLUMN logo_etag TEXT;

-- Domains: while pending, any number of organizations may claim a domain (so nobody can block
-- another by claiming it first); once verified it belongs to exactly one. checked_at /
-- check_message keep the last DNS check's outcome for the settings page.
ALTER TABLE organization_domains DROP CONSTRAINT organization_domains_domain_key;
ALTER TABLE organization_domains ADD COLUMN checked_at TIMESTAMPTZ;
ALTER TABLE organization_domains ADD COLUMN check_message TEXT;
CREATE UNIQUE INDEX organization_domains_verified ON organization_domains (domain) WHERE verified_at IS NOT NULL;
-- The periodic re-check reads pending domains by age.
CREATE INDEX organization_domains_pending ON organization_domains (created_at) WHERE verified_at IS NULL;
