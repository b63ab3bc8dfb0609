use std::collections::HashMap;

use super::*;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::courses::Recorded;
use crate::organizations::NewOrganization;
use crate::testing::{TestDb, core_test};

struct T {
    core: Core,
    clock: FakeClock,
    _db: TestDb,
    _dir: tempfile::TempDir,
}

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |c| {
            c.seller.name = "Keystead Yazılım GmbH".into();
            c.seller.address = vec!["Königstraße 1".into(), "70173 Stuttgart".into()];
            c.seller.iban = Some("DE89 3704 0044 0532 0130 00".into());
        })
        .await
        .unwrap();
        Self { core, clock, _db: db, _dir: dir }
    }

    async fn user(&self, email: &str) -> UserId {
        let new = NewUser { email, given_name: None, family_name: None, verified: true, password: None };
        self.core.create_user(new, &RequestMeta::cli()).await.unwrap().id
    }

    /// Acme with a billing admin (Ada, with a billing address), a member (Bob).
    async fn acme(&self) -> (OrganizationId, UserId, UserId) {
        let ada = self.user("ada@example.com").await;
        let bob = self.user("bob@example.com").await;
        let new = NewOrganization { name: "Acme Çelik A.Ş.", slug: Some("acme"), owner: None };
        let org = self.core.create_organization(Actor::Operator, new, &META).await.unwrap().id;
        self.core.add_organization_member(Actor::Operator, org, ada, "billing_admin", &META).await.unwrap();
        self.core.add_organization_member(Actor::Operator, org, bob, "member", &META).await.unwrap();
        self.core.set_billing_address(ada, &address("Ayşe Yılmaz", "İstiklal Caddesi 5"), &META).await.unwrap();
        (org, ada, bob)
    }
}

fn address(name: &str, line1: &str) -> HashMap<String, String> {
    [("name", name), ("line1", line1), ("postal_code", "34433"), ("city", "İstanbul"), ("country", "TR")]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect()
}

fn seats(quantity: i64) -> NewLine<'static> {
    NewLine { description: "CET Pro seat", quantity, unit_price_minor: 12_000, tax_rate_percent: 19.0 }
}

fn doc(number: &str) -> NewInvoice<'_> {
    NewInvoice {
        number,
        issued_on: "2025-12-01",
        due_on: "2025-12-31",
        currency: "EUR",
        lines: vec![
            seats(3),
            NewLine { description: "Schulung für Güneş", quantity: 1, unit_price_minor: 999, tax_rate_percent: 7.0 },
        ],
        bill_to: Some("ada@example.com"),
        ..NewInvoice::default()
    }
}

async fn an_invoice_is_issued_once_with_totals_computed_here(t: &T) {
    let (org, ada, _) = t.acme().await;
    let (invoice, recorded) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0001"), &META).await.unwrap();
    assert_eq!(recorded, Recorded::Created);
    // 3 × 120.00 at 19 %: 360.00 + 68.40; 9.99 at 7 %: 0.6993 → 0.70.
    assert_eq!((invoice.net_minor, invoice.tax_minor, invoice.total_minor), (36_999, 6_910, 43_909));
    assert_eq!(
        invoice.taxes,
        vec![
            TaxTotal { rate_bp: 700, net_minor: 999, tax_minor: 70 },
            TaxTotal { rate_bp: 1900, net_minor: 36_000, tax_minor: 6_840 }
        ]
    );
    let BilledTo::Address(a) = &invoice.billed_to else { panic!("{:?}", invoice.billed_to) };
    assert_eq!((a.name.as_str(), a.city.as_str()), ("Ayşe Yılmaz", "İstanbul"));
    assert_eq!(invoice.seller.name, "Keystead Yazılım GmbH");
    // The same document again is the same invoice; only its status moves on.
    let (_, again) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0001"), &META).await.unwrap();
    assert_eq!(again, Recorded::Unchanged);
    let paid = NewInvoice { status: Some("paid"), ..doc("2025-0001") };
    let (now_paid, recorded) = t.core.create_invoice(Owner::Organization(org), &paid, &META).await.unwrap();
    assert_eq!((recorded, now_paid.status), (Recorded::Updated, InvoiceStatus::Paid));
    let reopened = NewInvoice { status: Some("open"), ..doc("2025-0001") };
    let refused = t.core.create_invoice(Owner::Organization(org), &reopened, &META).await.unwrap_err();
    assert!(matches!(&refused, Error::Invalid(e) if e.0[0].code == "invalid_status_change"), "{refused:?}");
    // Another document under the number is refused, whoever pushes it.
    let other = NewInvoice { lines: vec![seats(4)], ..doc("2025-0001") };
    let taken = t.core.create_invoice(Owner::Organization(org), &other, &META).await.unwrap_err();
    assert_eq!(taken.code(), crate::error::Code::AlreadyExists);
    let personal = NewInvoice { bill_to: None, ..doc("2025-0001") };
    assert_eq!(
        t.core.create_invoice(Owner::User(ada), &personal, &META).await.unwrap_err().code(),
        crate::error::Code::AlreadyExists
    );
}
core_test!(an_invoice_is_issued_once_with_totals_computed_here);

async fn the_billing_address_on_an_issued_invoice_does_not_change(t: &T) {
    let (org, ada, _) = t.acme().await;
    let (issued, _) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0002"), &META).await.unwrap();
    t.core.set_billing_address(ada, &address("Ada Lovelace", "Baker Street 221b"), &META).await.unwrap();
    let read = t.core.invoice(Actor::User(ada), issued.id).await.unwrap();
    assert_eq!(read.billed_to, issued.billed_to);
    let BilledTo::Address(a) = read.billed_to else { panic!() };
    assert_eq!(a.line1, "İstiklal Caddesi 5");
    // A new invoice takes the new address.
    let (next, _) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0003"), &META).await.unwrap();
    assert!(matches!(next.billed_to, BilledTo::Address(a) if a.name == "Ada Lovelace"));
}
core_test!(the_billing_address_on_an_issued_invoice_does_not_change);

async fn only_those_holding_invoices_read_see_an_organizations_invoices(t: &T) {
    let (org, ada, bob) = t.acme().await;
    let carol = t.user("carol@example.com").await;
    let (issued, _) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0004"), &META).await.unwrap();
    let personal = NewInvoice { bill_to: None, ..doc("P-1") };
    let (own, _) = t.core.create_invoice(Owner::User(carol), &personal, &META).await.unwrap();
    assert!(matches!(own.billed_to, BilledTo::Name { ref name } if name == "carol@example.com"));
    assert_eq!(t.core.invoice(Actor::User(ada), issued.id).await.unwrap().number, "2025-0004");
    for outsider in [bob, carol] {
        assert!(matches!(t.core.invoice(Actor::User(outsider), issued.id).await, Err(Error::NotFound)));
    }
    assert!(matches!(t.core.invoice(Actor::User(ada), own.id).await, Err(Error::NotFound)));
    assert!(matches!(t.core.organization_invoices(Actor::User(bob), org, 1).await, Err(Error::Forbidden)));
    assert!(matches!(t.core.organization_invoices(Actor::User(carol), org, 1).await, Err(Error::NotFound)));
    let mine = t.core.my_invoices(ada, 1).await.unwrap();
    assert_eq!((mine.total, mine.items[0].number.as_str()), (1, "2025-0004"));
    assert_eq!(t.core.my_invoices(bob, 1).await.unwrap().total, 0);
    assert_eq!(t.core.my_invoices(carol, 1).await.unwrap().items[0].number, "P-1");
    // A license admin reads them too (SPEC §2: for license and billing admins).
    t.core.change_member_role(Actor::Operator, org, bob, "license_admin", &META).await.unwrap();
    assert_eq!(t.core.my_invoices(bob, 1).await.unwrap().total, 1);
}
core_test!(only_those_holding_invoices_read_see_an_organizations_invoices);

async fn a_credit_note_reverses_an_invoice_of_the_same_owner(t: &T) {
    let (org, ada, _) = t.acme().await;
    t.core.create_invoice(Owner::Organization(org), &doc("2025-0005"), &META).await.unwrap();
    let void = NewInvoice { status: Some("void"), ..doc("2025-0005") };
    t.core.create_invoice(Owner::Organization(org), &void, &META).await.unwrap();
    let credit = NewInvoice { lines: vec![seats(-3)], credit_note_of: Some("2025-0005"), ..doc("2025-0006") };
    let (note, _) = t.core.create_invoice(Owner::Organization(org), &credit, &META).await.unwrap();
    assert_eq!((note.total_minor, note.credit_note_of.as_deref()), (-42_840, Some("2025-0005")));
    let positive = NewInvoice { credit_note_of: Some("2025-0005"), ..doc("2025-0007") };
    let e = t.core.create_invoice(Owner::Organization(org), &positive, &META).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid(f) if f.0[0].code == "credit_note_positive"), "{e:?}");
    let elsewhere =
        NewInvoice { lines: vec![seats(-1)], credit_note_of: Some("2025-0005"), bill_to: None, ..doc("2025-0008") };
    let e = t.core.create_invoice(Owner::User(ada), &elsewhere, &META).await.unwrap_err();
    assert!(matches!(&e, Error::Invalid(f) if f.0[0].field == "credit_note_of"), "{e:?}");
}
core_test!(a_credit_note_reverses_an_invoice_of_the_same_owner);

async fn a_new_invoice_is_emailed_with_its_pdf_to_its_readers_who_want_it(t: &T) {
    let (org, ada, _) = t.acme().await;
    let eve = t.user("eve@example.com").await;
    t.core.add_organization_member(Actor::Operator, org, eve, "admin", &META).await.unwrap();
    t.core.set_notification_preferences(eve, &[], &META).await.unwrap();
    let before = t.core.outbox(100).await.unwrap().len();
    t.core.create_invoice(Owner::Organization(org), &doc("2025-0009"), &META).await.unwrap();
    let outbox = t.core.outbox(100).await.unwrap();
    let new: Vec<_> =
        outbox.iter().filter(|j| j.payload["subject"].as_str().is_some_and(|s| s.contains("2025-0009"))).collect();
    assert_eq!(new.len(), 1, "Ada only: Bob lacks invoices:read, Eve turned invoices off ({before} before)");
    assert_eq!(new[0].payload["to"], "ada@example.com");
    let attachment = &new[0].payload["attachments"][0];
    assert_eq!(attachment["filename"], "2025-0009.pdf");
    use base64::Engine as _;
    let pdf = base64::engine::general_purpose::STANDARD.decode(attachment["base64"].as_str().unwrap()).unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    // The PDF is kept: the reader gets the same bytes.
    let (_, kept) =
        t.core.invoice_pdf(Actor::User(ada), t.core.my_invoices(ada, 1).await.unwrap().items[0].id).await.unwrap();
    assert_eq!(kept, pdf);
}
core_test!(a_new_invoice_is_emailed_with_its_pdf_to_its_readers_who_want_it);

async fn a_purged_accounts_invoices_stay_without_its_address(t: &T) {
    let (org, ada, _) = t.acme().await;
    let (org_invoice, _) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0010"), &META).await.unwrap();
    let personal = NewInvoice { bill_to: None, ..doc("P-2") };
    let (own, _) = t.core.create_invoice(Owner::User(ada), &personal, &META).await.unwrap();
    t.core.invoice_pdf(Actor::Operator, own.id).await.unwrap();
    t.core.close_account_as_operator(Actor::Operator, ada, &META).await.unwrap();
    t.clock.advance(t.core.closing_grace() + time::Duration::days(1));
    assert_eq!(t.core.purge_closed_accounts().await.unwrap(), 1);
    let kept = t.core.invoice(Actor::Operator, own.id).await.unwrap();
    assert_eq!(kept.billed_to, BilledTo::Anonymised { country: Some("TR".into()) });
    assert_eq!((kept.number.as_str(), kept.total_minor), ("P-2", own.total_minor));
    assert_eq!(t.core.invoice(Actor::Operator, org_invoice.id).await.unwrap().billed_to, org_invoice.billed_to);
    let (_, pdf) = t.core.invoice_pdf(Actor::Operator, own.id).await.unwrap();
    let text = pdf_text(&pdf, &format!("purged-{}", format!("{:?}", t._db.backend()).to_lowercase()));
    assert!(
        text.contains("(account closed)") && text.contains("Türkiye") && !text.contains("Ayşe"),
        "drawn again without the address: {text}"
    );
}
core_test!(a_purged_accounts_invoices_stay_without_its_address);

async fn two_pushes_of_a_new_invoice_at_once_issue_it_once(t: &T) {
    let (org, _, _) = t.acme().await;
    let d = doc("2025-0011");
    let (a, b) = tokio::join!(
        t.core.create_invoice(Owner::Organization(org), &d, &META),
        t.core.create_invoice(Owner::Organization(org), &d, &META)
    );
    let mut outcomes = [a.unwrap().1, b.unwrap().1];
    outcomes.sort_by_key(|r| *r != Recorded::Created);
    assert_eq!(outcomes, [Recorded::Created, Recorded::Unchanged]);
}
core_test!(two_pushes_of_a_new_invoice_at_once_issue_it_once);

/// Extracts the text of a PDF with poppler's `pdftotext` (installed by `.ci/run`) and leaves the
/// PDF and its pages as PNGs (`pdftoppm`) beside the screenshots, to be looked at.
fn pdf_text(pdf: &[u8], name: &str) -> String {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map_or_else(|| std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"), Into::into)
        .join("screenshots/invoices");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.pdf"));
    std::fs::write(&path, pdf).unwrap();
    let run = |program: &str, args: &[&std::ffi::OsStr]| {
        let out = std::process::Command::new(program)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("{program} (Debian poppler-utils, installed by .ci/run) is needed: {e}"));
        assert!(out.status.success(), "{program}: {}", String::from_utf8_lossy(&out.stderr));
        out.stdout
    };
    run("pdftoppm", &["-png".as_ref(), "-r".as_ref(), "70".as_ref(), path.as_os_str(), dir.join(name).as_os_str()]);
    String::from_utf8(run("pdftotext", &["-layout".as_ref(), path.as_os_str(), "-".as_ref()])).unwrap()
}

async fn the_pdf_writes_german_and_turkish_and_breaks_long_invoices_onto_pages(t: &T) {
    let (org, ada, _) = t.acme().await;
    let mut lines = vec![seats(3)];
    let descriptions: Vec<String> = (1..=30)
        .map(|i| format!("Wartung Nr. {i} für Çağrı Öztürk — Größenänderung, Übersetzung und Prüfung"))
        .collect();
    lines.extend(descriptions.iter().map(|d| NewLine {
        description: d,
        quantity: 2,
        unit_price_minor: 4_550,
        tax_rate_percent: 7.7,
    }));
    let long = NewInvoice { lines, language: Some("de"), ..doc("2025-0100") };
    let (invoice, _) = t.core.create_invoice(Owner::Organization(org), &long, &META).await.unwrap();
    let (number, pdf) = t.core.invoice_pdf(Actor::User(ada), invoice.id).await.unwrap();
    assert_eq!(number, "2025-0100");
    let text = pdf_text(&pdf, &format!("long-{}", format!("{:?}", t._db.backend()).to_lowercase()));
    for expected in [
        "Rechnung",
        "Keystead Yazılım GmbH",
        "Königstraße 1",
        "Ayşe Yılmaz",
        "İstiklal Caddesi 5",
        "34433 İstanbul",
        "Türkei",
        "Wartung Nr. 30 für Çağrı Öztürk",
        "Seite 1 von 2",
        "Seite 2 von 2",
        "USt. 19 % auf 360,00 EUR",
        "USt. 7,7 % auf 2.730,00 EUR",
        "IBAN DE89 3704 0044 0532 0130 00",
        "1. Dezember 2025",
    ] {
        assert!(text.contains(expected), "{expected:?} is not in the PDF:\n{text}");
    }
    // 360.00 + 68.40 + 30 × 91.00 + 30 × 7.01 (7.007 rounded per line, not 210.21 on the sum).
    assert_eq!(invoice.total_minor, 36_000 + 6_840 + 273_000 + 30 * 701);
    let total = crate::i18n::Locale::De.money(invoice.total_minor, 2, "EUR");
    let last_page = text.split('\u{c}').nth(1).unwrap();
    assert!(
        last_page.contains("Gesamtbetrag") && last_page.contains(&total),
        "the totals close the last page:\n{last_page}"
    );
    // A one-page invoice in English.
    let (short, _) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0101"), &META).await.unwrap();
    let (_, pdf) = t.core.invoice_pdf(Actor::Operator, short.id).await.unwrap();
    let text = pdf_text(&pdf, &format!("short-{}", format!("{:?}", t._db.backend()).to_lowercase()));
    assert!(
        text.contains("Page 1 of 1") && text.contains("EUR 439.09") && text.contains("Tax 19% on EUR 360.00"),
        "{text}"
    );
}
core_test!(the_pdf_writes_german_and_turkish_and_breaks_long_invoices_onto_pages);

async fn a_pdf_drawn_before_a_status_change_is_not_kept_after_it(t: &T) {
    let (org, ada, _) = t.acme().await;
    let (open, _) = t.core.create_invoice(Owner::Organization(org), &doc("2025-0200"), &META).await.unwrap();
    // A reader drew the open invoice; the billing system marks it paid before the PDF is kept.
    let drawn = t.core.draw_invoice(&open).await.unwrap();
    t.clock.advance(time::Duration::seconds(1));
    let paid = NewInvoice { status: Some("paid"), ..doc("2025-0200") };
    t.core.create_invoice(Owner::Organization(org), &paid, &META).await.unwrap();
    let mut conn = t.core.store().conn().await.unwrap();
    let now = t.core.clock().now();
    store::keep_pdf(conn.db(), open.id, pdf::LAYOUT, &drawn, (open.updated_at, now)).await.unwrap();
    assert_eq!(store::pdf(conn.db(), open.id, pdf::LAYOUT).await.unwrap(), None, "the stale PDF is not kept");
    drop(conn);
    let (_, served) = t.core.invoice_pdf(Actor::User(ada), open.id).await.unwrap();
    let text = pdf_text(&served, &format!("paid-{}", format!("{:?}", t._db.backend()).to_lowercase()));
    assert!(text.contains("Paid"), "{text}");
    let mut conn = t.core.store().conn().await.unwrap();
    assert_eq!(store::pdf(conn.db(), open.id, pdf::LAYOUT).await.unwrap(), Some(served), "the current one is kept");
}
core_test!(a_pdf_drawn_before_a_status_change_is_not_kept_after_it);
