//! ID token validation (OpenID Connect Core §3.1.3.7) with `openidconnect`'s verifier: the
//! signature by the provider's published keys with an asymmetric algorithm, `iss`, `aud`,
//! `azp`, `exp` and `iat` against the caller's clock with a small skew, and `nonce`.

use std::str::FromStr as _;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use openidconnect::core::{CoreIdToken, CoreIdTokenVerifier, CoreJwsSigningAlgorithm as Alg};
use openidconnect::{ClaimsVerificationError as Cve, ClientId, IssuerUrl, Nonce, SignatureVerificationError as Sve};
use serde_json::{Map, Value};

use super::{Discovered, IdTokenCheck, OidcError};

/// How far the provider's clock may be from ours.
pub(super) const SKEW: time::Duration = time::Duration::seconds(60);

/// The signature algorithms accepted: asymmetric only, so neither `none` nor an `HS*` MAC
/// keyed with a public key (or with our client secret) can stand in for the provider's
/// signature (RFC 8725 §3.1–3.2).
const ALLOWED: [Alg; 9] = [
    Alg::RsaSsaPkcs1V15Sha256,
    Alg::RsaSsaPkcs1V15Sha384,
    Alg::RsaSsaPkcs1V15Sha512,
    Alg::RsaSsaPssSha256,
    Alg::RsaSsaPssSha384,
    Alg::RsaSsaPssSha512,
    Alg::EcdsaP256Sha256,
    Alg::EcdsaP384Sha384,
    Alg::EdDsa,
];

/// An ID token that passed every check.
#[derive(Debug, Clone)]
pub struct VerifiedIdToken {
    /// Its claims, as the provider sent them.
    pub claims: Map<String, Value>,
    /// The token as received (the `id_token_hint` of RP-initiated logout).
    pub raw: String,
}

impl VerifiedIdToken {
    /// `iss`.
    pub fn issuer(&self) -> &str {
        self.claims.get("iss").and_then(Value::as_str).unwrap_or_default()
    }

    /// `sub`.
    pub fn subject(&self) -> &str {
        self.claims.get("sub").and_then(Value::as_str).unwrap_or_default()
    }
}

fn chrono_time(t: time::OffsetDateTime) -> Result<chrono::DateTime<chrono::Utc>, OidcError> {
    chrono::DateTime::from_timestamp(t.unix_timestamp(), t.nanosecond())
        .ok_or_else(|| OidcError::id_token(IdTokenCheck::Expiry, "the clock is out of range"))
}

/// Which check a verifier error is.
fn check_of(e: &Cve) -> IdTokenCheck {
    match e {
        Cve::Expired(_) => IdTokenCheck::Expiry,
        Cve::InvalidAudience(_) => IdTokenCheck::Audience,
        Cve::InvalidIssuer(_) => IdTokenCheck::Issuer,
        Cve::InvalidNonce(_) => IdTokenCheck::Nonce,
        Cve::SignatureVerification(s) => match s {
            Sve::NoMatchingKey | Sve::AmbiguousKeyId(_) | Sve::InvalidKey(_) => IdTokenCheck::Key,
            Sve::DisallowedAlg(_) | Sve::UnsupportedAlg(_) | Sve::NoSignature => IdTokenCheck::Algorithm,
            _ => IdTokenCheck::Signature,
        },
        _ => IdTokenCheck::Malformed,
    }
}

/// Verifies `raw` as an ID token issued by `d`'s provider to `client_id` for the sign-in that
/// sent `nonce`, at `now` (± 60 seconds of clock skew). A token signed by a key `d` does not hold fails with
/// [`IdTokenCheck::Key`]: fetch the keys again ([`super::refresh_keys`]) and retry once.
pub fn verify_id_token(
    d: &Discovered,
    client_id: &str,
    raw: &str,
    nonce: &str,
    now: time::OffsetDateTime,
) -> Result<VerifiedIdToken, OidcError> {
    if nonce.is_empty() {
        return Err(OidcError::id_token(IdTokenCheck::Nonce, "no nonce was sent"));
    }
    let token = CoreIdToken::from_str(raw).map_err(|e| OidcError::id_token(IdTokenCheck::Malformed, e.to_string()))?;
    let expected = d
        .expected_issuer(raw)
        .ok_or_else(|| OidcError::id_token(IdTokenCheck::Issuer, "no usable tid for the multi-tenant provider"))?;
    let issuer = IssuerUrl::new(expected).map_err(|e| OidcError::BadDiscovery(e.to_string()))?;
    let earliest = chrono_time(now - SKEW)?;
    let latest = chrono_time(now + SKEW)?;
    let verifier =
        CoreIdTokenVerifier::new_public_client(ClientId::new(client_id.to_owned()), issuer, d.jwks().clone())
            .set_allowed_algs(ALLOWED)
            // Further audiences are accepted only with `azp`, checked below.
            .set_other_audience_verifier_fn(|_| true)
            // `exp` must be after now minus the skew.
            .set_time_fn(move || earliest)
            .set_issue_time_verifier_fn(move |iat| {
                if iat > latest { Err(format!("issued in the future ({iat})")) } else { Ok(()) }
            });
    let claims = token
        .claims(&verifier, &Nonce::new(nonce.to_owned()))
        .map_err(|e| OidcError::id_token(check_of(&e), e.to_string()))?;
    // Core §3.1.3.7 items 4–5: with several audiences `azp` must be present, and whenever
    // present it must be us.
    match claims.authorized_party() {
        Some(azp) if azp.as_str() != client_id => {
            return Err(OidcError::id_token(IdTokenCheck::Audience, format!("azp is {:?}", azp.as_str())));
        }
        None if claims.audiences().len() > 1 => {
            return Err(OidcError::id_token(IdTokenCheck::Audience, "several audiences and no azp"));
        }
        _ => {}
    }
    Ok(VerifiedIdToken { claims: payload(raw)?, raw: raw.to_owned() })
}

/// The claims of a compact JWT (already verified), as JSON.
fn payload(raw: &str) -> Result<Map<String, Value>, OidcError> {
    let malformed = |why: String| OidcError::id_token(IdTokenCheck::Malformed, why);
    let part = raw.split('.').nth(1).ok_or_else(|| malformed("no payload".into()))?;
    let bytes = URL_SAFE_NO_PAD.decode(part).map_err(|e| malformed(e.to_string()))?;
    serde_json::from_slice(&bytes).map_err(|e| malformed(e.to_string()))
}

#[cfg(test)]
#[path = "id_token_tests.rs"]
mod tests;
