-- Organizations (tenants), their members and guests, custom roles, invitations and groups.
-- Every lookup a page makes is by a primary key or one of the indexes below, so the pages cost
-- the same with 10 000 organizations as with one.

CREATE TABLE organizations (
    id BLOB PRIMARY KEY NOT NULL,
    name TEXT NOT NULL,
    -- lower-case letters, digits and '-'; unique across the deployment, used in URLs
    slug TEXT NOT NULL UNIQUE,
    logo BLOB,
    -- settings: "require MFA for members" (read by the MFA feature) and the password policy
    -- override (NULL = the deployment's value)
    require_mfa BOOLEAN NOT NULL DEFAULT FALSE,
    password_min_length INTEGER,
    password_max_length INTEGER,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);

-- Email domains of an organization. A domain is unique across the deployment; verified_at is
-- set when an operator adds it or when the DNS TXT record carrying verification_token is seen.
CREATE TABLE organization_domains (
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    domain TEXT NOT NULL UNIQUE,
    verification_token TEXT NOT NULL,
    verified_at TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, domain)
);

-- Custom roles: named sets of permissions from the fixed catalogue (comma-separated).
CREATE TABLE organization_roles (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    permissions TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organization_id, name)
);

-- Memberships. kind is 'member' or 'guest'; role is a built-in role name or a custom role's name.
CREATE TABLE organization_members (
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (organization_id, user_id)
);
-- "My organizations" (My Account, the switch, token claims).
CREATE INDEX organization_members_user ON organization_members (user_id, organization_id);
-- The last-owner check.
CREATE INDEX organization_members_role ON organization_members (organization_id, role);

-- Invitations by email. Only the SHA-256 of the link's token is stored.
CREATE TABLE organization_invitations (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    email_lookup TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT NOT NULL,
    token_hash BLOB NOT NULL UNIQUE,
    invited_by BLOB REFERENCES users (id) ON DELETE SET NULL,
    created_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    -- at most one of these is set: how the invitation ended
    accepted_at TEXT,
    declined_at TEXT,
    revoked_at TEXT
);
CREATE INDEX organization_invitations_email ON organization_invitations (email_lookup, expires_at);
CREATE INDEX organization_invitations_org ON organization_invitations (organization_id, created_at);

-- Groups. join_policy: 'open' (any member), 'permission' (holders of groups:join), 'closed'.
CREATE TABLE organization_groups (
    id BLOB PRIMARY KEY NOT NULL,
    organization_id BLOB NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    description TEXT NOT NULL,
    join_policy TEXT NOT NULL,
    created_at TEXT NOT NULL,
    UNIQUE (organization_id, name)
);

-- Group members; leaving the organization removes them from its groups (the composite key).
CREATE TABLE organization_group_members (
    group_id BLOB NOT NULL REFERENCES organization_groups (id) ON DELETE CASCADE,
    organization_id BLOB NOT NULL,
    user_id BLOB NOT NULL,
    created_at TEXT NOT NULL,
    PRIMARY KEY (group_id, user_id),
    FOREIGN KEY (organization_id, user_id) REFERENCES organization_members (organization_id, user_id) ON DELETE CASCADE
);
CREATE INDEX organization_group_members_user ON organization_group_members (organization_id, user_id);

-- The organization a session acts in (the "Log in" of My Account → Organizations).
ALTER TABLE sessions ADD COLUMN active_organization_id BLOB REFERENCES organizations (id) ON DELETE SET NULL;

-- The organization's audit trail.
CREATE INDEX audit_events_organization ON audit_events (organization_id, occurred_at);
