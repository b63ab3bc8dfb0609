//! My Account → Profile: name and personal details.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::profile::{FieldRule, Profile, ProfileField, countries};
use keystead_core::{Error, FieldErrors};

use super::picture::{self, PictureCard};
use super::{NavSection, Section, chrome};
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::flash::{self, Level};
use crate::state::AppState;
use crate::ui::Layout;

/// One form field.
#[derive(Debug, Clone)]
pub struct FieldView {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    autocomplete: &'static str,
    value: String,
    required: bool,
    messages: Vec<String>,
}

/// The profile page.
#[derive(Template, WebTemplate)]
#[template(path = "account/profile.html")]
pub struct ProfilePage {
    layout: Layout,
    nav: Vec<NavSection>,
    csrf: String,
    email: String,
    fields: Vec<FieldView>,
    countries: Vec<(&'static str, &'static str)>,
    picture: PictureCard,
}

fn kind(field: ProfileField) -> (&'static str, &'static str) {
    match field {
        ProfileField::GivenName => ("text", "given-name"),
        ProfileField::FamilyName => ("text", "family-name"),
        ProfileField::Phone => ("tel", "tel"),
        ProfileField::Country => ("text", "country"),
        ProfileField::City => ("text", "address-level2"),
        ProfileField::DateOfBirth => ("date", "bday"),
        ProfileField::Company => ("text", "organization"),
        ProfileField::JobTitle => ("text", "organization-title"),
    }
}

fn page(
    state: &AppState,
    session: &keystead_core::sessions::SessionInfo,
    csrf: &CsrfToken,
    values: &dyn Fn(ProfileField) -> String,
    errors: &FieldErrors,
    picture: PictureCard,
) -> ProfilePage {
    let (layout, nav) = chrome(state, session, csrf, Section::Profile);
    let fields = state
        .core
        .config()
        .profile
        .shown()
        .into_iter()
        .map(|(f, rule)| {
            let (kind, autocomplete) = kind(f);
            FieldView {
                name: f.name(),
                label: f.label(),
                kind,
                autocomplete,
                value: values(f),
                required: rule == FieldRule::Required,
                messages: errors.messages(f.name()),
            }
        })
        .collect();
    ProfilePage {
        layout,
        nav,
        csrf: csrf.value().to_owned(),
        email: session.user.email.clone(),
        fields,
        countries: countries(),
        picture,
    }
}

/// The profile page with the stored details and `errors` on the picture upload.
pub(super) async fn page_with_picture_errors(
    state: &AppState,
    session: &keystead_core::sessions::SessionInfo,
    csrf: &CsrfToken,
    errors: &FieldErrors,
) -> Result<ProfilePage, Error> {
    let profile = state.core.profile(session.user.id).await?;
    let card = picture::card(state, session, errors).await?;
    Ok(page(state, session, csrf, &|f| profile.value(f).unwrap_or_default(), &FieldErrors::new(), card))
}

/// `GET /account/profile`
pub async fn show_profile(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let profile: Profile = state.core.profile(session.user.id).await?;
    let (jar, flashes) = flash::take(jar, &state);
    let card = picture::card(&state, &session, &FieldErrors::new()).await?;
    let mut p = page(&state, &session, &csrf, &|f| profile.value(f).unwrap_or_default(), &FieldErrors::new(), card);
    p.layout = p.layout.with_flashes(flashes);
    Ok((csrf, jar, p).into_response())
}

/// `POST /account/profile`
pub async fn submit_profile(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    match state.core.update_profile(&session.user, &form, &meta).await {
        Ok(_) => {
            let jar = flash::push(jar, &state, Level::Success, "Your profile is saved.");
            (jar, Redirect::to("/account/profile")).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let card = match picture::card(&state, &session, &FieldErrors::new()).await {
                Ok(card) => card,
                Err(e) => return WebError(e).into_response(),
            };
            let p = page(&state, &session, &csrf, &|f| form.get(f.name()).cloned().unwrap_or_default(), &errors, card);
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, p).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}
