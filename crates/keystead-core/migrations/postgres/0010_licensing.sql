-- Licensing (issue 12): the deployment's catalogue (products, downloads, plans and what a plan
-- grants), organizations' subscriptions to plans, and the seats license admins assign.
-- The same tables and columns as the PostgreSQL migration; only the types differ.

-- A product: an edition of a desktop app, a web app, an extension or a bundle. `key` is the
-- stable code apps and the CLI use. catalogue_group ('manufacturer' | 'utility') groups extensions in
-- the chooser; launch_url is a desktop app's "Start" link (a custom scheme such as cet://start).
CREATE TABLE products (
    id UUID PRIMARY KEY NOT NULL,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    kind TEXT NOT NULL,
    description TEXT NOT NULL,
    catalogue_group TEXT NOT NULL,
    launch_url TEXT,
    icon_url TEXT,
    learn_more_url TEXT,
    created_at TIMESTAMPTZ NOT NULL
);

-- A file the operator uploaded (file_path, relative to the downloads directory, with its size
-- and SHA-256 taken while it was copied) or an external URL: exactly one of the two.
CREATE TABLE downloads (
    id UUID PRIMARY KEY NOT NULL,
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    version TEXT NOT NULL,
    platform TEXT NOT NULL,
    file_path TEXT,
    file_name TEXT,
    url TEXT,
    size_bytes BIGINT,
    sha256 TEXT,
    released_at TIMESTAMPTZ NOT NULL,
    notes_url TEXT,
    created_at TIMESTAMPTZ NOT NULL,
    CHECK ((file_path IS NULL) <> (url IS NULL))
);
CREATE INDEX downloads_product ON downloads (product_id, released_at);

-- An edition of a product that organizations subscribe to. The key is unique across the
-- deployment (not per product), so `--plan KEY` and the plan keys in tokens name one plan.
-- landing: 'extension_chooser' | 'downloads' | 'external_app' (landing_url) | 'none'.
CREATE TABLE plans (
    id UUID PRIMARY KEY NOT NULL,
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    key TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    landing TEXT NOT NULL,
    landing_url TEXT,
    max_machines INTEGER,
    created_at TIMESTAMPTZ NOT NULL
);
CREATE INDEX plans_product ON plans (product_id);

-- What a license of a plan grants: entitlement codes apps check, extensions, downloads.
CREATE TABLE plan_entitlements (
    plan_id UUID NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    PRIMARY KEY (plan_id, code)
);
CREATE TABLE plan_extensions (
    plan_id UUID NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, product_id)
);
CREATE TABLE plan_downloads (
    plan_id UUID NOT NULL REFERENCES plans (id) ON DELETE CASCADE,
    download_id UUID NOT NULL REFERENCES downloads (id) ON DELETE CASCADE,
    PRIMARY KEY (plan_id, download_id)
);
-- "Which plans unlock this download" (download authorization).
CREATE INDEX plan_downloads_download ON plan_downloads (download_id);

-- An organization's subscription to a plan. It grants from starts_at until ends_at (NULL: open
-- ended) unless ended_at is set (ended early by the operator or billing system).
-- seat_changes is bumped by every seat assignment and seat-count change before it counts the
-- seats: that UPDATE takes the row's lock on PostgreSQL, so two assignments of the last seat are
-- serialised and the second one sees the first (SQLite writers are serialised anyway).
CREATE TABLE subscriptions (
    id UUID PRIMARY KEY NOT NULL,
    organization_id UUID NOT NULL REFERENCES organizations (id) ON DELETE CASCADE,
    plan_id UUID NOT NULL REFERENCES plans (id),
    seats INTEGER NOT NULL CHECK (seats >= 0),
    seat_changes BIGINT NOT NULL DEFAULT 0,
    starts_at TIMESTAMPTZ NOT NULL,
    ends_at TIMESTAMPTZ,
    ended_at TIMESTAMPTZ,
    created_at TIMESTAMPTZ NOT NULL,
    -- the target of the seats' composite key: a seat's organization is its subscription's
    UNIQUE (id, organization_id)
);
CREATE INDEX subscriptions_org ON subscriptions (organization_id, plan_id);

-- A seat: one member holding a license of a subscription. The composite key to the membership
-- ends the seat with the membership (leaving, removal, purge, the organization's deletion) at the
-- data level, so the organizations feature never calls into licensing. A user holds at most one
-- seat per subscription.
CREATE TABLE seats (
    subscription_id UUID NOT NULL,
    organization_id UUID NOT NULL,
    user_id UUID NOT NULL,
    assigned_at TIMESTAMPTZ NOT NULL,
    assigned_by UUID REFERENCES users (id) ON DELETE SET NULL,
    PRIMARY KEY (subscription_id, user_id),
    FOREIGN KEY (subscription_id, organization_id) REFERENCES subscriptions (id, organization_id) ON DELETE CASCADE,
    FOREIGN KEY (organization_id, user_id) REFERENCES organization_members (organization_id, user_id) ON DELETE CASCADE
);
-- "My licenses" and the membership cascade.
CREATE INDEX seats_user ON seats (user_id);
CREATE INDEX seats_member ON seats (organization_id, user_id);
