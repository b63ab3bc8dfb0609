//! Single-use tokens sent by email: issued inside the caller's transaction, stored as digests,
//! redeemed at most once before they expire.

use secrecy::{ExposeSecret, SecretString};
use time::Duration;

use crate::Core;
use crate::crypto::{TokenDigest, new_token};
use crate::error::{Code, Error, Result};
use crate::ids::{EmailTokenId, UserId};
use crate::store::email_tokens::{self as store, EmailTokenRow};
use crate::store::{Db, Tx};

/// What a token is for, and how long it lives.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Purpose {
    /// Proves a new account's address (24 h).
    VerifyEmail,
    /// Lets the owner of the address set a new password (1 h).
    ResetPassword,
    /// Proves a new address before the account switches to it (24 h).
    ChangeEmail,
}

impl Purpose {
    fn as_str(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify_email",
            Self::ResetPassword => "reset_password",
            Self::ChangeEmail => "change_email",
        }
    }

    fn ttl(self) -> Duration {
        match self {
            Self::VerifyEmail | Self::ChangeEmail => Duration::hours(24),
            Self::ResetPassword => Duration::hours(1),
        }
    }

    fn path(self) -> &'static str {
        match self {
            Self::VerifyEmail => "verify-email",
            Self::ResetPassword => "password/reset",
            Self::ChangeEmail => "account/email/confirm",
        }
    }
}

/// Issues a token (retiring the user's earlier ones of the same purpose) and returns the link.
pub(crate) async fn issue(
    core: &Core,
    tx: &mut Tx,
    user: UserId,
    purpose: Purpose,
    email: &str,
    return_to: Option<&str>,
) -> Result<String> {
    let now = core.clock().now();
    store::retire_for_user(tx.db(), user, purpose.as_str(), now).await?;
    let token = new_token()?;
    let row = EmailTokenRow {
        id: EmailTokenId::new(),
        token_hash: token.digest.as_bytes().to_vec(),
        user_id: user,
        purpose: purpose.as_str().to_owned(),
        email: email.to_owned(),
        return_to: return_to.map(str::to_owned),
        created_at: now,
        expires_at: now + purpose.ttl(),
        used_at: None,
    };
    store::insert(tx.db(), &row).await?;
    link(core, purpose, &token.secret)
}

fn link(core: &Core, purpose: Purpose, token: &SecretString) -> Result<String> {
    let mut url = core.config().public_url.join(purpose.path()).map_err(|e| Error::Internal(e.into()))?;
    url.query_pairs_mut().append_pair("token", token.expose_secret());
    Ok(url.into())
}

fn invalid() -> Error {
    Error::Conflict(Code::LinkInvalid)
}

/// The token, if it is well-formed, known, unused and unexpired — without using it.
pub(crate) async fn peek(core: &Core, db: Db<'_>, token: &str, purpose: Purpose) -> Result<EmailTokenRow> {
    if token.is_empty() || token.len() > 128 {
        return Err(invalid());
    }
    let row = store::find(db, TokenDigest::of(token).as_bytes(), purpose.as_str()).await?.ok_or_else(invalid)?;
    if row.used_at.is_some() || row.expires_at <= core.clock().now() {
        return Err(invalid());
    }
    Ok(row)
}

/// Uses the token: exactly one caller succeeds, and only before it expires.
pub(crate) async fn redeem(core: &Core, tx: &mut Tx, token: &str, purpose: Purpose) -> Result<EmailTokenRow> {
    let row = peek(core, tx.db(), token, purpose).await?;
    if !store::consume(tx.db(), row.id, core.clock().now()).await? {
        return Err(invalid());
    }
    Ok(row)
}
