//! `GithubStandIn`: GitHub's OAuth 2.0 endpoints and the two user API calls Keystead makes,
//! served on a loopback port, behaving as GitHub documents them: the authorization request
//! answered at once for the configured person, codes used once and bound to the redirect URI
//! and the PKCE challenge, a refused code answered with HTTP 200 and an `error` object, and an
//! API that wants a bearer token and a `User-Agent`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Json, Router};
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use keystead_core::config::{Config, SocialGithub};
use secrecy::SecretString;
use serde_json::json;
use sha2::Digest as _;
use tokio::net::TcpListener;
use tokio::task::JoinHandle;
use url::Url;

/// The client id Keystead is configured with.
pub const CLIENT_ID: &str = "Iv1.keystead-test";
/// The client secret Keystead is configured with.
pub const CLIENT_SECRET: &str = "github-test-secret";

/// The person GitHub signs in.
#[derive(Debug, Clone)]
pub struct GithubAccount {
    /// The numeric account id.
    pub id: u64,
    /// The login.
    pub login: String,
    /// The display name, if set.
    pub name: Option<String>,
    /// Addresses as `(address, primary, verified)`.
    pub emails: Vec<(String, bool, bool)>,
}

struct Pending {
    redirect_uri: String,
    challenge: Option<String>,
}

struct Inner {
    account: GithubAccount,
    codes: HashMap<String, Pending>,
    tokens: Vec<String>,
    counter: u64,
    /// Requests seen, as `METHOD path`.
    seen: Vec<String>,
}

/// The running stand-in; stops when dropped.
pub struct GithubStandIn {
    /// Its base URL, ending in `/`.
    pub url: Url,
    inner: Arc<Mutex<Inner>>,
    server: JoinHandle<()>,
}

type Shared = Arc<Mutex<Inner>>;

fn lock(inner: &Shared) -> MutexGuard<'_, Inner> {
    inner.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

impl GithubStandIn {
    /// Starts it, signing in `account`.
    pub async fn start(account: GithubAccount) -> anyhow::Result<Self> {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let url = Url::parse(&format!("http://{}/", listener.local_addr()?))?;
        let inner = Arc::new(Mutex::new(Inner {
            account,
            codes: HashMap::new(),
            tokens: Vec::new(),
            counter: 0,
            seen: Vec::new(),
        }));
        let app = Router::new()
            .route("/login/oauth/authorize", get(authorize))
            .route("/login/oauth/access_token", post(access_token))
            .route("/api/user", get(user))
            .route("/api/user/emails", get(emails))
            .with_state(inner.clone());
        let server = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Ok(Self { url, inner, server })
    }

    /// The `social.github` settings that point Keystead here.
    pub fn settings(&self) -> SocialGithub {
        let at = |p: &str| self.url.join(p).unwrap_or_else(|e| panic!("stand-in URL: {e}"));
        SocialGithub {
            client_id: CLIENT_ID.to_owned(),
            client_secret: SecretString::from(CLIENT_SECRET),
            authorize_url: at("login/oauth/authorize"),
            token_url: at("login/oauth/access_token"),
            api_url: at("api/"),
        }
    }

    /// Sets `config.social.github` to [`Self::settings`].
    pub fn configure(&self, config: &mut Config) {
        config.social.github = Some(self.settings());
    }

    /// Signs in someone else from now on.
    pub fn set_account(&self, account: GithubAccount) {
        lock(&self.inner).account = account;
    }

    /// Forgets every code issued (the next exchange is refused as GitHub refuses a stale one).
    pub fn expire_codes(&self) {
        lock(&self.inner).codes.clear();
    }

    /// The requests seen so far, as `METHOD path`.
    pub fn seen(&self) -> Vec<String> {
        lock(&self.inner).seen.clone()
    }
}

impl Drop for GithubStandIn {
    fn drop(&mut self) {
        self.server.abort();
    }
}

async fn authorize(State(inner): State<Shared>, Query(q): Query<HashMap<String, String>>) -> Response {
    let mut s = lock(&inner);
    s.seen.push("GET /login/oauth/authorize".into());
    if q.get("client_id").map(String::as_str) != Some(CLIENT_ID) {
        return (StatusCode::NOT_FOUND, "unknown client").into_response();
    }
    let (Some(redirect_uri), Some(state)) = (q.get("redirect_uri"), q.get("state")) else {
        return (StatusCode::BAD_REQUEST, "redirect_uri and state are required here").into_response();
    };
    if q.contains_key("code_challenge") && q.get("code_challenge_method").map(String::as_str) != Some("S256") {
        return (StatusCode::BAD_REQUEST, "only S256").into_response();
    }
    s.counter += 1;
    let code = format!("code-{}", s.counter);
    let pending = Pending { redirect_uri: redirect_uri.clone(), challenge: q.get("code_challenge").cloned() };
    s.codes.insert(code.clone(), pending);
    let mut back = match Url::parse(redirect_uri) {
        Ok(u) => u,
        Err(_) => return (StatusCode::BAD_REQUEST, "bad redirect_uri").into_response(),
    };
    back.query_pairs_mut().append_pair("code", &code).append_pair("state", state);
    Redirect::to(back.as_str()).into_response()
}

/// GitHub answers a refused code with 200 and an error object.
fn refused(error: &str, description: &str) -> Response {
    Json(json!({"error": error, "error_description": description, "error_uri": "https://docs.github.com/"}))
        .into_response()
}

async fn access_token(
    State(inner): State<Shared>,
    headers: HeaderMap,
    Form(form): Form<HashMap<String, String>>,
) -> Response {
    let mut s = lock(&inner);
    s.seen.push("POST /login/oauth/access_token".into());
    let wants_json = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).is_some_and(|v| v.contains("json"));
    if !wants_json {
        return (StatusCode::NOT_ACCEPTABLE, "this stand-in answers JSON only").into_response();
    }
    let field = |k: &str| form.get(k).map(String::as_str).unwrap_or_default();
    if field("client_id") != CLIENT_ID || field("client_secret") != CLIENT_SECRET {
        return refused("incorrect_client_credentials", "The client_id and/or client_secret passed are incorrect.");
    }
    let Some(pending) = s.codes.remove(field("code")) else {
        return refused("bad_verification_code", "The code passed is incorrect or expired.");
    };
    if pending.redirect_uri != field("redirect_uri") {
        return refused("redirect_uri_mismatch", "The redirect_uri MUST match the registered callback URL.");
    }
    if let Some(challenge) = pending.challenge {
        let computed = URL_SAFE_NO_PAD.encode(sha2::Sha256::digest(field("code_verifier").as_bytes()));
        if computed != challenge {
            return refused("bad_verification_code", "The code_verifier does not match the challenge.");
        }
    }
    s.counter += 1;
    let token = format!("gho_token{}", s.counter);
    s.tokens.push(token.clone());
    Json(json!({"access_token": token, "token_type": "bearer", "scope": "read:user,user:email"})).into_response()
}

/// The account, when the request carries a token this stand-in issued and a `User-Agent`.
fn authorized(inner: &Shared, headers: &HeaderMap, path: &str) -> Result<GithubAccount, Box<Response>> {
    let mut s = lock(inner);
    s.seen.push(format!("GET {path}"));
    if headers.get(header::USER_AGENT).is_none() {
        let why = "Request forbidden by administrative rules. Please make sure your request has a User-Agent header.";
        return Err(Box::new((StatusCode::FORBIDDEN, why).into_response()));
    }
    let bearer =
        headers.get(header::AUTHORIZATION).and_then(|v| v.to_str().ok()).and_then(|v| v.strip_prefix("Bearer "));
    match bearer {
        Some(t) if s.tokens.iter().any(|known| known == t) => Ok(s.account.clone()),
        _ => Err(Box::new((StatusCode::UNAUTHORIZED, Json(json!({"message": "Bad credentials"}))).into_response())),
    }
}

async fn user(State(inner): State<Shared>, headers: HeaderMap) -> Response {
    match authorized(&inner, &headers, "/api/user") {
        Ok(a) => {
            let public_email = a.emails.iter().find(|(_, primary, _)| *primary).map(|(e, _, _)| e.clone());
            Json(json!({"id": a.id, "login": a.login, "name": a.name, "email": public_email, "type": "User"}))
                .into_response()
        }
        Err(r) => *r,
    }
}

async fn emails(State(inner): State<Shared>, headers: HeaderMap) -> Response {
    match authorized(&inner, &headers, "/api/user/emails") {
        Ok(a) => {
            let list: Vec<_> = a
                .emails
                .iter()
                .map(|(email, primary, verified)| {
                    json!({"email": email, "primary": primary, "verified": verified, "visibility": null})
                })
                .collect();
            Json(list).into_response()
        }
        Err(r) => *r,
    }
}
