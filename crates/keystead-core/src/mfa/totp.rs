//! The authenticator app: TOTP (RFC 6238) with HMAC-SHA-1, 6 digits and 30-second steps — the
//! values every app supports — accepting one step of drift either way (RFC 6238 §5.2) and
//! refusing a step already used. The secret is sealed at rest under its own derived key and
//! bound to the user; setup shows it as a QR code (SVG, drawn here) and in groups of four.

use base64::Engine;
use sha2::Digest;
use totp_rs::{Algorithm, Builder, Totp};
use zeroize::Zeroizing;

use super::{Enabled, Method};
use crate::Core;
use crate::audit::RequestMeta;
use crate::crypto::random_bytes;
use crate::error::{Error, Result};
use crate::ids::UserId;
use crate::sessions::SessionInfo;
use crate::store::mfa as store;

/// Seconds per step (RFC 6238 §4.1 X).
const STEP: u64 = 30;
/// Bytes of secret: 160 bits, as RFC 4226 §4 recommends.
const SECRET_LEN: usize = 20;

/// What the setup page shows.
#[derive(Debug, Clone)]
pub struct TotpSetup {
    /// The secret in base32, in groups of four for typing into an app.
    pub secret_grouped: String,
    /// The `otpauth://totp/…` URI the QR code carries.
    pub uri: String,
    /// The QR code as an SVG document (no XML prolog), to embed in the page.
    pub qr_svg: String,
    /// A fingerprint of this setup, sent back with the code: a confirmation for a secret the
    /// page did not show (another tab started a new setup, a tampered form) is refused.
    pub fingerprint: String,
}

fn context(user: UserId) -> String {
    format!("totp secret:{user}")
}

fn totp(secret: Vec<u8>, issuer: Option<String>, account: String) -> Result<Totp> {
    Builder::new()
        .with_algorithm(Algorithm::SHA1)
        .with_digits(6)
        .with_skew(1)
        .with_step_duration(STEP)
        .with_secret(secret)
        .with_issuer(issuer)
        .with_account_name(account)
        .build()
        .map_err(|e| Error::Internal(anyhow::anyhow!("TOTP parameters: {e:?}")))
}

/// The code an authenticator app shows at `unix_time` for a base32 `secret` (as the setup page
/// shows it, spaces allowed): for tests and tools that play the app.
pub fn totp_code_at(secret_base32: &str, unix_time: u64) -> Option<String> {
    let cleaned: String = secret_base32.chars().filter(|c| !c.is_whitespace()).collect();
    let secret = totp_rs::Secret::try_from_base32(&cleaned).ok()?;
    let t = totp(secret.as_ref().to_vec(), None, String::new()).ok()?;
    Some(t.generate(unix_time).to_string())
}

fn fingerprint(sealed: &[u8]) -> String {
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&sha2::Sha256::digest(sealed)[..12])
}

fn grouped(base32: &str) -> String {
    base32.as_bytes().chunks(4).map(|c| String::from_utf8_lossy(c).into_owned()).collect::<Vec<_>>().join(" ")
}

/// Draws `data` as a QR code in SVG.
fn qr_svg(data: &str) -> Result<String> {
    let code = qrcode::QrCode::new(data.as_bytes()).map_err(|e| Error::Internal(anyhow::anyhow!("QR code: {e}")))?;
    let svg = code
        .render::<qrcode::render::svg::Color<'_>>()
        .min_dimensions(200, 200)
        .quiet_zone(true)
        .dark_color(qrcode::render::svg::Color("#000000"))
        .light_color(qrcode::render::svg::Color("#ffffff"))
        .build();
    // Inline in HTML: drop the XML prolog and give it an accessible name.
    let start = svg.find("<svg").unwrap_or(0);
    Ok(svg[start..].replacen("<svg", "<svg role=\"img\" aria-label=\"QR code for your authenticator app\"", 1))
}

impl Core {
    fn totp_for(&self, user: &crate::accounts::User, secret: Vec<u8>) -> Result<Totp> {
        // Neither part may contain ':' (the label separator of the otpauth URI).
        let issuer = self.site_name().replace(':', " ");
        totp(secret, Some(issuer), user.email.replace(':', " "))
    }

    fn setup_view(&self, user: &crate::accounts::User, sealed: &[u8]) -> Result<TotpSetup> {
        let secret = self.mfa_secrets().open(&context(user.id), sealed)?;
        let t = self.totp_for(user, secret.to_vec())?;
        let base32 = Zeroizing::new(t.secret().to_base32());
        let uri = Zeroizing::new(t.to_url().map_err(|e| Error::Internal(anyhow::anyhow!("otpauth URI: {e:?}")))?);
        Ok(TotpSetup {
            secret_grouped: grouped(&base32),
            qr_svg: qr_svg(&uri)?,
            uri: uri.to_string(),
            fingerprint: fingerprint(sealed),
        })
    }

    /// Starts (or restarts) setting up an authenticator app with a new secret. Refused while
    /// one is enabled: remove it first (re-enabling always means a new secret).
    pub async fn start_totp_setup(&self, session: &SessionInfo) -> Result<TotpSetup> {
        let user = &session.user;
        let mut secret = Zeroizing::new([0u8; SECRET_LEN]);
        random_bytes(secret.as_mut())?;
        let sealed = self.mfa_secrets().seal(&context(user.id), secret.as_ref())?;
        let mut tx = self.store().begin().await?;
        if !store::put_pending_totp(tx.db(), user.id, &sealed, self.clock().now()).await? {
            return Err(Error::invalid(
                "code",
                "already_enabled",
                "An authenticator app is already set up. Remove it first to set up another.",
            ));
        }
        tx.commit().await?;
        self.setup_view(user, &sealed)
    }

    /// The setup in progress, if any (to show the page again).
    pub async fn totp_setup(&self, session: &SessionInfo) -> Result<Option<TotpSetup>> {
        let row = {
            let mut conn = self.store().conn().await?;
            store::totp(conn.db(), session.user.id).await?
        };
        match row {
            Some(r) if r.confirmed_at.is_none() => Ok(Some(self.setup_view(&session.user, &r.secret_sealed)?)),
            _ => Ok(None),
        }
    }

    /// Confirms the setup shown with `fingerprint` by a current code from the app, and enables
    /// it. A wrong, malformed or stale code, or a fingerprint of another setup, enables nothing.
    pub async fn confirm_totp_setup(
        &self,
        session: &SessionInfo,
        fingerprint_shown: &str,
        code: &str,
        meta: &RequestMeta,
    ) -> Result<Enabled> {
        let user = &session.user;
        super::reserve_code_check(self, user.id).await?;
        let row = {
            let mut conn = self.store().conn().await?;
            store::totp(conn.db(), user.id).await?
        };
        let Some(row) = row.filter(|r| r.confirmed_at.is_none()) else {
            return Err(Error::invalid("code", "no_setup", "There is no setup in progress. Start again."));
        };
        if !bool::from(subtle::ConstantTimeEq::ct_eq(
            fingerprint(&row.secret_sealed).as_bytes(),
            fingerprint_shown.as_bytes(),
        )) {
            return Err(Error::invalid(
                "code",
                "setup_replaced",
                "This setup was replaced by a newer one (in another tab?). Scan the QR code shown now and enter its code.",
            ));
        }
        let Some(digits) = super::six_digits(code) else {
            return Err(Error::invalid("code", "malformed", "Enter the six digits your app shows."));
        };
        let secret = self.mfa_secrets().open(&context(user.id), &row.secret_sealed)?;
        let now = self.clock().now();
        let unix = u64::try_from(now.unix_timestamp()).unwrap_or(0);
        let Some(step) = self.totp_for(user, secret.to_vec())?.check(&digits, unix) else {
            super::record_code_failure(self, user.id, Method::Totp, meta).await?;
            return Err(Error::invalid(
                "code",
                "wrong_code",
                "That code is not right. Check the time on your phone and enter the code shown now.",
            ));
        };
        let mut tx = self.store().begin().await?;
        let had_any = super::status_in(tx.db(), user.id).await?.enabled();
        let step = i64::try_from(step).unwrap_or(i64::MAX);
        if !store::confirm_totp(tx.db(), user.id, &row.secret_sealed, step, now).await? {
            return Err(Error::invalid("code", "setup_replaced", "This setup changed meanwhile. Start again."));
        }
        super::reset_code_failures(tx.db(), user.id).await?;
        let enabled = super::after_enable(self, &mut tx, user, Method::Totp, had_any, None, meta).await?;
        tx.commit().await?;
        Ok(enabled)
    }

    /// Removes the authenticator app (needs a recent sign-in).
    pub async fn disable_totp(&self, session: &SessionInfo, meta: &RequestMeta) -> Result<()> {
        self.ensure_recent_authentication(session)?;
        let mut tx = self.store().begin().await?;
        if !store::delete_totp(tx.db(), session.user.id).await? {
            return Err(Error::NotFound);
        }
        super::after_disable(self, &mut tx, &session.user, Method::Totp, None, meta).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Checks a code from the user's app and uses its step. Wrong, malformed and replayed
    /// codes are counted towards the account's code lock.
    pub(crate) async fn use_totp_code(&self, user: UserId, code: &str, meta: &RequestMeta) -> Result<CodeCheck> {
        super::reserve_code_check(self, user).await?;
        let (row, account) = {
            let mut conn = self.store().conn().await?;
            let row = store::totp(conn.db(), user).await?;
            (row, crate::accounts::User::from(crate::store::users::get(conn.db(), user).await?))
        };
        let Some(row) = row.filter(|r| r.confirmed_at.is_some()) else { return Ok(CodeCheck::Wrong) };
        let secret = self.mfa_secrets().open(&context(user), &row.secret_sealed)?;
        let now = self.clock().now();
        let unix = u64::try_from(now.unix_timestamp()).unwrap_or(0);
        let step = super::six_digits(code).and_then(|d| self.totp_for(&account, secret.to_vec()).ok()?.check(&d, unix));
        let outcome = match step {
            Some(step) => {
                let mut tx = self.store().begin().await?;
                let fresh = store::use_totp_step(tx.db(), user, i64::try_from(step).unwrap_or(i64::MAX), now).await?;
                if fresh {
                    super::reset_code_failures(tx.db(), user).await?;
                }
                tx.commit().await?;
                if fresh { CodeCheck::Accepted } else { CodeCheck::Replayed }
            }
            None => CodeCheck::Wrong,
        };
        if outcome != CodeCheck::Accepted {
            super::record_code_failure(self, user, Method::Totp, meta).await?;
        }
        Ok(outcome)
    }
}

/// What checking an authenticator-app code found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CodeCheck {
    /// Right, and its step not used before: now used.
    Accepted,
    /// Right, but its step (or a later one) was used already (RFC 6238 §5.2).
    Replayed,
    /// Wrong or malformed.
    Wrong,
}

#[cfg(test)]
mod tests {
    use totp_rs::{Algorithm, Builder};

    /// RFC 4226 Appendix D: HOTP values for counters 0–9 of the ASCII secret
    /// "12345678901234567890". A TOTP with a one-second step at time t is HOTP with counter t.
    #[test]
    fn rfc_4226_appendix_d_vectors() {
        let expected =
            ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"];
        let hotp = Builder::new()
            .with_algorithm(Algorithm::SHA1)
            .with_digits(6)
            .with_step_duration(1)
            .with_secret(b"12345678901234567890".to_vec())
            .build()
            .unwrap();
        for (counter, code) in expected.iter().enumerate() {
            assert_eq!(hotp.generate(counter as u64).to_string(), *code, "counter {counter}");
        }
    }

    /// RFC 6238 Appendix B: 8-digit codes at the listed times for SHA-1, SHA-256 and SHA-512,
    /// with the secrets of the reference implementation (20, 32 and 64 ASCII bytes).
    #[test]
    fn rfc_6238_appendix_b_vectors() {
        let seed20 = b"12345678901234567890".to_vec();
        let seed32 = b"12345678901234567890123456789012".to_vec();
        let seed64 = b"1234567890123456789012345678901234567890123456789012345678901234".to_vec();
        let table: [(u64, &str, &str, &str); 6] = [
            (59, "94287082", "46119246", "90693936"),
            (1_111_111_109, "07081804", "68084774", "25091201"),
            (1_111_111_111, "14050471", "67062674", "99943326"),
            (1_234_567_890, "89005924", "91819424", "93441116"),
            (2_000_000_000, "69279037", "90698825", "38618901"),
            (20_000_000_000, "65353130", "77737706", "47863826"),
        ];
        let make = |alg, seed: &Vec<u8>| {
            Builder::new()
                .with_algorithm(alg)
                .with_digits(8)
                .with_step_duration(30)
                .with_secret(seed.clone())
                .build()
                .unwrap()
        };
        let (sha1, sha256, sha512) =
            (make(Algorithm::SHA1, &seed20), make(Algorithm::SHA256, &seed32), make(Algorithm::SHA512, &seed64));
        for (t, a, b, c) in table {
            assert_eq!(sha1.generate(t).to_string(), a, "SHA-1 at {t}");
            assert_eq!(sha256.generate(t).to_string(), b, "SHA-256 at {t}");
            assert_eq!(sha512.generate(t).to_string(), c, "SHA-512 at {t}");
        }
    }

    #[test]
    fn our_parameters_accept_one_step_of_drift_and_report_the_step() {
        let secret = b"12345678901234567890".to_vec();
        let t = super::totp(secret, Some("Keystead".to_owned()), "ada@example.com".to_owned()).unwrap();
        let now = 1_700_000_000;
        let code = t.generate(now).to_string();
        assert_eq!(t.check(&code, now), Some(now / 30));
        assert_eq!(t.check(&code, now + 30), Some(now / 30), "one step late still works");
        assert_eq!(t.check(&code, now - 30), Some(now / 30), "one step early still works");
        assert_eq!(t.check(&code, now + 90), None, "three steps late does not");
        let uri = t.to_url().unwrap();
        assert!(uri.starts_with("otpauth://totp/Keystead:ada%40example.com?secret="), "{uri}");
        assert!(uri.contains("issuer=Keystead"), "{uri}");
        let shown = super::grouped(&t.secret().to_base32());
        assert_eq!(super::totp_code_at(&shown, now).as_deref(), Some(code.as_str()));
    }

    #[test]
    fn the_qr_code_is_an_inline_svg() {
        let svg = super::qr_svg("otpauth://totp/Keystead:ada?secret=JBSWY3DPEHPK3PXP&issuer=Keystead").unwrap();
        assert!(svg.starts_with("<svg role=\"img\""), "{}", &svg[..60]);
        assert!(svg.contains("</svg>") && !svg.contains("<?xml"));
    }
}
