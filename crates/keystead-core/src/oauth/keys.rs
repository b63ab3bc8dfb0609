//! Signing keys (RFC 7517 JWKs, RFC 7638 thumbprints as `kid`): generated with aws-lc-rs,
//! stored sealed, published in the JWKS before they sign and after they stop, until every
//! token they signed has expired.

use std::collections::HashMap;
use std::sync::{Arc, RwLock};

use anyhow::{Context, anyhow};
use aws_lc_rs::encoding::AsDer;
use jsonwebtoken::jwk::{Jwk, PublicKeyUse, ThumbprintHash};
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Validation};
use sha2::Digest as _;
use time::OffsetDateTime;
use uuid::Uuid;

use crate::Core;
use crate::error::Result;
use crate::store::oauth::{self as store, SigningKeyRow};

/// A JWS algorithm the server signs with. RS256 is always available (OpenID Connect Core §15.1);
/// a client may choose ES256 or EdDSA for its ID tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SigningAlg {
    /// RSASSA-PKCS1-v1_5 with SHA-256, 2048-bit keys.
    Rs256,
    /// ECDSA on P-256 with SHA-256.
    Es256,
    /// Ed25519 (RFC 8037).
    EdDsa,
}

impl SigningAlg {
    /// Every algorithm, RS256 first.
    pub const ALL: [Self; 3] = [Self::Rs256, Self::Es256, Self::EdDsa];

    /// The JWA name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Rs256 => "RS256",
            Self::Es256 => "ES256",
            Self::EdDsa => "EdDSA",
        }
    }

    /// Parses a JWA name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|a| a.as_str() == s)
    }

    fn jwt(self) -> Algorithm {
        match self {
            Self::Rs256 => Algorithm::RS256,
            Self::Es256 => Algorithm::ES256,
            Self::EdDsa => Algorithm::EdDSA,
        }
    }
}

/// Keys parsed once: private keys ready to sign and public keys ready to verify, by `kid`, and
/// the published key list, read again from the database at most once a minute (a new key is
/// published a day before it signs, so every node sees it long before it is used).
#[derive(Default)]
pub(crate) struct KeyCache {
    signers: RwLock<HashMap<String, Arc<Signer>>>,
    verifiers: RwLock<HashMap<String, Arc<DecodingKey>>>,
    rows: RwLock<Option<(OffsetDateTime, Arc<Vec<SigningKeyRow>>)>>,
    /// The JWKS serialised from one key list (the same `Arc`), served as bytes.
    jwks: RwLock<Option<SerialisedJwks>>,
    /// Tokens already verified, by the SHA-256 of their text, until their `exp`: an API calls
    /// userinfo or introspection with the same access token many times, and checking an ES256
    /// signature costs ~55 µs, more than the rest of the request. The same text always verifies
    /// the same way while its key is published, and a key stays published until every token it
    /// signed has expired.
    verified: std::sync::Mutex<HashMap<[u8; 32], Arc<Verified>>>,
}

/// At most this many verified tokens are remembered per node (expired ones are dropped first).
const VERIFIED_CACHE_MAX: usize = 20_000;

/// A JWKS document and the key list it was made from.
type SerialisedJwks = (Arc<Vec<SigningKeyRow>>, Arc<str>);

/// How long the published key list is reused before it is read again.
const KEY_LIST_TTL: time::Duration = time::Duration::seconds(60);

/// A private key parsed once (jsonwebtoken parses its key on every signature, which costs an
/// RSA key validation each time: milliseconds).
enum Signer {
    Rsa(aws_lc_rs::rsa::KeyPair),
    Ec(aws_lc_rs::signature::EcdsaKeyPair),
    Ed(aws_lc_rs::signature::Ed25519KeyPair),
}

/// `BASE64URL(header).BASE64URL(claims).BASE64URL(signature)` (RFC 7515 §7.1).
fn compact(signer: &Signer, header: &serde_json::Value, claims: &serde_json::Value) -> anyhow::Result<String> {
    use base64::Engine;
    let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut out = b64.encode(serde_json::to_vec(header).context("JWT header")?);
    out.push('.');
    out.push_str(&b64.encode(serde_json::to_vec(claims).context("JWT claims")?));
    let signature = signer.sign(out.as_bytes())?;
    out.push('.');
    out.push_str(&b64.encode(signature));
    Ok(out)
}

impl Signer {
    fn from_pkcs8(alg: SigningAlg, der: &[u8]) -> anyhow::Result<Self> {
        Ok(match alg {
            SigningAlg::Rs256 => {
                Self::Rsa(aws_lc_rs::rsa::KeyPair::from_pkcs8(der).map_err(|e| anyhow!("RSA key: {e}"))?)
            }
            SigningAlg::Es256 => Self::Ec(
                aws_lc_rs::signature::EcdsaKeyPair::from_pkcs8(
                    &aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING,
                    der,
                )
                .map_err(|e| anyhow!("P-256 key: {e}"))?,
            ),
            SigningAlg::EdDsa => Self::Ed(
                aws_lc_rs::signature::Ed25519KeyPair::from_pkcs8(der).map_err(|e| anyhow!("Ed25519 key: {e}"))?,
            ),
        })
    }

    /// The JWS signature of `input` (RFC 7518 §3.3, §3.4: R || S for ECDSA; RFC 8037 §3.1).
    fn sign(&self, input: &[u8]) -> anyhow::Result<Vec<u8>> {
        let rng = aws_lc_rs::rand::SystemRandom::new();
        Ok(match self {
            Self::Rsa(k) => {
                let mut sig = vec![0u8; k.public_modulus_len()];
                k.sign(&aws_lc_rs::signature::RSA_PKCS1_SHA256, &rng, input, &mut sig)
                    .map_err(|_| anyhow!("RSA signing failed"))?;
                sig
            }
            Self::Ec(k) => k.sign(&rng, input).map_err(|_| anyhow!("ECDSA signing failed"))?.as_ref().to_vec(),
            Self::Ed(k) => k.sign(input).as_ref().to_vec(),
        })
    }
}

impl std::fmt::Debug for KeyCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("KeyCache([redacted])")
    }
}

/// A key as shown to the operator.
#[derive(Debug, Clone, serde::Serialize)]
pub struct KeyInfo {
    /// Key id (RFC 7638 thumbprint).
    pub kid: String,
    /// Algorithm.
    pub alg: &'static str,
    /// Signs from.
    #[serde(with = "time::serde::rfc3339")]
    pub active_from: OffsetDateTime,
    /// Stops signing at.
    #[serde(with = "time::serde::rfc3339::option")]
    pub retired_at: Option<OffsetDateTime>,
    /// Leaves the JWKS at.
    #[serde(with = "time::serde::rfc3339::option")]
    pub expires_at: Option<OffsetDateTime>,
    /// Generated (and published) at.
    #[serde(with = "time::serde::rfc3339")]
    pub created_at: OffsetDateTime,
}

impl From<&SigningKeyRow> for KeyInfo {
    fn from(r: &SigningKeyRow) -> Self {
        Self {
            kid: r.kid.clone(),
            alg: SigningAlg::parse(&r.alg).map_or("?", SigningAlg::as_str),
            active_from: r.active_from,
            retired_at: r.retired_at,
            expires_at: r.expires_at,
            created_at: r.created_at,
        }
    }
}

fn seal_context(kid: &str) -> String {
    format!("oauth signing key:{kid}")
}

/// A new private key as PKCS#8 v1 DER.
fn generate_pkcs8(alg: SigningAlg) -> anyhow::Result<Vec<u8>> {
    Ok(match alg {
        SigningAlg::Rs256 => {
            let pair = aws_lc_rs::rsa::KeyPair::generate(aws_lc_rs::rsa::KeySize::Rsa2048)
                .map_err(|_| anyhow!("RSA key generation failed"))?;
            let der = AsDer::<aws_lc_rs::encoding::Pkcs8V1Der>::as_der(&pair)
                .map_err(|_| anyhow!("RSA key encoding failed"))?;
            der.as_ref().to_vec()
        }
        SigningAlg::Es256 => {
            let pair =
                aws_lc_rs::signature::EcdsaKeyPair::generate(&aws_lc_rs::signature::ECDSA_P256_SHA256_FIXED_SIGNING)
                    .map_err(|_| anyhow!("P-256 key generation failed"))?;
            pair.to_pkcs8v1().map_err(|_| anyhow!("P-256 key encoding failed"))?.as_ref().to_vec()
        }
        SigningAlg::EdDsa => {
            // jsonwebtoken wants the 48-byte PKCS#8 v1 form (v2 carries the public key too).
            let rng = aws_lc_rs::rand::SystemRandom::new();
            aws_lc_rs::signature::Ed25519KeyPair::generate_pkcs8v1(&rng)
                .map_err(|_| anyhow!("Ed25519 key generation failed"))?
                .as_ref()
                .to_vec()
        }
    })
}

/// The jsonwebtoken key for a PKCS#8 private key. Its RSA signer wants the PKCS#1
/// `RSAPrivateKey` inside the PKCS#8 wrapper (RFC 5208 §5).
fn encoding_key(alg: SigningAlg, pkcs8: &[u8]) -> anyhow::Result<EncodingKey> {
    Ok(match alg {
        SigningAlg::Rs256 => EncodingKey::from_rsa_der(pkcs8_private_key(pkcs8).context("malformed PKCS#8 RSA key")?),
        SigningAlg::Es256 => EncodingKey::from_ec_der(pkcs8),
        SigningAlg::EdDsa => EncodingKey::from_ed_der(pkcs8),
    })
}

/// Reads one DER TLV at the start of `input`: (tag, contents, rest).
fn der_tlv(input: &[u8]) -> Option<(u8, &[u8], &[u8])> {
    let (&tag, rest) = input.split_first()?;
    let (&first, rest) = rest.split_first()?;
    let (len, rest) = if first < 0x80 {
        (usize::from(first), rest)
    } else {
        let n = usize::from(first & 0x7f);
        if n == 0 || n > 4 || rest.len() < n {
            return None;
        }
        let len = rest[..n].iter().fold(0usize, |acc, b| (acc << 8) | usize::from(*b));
        (len, &rest[n..])
    };
    if rest.len() < len {
        return None;
    }
    Some((tag, &rest[..len], &rest[len..]))
}

/// The `privateKey` OCTET STRING of a PKCS#8 `PrivateKeyInfo`.
fn pkcs8_private_key(der: &[u8]) -> Option<&[u8]> {
    let (0x30, body, _) = der_tlv(der)? else { return None };
    let (0x02, _, rest) = der_tlv(body)? else { return None };
    let (0x30, _, rest) = der_tlv(rest)? else { return None };
    let (0x04, key, _) = der_tlv(rest)? else { return None };
    Some(key)
}

/// A new key row: generated, sealed, with its public JWK.
pub(super) fn new_key(
    core: &Core,
    alg: SigningAlg,
    now: OffsetDateTime,
    active_from: OffsetDateTime,
) -> Result<SigningKeyRow> {
    let pkcs8 = zeroize::Zeroizing::new(generate_pkcs8(alg)?);
    let enc = encoding_key(alg, &pkcs8)?;
    let mut jwk = Jwk::from_encoding_key(&enc, alg.jwt()).context("public JWK")?;
    let kid = jwk.thumbprint(ThumbprintHash::SHA256).context("JWK thumbprint")?;
    jwk.common.key_id = Some(kid.clone());
    jwk.common.public_key_use = Some(PublicKeyUse::Signature);
    let sealed = core.secrets().seal(&seal_context(&kid), &pkcs8)?;
    Ok(SigningKeyRow {
        id: Uuid::now_v7(),
        public_jwk: serde_json::to_string(&jwk).context("JWK")?,
        kid,
        alg: alg.as_str().to_owned(),
        private_key: sealed,
        created_at: now,
        active_from,
        retired_at: None,
        expires_at: None,
    })
}

pub(super) fn signs_now(k: &SigningKeyRow, alg: SigningAlg, now: OffsetDateTime) -> bool {
    k.alg == alg.as_str() && k.active_from <= now && k.retired_at.is_none_or(|r| r > now)
}

/// The key of `alg` signing at `now`: the most recently activated one.
fn current(keys: &[SigningKeyRow], alg: SigningAlg, now: OffsetDateTime) -> Option<&SigningKeyRow> {
    keys.iter().filter(|k| signs_now(k, alg, now)).max_by_key(|k| k.active_from)
}

/// A token signed by this server, verified: its header and claims.
#[derive(Debug, Clone)]
pub struct Verified {
    /// The claims.
    pub claims: serde_json::Map<String, serde_json::Value>,
    /// The `typ` header.
    pub typ: Option<String>,
}

impl Core {
    /// Makes sure each algorithm has a key signing now; generates the missing ones (at first
    /// start, nothing has been signed yet, so a new key may sign at once).
    pub(crate) async fn ensure_signing_keys(&self) -> Result<Vec<SigningKeyRow>> {
        let now = self.clock().now();
        let mut conn = self.store().conn().await?;
        let keys = store::published_keys(conn.db(), now).await?;
        if SigningAlg::ALL.iter().all(|a| current(&keys, *a, now).is_some()) {
            return Ok(keys);
        }
        drop(conn);
        let mut tx = self.store().begin().await?;
        store::lock_keys(tx.db()).await?;
        // Read again under the lock: another request or node may have just made them.
        let keys = store::published_keys(tx.db(), now).await?;
        for alg in SigningAlg::ALL {
            if current(&keys, alg, now).is_none() {
                let row = new_key(self, alg, now, now)?;
                store::insert_key(tx.db(), &row).await?;
            }
        }
        let keys = store::published_keys(tx.db(), now).await?;
        tx.commit().await?;
        self.forget_key_list();
        Ok(keys)
    }

    pub(super) fn forget_key_list(&self) {
        if let Ok(mut rows) = self.oauth_key_cache().rows.write() {
            *rows = None;
        }
    }

    /// The published keys, from the cache when it is less than a minute old.
    pub(crate) async fn published_keys(&self) -> Result<Arc<Vec<SigningKeyRow>>> {
        let now = self.clock().now();
        let cached = self.oauth_key_cache().rows.read().ok().and_then(|r| r.clone());
        if let Some((at, rows)) = cached
            && now >= at
            && now - at < KEY_LIST_TTL
        {
            return Ok(rows);
        }
        let rows = Arc::new(self.ensure_signing_keys().await?);
        if let Ok(mut slot) = self.oauth_key_cache().rows.write() {
            *slot = Some((now, Arc::clone(&rows)));
        }
        Ok(rows)
    }

    /// The JSON Web Key Set (RFC 7517 §5): every key that signs, will sign, or signed tokens
    /// that have not expired yet.
    pub async fn oauth_jwks(&self) -> Result<serde_json::Value> {
        Ok(serde_json::from_str(&self.oauth_jwks_document().await?).context("JWKS")?)
    }

    /// The JWKS as serialised JSON, made once per key list (the list is cached for a minute per
    /// node; a new key is published a day before it signs, so every node serves it in time).
    pub async fn oauth_jwks_document(&self) -> Result<Arc<str>> {
        let keys = self.published_keys().await?;
        let cache = &self.oauth_key_cache().jwks;
        if let Some((from, doc)) = cache.read().ok().and_then(|c| c.clone())
            && Arc::ptr_eq(&from, &keys)
        {
            return Ok(doc);
        }
        let mut list = Vec::with_capacity(keys.len());
        for k in keys.iter() {
            list.push(serde_json::from_str::<serde_json::Value>(&k.public_jwk).context("stored JWK")?);
        }
        let doc: Arc<str> = serde_json::to_string(&serde_json::json!({ "keys": list })).context("JWKS")?.into();
        if let Ok(mut slot) = cache.write() {
            *slot = Some((keys, Arc::clone(&doc)));
        }
        Ok(doc)
    }

    /// The published keys, for the operator.
    pub async fn signing_keys(&self) -> Result<Vec<KeyInfo>> {
        Ok(self.ensure_signing_keys().await?.iter().map(KeyInfo::from).collect())
    }

    /// Rotates the signing keys: for each algorithm whose current key is older than the rotation
    /// period (or for every one when `force`), and that has no successor yet, publishes a new
    /// key that signs after `key_publish_ahead`; the current key stops signing then and leaves
    /// the JWKS once the longest-lived token it signed has expired. Also deletes expired keys.
    /// Returns the keys created.
    pub async fn rotate_signing_keys(&self, force: bool) -> Result<Vec<KeyInfo>> {
        self.rotate_keys(force, &crate::audit::RequestMeta::default()).await
    }

    /// [`Core::rotate_signing_keys`], audited with `meta` (the operator who asked for it).
    pub(super) async fn rotate_keys(&self, force: bool, meta: &crate::audit::RequestMeta) -> Result<Vec<KeyInfo>> {
        self.ensure_signing_keys().await?;
        let now = self.clock().now();
        let cfg = self.config().oauth;
        let longest = cfg.id_token_ttl.max(cfg.access_token_ttl) + time::Duration::minutes(5);
        let mut tx = self.store().begin().await?;
        store::lock_keys(tx.db()).await?;
        let keys = store::published_keys(tx.db(), now).await?;
        let mut created = Vec::new();
        for alg in SigningAlg::ALL {
            let Some(cur) = current(&keys, alg, now) else { continue };
            let successor = keys.iter().any(|k| k.alg == alg.as_str() && k.active_from > now);
            let due = force || now - cur.active_from >= cfg.key_rotation;
            if successor || !due {
                continue;
            }
            let from = now + cfg.key_publish_ahead;
            let row = new_key(self, alg, now, from)?;
            store::insert_key(tx.db(), &row).await?;
            store::retire_key(tx.db(), cur.id, from, from + longest).await?;
            created.push(KeyInfo::from(&row));
        }
        store::purge_expired_keys(tx.db(), now).await?;
        if !created.is_empty() {
            let details = serde_json::json!({ "forced": force, "keys": created });
            let action = crate::audit::AuditAction::SigningKeysRotated;
            crate::audit::record(tx.db(), now, action, None, None, meta, details).await?;
        }
        tx.commit().await?;
        self.forget_key_list();
        Ok(created)
    }

    /// Signs `claims` with the current key of `alg`, with `kid` and `typ` in the header
    /// (RFC 7515 §3.1 compact serialization).
    pub(crate) async fn sign_jwt(&self, alg: SigningAlg, typ: &str, claims: &serde_json::Value) -> Result<String> {
        let now = self.clock().now();
        let keys = self.published_keys().await?;
        let key = current(&keys, alg, now).ok_or_else(|| anyhow!("no {} signing key", alg.as_str()))?;
        let signer = self.signer_for(key, alg)?;
        let header = serde_json::json!({ "alg": alg.as_str(), "kid": key.kid, "typ": typ });
        Ok(compact(&signer, &header, claims)?)
    }

    fn signer_for(&self, key: &SigningKeyRow, alg: SigningAlg) -> Result<Arc<Signer>> {
        let cache = &self.oauth_key_cache().signers;
        if let Some(k) = cache.read().ok().and_then(|c| c.get(&key.kid).cloned()) {
            return Ok(k);
        }
        let pkcs8 = self.secrets().open(&seal_context(&key.kid), &key.private_key)?;
        let signer = Arc::new(Signer::from_pkcs8(alg, &pkcs8)?);
        if let Ok(mut c) = cache.write() {
            c.insert(key.kid.clone(), Arc::clone(&signer));
        }
        Ok(signer)
    }

    fn verifier_for(&self, key: &SigningKeyRow) -> Result<Arc<DecodingKey>> {
        let cache = &self.oauth_key_cache().verifiers;
        if let Some(k) = cache.read().ok().and_then(|c| c.get(&key.kid).cloned()) {
            return Ok(k);
        }
        let jwk: Jwk = serde_json::from_str(&key.public_jwk).context("stored JWK")?;
        let dec = Arc::new(DecodingKey::from_jwk(&jwk).context("stored JWK")?);
        if let Ok(mut c) = cache.write() {
            c.insert(key.kid.clone(), Arc::clone(&dec));
        }
        Ok(dec)
    }

    /// Verifies a JWT this server signed (any published key): the signature and the issuer.
    /// Expiry is the caller's to check against the clock (`None` when the token is not ours or
    /// was altered).
    pub async fn verify_own_jwt(&self, token: &str) -> Result<Option<Verified>> {
        if token.len() > 16 * 1024 {
            return Ok(None);
        }
        let now = self.clock().now().unix_timestamp();
        let digest: [u8; 32] = sha2::Sha256::digest(token.as_bytes()).into();
        let cache = &self.oauth_key_cache().verified;
        if let Some(v) = cache.lock().ok().and_then(|c| c.get(&digest).cloned())
            && exp_of(&v).is_some_and(|exp| exp > now)
        {
            return Ok(Some(Verified::clone(&v)));
        }
        let verified = self.verify_own_jwt_uncached(token).await?;
        if let Some(v) = &verified
            && exp_of(v).is_some_and(|exp| exp > now)
            && let Ok(mut c) = cache.lock()
        {
            if c.len() >= VERIFIED_CACHE_MAX {
                c.retain(|_, v| exp_of(v).is_some_and(|exp| exp > now));
                if c.len() >= VERIFIED_CACHE_MAX {
                    c.clear();
                }
            }
            c.insert(digest, Arc::new(v.clone()));
        }
        Ok(verified)
    }

    async fn verify_own_jwt_uncached(&self, token: &str) -> Result<Option<Verified>> {
        let Ok(header) = jsonwebtoken::decode_header(token) else { return Ok(None) };
        let Some(kid) = header.kid.as_deref() else { return Ok(None) };
        let keys = self.published_keys().await?;
        let Some(row) = keys.iter().find(|k| k.kid == kid) else { return Ok(None) };
        let Some(alg) = SigningAlg::parse(&row.alg) else { return Ok(None) };
        if header.alg != alg.jwt() {
            return Ok(None);
        }
        let dec = self.verifier_for(row)?;
        let mut validation = Validation::new(alg.jwt());
        // The clock is ours to read (tests move it): expiry is checked by the caller.
        validation.validate_exp = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        validation.set_issuer(&[super::issuer(self)]);
        match jsonwebtoken::decode::<serde_json::Map<String, serde_json::Value>>(token, &dec, &validation) {
            Ok(data) => Ok(Some(Verified { claims: data.claims, typ: data.header.typ })),
            Err(_) => Ok(None),
        }
    }
}

/// A verified token's `exp`.
fn exp_of(v: &Verified) -> Option<i64> {
    v.claims.get("exp").and_then(serde_json::Value::as_i64)
}

/// A fresh key pair outside the database, signing and verifying as the server does (private
/// key parsed once), for benchmarks of the cost per algorithm.
pub struct StandaloneKey {
    alg: SigningAlg,
    signer: Signer,
    verifier: DecodingKey,
}

impl StandaloneKey {
    /// Generates a key of `alg`.
    pub fn generate(alg: SigningAlg) -> anyhow::Result<Self> {
        let pkcs8 = zeroize::Zeroizing::new(generate_pkcs8(alg)?);
        let enc = encoding_key(alg, &pkcs8)?;
        let jwk = Jwk::from_encoding_key(&enc, alg.jwt()).context("public JWK")?;
        let verifier = DecodingKey::from_jwk(&jwk).context("decoding key")?;
        Ok(Self { alg, signer: Signer::from_pkcs8(alg, &pkcs8)?, verifier })
    }

    /// Signs `claims` as a JWT.
    pub fn sign(&self, claims: &serde_json::Value) -> anyhow::Result<String> {
        compact(&self.signer, &serde_json::json!({ "alg": self.alg.as_str(), "typ": "JWT" }), claims)
    }

    /// Verifies the signature of `token` with jsonwebtoken, as relying parties do.
    pub fn verify(&self, token: &str) -> bool {
        let mut v = Validation::new(self.alg.jwt());
        v.validate_exp = false;
        v.validate_aud = false;
        v.required_spec_claims.clear();
        jsonwebtoken::decode::<serde_json::Value>(token, &self.verifier, &v).is_ok()
    }
}

#[cfg(test)]
mod tests {
    use jsonwebtoken::Header;

    use super::*;

    #[test]
    fn keys_of_every_algorithm_sign_and_verify_through_their_public_jwk() {
        for alg in SigningAlg::ALL {
            let pkcs8 = generate_pkcs8(alg).unwrap();
            let enc = encoding_key(alg, &pkcs8).unwrap();
            let jwk = Jwk::from_encoding_key(&enc, alg.jwt()).unwrap();
            let token = jsonwebtoken::encode(&Header::new(alg.jwt()), &serde_json::json!({"sub": "x"}), &enc).unwrap();
            let dec = DecodingKey::from_jwk(&jwk).unwrap();
            let mut v = Validation::new(alg.jwt());
            v.validate_exp = false;
            v.required_spec_claims.clear();
            let data = jsonwebtoken::decode::<serde_json::Value>(&token, &dec, &v).unwrap();
            assert_eq!(data.claims["sub"], "x", "{alg:?}");
            let mut forged = token.clone();
            forged.pop();
            forged.push(if token.ends_with('A') { 'B' } else { 'A' });
            assert!(jsonwebtoken::decode::<serde_json::Value>(&forged, &dec, &v).is_err(), "{alg:?}");
        }
    }

    #[test]
    fn tokens_signed_with_keys_parsed_once_verify_with_jsonwebtoken_and_forgeries_do_not() {
        for alg in SigningAlg::ALL {
            let key = StandaloneKey::generate(alg).unwrap();
            let token = key.sign(&serde_json::json!({"sub": "x"})).unwrap();
            assert!(key.verify(&token), "{alg:?}");
            let other = StandaloneKey::generate(alg).unwrap();
            assert!(!other.verify(&token), "{alg:?}: another key's signature");
            let (head, _) = token.rsplit_once('.').unwrap();
            let tampered = format!("{}.{}", head.replacen("eyJ", "eyK", 1), token.rsplit('.').next().unwrap());
            assert!(!key.verify(&tampered), "{alg:?}");
        }
    }

    /// Two nodes on one database, each with several requests making the first keys at once:
    /// one key per algorithm is created, and every JWKS served holds the key that signs.
    async fn concurrent_first_use_makes_one_key_per_algorithm(db: crate::testing::TestDb) {
        let (dir_a, dir_b) = (tempfile::tempdir().unwrap(), tempfile::tempdir().unwrap());
        let (clock, key) = (crate::clock::FakeClock::fixed(), crate::testing::new_master_key().unwrap());
        let a = crate::testing::core_on(&db, dir_a.path(), &key, clock.clone(), |_| {}).await.unwrap();
        let b = crate::testing::core_on(&db, dir_b.path(), &key, clock, |_| {}).await.unwrap();
        let mut calls = tokio::task::JoinSet::new();
        for i in 0..6 {
            let core = if i % 2 == 0 { a.clone() } else { b.clone() };
            calls.spawn(async move { core.oauth_jwks().await.unwrap() });
        }
        let served = calls.join_all().await;
        let keys = a.signing_keys().await.unwrap();
        assert_eq!(keys.len(), SigningAlg::ALL.len(), "{keys:?}");
        for core in [&a, &b] {
            for alg in SigningAlg::ALL {
                let token = core.sign_jwt(alg, "JWT", &serde_json::json!({"sub": "x"})).await.unwrap();
                let kid = jsonwebtoken::decode_header(&token).unwrap().kid.unwrap();
                for jwks in &served {
                    assert!(
                        jwks["keys"].as_array().unwrap().iter().any(|k| k["kid"] == kid.as_str()),
                        "{kid} not in {jwks}"
                    );
                }
            }
        }
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_first_use_makes_one_key_per_algorithm_on_sqlite() {
        concurrent_first_use_makes_one_key_per_algorithm(crate::testing::TestDb::sqlite().await.unwrap()).await;
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_first_use_makes_one_key_per_algorithm_on_postgres() {
        if let Some(db) = crate::testing::TestDb::postgres().await.unwrap() {
            concurrent_first_use_makes_one_key_per_algorithm(db).await;
        }
    }

    /// A token verified once is answered from the cache, but only that exact text: an altered
    /// copy is still checked (and refused), and tokens without a future `exp` are not kept.
    #[tokio::test]
    async fn verified_tokens_are_remembered_by_their_exact_text() {
        use base64::Engine;
        let db = crate::testing::TestDb::sqlite().await.unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (clock, key) = (crate::clock::FakeClock::fixed(), crate::testing::new_master_key().unwrap());
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        let iss = super::super::issuer(&core);
        let exp = core.clock().now().unix_timestamp() + 600;
        let claims = serde_json::json!({"iss": iss, "sub": "a", "exp": exp});
        let token = core.sign_jwt(SigningAlg::Es256, "at+jwt", &claims).await.unwrap();
        for _ in 0..2 {
            let v = core.verify_own_jwt(&token).await.unwrap().unwrap();
            assert_eq!((v.claims["sub"].as_str(), v.typ.as_deref()), (Some("a"), Some("at+jwt")));
        }
        assert_eq!(core.oauth_key_cache().verified.lock().unwrap().len(), 1);
        // The same signature over other claims.
        let b64 = base64::engine::general_purpose::URL_SAFE_NO_PAD;
        let parts: Vec<&str> = token.split('.').collect();
        let forged_claims = b64.encode(serde_json::json!({"iss": iss, "sub": "b", "exp": exp}).to_string());
        let forged = format!("{}.{forged_claims}.{}", parts[0], parts[2]);
        assert!(core.verify_own_jwt(&forged).await.unwrap().is_none());
        // No exp: verified each time, never kept.
        let no_exp = core.sign_jwt(SigningAlg::Es256, "JWT", &serde_json::json!({"iss": iss})).await.unwrap();
        assert!(core.verify_own_jwt(&no_exp).await.unwrap().is_some());
        assert_eq!(core.oauth_key_cache().verified.lock().unwrap().len(), 1);
    }

    #[test]
    fn pkcs8_unwrapping_refuses_garbage() {
        assert!(pkcs8_private_key(&[]).is_none());
        assert!(pkcs8_private_key(&[0x30, 0x82, 0xff]).is_none());
        assert!(pkcs8_private_key(&[0x04, 0x01, 0x00]).is_none());
    }
}
