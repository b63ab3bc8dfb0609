-- Issue 17: the console's user search, fast with a million accounts (p50 < 10 ms). Every kind of
-- search is a range on an index read in order, so a page of 50 stops after about 50 index entries
-- instead of scanning the table.

-- Names are found by word prefix, not "contains" (a LIKE '%x%' reads every row): for each account
-- with a name, its name_lookup from the start of each word (after a space or a hyphen), cut at
-- 100 characters. "anna maria schmidt-weber" is found by "anna", "maria sch", "schmidt" or "weber".
-- Keystead writes the keys whenever it writes name_lookup (store::user_directory); names saved
-- before this migration are split here the same way. The key of the search term's range comes
-- first, so a search reads matches in key order; (user_id, key) finds and replaces a user's keys.
CREATE TABLE user_name_keys (
    key TEXT NOT NULL,
    user_id BLOB NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (key, user_id)
) WITHOUT ROWID;
CREATE INDEX user_name_keys_user ON user_name_keys (user_id, key);
INSERT OR IGNORE INTO user_name_keys (key, user_id)
WITH RECURSIVE pieces (user_id, rest) AS (
    SELECT id, name_lookup FROM users WHERE name_lookup IS NOT NULL AND name_lookup <> ''
    UNION ALL
    SELECT user_id, substr(rest, CASE
        WHEN instr(rest, ' ') = 0 THEN instr(rest, '-')
        WHEN instr(rest, '-') = 0 THEN instr(rest, ' ')
        ELSE min(instr(rest, ' '), instr(rest, '-')) END + 1)
    FROM pieces
    WHERE instr(rest, ' ') > 0 OR instr(rest, '-') > 0
)
SELECT substr(rest, 1, 100), user_id FROM pieces WHERE rest <> '' AND substr(rest, 1, 1) NOT IN (' ', '-');

-- Whether the account has a second factor (a confirmed authenticator app, email codes or a
-- passkey), for the MFA filter: kept by the triggers below on every write to those tables,
-- whatever writes them (enrolment, an operator's reset, the purge, a cascade).
ALTER TABLE users ADD COLUMN mfa_enabled INTEGER NOT NULL DEFAULT 0;
UPDATE users SET mfa_enabled = 1
    WHERE EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
       OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
       OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id);
CREATE TRIGGER totp_credentials_mfa_insert AFTER INSERT ON totp_credentials BEGIN
    UPDATE users SET mfa_enabled = (
        EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
        OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id)) WHERE id = NEW.user_id;
END;
CREATE TRIGGER totp_credentials_mfa_update AFTER UPDATE OF confirmed_at, user_id ON totp_credentials BEGIN
    UPDATE users SET mfa_enabled = (
        EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
        OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id)) WHERE id IN (OLD.user_id, NEW.user_id);
END;
CREATE TRIGGER totp_credentials_mfa_delete AFTER DELETE ON totp_credentials BEGIN
    UPDATE users SET mfa_enabled = (
        EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
        OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id)) WHERE id = OLD.user_id;
END;
CREATE TRIGGER mfa_email_mfa_insert AFTER INSERT ON mfa_email BEGIN
    UPDATE users SET mfa_enabled = 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER mfa_email_mfa_delete AFTER DELETE ON mfa_email BEGIN
    UPDATE users SET mfa_enabled = (
        EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
        OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id)) WHERE id = OLD.user_id;
END;
CREATE TRIGGER passkeys_mfa_insert AFTER INSERT ON passkeys BEGIN
    UPDATE users SET mfa_enabled = 1 WHERE id = NEW.user_id;
END;
CREATE TRIGGER passkeys_mfa_delete AFTER DELETE ON passkeys BEGIN
    UPDATE users SET mfa_enabled = (
        EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
        OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id)) WHERE id = OLD.user_id;
END;

-- The filters read in the list's orders: by address ((status, email_lookup) exists since 0014)
-- and newest or oldest first (by id: ids are UUIDv7, ordered by their creation time).
CREATE INDEX users_mfa_email ON users (mfa_enabled, email_lookup);
CREATE INDEX users_status_id ON users (status, id);
CREATE INDEX users_mfa_id ON users (mfa_enabled, id);
