//! Invitation links: `/invitations/accept?token=…` shows the invitation; a signed-in user with
//! the invited address accepts it, another address is refused, and someone without an account
//! registers through the link (which proves the address) and lands in the organization.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::{CookieJar, SignedCookieJar};
use keystead_core::i18n::Arg;
use keystead_core::organizations::InvitationLink;
use keystead_core::{Code, Error, FieldErrors};
use secrecy::SecretString;
use serde::Deserialize;

use super::Layout;
use super::account::role_label;
use crate::csrf::{CsrfForm, CsrfToken};
use crate::error::WebError;
use crate::extract::{ClientMeta, CurrentSession, start_session};
use crate::flash::{self, Level};
use crate::state::AppState;

/// The invitation page.
#[derive(Template, WebTemplate)]
#[template(path = "invitation.html")]
pub struct InvitationPage {
    layout: Layout,
    csrf: String,
    token: String,
    /// `None` when the link no longer works.
    invitation: Option<InvitationView>,
    errors: FieldErrors,
    /// The hint listing the password rules of the organization being joined.
    rules: super::auth::PasswordRules,
}

/// What the page says about the invitation and who is looking at it.
#[derive(Debug, Clone)]
pub struct InvitationView {
    organization: String,
    /// The organization's logo, or `None` for its initials.
    logo: Option<String>,
    initials: String,
    email: String,
    /// "… is invited to join … as …", in the page's language.
    intro: String,
    /// Signed in as the invited address.
    signed_in_as_invitee: bool,
    /// Signed in as someone else (the address they use).
    signed_in_as_other: Option<String>,
    account_exists: bool,
    sign_in_href: String,
}

/// `?token=` or a form carrying it.
#[derive(Debug, Deserialize)]
pub struct InvitationTokenForm {
    #[serde(default)]
    token: String,
}

/// The registration-through-invitation form.
#[derive(Debug, Deserialize)]
pub struct InvitationRegisterForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    password: String,
}

fn same_address(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

fn view(link: InvitationLink, current: &CurrentSession, token: &str) -> InvitationView {
    let me = current.authenticated().map(|s| s.user.email.clone());
    let return_to = format!("/invitations/accept?token={token}");
    let query = url::form_urlencoded::Serializer::new(String::new()).append_pair("return_to", &return_to).finish();
    InvitationView {
        signed_in_as_invitee: me.as_deref().is_some_and(|e| same_address(e, &link.invitation.email)),
        signed_in_as_other: me.filter(|e| !same_address(e, &link.invitation.email)),
        intro: crate::i18n::current().t_args(
            "auth-invitation-intro",
            &[
                ("email", Arg::from(&link.invitation.email)),
                ("organization", Arg::from(&link.invitation.organization_name)),
                ("role", Arg::from(role_label(&link.invitation.role))),
            ],
        ),
        logo: super::brand::organization_logo_url(&link.brand),
        initials: keystead_core::organizations::logo::initials(&link.invitation.organization_name),
        organization: link.invitation.organization_name,
        email: link.invitation.email,
        account_exists: link.account_exists,
        sign_in_href: format!("/sign-in?{query}"),
    }
}

async fn page(
    state: &AppState,
    csrf: &CsrfToken,
    current: &CurrentSession,
    token: &str,
    errors: FieldErrors,
) -> (StatusCode, InvitationPage) {
    let link = state.core.invitation_link(token).await;
    // The organization being joined may ask for longer passwords.
    let joining = link.as_ref().ok().map(|l| l.invitation.organization_id);
    // The page takes the colour of the organization being joined.
    let color = link.as_ref().ok().and_then(|l| l.brand.color.clone());
    let policy = match state.core.effective_password_policy(None, joining).await {
        Ok(policy) => policy,
        Err(_) => state.core.config().password_policy.clone(),
    };
    let (status, invitation, title) = match link {
        Ok(link) => {
            let title =
                crate::i18n::current().t1("auth-invitation-title", "organization", &link.invitation.organization_name);
            (StatusCode::OK, Some(view(link, current, token)), title)
        }
        Err(_) => (StatusCode::GONE, None, crate::i18n::current().t("auth-invitation-invalid-title")),
    };
    let layout = Layout::new(state, title).signed_in(current.authenticated(), csrf).branded(color.as_deref());
    let page = InvitationPage {
        layout,
        csrf: csrf.value().to_owned(),
        token: token.to_owned(),
        invitation,
        errors: errors.localized(crate::i18n::current()),
        rules: super::auth::password_rules(&policy, crate::i18n::current()),
    };
    (status, page)
}

/// `GET /invitations/accept?token=…`: what the invitation offers (nothing is used up by
/// opening the link, so mail scanners do no harm).
pub async fn show_invitation(
    State(state): State<AppState>,
    csrf: CsrfToken,
    current: CurrentSession,
    Query(q): Query<InvitationTokenForm>,
) -> Response {
    let (status, page) = page(&state, &csrf, &current, &q.token, FieldErrors::new()).await;
    (status, csrf, page).into_response()
}

/// `POST /invitations/accept`: the signed-in invitee accepts.
pub async fn accept_invitation(
    State(state): State<AppState>,
    csrf: CsrfToken,
    current: CurrentSession,
    ClientMeta(meta): ClientMeta,
    jar: SignedCookieJar,
    CsrfForm(form): CsrfForm<InvitationTokenForm>,
) -> Result<Response, WebError> {
    let Some(session) = current.authenticated() else {
        return Ok(Redirect::to(&format!("/invitations/accept?token={}", form.token)).into_response());
    };
    match state.core.accept_invitation_link(&session.user, &form.token, &meta).await {
        Ok(org) => {
            state.core.switch_organization(session, org, &meta).await?;
            let jar = flash::push(jar, &state, Level::Success, crate::i18n::current().t("auth-flash-joined"));
            Ok((jar, Redirect::to(super::LANDING)).into_response())
        }
        Err(Error::Invalid(errors)) => {
            let (_, page) = page(&state, &csrf, &current, &form.token, errors).await;
            Ok((StatusCode::FORBIDDEN, csrf, page).into_response())
        }
        Err(Error::Conflict(Code::LinkInvalid)) => {
            let (status, page) = page(&state, &csrf, &current, &form.token, FieldErrors::new()).await;
            Ok((status, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}

/// `POST /invitations/register`: creates the invitee's account (verified by the link), joins
/// the organization and signs in.
pub async fn register_through_invitation(
    State(state): State<AppState>,
    csrf: CsrfToken,
    current: CurrentSession,
    ClientMeta(meta): ClientMeta,
    jar: CookieJar,
    CsrfForm(form): CsrfForm<InvitationRegisterForm>,
) -> Result<Response, WebError> {
    let password = SecretString::from(form.password);
    match state.core.register_through_invitation(&form.token, &password, Some(crate::i18n::current()), &meta).await {
        Ok(new) => Ok((start_session(jar, &state, &new), Redirect::to(super::LANDING)).into_response()),
        Err(Error::Invalid(errors)) => {
            let (_, page) = page(&state, &csrf, &current, &form.token, errors).await;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, csrf, page).into_response())
        }
        Err(Error::Conflict(Code::LinkInvalid)) => {
            let (status, page) = page(&state, &csrf, &current, &form.token, FieldErrors::new()).await;
            Ok((status, csrf, page).into_response())
        }
        Err(e) => Err(WebError(e)),
    }
}
