//! DPoP (RFC 9449): a client proves, with each request, that it holds the private key its tokens
//! are bound to. The proof is a JWT signed by that key (its public JWK in the header); the
//! access token carries the key's thumbprint in `cnf.jkt` and is refused without a matching
//! proof, so a stolen token is useless on its own.
//!
//! A proof is accepted once: its `jti` is remembered in the database (every node) until it could
//! no longer pass the `iat` window. Server nonces (§8) are stateless: an HMAC of a five-minute
//! window under a key derived from the master key, so any node checks what another one issued;
//! the current and the previous window's nonce pass. With `oauth.dpop_nonce_required` every proof
//! must carry one (`use_dpop_nonce` answers with a fresh one); without, a nonce sent is checked.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{Jwk, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, Validation};
use serde_json::{Map, Value};
use sha2::{Digest, Sha256};

use super::{ErrorCode, OAuthError, OAuthResult};
use crate::Core;

/// The JWS algorithms accepted for proofs (asymmetric only, RFC 9449 §4.2).
pub const ALGS: [Algorithm; 9] = [
    Algorithm::ES256,
    Algorithm::ES384,
    Algorithm::EdDSA,
    Algorithm::RS256,
    Algorithm::RS384,
    Algorithm::RS512,
    Algorithm::PS256,
    Algorithm::PS384,
    Algorithm::PS512,
];
/// How old a proof's `iat` may be.
pub const MAX_AGE: time::Duration = time::Duration::minutes(5);
/// How far in the future a proof's `iat` may be (clock skew).
pub const MAX_SKEW: time::Duration = time::Duration::seconds(60);
/// The length of a nonce window (a nonce passes in its window and the next).
const NONCE_WINDOW_SECS: i64 = 300;
/// What nonces are tagged with (see [`Core::code_tag`]).
const NONCE_LABEL: &[u8] = b"dpop nonce:";
/// The largest proof accepted.
const MAX_PROOF_LEN: usize = 8 * 1024;

/// The names of [`ALGS`], for discovery (`dpop_signing_alg_values_supported`).
pub fn alg_names() -> Vec<&'static str> {
    ALGS.iter()
        .map(|a| match a {
            Algorithm::ES256 => "ES256",
            Algorithm::ES384 => "ES384",
            Algorithm::EdDSA => "EdDSA",
            Algorithm::RS256 => "RS256",
            Algorithm::RS384 => "RS384",
            Algorithm::RS512 => "RS512",
            Algorithm::PS256 => "PS256",
            Algorithm::PS384 => "PS384",
            _ => "PS512",
        })
        .collect()
}

/// What a request presents with a proof: the method and the endpoint's path (the proof's `htm`
/// and `htu`, RFC 9449 §4.3), and at a resource the access token (`ath`).
#[derive(Debug, Clone, Copy)]
pub struct ProofTarget<'a> {
    /// The HTTP method.
    pub method: &'a str,
    /// The endpoint's path under the issuer, e.g. `/oauth/token`.
    pub path: &'a str,
    /// The access token presented with the proof (resource requests only).
    pub access_token: Option<&'a str>,
}

fn invalid(description: &str) -> OAuthError {
    OAuthError::new(ErrorCode::InvalidDpopProof, description)
}

/// The SHA-256 of `s`, base64url (the `ath` of an access token, RFC 9449 §4.2).
pub fn token_hash(s: &str) -> String {
    URL_SAFE_NO_PAD.encode(Sha256::digest(s.as_bytes()))
}

/// The `htu` a proof must name: scheme, host and path, without query or fragment (§4.3).
fn normalized_htu(htu: &str) -> Option<String> {
    let mut u = url::Url::parse(htu).ok()?;
    u.set_query(None);
    u.set_fragment(None);
    Some(u.as_str().trim_end_matches('/').to_owned())
}

impl Core {
    /// A nonce for DPoP proofs (the `DPoP-Nonce` header), good for five to ten minutes on every
    /// node.
    pub fn dpop_nonce(&self) -> String {
        self.dpop_nonce_of(self.clock().now().unix_timestamp().div_euclid(NONCE_WINDOW_SECS))
    }

    fn dpop_nonce_of(&self, window: i64) -> String {
        self.code_tag(NONCE_LABEL, &[&window.to_be_bytes()], 18)
    }

    fn dpop_nonce_valid(&self, nonce: &str) -> bool {
        let window = self.clock().now().unix_timestamp().div_euclid(NONCE_WINDOW_SECS);
        [window, window - 1].iter().any(|w| self.tag_matches(nonce, NONCE_LABEL, &[&w.to_be_bytes()], 18))
    }

    /// Verifies a DPoP proof (RFC 9449 §4.3) for `target` and remembers its `jti`; the key's
    /// thumbprint (`jkt`, RFC 7638) when it passes. `invalid_dpop_proof` when it does not,
    /// `use_dpop_nonce` when a nonce is needed or stale.
    pub async fn verify_dpop_proof(&self, proof: &str, target: ProofTarget<'_>) -> OAuthResult<String> {
        if proof.len() > MAX_PROOF_LEN {
            return Err(invalid("the DPoP proof is too long"));
        }
        let (jwk, alg) = proof_key(proof)?;
        let key =
            DecodingKey::from_jwk(&jwk).map_err(|_| invalid("the DPoP proof's jwk is not a usable public key"))?;
        let mut validation = Validation::new(alg);
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let claims = jsonwebtoken::decode::<Map<String, Value>>(proof, &key, &validation)
            .map_err(|_| invalid("the DPoP proof's signature does not verify with its jwk"))?
            .claims;
        self.check_proof_claims(&claims, target)?;
        let jkt =
            jwk.thumbprint(ThumbprintHash::SHA256).map_err(|_| invalid("the DPoP proof's jwk has no thumbprint"))?;
        let jti = claims.get("jti").and_then(Value::as_str).unwrap_or_default();
        let seen: [u8; 32] = Sha256::digest(format!("{jkt}:{jti}").as_bytes()).into();
        let expires_at = self.clock().now() + MAX_AGE + MAX_SKEW;
        let mut conn = self.store().conn().await?;
        if !crate::store::oauth_jtis::remember_proof(conn.db(), &seen, expires_at).await? {
            return Err(invalid("this DPoP proof was already used"));
        }
        Ok(jkt)
    }

    fn check_proof_claims(&self, claims: &Map<String, Value>, target: ProofTarget<'_>) -> OAuthResult<()> {
        let text = |name: &str| claims.get(name).and_then(Value::as_str).filter(|s| !s.is_empty());
        let jti = text("jti").ok_or_else(|| invalid("the DPoP proof has no jti"))?;
        if jti.len() > 256 {
            return Err(invalid("the DPoP proof's jti is too long"));
        }
        if text("htm") != Some(target.method) {
            return Err(invalid("the DPoP proof's htm is not this request's method"));
        }
        let expected = normalized_htu(&format!("{}{}", super::issuer(self), target.path));
        if text("htu").and_then(normalized_htu) != expected {
            return Err(invalid("the DPoP proof's htu is not this endpoint"));
        }
        let now = self.clock().now().unix_timestamp();
        let iat = claims.get("iat").and_then(Value::as_i64).ok_or_else(|| invalid("the DPoP proof has no iat"))?;
        if iat < now - MAX_AGE.whole_seconds() || iat > now + MAX_SKEW.whole_seconds() {
            return Err(OAuthError::new(
                ErrorCode::InvalidDpopProof,
                "the DPoP proof's iat is too old or in the future",
            ));
        }
        match text("nonce") {
            Some(n) if !self.dpop_nonce_valid(n) => {
                return Err(OAuthError::new(ErrorCode::UseDpopNonce, "the DPoP nonce is stale; use the one sent"));
            }
            None if self.config().oauth.dpop_nonce_required => {
                return Err(OAuthError::new(ErrorCode::UseDpopNonce, "DPoP proofs need the nonce sent in DPoP-Nonce"));
            }
            _ => {}
        }
        match target.access_token {
            Some(token) if text("ath") != Some(token_hash(token).as_str()) => {
                Err(invalid("the DPoP proof's ath is not this access token's hash"))
            }
            _ => Ok(()),
        }
    }
}

/// The public key and algorithm of a proof, from its header: `typ` `dpop+jwt`, an asymmetric
/// `alg`, and a `jwk` without private parts (RFC 9449 §4.2).
fn proof_key(proof: &str) -> OAuthResult<(Jwk, Algorithm)> {
    let raw = proof.split('.').next().and_then(|h| URL_SAFE_NO_PAD.decode(h).ok());
    let header: Map<String, Value> =
        raw.and_then(|h| serde_json::from_slice(&h).ok()).ok_or_else(|| invalid("the DPoP proof is not a JWT"))?;
    if header.get("typ").and_then(Value::as_str) != Some("dpop+jwt") {
        return Err(invalid("the DPoP proof's typ must be dpop+jwt"));
    }
    let alg = header
        .get("alg")
        .and_then(Value::as_str)
        .and_then(|a| a.parse::<Algorithm>().ok())
        .filter(|a| ALGS.contains(a))
        .ok_or_else(|| invalid("the DPoP proof's alg is not supported"))?;
    let jwk_value = header.get("jwk").ok_or_else(|| invalid("the DPoP proof has no jwk"))?;
    if ["d", "p", "q", "dp", "dq", "qi", "k"].iter().any(|private| jwk_value.get(private).is_some()) {
        return Err(invalid("the DPoP proof's jwk must be a public key"));
    }
    let jwk: Jwk =
        serde_json::from_value(jwk_value.clone()).map_err(|_| invalid("the DPoP proof's jwk is malformed"))?;
    Ok((jwk, alg))
}
