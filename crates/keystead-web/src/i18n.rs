//! The language of each request. Chosen, in order, by the signed-in user's own choice (My Account
//! → Language), the relying party's `ui_locales` for the sign-in flow it started, the language
//! switcher's cookie, `Accept-Language`, and the deployment's `default_locale`. The choice lives
//! for the request in `crate::scope`, so `Layout::new` and error pages find it without every
//! handler passing it along.

use axum::extract::{Query, Request, State};
use axum::http::HeaderValue;
use axum::http::header::{ACCEPT_LANGUAGE, SET_COOKIE};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use axum_extra::extract::cookie::{Cookie, SameSite};
use keystead_core::i18n::{self, Locale};
use serde::Deserialize;

use crate::extract::{ClientMeta, CurrentSession};
use crate::scope;
use crate::state::AppState;

/// The switcher's cookie: the language a visitor picked (a year).
pub const LANG_COOKIE: &str = "keystead-lang";
/// The language a relying party asked for with `ui_locales`, for the rest of the browser session.
pub const FLOW_COOKIE: &str = "keystead-ui-locale";

/// The language of the current request (the default outside one, e.g. in unit tests).
pub fn current() -> Locale {
    scope::with(|s| s.locale.get()).unwrap_or_default()
}

/// The path and query of the current request (`/` outside one).
pub fn current_path() -> String {
    scope::with(|s| s.path.clone()).unwrap_or_else(|| "/".to_owned())
}

/// The signed-in user's own choice wins over everything the request says: called when the
/// session is read.
pub fn prefer_user(choice: Option<&str>) {
    if let Some(locale) = choice.and_then(Locale::parse) {
        scope::with(|s| s.locale.set(locale));
    }
}

/// The language a request asks for, before the user is known.
fn negotiate(state: &AppState, req: &Request) -> (Locale, Option<Locale>) {
    let jar = CookieJar::from_headers(req.headers());
    let ui_locales = req.uri().query().and_then(|q| {
        url::form_urlencoded::parse(q.as_bytes())
            .find(|(k, _)| k == "ui_locales")
            .and_then(|(_, v)| i18n::from_list(&v))
    });
    let cookie = |name: &str| jar.get(&state.cookie_name(name)).and_then(|c| Locale::parse(c.value()));
    let accept =
        || req.headers().get(ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).and_then(i18n::from_accept_language);
    let locale = ui_locales
        .or_else(|| cookie(FLOW_COOKIE))
        .or_else(|| cookie(LANG_COOKIE))
        .or_else(accept)
        .unwrap_or(state.core.config().interface.default_locale);
    (locale, ui_locales)
}

/// Middleware: negotiates the language and runs the request with it. A `ui_locales` the
/// interface speaks is remembered for the browser session, so the sign-in pages the relying party
/// sent the user to stay in that language.
pub async fn locale(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (locale, ui_locales) = negotiate(&state, &req);
    // After a form's POST the switcher goes back to the form's page (same path, without the body).
    let path = if req.method() == axum::http::Method::GET {
        req.uri().path_and_query().map_or_else(|| "/".to_owned(), |p| p.as_str().to_owned())
    } else {
        req.uri().path().to_owned()
    };
    let mut response = scope::run(locale, path, next.run(req)).await;
    if let Some(l) = ui_locales {
        let cookie = language_cookie(&state, FLOW_COOKIE, l.tag(), None);
        if let Ok(v) = HeaderValue::from_str(&cookie.to_string()) {
            response.headers_mut().append(SET_COOKIE, v);
        }
    }
    response
}

/// A language cookie; `max_age` `None` lasts the browser session.
fn language_cookie(state: &AppState, name: &str, value: &str, max_age: Option<time::Duration>) -> Cookie<'static> {
    let mut cookie = Cookie::build((state.cookie_name(name), value.to_owned()))
        .path("/")
        .http_only(true)
        .secure(state.secure_cookies())
        .same_site(SameSite::Lax)
        .build();
    if let Some(age) = max_age {
        cookie.set_max_age(age);
    }
    cookie
}

/// `?lang=de&return_to=/sign-in`
#[derive(Debug, Deserialize)]
pub struct SwitchQuery {
    lang: Option<String>,
    return_to: Option<String>,
}

/// `GET /language`: the switcher. Remembers the language in a cookie (and, for a signed-in user,
/// as their choice), forgets a relying party's `ui_locales`, and goes back to the page. A link
/// rather than a form so it works without JavaScript and needs no CSRF token (it changes nothing
/// but how pages are written).
pub async fn switch_language(
    State(state): State<AppState>,
    session: CurrentSession,
    ClientMeta(meta): ClientMeta,
    jar: CookieJar,
    Query(q): Query<SwitchQuery>,
) -> Result<Response, crate::error::WebError> {
    let back = crate::ui::safe_return_to(q.return_to.as_deref()).unwrap_or_else(|| "/".to_owned());
    let Some(locale) = q.lang.as_deref().and_then(Locale::parse) else {
        return Ok(Redirect::to(&back).into_response());
    };
    if let Some(s) = session.authenticated() {
        state.core.set_locale(&s.user, Some(locale), &meta).await?;
    }
    let jar = jar
        .add(language_cookie(&state, LANG_COOKIE, locale.tag(), Some(time::Duration::days(365))))
        .remove(Cookie::build(state.cookie_name(FLOW_COOKIE)).path("/").build());
    Ok((jar, Redirect::to(&back)).into_response())
}

/// One entry of the language switcher.
#[derive(Debug, Clone)]
pub struct LanguageLink {
    /// `de`.
    pub tag: &'static str,
    /// "Deutsch".
    pub name: &'static str,
    /// `/language?lang=de&return_to=…`.
    pub href: String,
    /// The page's language.
    pub current: bool,
}

/// The switcher's links, each coming back to the current page.
pub fn language_links(current: Locale) -> Vec<LanguageLink> {
    let back: String = url::form_urlencoded::byte_serialize(current_path().as_bytes()).collect();
    Locale::ALL
        .into_iter()
        .map(|l| LanguageLink {
            tag: l.tag(),
            name: l.native_name(),
            href: format!("/language?lang={}&return_to={back}", l.tag()),
            current: l == current,
        })
        .collect()
}
