//! The stored hash formats we can verify: Argon2id/Argon2i/Argon2d PHC strings, bcrypt
//! (`$2a$`/`$2b$`/`$2y$`), PBKDF2 in PHC form (`$pbkdf2-sha256$…`) and Django's `pbkdf2_sha256$…`.

use argon2::{Algorithm, Argon2, Block, Params, Version};
use base64::Engine;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use sha2::{Sha256, Sha512};
use subtle::ConstantTimeEq;

/// The family of a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HashFormat {
    /// Argon2 in PHC string form.
    Argon2,
    /// bcrypt, imported.
    Bcrypt,
    /// PBKDF2-HMAC (SHA-256 or SHA-512), imported.
    Pbkdf2,
}

impl HashFormat {
    /// Recognises the format of a stored hash, or `None` when it is not one we can verify.
    pub fn detect(stored: &str) -> Option<Self> {
        if stored.starts_with("$argon2") {
            Some(Self::Argon2)
        } else if ["$2a$", "$2b$", "$2y$"].iter().any(|p| stored.starts_with(p)) {
            Some(Self::Bcrypt)
        } else if stored.starts_with("$pbkdf2-sha") || stored.starts_with("pbkdf2_sha") {
            Some(Self::Pbkdf2)
        } else {
            None
        }
    }
}

/// Argon2 parameters fixed for new hashes.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Argon2Settings {
    pub(crate) params_m: u32,
    pub(crate) params_t: u32,
    pub(crate) params_p: u32,
}

impl Argon2Settings {
    pub(crate) fn params(&self) -> Result<Params, argon2::Error> {
        Params::new(self.params_m, self.params_t, self.params_p, Some(32))
    }
}

/// Hashes `password` with Argon2id into a PHC string, reusing `memory` (resized when needed).
pub(crate) fn hash_argon2id(
    settings: &Argon2Settings,
    password: &[u8],
    salt: &[u8; 16],
    memory: &mut Vec<Block>,
) -> anyhow::Result<String> {
    let params = settings.params().map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    let mut out = [0u8; 32];
    compute(Algorithm::Argon2id, Version::V0x13, params.clone(), password, salt, &mut out, memory)?;
    Ok(phc_argon2id(&params, salt, &out))
}

/// A PHC string with the current parameters, a random salt and a random output: no password
/// has this hash, and checking one against it costs exactly what a real check costs (for
/// accounts that do not exist). Made without running Argon2, so starting costs nothing.
pub(crate) fn dummy_argon2id(settings: &Argon2Settings, salt: &[u8; 16], out: &[u8; 32]) -> anyhow::Result<String> {
    let params = settings.params().map_err(|e| anyhow::anyhow!("argon2 parameters: {e}"))?;
    Ok(phc_argon2id(&params, salt, out))
}

/// The PHC string of an Argon2id (v=19) output.
fn phc_argon2id(params: &Params, salt: &[u8], out: &[u8]) -> String {
    format!(
        "$argon2id$v=19$m={},t={},p={}${}${}",
        params.m_cost(),
        params.t_cost(),
        params.p_cost(),
        STANDARD_NO_PAD.encode(salt),
        STANDARD_NO_PAD.encode(out)
    )
}

fn compute(
    alg: Algorithm,
    version: Version,
    params: Params,
    password: &[u8],
    salt: &[u8],
    out: &mut [u8],
    memory: &mut Vec<Block>,
) -> anyhow::Result<()> {
    let blocks = params.block_count();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let ctx = Argon2::new(alg, version, params);
    ctx.hash_password_into_with_memory(password, salt, out, &mut memory[..blocks])
        .map_err(|e| anyhow::anyhow!("argon2: {e}"))
}

/// The outcome of checking a password against a stored hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Checked {
    /// The password matches; `needs_upgrade` when the hash is not Argon2id with current parameters.
    Match { needs_upgrade: bool },
    /// It does not.
    Mismatch,
}

/// Verifies `password` against `stored` in constant time for the hash comparison.
pub(crate) fn verify(
    settings: &Argon2Settings,
    password: &[u8],
    stored: &str,
    memory: &mut Vec<Block>,
) -> anyhow::Result<Checked> {
    match HashFormat::detect(stored) {
        Some(HashFormat::Argon2) => verify_argon2(settings, password, stored, memory),
        Some(HashFormat::Bcrypt) => {
            let ok = bcrypt::verify(password, stored).map_err(|e| anyhow::anyhow!("bcrypt hash: {e}"))?;
            Ok(if ok { Checked::Match { needs_upgrade: true } } else { Checked::Mismatch })
        }
        Some(HashFormat::Pbkdf2) => verify_pbkdf2(password, stored),
        None => Err(anyhow::anyhow!("unrecognised password hash format")),
    }
}

fn verify_argon2(
    settings: &Argon2Settings,
    password: &[u8],
    stored: &str,
    memory: &mut Vec<Block>,
) -> anyhow::Result<Checked> {
    let phc = phc::PasswordHash::new(stored).map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))?;
    let alg = Algorithm::new(phc.algorithm.as_str()).map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))?;
    let version = match phc.version {
        Some(0x10) => Version::V0x10,
        _ => Version::V0x13,
    };
    let params = Params::try_from(&phc).map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))?;
    let salt = phc.salt.ok_or_else(|| anyhow::anyhow!("argon2 hash without salt"))?;
    let expected = phc.hash.ok_or_else(|| anyhow::anyhow!("argon2 hash without output"))?;
    let mut out = vec![0u8; expected.len()];
    let params = Params::new(params.m_cost(), params.t_cost(), params.p_cost(), Some(expected.len()))
        .map_err(|e| anyhow::anyhow!("argon2 hash: {e}"))?;
    let current = alg == Algorithm::Argon2id
        && version == Version::V0x13
        && params.m_cost() == settings.params_m
        && params.t_cost() == settings.params_t
        && params.p_cost() == settings.params_p;
    compute(alg, version, params, password, salt.as_ref(), &mut out, memory)?;
    Ok(if bool::from(out.as_slice().ct_eq(expected.as_bytes())) {
        Checked::Match { needs_upgrade: !current }
    } else {
        Checked::Mismatch
    })
}

struct Pbkdf2Parts {
    digest: String,
    rounds: u32,
    salt: Vec<u8>,
    expected: Vec<u8>,
}

fn parse_pbkdf2(stored: &str) -> anyhow::Result<Pbkdf2Parts> {
    let bad = || anyhow::anyhow!("malformed PBKDF2 hash");
    let (digest, rounds, salt, expected) = if let Some(rest) = stored.strip_prefix("pbkdf2_") {
        let mut parts = rest.split('$');
        let digest = parts.next().ok_or_else(bad)?.to_owned();
        let rounds: u32 = parts.next().ok_or_else(bad)?.parse().map_err(|_| bad())?;
        let salt = parts.next().ok_or_else(bad)?.as_bytes().to_vec();
        let expected = STANDARD.decode(parts.next().ok_or_else(bad)?).map_err(|_| bad())?;
        (digest, rounds, salt, expected)
    } else {
        let phc = phc::PasswordHash::new(stored).map_err(|e| anyhow::anyhow!("PBKDF2 hash: {e}"))?;
        let digest = phc.algorithm.as_str().trim_start_matches("pbkdf2-").to_owned();
        let rounds = phc.params.get_decimal("i").ok_or_else(bad)?;
        let salt = phc.salt.ok_or_else(bad)?.as_ref().to_vec();
        let expected = phc.hash.ok_or_else(bad)?.as_bytes().to_vec();
        (digest, rounds, salt, expected)
    };
    if rounds == 0 || expected.is_empty() || expected.len() > 64 {
        return Err(bad());
    }
    Ok(Pbkdf2Parts { digest, rounds, salt, expected })
}

/// The most memory an imported Argon2 hash may ask for at sign-in (KiB): 256 MiB.
const MAX_IMPORTED_ARGON2_KIB: u32 = 256 * 1024;
/// The most PBKDF2 rounds an imported hash may ask for (a sign-in would take seconds beyond).
const MAX_IMPORTED_PBKDF2_ROUNDS: u32 = 10_000_000;
/// The highest bcrypt cost an imported hash may have (2^16 rounds, a few seconds).
const MAX_IMPORTED_BCRYPT_COST: u32 = 16;

/// Checks that a hash brought from another system is one we can verify, without computing it:
/// well-formed, of a supported family, and no costlier at sign-in than the limits above. The
/// error is a sentence for the person importing.
pub fn check_importable(stored: &str) -> Result<HashFormat, String> {
    if stored.len() > 512 {
        return Err("This is longer than any supported password hash.".to_owned());
    }
    let format = HashFormat::detect(stored).ok_or_else(|| {
        "Give an Argon2 ($argon2id$…), bcrypt ($2b$…) or PBKDF2 ($pbkdf2-sha256$… or pbkdf2_sha256$…) hash.".to_owned()
    })?;
    match format {
        HashFormat::Argon2 => {
            let phc = phc::PasswordHash::new(stored).map_err(|e| format!("This Argon2 hash is malformed ({e})."))?;
            Algorithm::new(phc.algorithm.as_str()).map_err(|_| "Unknown Argon2 variant.".to_owned())?;
            let params = Params::try_from(&phc).map_err(|e| format!("This Argon2 hash has bad parameters ({e})."))?;
            if phc.salt.is_none() || phc.hash.is_none() {
                return Err("This Argon2 hash lacks its salt or its output.".to_owned());
            }
            if params.m_cost() > MAX_IMPORTED_ARGON2_KIB {
                return Err(format!("Argon2 memory above {MAX_IMPORTED_ARGON2_KIB} KiB is not accepted."));
            }
        }
        HashFormat::Bcrypt => {
            let parts: bcrypt::HashParts = stored.parse().map_err(|_| "This bcrypt hash is malformed.".to_owned())?;
            if parts.get_cost() > MAX_IMPORTED_BCRYPT_COST {
                return Err(format!("bcrypt cost above {MAX_IMPORTED_BCRYPT_COST} is not accepted."));
            }
        }
        HashFormat::Pbkdf2 => {
            let parts = parse_pbkdf2(stored).map_err(|e| format!("This PBKDF2 hash is malformed ({e})."))?;
            if !matches!(parts.digest.as_str(), "sha256" | "sha512") {
                return Err("PBKDF2 with SHA-256 or SHA-512 only.".to_owned());
            }
            if parts.rounds > MAX_IMPORTED_PBKDF2_ROUNDS {
                return Err(format!("PBKDF2 above {MAX_IMPORTED_PBKDF2_ROUNDS} rounds is not accepted."));
            }
        }
    }
    Ok(format)
}

/// PBKDF2 as PHC (`$pbkdf2-sha256$i=N[,l=L]$salt$hash`, B64 without padding) or Django
/// (`pbkdf2_sha256$N$salt$hash`, salt as text, hash in padded base64).
fn verify_pbkdf2(password: &[u8], stored: &str) -> anyhow::Result<Checked> {
    let Pbkdf2Parts { digest, rounds, salt, expected } = parse_pbkdf2(stored)?;
    let mut out = vec![0u8; expected.len()];
    match digest.as_str() {
        "sha256" => pbkdf2::pbkdf2_hmac::<Sha256>(password, &salt, rounds, &mut out),
        "sha512" => pbkdf2::pbkdf2_hmac::<Sha512>(password, &salt, rounds, &mut out),
        other => return Err(anyhow::anyhow!("unsupported PBKDF2 digest {other}")),
    }
    Ok(if bool::from(out.as_slice().ct_eq(&expected)) {
        Checked::Match { needs_upgrade: true }
    } else {
        Checked::Mismatch
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fast() -> Argon2Settings {
        Argon2Settings { params_m: 64, params_t: 1, params_p: 1 }
    }

    #[test]
    fn argon2id_hashes_round_trip_and_reject_other_passwords() {
        let mut mem = Vec::new();
        let h = hash_argon2id(&fast(), b"correct horse", &[7; 16], &mut mem).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=64,t=1,p=1$"), "{h}");
        assert_eq!(verify(&fast(), b"correct horse", &h, &mut mem).unwrap(), Checked::Match { needs_upgrade: false });
        assert_eq!(verify(&fast(), b"correct horsf", &h, &mut mem).unwrap(), Checked::Mismatch);
        let stronger = Argon2Settings { params_m: 128, ..fast() };
        assert_eq!(verify(&stronger, b"correct horse", &h, &mut mem).unwrap(), Checked::Match { needs_upgrade: true });
    }

    #[test]
    fn hashes_made_by_the_reference_argon2_crate_verify() {
        // An Argon2i hash with other parameters, as another system would have stored it.
        let mut mem = Vec::new();
        let salt = b"somesalt";
        let params = Params::new(64, 2, 1, Some(32)).unwrap();
        let mut out = [0u8; 32];
        Argon2::new(Algorithm::Argon2i, Version::V0x13, params)
            .hash_password_into(b"password", salt, &mut out)
            .unwrap();
        let stored =
            format!("$argon2i$v=19$m=64,t=2,p=1${}${}", STANDARD_NO_PAD.encode(salt), STANDARD_NO_PAD.encode(out));
        assert_eq!(verify(&fast(), b"password", &stored, &mut mem).unwrap(), Checked::Match { needs_upgrade: true });
    }

    #[test]
    fn imported_bcrypt_hashes_verify_and_ask_for_an_upgrade() {
        let mut mem = Vec::new();
        let stored = bcrypt::hash("hunter22", 4).unwrap();
        assert_eq!(verify(&fast(), b"hunter22", &stored, &mut mem).unwrap(), Checked::Match { needs_upgrade: true });
        assert_eq!(verify(&fast(), b"hunter23", &stored, &mut mem).unwrap(), Checked::Mismatch);
    }

    #[test]
    fn imported_django_pbkdf2_hashes_verify() {
        // Django 5: make_password("password", salt="seasalt", hasher="pbkdf2_sha256") with 1000 iterations.
        let mut out = [0u8; 32];
        pbkdf2::pbkdf2_hmac::<Sha256>(b"password", b"seasalt", 1000, &mut out);
        let stored = format!("pbkdf2_sha256$1000$seasalt${}", STANDARD.encode(out));
        let mut mem = Vec::new();
        assert_eq!(verify(&fast(), b"password", &stored, &mut mem).unwrap(), Checked::Match { needs_upgrade: true });
        assert_eq!(verify(&fast(), b"Password", &stored, &mut mem).unwrap(), Checked::Mismatch);
    }

    #[test]
    fn pbkdf2_matches_the_rfc_7914_vector_and_reads_phc_strings() {
        // RFC 7914 §11 test vector: PBKDF2-HMAC-SHA256("passwd", "salt", 1, 64), in Django's form.
        let expected = "55ac046e56e3089fec1691c22544b605f94185216dde0465e68b9d57c20dacbc49ca9cccf179b645991664b39d77ef317c71b845b1e30bd509112041d3a19783";
        let bytes: Vec<u8> =
            (0..expected.len()).step_by(2).map(|i| u8::from_str_radix(&expected[i..i + 2], 16).unwrap()).collect();
        let mut mem = Vec::new();
        let django = format!("pbkdf2_sha256$1$salt${}", STANDARD.encode(&bytes));
        assert_eq!(verify(&fast(), b"passwd", &django, &mut mem).unwrap(), Checked::Match { needs_upgrade: true });
        // The PHC form (as passlib writes it) of a SHA-512 hash.
        let mut out = [0u8; 64];
        pbkdf2::pbkdf2_hmac::<Sha512>(b"passwd", b"saltsaltsalt", 1000, &mut out);
        let phc = format!(
            "$pbkdf2-sha512$i=1000,l=64${}${}",
            STANDARD_NO_PAD.encode(b"saltsaltsalt"),
            STANDARD_NO_PAD.encode(out)
        );
        assert_eq!(verify(&fast(), b"passwd", &phc, &mut mem).unwrap(), Checked::Match { needs_upgrade: true });
        assert_eq!(verify(&fast(), b"passwe", &phc, &mut mem).unwrap(), Checked::Mismatch);
    }

    #[test]
    fn unknown_and_malformed_hashes_are_errors_not_matches() {
        let mut mem = Vec::new();
        assert!(verify(&fast(), b"x", "md5$abc", &mut mem).is_err());
        assert!(verify(&fast(), b"x", "$argon2id$v=19$m=64", &mut mem).is_err());
        assert!(verify(&fast(), b"x", "pbkdf2_sha256$abc$salt$hash", &mut mem).is_err());
        assert_eq!(HashFormat::detect("$2y$10$abc"), Some(HashFormat::Bcrypt));
    }
}
