//! CSRF protection for forms, on top of the Origin / `Sec-Fetch-Site` check that guards every
//! unsafe request: a random token in a signed cookie that each form must echo in `csrf_token`.

use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponseParts, ResponseParts};
use axum_extra::extract::SignedCookieJar;
use axum_extra::extract::cookie::{Cookie, Key, SameSite};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keystead_core::{Code, Error};
use serde::de::DeserializeOwned;
use subtle::ConstantTimeEq;

use crate::error::{WebError, error_response};
use crate::state::AppState;

/// The name of the hidden form field.
pub const FIELD: &str = "csrf_token";
/// The CSRF cookie's base name.
pub const COOKIE: &str = "keystead-csrf";

/// The token to put in a form; sets the cookie on the response when it is new.
#[derive(Debug, Clone)]
pub struct CsrfToken {
    token: String,
    jar: Option<SignedCookieJar>,
}

impl CsrfToken {
    /// The value for the hidden `csrf_token` field.
    pub fn value(&self) -> &str {
        &self.token
    }
}

fn new_token() -> Result<String, WebError> {
    let mut raw = [0u8; 32];
    keystead_core::crypto::random_bytes(&mut raw).map_err(Error::Internal)?;
    Ok(URL_SAFE_NO_PAD.encode(raw))
}

impl FromRequestParts<AppState> for CsrfToken {
    type Rejection = WebError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let jar = match SignedCookieJar::<Key>::from_request_parts(parts, state).await {
            Ok(jar) => jar,
            Err(never) => match never {},
        };
        let name = state.cookie_name(COOKIE);
        if let Some(existing) = jar.get(&name) {
            return Ok(Self { token: existing.value().to_owned(), jar: None });
        }
        let token = new_token()?;
        let cookie = Cookie::build((name, token.clone()))
            .path("/")
            .http_only(true)
            .secure(state.secure_cookies())
            .same_site(SameSite::Lax)
            .build();
        Ok(Self { token, jar: Some(jar.add(cookie)) })
    }
}

impl IntoResponseParts for CsrfToken {
    type Error = std::convert::Infallible;

    fn into_response_parts(self, res: ResponseParts) -> Result<ResponseParts, Self::Error> {
        match self.jar {
            Some(jar) => jar.into_response_parts(res),
            None => Ok(res),
        }
    }
}

/// A URL-encoded form whose `csrf_token` matched the cookie; derefs to the parsed `T`.
#[derive(Debug)]
pub struct CsrfForm<T>(pub T);

#[derive(serde::Deserialize)]
struct TokenField {
    csrf_token: Option<String>,
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = axum::response::Response;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let jar = match SignedCookieJar::<Key>::from_request_parts(&mut parts, state).await {
            Ok(jar) => jar,
            Err(never) => match never {},
        };
        let bytes = axum::body::Bytes::from_request(Request::from_parts(parts, body), state)
            .await
            .map_err(|_| error_response(Code::PayloadTooLarge, None, Default::default(), None))?;
        let malformed = || error_response(Code::MalformedRequest, None, Default::default(), None);
        if !is_valid_utf8_form(&bytes) {
            return Err(malformed());
        }
        let field: TokenField = serde_urlencoded::from_bytes(&bytes).map_err(|_| malformed())?;
        if !token_matches(&jar, state, field.csrf_token.as_deref()) {
            return Err(error_response(Code::CsrfFailed, None, Default::default(), None));
        }
        let value = serde_urlencoded::from_bytes(&bytes).map_err(|_| malformed())?;
        Ok(Self(value))
    }
}

/// True when `sent` (a form's `csrf_token`) equals the token in the signed CSRF cookie; for
/// forms read by other means than [`CsrfForm`], such as multipart uploads.
pub fn token_matches(jar: &SignedCookieJar, state: &AppState, sent: Option<&str>) -> bool {
    match (sent, jar.get(&state.cookie_name(COOKIE))) {
        (Some(sent), Some(cookie)) => bool::from(sent.as_bytes().ct_eq(cookie.value().as_bytes())),
        _ => false,
    }
}

/// True when every percent-decoded name and value is UTF-8: the form decoder would otherwise
/// replace bad bytes silently and store something the user never typed.
fn is_valid_utf8_form(body: &[u8]) -> bool {
    body.split(|b| *b == b'&')
        .all(|pair| std::str::from_utf8(&percent_encoding::percent_decode(pair).collect::<Vec<u8>>()).is_ok())
}

#[cfg(test)]
mod tests {
    #[test]
    fn forms_with_invalid_utf8_are_detected() {
        assert!(super::is_valid_utf8_form(b"name=J%C3%BCrgen&x=1"));
        assert!(!super::is_valid_utf8_form(b"name=%FF%FE"));
        assert!(!super::is_valid_utf8_form(b"na%C3me=x"));
    }
}
