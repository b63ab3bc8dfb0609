//! "Complete your profile": the missing required fields and the current required agreements,
//! shown after verification and whenever something required is missing. Until it is done
//! [`crate::extract::RequireSession`] sends the user back here.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::profile::ProfileField;
use keystead_core::agreements::{Completion, accept_field};
use keystead_core::i18n::countries::countries;
use keystead_core::sessions::{SessionInfo, SessionStage};
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;

use super::{Layout, safe_return_to};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, CurrentSession};
use crate::flash::{self, Level};
use crate::state::AppState;

/// One missing field.
#[derive(Debug, Clone)]
pub struct FieldView {
    name: &'static str,
    label: String,
    kind: &'static str,
    value: String,
    messages: Vec<String>,
}

/// One agreement to accept.
#[derive(Debug, Clone)]
pub struct AgreementView {
    field: String,
    title: String,
    version: i64,
    /// Sanitised HTML of the Markdown body.
    body_html: String,
    checked: bool,
    messages: Vec<String>,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "complete_profile.html")]
pub struct CompleteProfilePage {
    layout: Layout,
    csrf: String,
    return_to: String,
    fields: Vec<FieldView>,
    agreements: Vec<AgreementView>,
    countries: &'static [(&'static str, String)],
}

/// `?return_to=`
#[derive(Debug, Deserialize)]
pub struct ReturnTo {
    return_to: Option<String>,
}

fn kind(field: ProfileField) -> &'static str {
    match field {
        ProfileField::Phone => "tel",
        ProfileField::DateOfBirth => "date",
        _ => "text",
    }
}

fn page(
    state: &AppState,
    session: &SessionInfo,
    csrf: &CsrfToken,
    completion: &Completion,
    input: Option<&HashMap<String, String>>,
    errors: &FieldErrors,
    return_to: Option<String>,
) -> CompleteProfilePage {
    let lang = crate::i18n::current();
    let layout = Layout::titled(state, "auth-complete-profile-title").signed_in(Some(session), csrf);
    let errors = errors.clone().localized(lang);
    let fields = completion
        .missing_fields
        .iter()
        .map(|f| FieldView {
            name: f.name(),
            label: lang.t(&format!("auth-profile-field-{}", f.name().replace('_', "-"))),
            kind: kind(*f),
            value: input.and_then(|i| i.get(f.name()).cloned()).unwrap_or_default(),
            messages: field_messages(lang, *f, &errors),
        })
        .collect();
    let agreements = completion
        .agreements
        .iter()
        .map(|a| {
            let field = accept_field(a.id);
            AgreementView {
                checked: input.is_some_and(|i| i.get(&field).is_some_and(|v| !v.is_empty())),
                messages: errors.messages(&field),
                field,
                title: a.title.clone(),
                version: a.version,
                body_html: a.body_html(),
            }
        })
        .collect();
    CompleteProfilePage {
        layout,
        csrf: csrf.value().to_owned(),
        return_to: return_to.unwrap_or_default(),
        fields,
        agreements,
        countries: countries(crate::i18n::current()),
    }
}

/// A field's errors in `lang`: the shared form errors (`field-error-…`) are translated already;
/// "required", "too long" and "invalid", whose English names the field's label, come from this
/// page's messages.
fn field_messages(lang: keystead_core::i18n::Locale, field: ProfileField, errors: &FieldErrors) -> Vec<String> {
    errors
        .for_field(field.name())
        .map(|e| match e.code {
            "required" => lang.t(&format!("auth-profile-required-{}", field.name().replace('_', "-"))),
            "too_long" => match e.args.iter().find(|(k, _)| *k == "max").and_then(|(_, v)| v.parse::<i64>().ok()) {
                Some(max) => lang.t1("auth-profile-too-long", "max", max),
                None => e.message.clone(),
            },
            "invalid" => lang.t("auth-profile-invalid"),
            _ => e.message.clone(),
        })
        .collect()
}

/// The signed-in session, or where to send a visitor without one.
fn signed_in(current: CurrentSession) -> Result<SessionInfo, Redirect> {
    match current.0 {
        Some(s) if s.stage == SessionStage::Authenticated => Ok(s),
        Some(s) if s.stage == SessionStage::PasswordExpired => Err(Redirect::to("/password/expired")),
        _ => Err(Redirect::to("/sign-in?return_to=%2Fcomplete-profile")),
    }
}

/// `GET /complete-profile`
pub async fn show_complete_profile(
    State(state): State<AppState>,
    csrf: CsrfToken,
    current: CurrentSession,
    jar: SignedCookieJar,
    Query(q): Query<ReturnTo>,
) -> Result<Response, WebError> {
    let session = match signed_in(current) {
        Ok(s) => s,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    let return_to = safe_return_to(q.return_to.as_deref());
    if !state.core.must_complete_profile(&session.user).await? {
        return Ok(Redirect::to(&super::after_sign_in(return_to)).into_response());
    }
    let completion = state.core.completion(session.user.id).await?;
    let (jar, flashes) = flash::take(jar, &state);
    let mut p = page(&state, &session, &csrf, &completion, None, &FieldErrors::new(), return_to);
    p.layout = p.layout.with_flashes(flashes);
    Ok((csrf, jar, p).into_response())
}

/// `POST /complete-profile`
pub async fn submit_complete_profile(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    current: CurrentSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let session = match signed_in(current) {
        Ok(s) => s,
        Err(redirect) => return Ok(redirect.into_response()),
    };
    let return_to = safe_return_to(form.get("return_to").map(String::as_str));
    match state.core.complete_profile(&session.user, &form, &meta).await {
        Ok(()) => {
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("auth-flash-profile-complete"));
            // Anything published meanwhile is asked for on the next page by `RequireSession`.
            Ok((jar, Redirect::to(&super::after_sign_in(return_to))).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let completion = state.core.completion(session.user.id).await?;
            let p = page(&state, &session, &csrf, &completion, Some(&form), &errors, return_to);
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, p).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
