//! Random tokens and their stored digests, and authenticated encryption of secrets at rest
//! under the deployment's master key.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, anyhow};
use aws_lc_rs::aead::{AES_256_GCM, Aad, RandomizedNonceKey};
use aws_lc_rs::hkdf;
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::config::MasterKeySource;

/// A version tag (an `ETag` without its quotes) over the parts of a record it shows: 24 hex
/// digits of their SHA-256, each part ended by a NUL so that no two lists of parts collide.
pub(crate) fn version_tag(parts: &[&str]) -> String {
    let mut h = Sha256::new();
    for p in parts {
        h.update(p.as_bytes());
        h.update([0]);
    }
    let digest = h.finalize();
    digest.iter().take(12).map(|b| format!("{b:02x}")).collect()
}

/// Fills `buf` from the operating system's CSPRNG.
pub fn random_bytes(buf: &mut [u8]) -> anyhow::Result<()> {
    aws_lc_rs::rand::fill(buf).map_err(|_| anyhow!("the system random generator failed"))
}

/// A fresh random token of 256 bits, URL-safe base64 (43 characters), and the digest to store.
#[derive(Debug)]
pub struct NewToken {
    /// The value handed to the user once (in a link or cookie); never stored.
    pub secret: SecretString,
    /// SHA-256 of `secret`: what the database keeps.
    pub digest: TokenDigest,
}

/// The SHA-256 digest of a token, the only form in which tokens are stored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TokenDigest(pub [u8; 32]);

impl TokenDigest {
    /// The digest of a presented token.
    pub fn of(token: &str) -> Self {
        Self(Sha256::digest(token.as_bytes()).into())
    }

    /// As bytes, for binding in queries.
    pub fn as_bytes(&self) -> &[u8] {
        &self.0
    }
}

/// Generates a 256-bit token.
pub fn new_token() -> anyhow::Result<NewToken> {
    let mut raw = Zeroizing::new([0u8; 32]);
    random_bytes(raw.as_mut())?;
    let secret = URL_SAFE_NO_PAD.encode(raw.as_ref());
    let digest = TokenDigest::of(&secret);
    Ok(NewToken { secret: SecretString::from(secret), digest })
}

/// The 32-byte deployment master key. Only derived keys are ever used directly.
pub struct MasterKey(Zeroizing<[u8; 32]>);

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("MasterKey([redacted])")
    }
}

/// How the master key was obtained, so the server can warn when it sits beside the data.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MasterKeyOrigin {
    /// From configuration (`master_key` / `KEYSTEAD_MASTER_KEY`).
    Configured,
    /// Read from an existing key file.
    File(std::path::PathBuf),
    /// Generated just now into a key file.
    Generated(std::path::PathBuf),
}

impl MasterKey {
    /// Builds a key from 32 raw bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(Zeroizing::new(bytes))
    }

    /// Parses the base64 form (standard or URL-safe alphabet, 32 bytes).
    pub fn parse(encoded: &str) -> Result<Self, String> {
        let text = encoded.trim();
        let bytes = Zeroizing::new(
            STANDARD
                .decode(text)
                .or_else(|_| URL_SAFE_NO_PAD.decode(text.trim_end_matches('=')))
                .map_err(|_| "expected 32 bytes in base64 (generate one with: openssl rand -base64 32)".to_owned())?,
        );
        let array: [u8; 32] = bytes
            .as_slice()
            .try_into()
            .map_err(|_| format!("expected 32 bytes in base64, got {} bytes", bytes.len()))?;
        Ok(Self::from_bytes(array))
    }

    /// A fresh random key.
    pub fn generate() -> anyhow::Result<Self> {
        let mut bytes = [0u8; 32];
        random_bytes(&mut bytes)?;
        Ok(Self::from_bytes(bytes))
    }

    /// The base64 form written to key files.
    pub fn encode(&self) -> Zeroizing<String> {
        Zeroizing::new(STANDARD.encode(self.0.as_ref()))
    }

    /// Loads the key as configured, generating a key file (mode 0600) when none exists yet.
    pub fn load(source: &MasterKeySource) -> anyhow::Result<(Self, MasterKeyOrigin)> {
        match source {
            MasterKeySource::Inline(secret) => {
                let key = Self::parse(secret.expose_secret()).map_err(|e| anyhow!("master_key: {e}"))?;
                Ok((key, MasterKeyOrigin::Configured))
            }
            MasterKeySource::File(path) => Self::load_file(path),
        }
    }

    fn load_file(path: &Path) -> anyhow::Result<(Self, MasterKeyOrigin)> {
        match std::fs::read_to_string(path) {
            Ok(text) => {
                let key = Self::parse(&text).map_err(|e| anyhow!("master_key_file {}: {e}", path.display()))?;
                Ok((key, MasterKeyOrigin::File(path.to_owned())))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                let key = Self::generate()?;
                write_private_file(path, key.encode().as_bytes()).with_context(|| {
                    format!(
                        "cannot write the master key file {} (set master_key_file or data_dir to a writable place)",
                        path.display()
                    )
                })?;
                Ok((key, MasterKeyOrigin::Generated(path.to_owned())))
            }
            Err(e) => {
                Err(e).with_context(|| format!("cannot read the master key file {} (master_key_file)", path.display()))
            }
        }
    }

    /// Derives a 32-byte key for one purpose (HKDF-SHA256, RFC 5869), so that no two uses share a key.
    pub fn derive(&self, purpose: &str) -> Zeroizing<[u8; 32]> {
        let mut out = Zeroizing::new([0u8; 32]);
        let salt = hkdf::Salt::new(hkdf::HKDF_SHA256, b"keystead master key v1");
        let prk = salt.extract(self.0.as_ref());
        let info = [purpose.as_bytes()];
        // Expanding 32 bytes from SHA-256 cannot fail (the limit is 255 × 32).
        if let Ok(okm) = prk.expand(&info, hkdf::HKDF_SHA256) {
            let _ = okm.fill(out.as_mut());
        }
        out
    }
}

/// Creates `path` (and its parent) readable only by the owner, failing if it already exists.
fn write_private_file(path: &Path, contents: &[u8]) -> std::io::Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path)?;
    file.write_all(contents)?;
    file.sync_all()
}

/// Authenticated encryption (AES-256-GCM with random nonces) of secrets stored in the database:
/// TOTP secrets, signing keys, upstream client secrets.
pub struct SecretBox {
    key: RandomizedNonceKey,
}

impl std::fmt::Debug for SecretBox {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("SecretBox([redacted])")
    }
}

const SEALED_VERSION: u8 = 1;
const NONCE_LEN: usize = 12;

impl SecretBox {
    /// The box for secrets at rest, keyed from the master key.
    pub fn new(master: &MasterKey) -> anyhow::Result<Self> {
        Self::for_purpose(master, "secrets at rest")
    }

    /// A box under its own key, derived from the master key for one purpose (HKDF info
    /// `purpose`), so that one kind of secret never shares a key with another.
    pub fn for_purpose(master: &MasterKey, purpose: &str) -> anyhow::Result<Self> {
        let key_bytes = master.derive(purpose);
        let key = RandomizedNonceKey::new(&AES_256_GCM, key_bytes.as_ref())
            .map_err(|_| anyhow!("AES-256-GCM key setup failed"))?;
        Ok(Self { key })
    }

    /// Encrypts `plaintext`, bound to `context` (say `"totp:<user id>"`): a ciphertext moved to
    /// another row or purpose fails to open.
    pub fn seal(&self, context: &str, plaintext: &[u8]) -> anyhow::Result<Vec<u8>> {
        let mut in_out = plaintext.to_vec();
        let nonce = self
            .key
            .seal_in_place_append_tag(Aad::from(context.as_bytes()), &mut in_out)
            .map_err(|_| anyhow!("encryption failed"))?;
        let mut out = Vec::with_capacity(1 + NONCE_LEN + in_out.len());
        out.push(SEALED_VERSION);
        out.extend_from_slice(nonce.as_ref());
        out.extend_from_slice(&in_out);
        Ok(out)
    }

    /// Decrypts what [`SecretBox::seal`] produced with the same `context`.
    pub fn open(&self, context: &str, sealed: &[u8]) -> anyhow::Result<Zeroizing<Vec<u8>>> {
        let (version, rest) = sealed.split_first().ok_or_else(|| anyhow!("empty ciphertext"))?;
        if *version != SEALED_VERSION || rest.len() < NONCE_LEN {
            return Err(anyhow!("unknown ciphertext format"));
        }
        let (nonce, body) = rest.split_at(NONCE_LEN);
        let nonce = aws_lc_rs::aead::Nonce::try_assume_unique_for_key(nonce).map_err(|_| anyhow!("bad nonce"))?;
        let mut in_out = Zeroizing::new(body.to_vec());
        let plain_len = self
            .key
            .open_in_place(nonce, Aad::from(context.as_bytes()), in_out.as_mut_slice())
            .map_err(|_| anyhow!("decryption failed: wrong master key, or the data was altered"))?
            .len();
        in_out.truncate(plain_len);
        Ok(in_out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_only_as_digests() {
        let a = new_token().unwrap();
        let b = new_token().unwrap();
        assert_eq!(a.secret.expose_secret().len(), 43);
        assert_ne!(a.secret.expose_secret(), b.secret.expose_secret());
        assert_eq!(a.digest, TokenDigest::of(a.secret.expose_secret()));
        assert_ne!(a.digest.as_bytes(), a.secret.expose_secret().as_bytes());
    }

    #[test]
    fn sealed_secrets_open_only_with_the_same_key_and_context() {
        let key = MasterKey::generate().unwrap();
        let sealed_box = SecretBox::new(&key).unwrap();
        let sealed = sealed_box.seal("totp:1", b"JBSWY3DPEHPK3PXP").unwrap();
        assert!(!sealed.windows(8).any(|w| w == b"JBSWY3DP"));
        assert_eq!(sealed_box.open("totp:1", &sealed).unwrap().as_slice(), b"JBSWY3DPEHPK3PXP");
        assert!(sealed_box.open("totp:2", &sealed).is_err());
        let other = SecretBox::new(&MasterKey::generate().unwrap()).unwrap();
        assert!(other.open("totp:1", &sealed).is_err());
        let mut tampered = sealed.clone();
        *tampered.last_mut().unwrap() ^= 1;
        assert!(sealed_box.open("totp:1", &tampered).is_err());
        assert!(sealed_box.open("totp:1", &[]).is_err());
    }

    #[test]
    fn a_missing_key_file_is_generated_private_and_then_reused() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/master.key");
        let source = MasterKeySource::File(path.clone());
        let (k1, origin) = MasterKey::load(&source).unwrap();
        assert_eq!(origin, MasterKeyOrigin::Generated(path.clone()));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let (k2, origin) = MasterKey::load(&source).unwrap();
        assert_eq!(origin, MasterKeyOrigin::File(path));
        assert_eq!(k1.encode(), k2.encode());
    }

    #[test]
    fn a_malformed_master_key_is_refused_with_a_reason() {
        let err = MasterKey::load(&MasterKeySource::Inline(SecretString::from("c2hvcnQ="))).unwrap_err();
        assert!(err.to_string().contains("master_key: expected 32 bytes"), "{err}");
        assert!(format!("{:?}", MasterKey::generate().unwrap()).contains("redacted"));
    }

    #[test]
    fn derived_keys_differ_by_purpose() {
        let key = MasterKey::generate().unwrap();
        assert_ne!(*key.derive("a"), *key.derive("b"));
        assert_eq!(*key.derive("a"), *key.derive("a"));
    }
}
