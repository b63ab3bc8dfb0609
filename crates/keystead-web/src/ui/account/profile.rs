//! My Account → Profile: name and personal details.

use std::collections::HashMap;

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::http::StatusCode;
use axum::http::header::ACCEPT_LANGUAGE;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::accounts::profile::{FieldRule, Profile, ProfileField};
use keystead_core::i18n::countries::countries;
use keystead_core::i18n::{self, Locale};
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
    label: String,
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
    countries: &'static [(&'static str, String)],
    picture: PictureCard,
    /// The language chosen (its tag), or "" for the browser's.
    locale: String,
    /// The languages to choose from: tag and own name.
    languages: Vec<(&'static str, &'static str)>,
    /// "In Acme you are Admin": the active organization and the role there, when there is one.
    active_role: Option<String>,
}

/// The name of the form field that chooses the language.
const LOCALE_FIELD: &str = "locale";

/// The message id of a profile field's label.
fn label_key(field: ProfileField) -> &'static str {
    match field {
        ProfileField::GivenName => "acct-profile-field-given-name",
        ProfileField::FamilyName => "acct-profile-field-family-name",
        ProfileField::Phone => "acct-profile-field-phone",
        ProfileField::Country => "acct-profile-field-country",
        ProfileField::City => "acct-profile-field-city",
        ProfileField::DateOfBirth => "acct-profile-field-date-of-birth",
        ProfileField::Company => "acct-profile-field-company",
        ProfileField::JobTitle => "acct-profile-field-job-title",
    }
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
    locale: &str,
) -> ProfilePage {
    let (layout, nav) = chrome(state, session, csrf, Section::Profile);
    let errors = super::localize_errors(errors.clone(), "profile");
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
                label: layout.t(label_key(f)),
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
        countries: countries(crate::i18n::current()),
        picture,
        locale: locale.to_owned(),
        languages: Locale::ALL.iter().map(|l| (l.tag(), l.native_name())).collect(),
        active_role: active_role(),
    }
}

/// The role in the active organization, as the header knows it (page views load the user's
/// organizations once; a form answered with errors shows no role).
fn active_role() -> Option<String> {
    let org = crate::scope::organizations().into_iter().find(|o| o.active)?;
    let role = super::role_label(&org.role);
    let l = crate::i18n::current();
    Some(match org.kind {
        keystead_core::organizations::MemberKind::Guest => l.t1("acct-profile-guest-in", "org", org.name.as_str()),
        keystead_core::organizations::MemberKind::Member => {
            l.t2("acct-profile-role-in", "org", org.name.as_str(), "role", role)
        }
    })
}

/// The user's chosen language, as the form shows it ("" for the browser's).
fn chosen(session: &keystead_core::sessions::SessionInfo) -> String {
    session.user.locale.as_deref().and_then(Locale::parse).map(Locale::tag).unwrap_or_default().to_owned()
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
    let locale = chosen(session);
    Ok(page(state, session, csrf, &|f| profile.value(f).unwrap_or_default(), &FieldErrors::new(), card, &locale))
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
    let locale = chosen(&session);
    let values = |f| profile.value(f).unwrap_or_default();
    let mut p = page(&state, &session, &csrf, &values, &FieldErrors::new(), card, &locale);
    p.layout = p.layout.with_flashes(flashes);
    Ok((csrf, jar, p).into_response())
}

/// `POST /account/profile`: the details, and the language (`locale`: a tag, or empty for the
/// browser's), which the next page is already written in.
pub async fn submit_profile(
    State(state): State<AppState>,
    csrf: CsrfToken,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
    jar: SignedCookieJar,
    headers: HeaderMap,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    // No field is the same as keeping the choice (a form without the language field).
    let locale_choice: Option<Option<Locale>> = form.get(LOCALE_FIELD).map(|v| Locale::parse(v));
    match state.core.update_profile(&session.user, &form, &meta).await {
        Ok(_) => {
            if let Some(choice) = locale_choice
                && let Err(e) = state.core.set_locale(&session.user, choice, &meta).await
            {
                return WebError(e).into_response();
            }
            // The saved message in the language the next page is written in.
            let next = match locale_choice {
                Some(Some(l)) => l,
                Some(None) => headers
                    .get(ACCEPT_LANGUAGE)
                    .and_then(|v| v.to_str().ok())
                    .and_then(i18n::from_accept_language)
                    .unwrap_or(state.core.config().interface.default_locale),
                None => crate::i18n::current(),
            };
            let jar = flash::push(jar, &state, Level::Success, next.t("acct-profile-saved"));
            (jar, Redirect::to("/account/profile")).into_response()
        }
        Err(Error::Invalid(errors)) => {
            let card = match picture::card(&state, &session, &FieldErrors::new()).await {
                Ok(card) => card,
                Err(e) => return WebError(e).into_response(),
            };
            let locale = match locale_choice {
                Some(choice) => choice.map(Locale::tag).unwrap_or_default().to_owned(),
                None => chosen(&session),
            };
            let values = |f: ProfileField| form.get(f.name()).cloned().unwrap_or_default();
            let p = page(&state, &session, &csrf, &values, &errors, card, &locale);
            (StatusCode::UNPROCESSABLE_ENTITY, csrf, p).into_response()
        }
        Err(e) => WebError(e).into_response(),
    }
}
