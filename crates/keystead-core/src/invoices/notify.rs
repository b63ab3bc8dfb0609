//! The email about a new invoice, with its PDF attached: to the user of a personal invoice, or
//! to every member of the organization holding `invoices:read`; each only when they receive the
//! `invoices` category. Queued in the transaction that issues the invoice.

use std::collections::HashMap;

use super::{Invoice, Owner};
use crate::Core;
use crate::accounts::preferences::{self, Category};
use crate::error::{Error, Result};
use crate::i18n::Locale;
use crate::mail::{self, Attachment, Notice};
use crate::organizations::logo::OrganizationBrand;
use crate::organizations::permissions::{Permission, PermissionSet};
use crate::organizations::{self as orgs, Organization};
use crate::store::invoices as store;
use crate::store::users::UserRow;
use crate::store::{Tx, organizations as org_store, users as store_users};

impl Core {
    /// Draws the new invoice's PDF (keeping it) and queues the emails about it in `tx`.
    pub(super) async fn notify_new_invoice(&self, tx: &mut Tx, owner: Owner, invoice: &Invoice) -> Result<()> {
        let (recipients, org) = match owner {
            Owner::User(u) => (vec![u], None),
            Owner::Organization(o) => {
                let mut readers = Vec::new();
                let mut roles: HashMap<String, PermissionSet> = HashMap::new();
                for (user, role) in store::members_and_roles(tx.db(), o).await? {
                    let permissions = match roles.get(&role) {
                        Some(p) => *p,
                        None => {
                            let p = orgs::role_permissions(tx.db(), o, &role).await?;
                            roles.insert(role, p);
                            p
                        }
                    };
                    if permissions.contains(Permission::InvoicesRead) {
                        readers.push(user);
                    }
                }
                let org: Organization = org_store::get_org(tx.db(), o).await?.into();
                (readers, Some(org))
            }
        };
        let mut to = Vec::new();
        for user in recipients {
            if preferences::wants(tx.db(), user, Category::Invoices).await? {
                let row = store_users::get(tx.db(), user).await?;
                if row.status != "purged" && row.status != "disabled" {
                    to.push(row);
                }
            }
        }
        if to.is_empty() {
            // Nobody to write to: the PDF is drawn when someone first asks for it.
            return Ok(());
        }
        let pdf = self.draw_invoice(invoice).await?;
        store::keep_pdf(tx.db(), invoice.id, super::pdf::LAYOUT, &pdf, (invoice.updated_at, self.clock().now()))
            .await?;
        let attachment = Attachment::new(super::pdf_file_name(&invoice.number), "application/pdf", &pdf);
        for user in &to {
            self.invoice_email(tx, user, invoice, org.as_ref(), &attachment).await?;
        }
        Ok(())
    }

    async fn invoice_email(
        &self,
        tx: &mut Tx,
        to: &UserRow,
        invoice: &Invoice,
        org: Option<&Organization>,
        attachment: &Attachment,
    ) -> Result<()> {
        let l: Locale = self.locale_for(to.locale.as_deref());
        let url = self
            .config()
            .public_url
            .join(&format!("account/invoices/{}", invoice.id))
            .map_err(|e| Error::Internal(e.into()))?;
        let total = l.money(invoice.total_minor, invoice.exponent, &invoice.currency);
        let whose = org.map_or_else(|| l.t("email-invoice-yours"), |o| o.name.clone());
        let key = if invoice.credit_note_of.is_some() { "email-credit-note-subject" } else { "email-invoice-subject" };
        let notice = Notice {
            locale: l,
            subject: l.t2(key, "number", invoice.number.as_str(), "site", self.site_name()),
            paragraphs: vec![l.t_args(
                "email-invoice-body",
                &[
                    ("number", invoice.number.as_str().into()),
                    ("whose", whose.as_str().into()),
                    ("total", total.as_str().into()),
                    ("due", l.day(invoice.due_on).as_str().into()),
                ],
            )],
            action: Some((l.t("email-invoice-action"), url.into())),
            after: vec![l.t("email-invoice-after")],
            brand: org.map(OrganizationBrand::from),
        };
        mail::send_notice_with(self, tx, &to.email, &notice, vec![attachment.clone()]).await.map(drop)
    }
}

/// The invoice number as a file name: characters other than letters, digits, `-` and `_` become `-`.
pub(crate) fn file_name(number: &str) -> String {
    number.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' { c } else { '-' }).collect()
}
