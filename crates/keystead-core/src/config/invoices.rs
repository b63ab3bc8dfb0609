//! The seller named on every invoice (`invoices.seller.*`): copied onto each invoice when it is
//! issued, so a later change of these settings alters no issued invoice. The logo on the PDF is
//! the deployment's (`branding.logo_file`).

use super::reader::Reader;

/// The seller's details (top-level table `invoices.seller`).
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct SellerConfig {
    /// The company's legal name (`invoices.seller.name`; default: `site_name`).
    pub name: String,
    /// Its address, one item per line (`invoices.seller.address`, at most 6 lines).
    pub address: Vec<String>,
    /// Its VAT identification number (`invoices.seller.vat_id`).
    pub vat_id: Option<String>,
    /// Where buyers write about invoices (`invoices.seller.email`).
    pub email: Option<String>,
    /// The bank's name (`invoices.seller.bank_name`).
    pub bank_name: Option<String>,
    /// The account's IBAN (`invoices.seller.iban`).
    pub iban: Option<String>,
    /// The bank's BIC (`invoices.seller.bic`).
    pub bic: Option<String>,
}

fn short(r: &mut Reader, key: &str, max: usize) -> Option<String> {
    let v = r.opt_string(key).map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())?;
    if v.chars().count() > max || v.chars().any(char::is_control) {
        r.error(key, format!("expected one line of at most {max} characters"));
        return None;
    }
    Some(v)
}

pub(super) fn read_seller(r: &mut Reader, site_name: &str) -> SellerConfig {
    let name = short(r, "invoices.seller.name", 200).unwrap_or_else(|| site_name.to_owned());
    let address: Vec<String> = r.list("invoices.seller.address").into_iter().filter(|l| !l.is_empty()).collect();
    if address.len() > 6 || address.iter().any(|l| l.chars().count() > 200 || l.chars().any(char::is_control)) {
        r.error("invoices.seller.address", "expected at most 6 lines of at most 200 characters each");
    }
    let iban = short(r, "invoices.seller.iban", 42).map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "));
    SellerConfig {
        name,
        address,
        vat_id: short(r, "invoices.seller.vat_id", 30),
        email: short(r, "invoices.seller.email", 254),
        bank_name: short(r, "invoices.seller.bank_name", 200),
        iban,
        bic: short(r, "invoices.seller.bic", 11),
    }
}
