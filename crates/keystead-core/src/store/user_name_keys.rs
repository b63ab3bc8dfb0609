//! The `user_name_keys` table: the keys the directory finds an account's name by. For a name,
//! its lowercased form (`name_lookup`) from the start of each word — after a space or a hyphen —
//! cut at [`NAME_KEY_CHARS`] characters, so a word prefix of the name is a prefix of a key, and a
//! prefix is a range on the table's primary key. Migration 0022 splits existing names the same
//! way in SQL; [`name_keys`] is the one definition the two must agree with.

use std::collections::BTreeSet;

use super::{Db, StoreError, execute};
use crate::ids::UserId;

/// Keys are cut at this many characters; a longer search term finds no name.
pub(crate) const NAME_KEY_CHARS: usize = 100;

fn separates(c: char) -> bool {
    c == ' ' || c == '-'
}

/// The keys of `name_lookup`: from each character that follows a space or a hyphen (and the
/// first), when it is neither itself; each once.
pub(crate) fn name_keys(name_lookup: &str) -> Vec<String> {
    let chars: Vec<char> = name_lookup.chars().collect();
    let mut keys = BTreeSet::new();
    for (i, c) in chars.iter().enumerate() {
        let starts_word = i == 0 || chars.get(i - 1).copied().is_some_and(separates);
        if starts_word && !separates(*c) {
            keys.insert(chars[i..].iter().take(NAME_KEY_CHARS).collect::<String>());
        }
    }
    keys.into_iter().collect()
}

/// Writes the keys of a new account's name.
pub(crate) async fn insert_name_keys(
    mut db: Db<'_>,
    user: UserId,
    name_lookup: Option<&str>,
) -> Result<(), StoreError> {
    for key in name_lookup.map(name_keys).unwrap_or_default() {
        execute!(
            db.reborrow(),
            "INSERT INTO user_name_keys (key, user_id) VALUES ($1, $2) ON CONFLICT DO NOTHING",
            &key,
            user
        )?;
    }
    Ok(())
}

/// Replaces the keys of an account whose name changed (or was erased: `None`).
pub(crate) async fn replace_name_keys(
    mut db: Db<'_>,
    user: UserId,
    name_lookup: Option<&str>,
) -> Result<(), StoreError> {
    execute!(db.reborrow(), "DELETE FROM user_name_keys WHERE user_id = $1", user)?;
    insert_name_keys(db, user, name_lookup).await
}

#[cfg(test)]
mod tests {
    use super::name_keys;

    #[test]
    fn a_name_is_keyed_from_each_word_as_the_migration_splits_it() {
        assert_eq!(
            name_keys("anna maria schmidt-weber"),
            ["anna maria schmidt-weber", "maria schmidt-weber", "schmidt-weber", "weber"]
        );
        // The same pieces migration 0022 makes of odd spacing: words start after a separator.
        assert_eq!(name_keys("-x  y"), ["x  y", "y"]);
        assert_eq!(name_keys("zoë öztürk"), ["zoë öztürk", "öztürk"]);
        assert!(name_keys("").is_empty() && name_keys(" - ").is_empty());
        let long = "ab ".repeat(60);
        let keys = name_keys(long.trim());
        assert!(keys.iter().all(|k| k.chars().count() <= super::NAME_KEY_CHARS));
        // 27 keys of 100 characters or more agree once cut; 33 shorter ones differ.
        assert_eq!(keys.len(), 34);
    }
}
