-- Licensing in use (issue 12): what users do with the licenses they hold — the extensions they
-- picked in the chooser, the machines their desktop apps activated, and each product's
-- briefcase (a small settings store apps read and write).
-- The same tables and columns on SQLite and PostgreSQL; only the types differ.

-- An extension a user selected in the extension chooser. Kept while the product exists; what
-- the user may still use is decided when it is read (the licenses they hold then), so a lost
-- license hides a selection without deleting it.
CREATE TABLE extension_selections (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    selected_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, product_id)
);

-- A machine a user's desktop app activated for a product (offline license tokens are bound to
-- it). fingerprint is the SHA-256 (hex) of what the app sent, never the raw value. A plan's
-- max_machines limits the rows per (user, product).
CREATE TABLE machine_activations (
    id UUID PRIMARY KEY NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    fingerprint TEXT NOT NULL,
    name TEXT NOT NULL,
    activated_at TIMESTAMPTZ NOT NULL,
    last_seen_at TIMESTAMPTZ NOT NULL,
    UNIQUE (user_id, product_id, fingerprint)
);

-- A product's briefcase for a user: a JSON document apps store settings in. version is the
-- ETag: every write bumps it, and a write with If-Match of an older version is refused.
CREATE TABLE briefcases (
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    product_id UUID NOT NULL REFERENCES products (id) ON DELETE CASCADE,
    body TEXT NOT NULL,
    size_bytes BIGINT NOT NULL,
    version BIGINT NOT NULL,
    updated_at TIMESTAMPTZ NOT NULL,
    PRIMARY KEY (user_id, product_id)
);
