//! Test-only helpers: [`TestApp`] (the whole server on port 0), [`TestDb`] (SQLite or a fresh
//! PostgreSQL database), a real SMTP sink, a Chromium driver, and identity providers to sign in
//! at (pysaml2's SAML IdP, a stand-in for GitHub's OAuth endpoints).
#![expect(clippy::panic, reason = "test helpers fail the test that uses them by panicking")]

pub mod app;
pub mod axe;
pub mod browser;
pub mod github;
pub mod licensing;
pub mod saml_idp;
pub mod smtp;
pub mod webhook_receiver;

pub use app::{TestApp, TestAppOptions};
pub use keystead_core::testing::DnsServer;
pub use keystead_core::testing::TestDb;
pub use webhook_receiver::{WebhookReceiver, verify_independently};
