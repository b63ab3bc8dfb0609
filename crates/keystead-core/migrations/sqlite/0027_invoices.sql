-- Issue 18: invoices pushed by the billing system (admin API or CLI), shown to whoever holds
-- invoices:read in the owning organization (or to the user, for a personal invoice), as an HTML
-- page and a PDF. An invoice belongs to exactly one organization or one user. Amounts are
-- integers in the currency's minor unit; the totals are computed by Keystead from the lines.
-- billing_address is the buyer's address as it was when the invoice was issued (JSON), seller the
-- deployment's seller details at that time (JSON): later changes alter no issued invoice.
-- document_hash identifies the pushed document (without its status): the same number pushed
-- again with the same document is the same invoice; with another document it is refused.
CREATE TABLE invoices (
    id BLOB PRIMARY KEY,
    number TEXT NOT NULL,
    organization_id BLOB REFERENCES organizations (id) ON DELETE CASCADE,
    user_id BLOB REFERENCES users (id) ON DELETE CASCADE,
    issued_on TEXT NOT NULL,
    due_on TEXT NOT NULL,
    currency TEXT NOT NULL,
    status TEXT NOT NULL,
    credit_note_of BLOB REFERENCES invoices (id),
    language TEXT NOT NULL,
    billing_address TEXT NOT NULL,
    seller TEXT NOT NULL,
    net_minor BIGINT NOT NULL,
    tax_minor BIGINT NOT NULL,
    total_minor BIGINT NOT NULL,
    document_hash TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    CHECK ((organization_id IS NULL) <> (user_id IS NULL))
);
-- Numbers are unique in the deployment.
CREATE UNIQUE INDEX invoices_number ON invoices (number);
-- An organization's and a user's invoices, newest first.
CREATE INDEX invoices_org_issued ON invoices (organization_id, issued_on, number);
CREATE INDEX invoices_user_issued ON invoices (user_id, issued_on, number);

CREATE TABLE invoice_lines (
    invoice_id BLOB NOT NULL REFERENCES invoices (id) ON DELETE CASCADE,
    position INTEGER NOT NULL,
    description TEXT NOT NULL,
    quantity BIGINT NOT NULL,
    unit_price_minor BIGINT NOT NULL,
    -- The tax rate in hundredths of a percent (19 % = 1900, 7.7 % = 770).
    tax_rate_bp INTEGER NOT NULL,
    net_minor BIGINT NOT NULL,
    tax_minor BIGINT NOT NULL,
    PRIMARY KEY (invoice_id, position)
);

-- Each invoice's PDF once drawn, until its status changes or it is anonymised; layout is the
-- drawing code's version (a new layout draws again).
CREATE TABLE invoice_pdfs (
    invoice_id BLOB PRIMARY KEY REFERENCES invoices (id) ON DELETE CASCADE,
    layout INTEGER NOT NULL,
    pdf BLOB NOT NULL,
    rendered_at TEXT NOT NULL
);
