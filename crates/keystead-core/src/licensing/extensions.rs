//! The extension chooser's data: which extensions a user's licenses allow, and which of them the
//! user selected. A selection outlives a lost license (it is hidden, not deleted), so getting the
//! license back restores the user's choice.

use std::collections::BTreeMap;

use super::catalogue::Product;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::store::extension_selections as store;

/// An extension the user may use, and whether they selected it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ExtensionChoice {
    /// The extension.
    pub product: Product,
    /// Selected in the chooser.
    pub selected: bool,
}

impl Core {
    /// The extensions the licenses `user` holds now allow (each once, by key), with whether the
    /// user selected it.
    pub async fn extension_choices(&self, user: UserId) -> Result<Vec<ExtensionChoice>> {
        let mut allowed = BTreeMap::new();
        for license in self.licenses_of(user).await? {
            for product in license.extensions {
                allowed.entry(product.key.clone()).or_insert(product);
            }
        }
        let selected = {
            let mut conn = self.store().conn().await?;
            store::selected_keys(conn.db(), user).await?
        };
        Ok(allowed
            .into_values()
            .map(|product| ExtensionChoice { selected: selected.contains(&product.key), product })
            .collect())
    }

    /// The keys of the extensions `user` selected that their licenses still allow, by key: what
    /// [`Core::entitlements_of`] reports across every organization (one rule, kept there).
    pub async fn selected_extensions(&self, user: UserId) -> Result<Vec<String>> {
        Ok(self.entitlements_of(user, None).await?.extensions)
    }

    /// Selects (`selected`) or deselects the extension `key` for `user`. `NotFound` when none of
    /// the user's licenses allows it (the same answer as for an unknown key). Deselecting what
    /// is not selected, or selecting twice, changes nothing; a change is in the audit log.
    /// Returns the extension with its new state.
    pub async fn set_extension_selected(
        &self,
        user: UserId,
        key: &str,
        selected: bool,
        meta: &RequestMeta,
    ) -> Result<ExtensionChoice> {
        let choice = self.extension_choices(user).await?.into_iter().find(|c| c.product.key == key);
        let Some(choice) = choice else { return Err(Error::NotFound) };
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let (changed, event) = if selected {
            (store::select(tx.db(), user, choice.product.id, now).await?, "extension_selected")
        } else {
            (store::deselect(tx.db(), user, choice.product.id).await?, "extension_deselected")
        };
        if changed {
            let details = serde_json::json!({"event": event, "product": choice.product.key});
            audit::record(tx.db(), now, AuditAction::PreferencesChanged, Some(user), Some(user), meta, details).await?;
        }
        tx.commit().await?;
        Ok(ExtensionChoice { product: choice.product, selected })
    }
}
