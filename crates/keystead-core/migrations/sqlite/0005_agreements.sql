-- Versioned documents users accept (terms, privacy policy, data-processing agreement). A
-- version is never edited: a change is a new version. The body is Markdown, rendered safely.
CREATE TABLE agreements (
    id BLOB PRIMARY KEY NOT NULL,
    key TEXT NOT NULL,
    version INTEGER NOT NULL,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    required BOOLEAN NOT NULL,
    published_at TEXT NOT NULL,
    UNIQUE (key, version)
);

-- Who accepted which version, when and from where. Kept with the user until the account is
-- deleted; an agreement version with acceptances is never deleted.
CREATE TABLE agreement_acceptances (
    id BLOB PRIMARY KEY NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    agreement_id BLOB NOT NULL REFERENCES agreements (id),
    accepted_at TEXT NOT NULL,
    ip TEXT,
    UNIQUE (user_id, agreement_id)
);
CREATE INDEX agreement_acceptances_agreement ON agreement_acceptances (agreement_id);
