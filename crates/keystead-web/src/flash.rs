//! One-time messages shown on the next page after a redirect ("Your password was changed"),
//! kept in a short-lived signed cookie.

use axum_extra::extract::SignedCookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use serde::{Deserialize, Serialize};

use crate::state::AppState;

const COOKIE: &str = "keystead-flash";

/// How a message is styled.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    /// Something worked.
    Success,
    /// Neutral information.
    Info,
    /// Something failed.
    Error,
}

impl Level {
    /// The CSS modifier.
    pub fn class(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::Info => "info",
            Self::Error => "error",
        }
    }
}

/// One message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Flash {
    /// Its style.
    pub level: Level,
    /// Its text (escaped when rendered).
    pub text: String,
}

/// Adds a message for the next page.
pub fn push(jar: SignedCookieJar, state: &AppState, level: Level, text: impl Into<String>) -> SignedCookieJar {
    let name = state.cookie_name(COOKIE);
    let mut list: Vec<Flash> = jar.get(&name).and_then(|c| serde_json::from_str(c.value()).ok()).unwrap_or_default();
    list.push(Flash { level, text: text.into() });
    list.truncate(5);
    let value = serde_json::to_string(&list).unwrap_or_default();
    jar.add(
        Cookie::build((name, value))
            .path("/")
            .http_only(true)
            .secure(state.secure_cookies())
            .same_site(SameSite::Lax)
            .max_age(time::Duration::minutes(5))
            .build(),
    )
}

/// Takes the pending messages, removing the cookie.
pub fn take(jar: SignedCookieJar, state: &AppState) -> (SignedCookieJar, Vec<Flash>) {
    let name = state.cookie_name(COOKIE);
    let Some(cookie) = jar.get(&name) else { return (jar, Vec::new()) };
    let list = serde_json::from_str(cookie.value()).unwrap_or_default();
    (jar.remove(Cookie::build(name).path("/").build()), list)
}
