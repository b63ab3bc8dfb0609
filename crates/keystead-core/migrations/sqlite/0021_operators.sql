-- Issue 17: operators of the deployment, who use the admin console under /admin. A role held by
-- an account (granted on the command line with `keystead admin operator grant`, or by another
-- operator); granted_by NULL means the command line. The console also needs a second factor.
CREATE TABLE operators (
    user_id BLOB PRIMARY KEY NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    granted_at TEXT NOT NULL,
    granted_by BLOB REFERENCES users (id) ON DELETE SET NULL
);
