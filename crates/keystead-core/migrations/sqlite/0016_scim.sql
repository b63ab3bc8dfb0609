-- SCIM 2.0 provisioning (issue 14). A SCIM user is an account an organization's directory
-- provisioned or matched: user_name is the directory's login name (unique per organization,
-- compared case-insensitively through user_name_lookup), document the resource as the directory
-- last wrote it (normalised JSON, without id, meta and groups). active false means the
-- membership is suspended: the membership row is gone (so no access anywhere), its role and
-- groups kept here (suspended_role, suspended_groups: space-separated group ids) for
-- reactivation. managed is true when the organization owns the account's address (a verified
-- domain) or created it: only then does the directory change the account's name and address.
CREATE TABLE scim_users (
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    user_name TEXT NOT NULL,
    user_name_lookup TEXT NOT NULL,
    external_id TEXT,
    active BOOLEAN NOT NULL,
    document TEXT NOT NULL,
    managed BOOLEAN NOT NULL,
    suspended_role TEXT,
    suspended_groups TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id),
    UNIQUE (organization_id, user_name_lookup)
);
CREATE INDEX scim_users_external ON scim_users (organization_id, external_id);
CREATE INDEX scim_users_user ON scim_users (user_id);

-- A group an organization's directory provisioned or adopted (by display name).
CREATE TABLE scim_groups (
    group_id BLOB PRIMARY KEY NOT NULL REFERENCES organization_groups (id) ON DELETE CASCADE,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    external_id TEXT,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX scim_groups_organization ON scim_groups (organization_id, created_at);
