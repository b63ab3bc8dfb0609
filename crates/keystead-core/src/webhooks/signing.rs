//! Standard Webhooks signatures (standardwebhooks.com, v1): a secret `whsec_<base64 bytes>`;
//! the headers `webhook-id`, `webhook-timestamp` (Unix seconds) and `webhook-signature`, a
//! space-separated list of `v1,<base64 HMAC-SHA256 of "id.timestamp.body">`, one per valid
//! secret (two during a rotation, so receivers holding either accept it).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use hmac::{Hmac, KeyInit, Mac};

/// What every secret starts with.
pub const SECRET_PREFIX: &str = "whsec_";
/// Random bytes in a new secret (Standard Webhooks asks for 24 to 64).
const SECRET_BYTES: usize = 32;

/// A new secret.
pub fn new_secret() -> anyhow::Result<String> {
    let mut bytes = [0u8; SECRET_BYTES];
    crate::crypto::random_bytes(&mut bytes)?;
    Ok(format!("{SECRET_PREFIX}{}", STANDARD.encode(bytes)))
}

/// The key bytes of a secret.
fn key_of(secret: &str) -> anyhow::Result<Vec<u8>> {
    let encoded = secret.strip_prefix(SECRET_PREFIX).ok_or_else(|| anyhow::anyhow!("not a whsec_ secret"))?;
    Ok(STANDARD.decode(encoded)?)
}

/// One `v1,<signature>` of `body` sent as message `id` at `timestamp`.
pub fn sign(secret: &str, id: &str, timestamp: i64, body: &str) -> anyhow::Result<String> {
    let mut mac = <Hmac<sha2::Sha256> as KeyInit>::new_from_slice(&key_of(secret)?)
        .map_err(|e| anyhow::anyhow!("webhook key: {e}"))?;
    mac.update(id.as_bytes());
    mac.update(b".");
    mac.update(timestamp.to_string().as_bytes());
    mac.update(b".");
    mac.update(body.as_bytes());
    Ok(format!("v1,{}", STANDARD.encode(mac.finalize().into_bytes())))
}

/// The `webhook-signature` value: one signature per secret.
pub fn signature_header(secrets: &[&str], id: &str, timestamp: i64, body: &str) -> anyhow::Result<String> {
    let sigs: anyhow::Result<Vec<String>> = secrets.iter().map(|s| sign(s, id, timestamp, body)).collect();
    Ok(sigs?.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standard_webhooks_reference_vector_signs_the_same() {
        // The example of the Standard Webhooks specification (spec/standard-webhooks.md).
        let secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
        let id = "msg_p5jXN8AQM9LWM0D4loKWxJek";
        let body = r#"{"test": 2432232314}"#;
        let sig = sign(secret, id, 1_614_265_330, body).unwrap();
        assert_eq!(sig, "v1,g0hM9SsE+OTPJTGt/tmIKtSyZlE3uFJELVlNIOLJ1OE=");
    }

    #[test]
    fn a_rotation_sends_one_signature_per_secret() {
        let (a, b) = (new_secret().unwrap(), new_secret().unwrap());
        assert!(a.starts_with("whsec_") && a != b);
        let header = signature_header(&[&a, &b], "msg_1", 1, "{}").unwrap();
        let parts: Vec<&str> = header.split(' ').collect();
        assert_eq!(parts, [sign(&a, "msg_1", 1, "{}").unwrap(), sign(&b, "msg_1", 1, "{}").unwrap()]);
    }
}
