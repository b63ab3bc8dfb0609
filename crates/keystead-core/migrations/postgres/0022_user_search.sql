-- Issue 17: the console's user search, fast with a million accounts (p50 < 10 ms). Every kind of
-- search is a range on an index read in order, so a page of 50 stops after about 50 index entries
-- instead of scanning the table.

-- Names are found by word prefix, not "contains" (a LIKE '%x%' reads every row): for each account
-- with a name, its name_lookup from the start of each word (after a space or a hyphen), cut at
-- 100 characters. "anna maria schmidt-weber" is found by "anna", "maria sch", "schmidt" or "weber".
-- Keystead writes the keys whenever it writes name_lookup (store::user_directory); names saved
-- before this migration are split here the same way. Keys compare byte-wise (COLLATE "C") so that
-- a prefix is a range whatever the database's collation, as email_lookup does (0014).
CREATE TABLE user_name_keys (
    key TEXT COLLATE "C" NOT NULL,
    user_id UUID NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    PRIMARY KEY (key, user_id)
);
CREATE INDEX user_name_keys_user ON user_name_keys (user_id, key);
INSERT INTO user_name_keys (key, user_id)
WITH RECURSIVE pieces (user_id, rest) AS (
    SELECT id, name_lookup FROM users WHERE name_lookup IS NOT NULL AND name_lookup <> ''
    UNION ALL
    SELECT user_id, substr(rest, CASE
        WHEN strpos(rest, ' ') = 0 THEN strpos(rest, '-')
        WHEN strpos(rest, '-') = 0 THEN strpos(rest, ' ')
        ELSE least(strpos(rest, ' '), strpos(rest, '-')) END + 1)
    FROM pieces
    WHERE strpos(rest, ' ') > 0 OR strpos(rest, '-') > 0
)
SELECT DISTINCT substr(rest, 1, 100), user_id FROM pieces WHERE rest <> '' AND substr(rest, 1, 1) NOT IN (' ', '-')
ON CONFLICT DO NOTHING;

-- Whether the account has a second factor (a confirmed authenticator app, email codes or a
-- passkey), for the MFA filter: kept by the trigger below on every write to those tables,
-- whatever writes them (enrolment, an operator's reset, the purge, a cascade).
ALTER TABLE users ADD COLUMN mfa_enabled BOOLEAN NOT NULL DEFAULT FALSE;
UPDATE users SET mfa_enabled = TRUE
    WHERE EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
       OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
       OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id);
CREATE FUNCTION users_mfa_enabled_refresh() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed UUID[];
BEGIN
    IF TG_OP = 'INSERT' THEN
        changed := ARRAY[NEW.user_id];
    ELSIF TG_OP = 'UPDATE' THEN
        changed := ARRAY[OLD.user_id, NEW.user_id];
    ELSE
        changed := ARRAY[OLD.user_id];
    END IF;
    UPDATE users SET mfa_enabled = (
        EXISTS (SELECT 1 FROM totp_credentials t WHERE t.user_id = users.id AND t.confirmed_at IS NOT NULL)
        OR EXISTS (SELECT 1 FROM mfa_email e WHERE e.user_id = users.id)
        OR EXISTS (SELECT 1 FROM passkeys p WHERE p.user_id = users.id))
    WHERE id = ANY (changed);
    RETURN NULL;
END
$$;
CREATE TRIGGER totp_credentials_mfa AFTER INSERT OR DELETE OR UPDATE OF confirmed_at, user_id ON totp_credentials
    FOR EACH ROW EXECUTE FUNCTION users_mfa_enabled_refresh();
CREATE TRIGGER mfa_email_mfa AFTER INSERT OR DELETE ON mfa_email
    FOR EACH ROW EXECUTE FUNCTION users_mfa_enabled_refresh();
CREATE TRIGGER passkeys_mfa AFTER INSERT OR DELETE ON passkeys
    FOR EACH ROW EXECUTE FUNCTION users_mfa_enabled_refresh();

-- The filters read in the list's orders: by address ((status, email_lookup) exists since 0014)
-- and newest or oldest first (by id: ids are UUIDv7, ordered by their creation time).
CREATE INDEX users_mfa_email ON users (mfa_enabled, email_lookup COLLATE "C");
CREATE INDEX users_status_id ON users (status, id);
CREATE INDEX users_mfa_id ON users (mfa_enabled, id);
