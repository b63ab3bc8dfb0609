-- Every node keeps the rows userinfo and introspection read (grants, users, clients, revoked
-- client tokens) in a cache of its own (store/hot). A change to one of them is announced on the
-- channel keystead_hot at commit, as "<kind> <key>", and every node forgets that key.
-- Triggers, not application code, so that no path that writes these tables (a cascade, an
-- operator's SQL, an older node) can leave a revoked token alive in a cache.
CREATE FUNCTION keystead_hot_changed() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    old_key TEXT;
    new_key TEXT;
BEGIN
    IF TG_OP <> 'INSERT' THEN
        old_key := to_jsonb(OLD) ->> TG_ARGV[1];
        PERFORM pg_notify('keystead_hot', TG_ARGV[0] || ' ' || old_key);
    END IF;
    IF TG_OP <> 'DELETE' THEN
        new_key := to_jsonb(NEW) ->> TG_ARGV[1];
        IF new_key IS DISTINCT FROM old_key THEN
            PERFORM pg_notify('keystead_hot', TG_ARGV[0] || ' ' || new_key);
        END IF;
    END IF;
    RETURN NULL;
END
$$;

CREATE TRIGGER oauth_grants_announce AFTER UPDATE OR DELETE ON oauth_grants
    FOR EACH ROW EXECUTE FUNCTION keystead_hot_changed('g', 'id');
CREATE TRIGGER users_announce AFTER UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION keystead_hot_changed('u', 'id');
CREATE TRIGGER oauth_clients_announce AFTER UPDATE OR DELETE ON oauth_clients
    FOR EACH ROW EXECUTE FUNCTION keystead_hot_changed('c', 'client_id');
-- A revoked client token is cached as "not revoked" until its jti is inserted here.
CREATE TRIGGER oauth_revoked_tokens_announce AFTER INSERT OR UPDATE OR DELETE ON oauth_revoked_tokens
    FOR EACH ROW EXECUTE FUNCTION keystead_hot_changed('j', 'jti');
