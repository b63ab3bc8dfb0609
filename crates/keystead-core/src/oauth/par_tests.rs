//! Pushed authorization requests on both databases: the pushed parameters replace the query's,
//! a request_uri is its client's, expires unless opened, ends with the authorization, and a
//! client that must push cannot do without; request objects are refused.

use time::Duration;

use super::authorize::{AuthorizationRequest, AuthorizeError, AuthorizeParams};
use super::par::{PUSHED_REQUEST_TTL, REQUEST_URI_PREFIX};
use super::{ClientChanges, ClientKind, CreatedClient, ErrorCode, NewClient, OAuthError};
use crate::Core;
use crate::accounts::admin::NewUser;
use crate::audit::RequestMeta;
use crate::clock::FakeClock;
use crate::organizations::Actor;
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };
const CB: &str = "https://app.example/cb";
const CHALLENGE: &str = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";

struct T {
    core: Core,
    clock: FakeClock,
    _dir: tempfile::TempDir,
    _db: TestDb,
}

impl T {
    async fn new(db: TestDb) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let clock = FakeClock::fixed();
        let key = crate::testing::new_master_key().unwrap();
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |_| {}).await.unwrap();
        Self { core, clock, _dir: dir, _db: db }
    }

    async fn client(&self, kind: ClientKind, must_push: bool) -> CreatedClient {
        let new = NewClient {
            name: "App".into(),
            kind,
            first_party: false,
            redirect_uris: vec![CB.into(), "https://app.example/other".into()],
            grant_types: vec![],
            post_logout_redirect_uris: vec![],
            backchannel_logout_uri: None,
            id_token_alg: None,
            api_scopes: vec![],
            require_pushed_authorization_requests: must_push,
        };
        self.core.create_oauth_client(Actor::Operator, new, &META).await.unwrap()
    }

    async fn push(&self, client: &CreatedClient, p: AuthorizeParams) -> Result<String, OAuthError> {
        Ok(self.core.push_authorization_request(&client.client, &p).await?.request_uri)
    }

    async fn open(&self, client: &CreatedClient, request_uri: &str) -> Result<AuthorizationRequest, AuthorizeError> {
        let p = AuthorizeParams {
            client_id: Some(client.client.client_id.clone()),
            request_uri: Some(request_uri.to_owned()),
            ..Default::default()
        };
        self.core.validate_authorization(&p).await
    }
}

/// A complete request with PKCE.
fn request(state: &str) -> AuthorizeParams {
    AuthorizeParams {
        response_type: Some("code".into()),
        redirect_uri: Some(CB.into()),
        scope: Some("openid email".into()),
        state: Some(state.into()),
        nonce: Some("n-1".into()),
        code_challenge: Some(CHALLENGE.into()),
        code_challenge_method: Some("S256".into()),
        ..Default::default()
    }
}

fn page(r: Result<AuthorizationRequest, AuthorizeError>) -> String {
    match r {
        Err(AuthorizeError::Page(text)) => text,
        other => panic!("expected an error page, got {other:?}"),
    }
}

fn redirected(r: Result<AuthorizationRequest, AuthorizeError>) -> (ErrorCode, String) {
    match r {
        Err(AuthorizeError::Redirect { error, redirect_uri, .. }) => {
            assert_eq!(redirect_uri, CB);
            (error.code, error.description)
        }
        other => panic!("expected an error for the client, got {other:?}"),
    }
}

async fn the_pushed_parameters_replace_the_query_and_survive_a_slow_sign_in(t: &T) {
    let app = t.client(ClientKind::Public, false).await;
    let answer = t.core.push_authorization_request(&app.client, &request("pushed")).await.unwrap();
    assert_eq!(answer.expires_in, PUSHED_REQUEST_TTL.whole_seconds());
    assert!(answer.request_uri.starts_with(REQUEST_URI_PREFIX) && answer.request_uri.len() > 70);

    // Everything in the query but client_id and request_uri is ignored (RFC 9126 §4).
    let query = AuthorizeParams {
        client_id: Some(app.client.client_id.clone()),
        request_uri: Some(answer.request_uri.clone()),
        ..request("from-the-query")
    };
    let query = AuthorizeParams {
        redirect_uri: Some("https://app.example/other".into()),
        scope: Some("profile".into()),
        ..query
    };
    t.clock.advance(Duration::seconds(80));
    let req = t.core.validate_authorization(&query).await.unwrap();
    assert_eq!(req.state.as_deref(), Some("pushed"));
    assert_eq!(req.redirect_uri, CB);
    assert_eq!(req.scopes.to_string(), "openid email");
    assert_eq!(req.code_challenge.as_deref(), Some(CHALLENGE));

    // Opened, it lasts while the user signs in: the sign-in comes back with the same query.
    t.clock.advance(Duration::minutes(9));
    let again = t.open(&app, &answer.request_uri).await.unwrap();
    assert_eq!(again.state.as_deref(), Some("pushed"));
    t.clock.advance(Duration::minutes(2));
    assert!(page(t.open(&app, &answer.request_uri).await).contains("invalid_request_uri"));
}
core_test!(the_pushed_parameters_replace_the_query_and_survive_a_slow_sign_in);

async fn a_request_uri_is_its_clients_expires_unopened_and_ends_with_the_authorization(t: &T) {
    let app = t.client(ClientKind::Public, false).await;
    let other = t.client(ClientKind::Public, false).await;
    let uri = t.push(&app, request("s")).await.unwrap();
    assert!(page(t.open(&other, &uri).await).contains("invalid_request_uri"), "another client's");
    assert!(page(t.open(&app, &format!("{uri}x")).await).contains("invalid_request_uri"), "unknown");

    // Not opened within expires_in: gone; opened in time, it lasts longer.
    let late = t.push(&app, request("s")).await.unwrap();
    let req = t.open(&app, &uri).await.unwrap();
    t.clock.advance(PUSHED_REQUEST_TTL);
    assert!(page(t.open(&app, &late).await).contains("invalid_request_uri"));

    // Ended by an error sent to the client (a cancelled consent), it cannot be used again.
    let e = t.core.end_authorization(&req, req.error(ErrorCode::AccessDenied, "the user cancelled")).await;
    assert!(matches!(e, AuthorizeError::Redirect { .. }));
    assert!(page(t.open(&app, &uri).await).contains("invalid_request_uri"));

    // Ended by the code it issued, once: a second tab that opened it too gets no code.
    t.core
        .create_user(
            NewUser { email: "ada@example.com", given_name: None, family_name: None, verified: true, password: None },
            &META,
        )
        .await
        .unwrap();
    let session = session(t, "ada@example.com").await;
    let uri = t.push(&app, request("s")).await.unwrap();
    let first = t.open(&app, &uri).await.unwrap();
    let second = t.open(&app, &uri).await.unwrap();
    let url = t.core.issue_code(&first, &session).await.unwrap();
    assert!(url.starts_with(CB) && url.contains("code=") && url.contains("state=s"), "{url}");
    let refused = t.core.issue_code(&second, &session).await.unwrap_err();
    assert_eq!(refused.code, ErrorCode::InvalidRequestUri);
    assert!(page(t.open(&app, &uri).await).contains("invalid_request_uri"));
}
core_test!(a_request_uri_is_its_clients_expires_unopened_and_ends_with_the_authorization);

async fn session(t: &T, email: &str) -> crate::sessions::SessionInfo {
    let user = t.core.user_by_email(email).await.unwrap();
    let mut tx = t.core.store().begin().await.unwrap();
    let stage = crate::sessions::SessionStage::Authenticated;
    let s = crate::sessions::create(&t.core, &mut tx, user, stage, &["pwd"], &META).await.unwrap().session;
    tx.commit().await.unwrap();
    s
}

async fn bad_pushes_are_refused_with_the_rfc_error(t: &T) {
    let app = t.client(ClientKind::Public, false).await;
    let other = t.client(ClientKind::Public, false).await;
    let cases: [(AuthorizeParams, ErrorCode); 7] = [
        (
            AuthorizeParams { request_uri: Some(format!("{REQUEST_URI_PREFIX}x")), ..request("s") },
            ErrorCode::InvalidRequest,
        ),
        (
            AuthorizeParams { request: Some("eyJhbGciOiJub25lIn0.e30.".into()), ..request("s") },
            ErrorCode::RequestNotSupported,
        ),
        (
            AuthorizeParams { redirect_uri: Some("https://evil.example/cb".into()), ..request("s") },
            ErrorCode::InvalidRequest,
        ),
        (
            AuthorizeParams { code_challenge: None, code_challenge_method: None, ..request("s") },
            ErrorCode::InvalidRequest,
        ),
        (AuthorizeParams { scope: Some("openid \"root\"".into()), ..request("s") }, ErrorCode::InvalidScope),
        (AuthorizeParams { response_type: Some("token".into()), ..request("s") }, ErrorCode::UnsupportedResponseType),
        (
            AuthorizeParams { client_id: Some(other.client.client_id.clone()), ..request("s") },
            ErrorCode::InvalidRequest,
        ),
    ];
    for (params, code) in cases {
        let e = t.push(&app, params.clone()).await.unwrap_err();
        assert_eq!(e.code, code, "{params:?}: {e}");
        assert!(!e.description.contains(['"', '\\']), "{e}");
    }
}
core_test!(bad_pushes_are_refused_with_the_rfc_error);

async fn a_client_that_must_push_cannot_do_without_and_request_objects_are_refused(t: &T) {
    let strict = t.client(ClientKind::Confidential, true).await;
    assert!(strict.client.require_pushed_authorization_requests);
    let front = AuthorizeParams { client_id: Some(strict.client.client_id.clone()), ..request("s") };
    let (code, description) = redirected(t.core.validate_authorization(&front).await);
    assert_eq!(code, ErrorCode::InvalidRequest);
    assert!(description.contains("push"), "{description}");
    let uri = t.push(&strict, request("s")).await.unwrap();
    assert!(t.open(&strict, &uri).await.is_ok());

    let changes = ClientChanges { require_pushed_authorization_requests: Some(false), ..Default::default() };
    let id = &strict.client.client_id;
    let relaxed = t.core.update_oauth_client(Actor::Operator, id, changes, None, &META).await.unwrap();
    assert!(!relaxed.require_pushed_authorization_requests);
    assert!(t.core.validate_authorization(&front).await.is_ok());

    let object = AuthorizeParams { request: Some("eyJhbGciOiJub25lIn0.e30.".into()), ..front.clone() };
    assert_eq!(redirected(t.core.validate_authorization(&object).await).0, ErrorCode::RequestNotSupported);
    let by_reference = AuthorizeParams { request_uri: Some("https://app.example/request.jwt".into()), ..front };
    assert_eq!(redirected(t.core.validate_authorization(&by_reference).await).0, ErrorCode::RequestUriNotSupported);
}
core_test!(a_client_that_must_push_cannot_do_without_and_request_objects_are_refused);

async fn expired_pushed_requests_are_purged_with_the_other_oauth_records(t: &T) {
    let app = t.client(ClientKind::Public, false).await;
    t.push(&app, request("s")).await.unwrap();
    assert_eq!(t.core.purge_expired_oauth_records().await.unwrap(), 0);
    t.clock.advance(Duration::days(1) + PUSHED_REQUEST_TTL);
    assert_eq!(t.core.purge_expired_oauth_records().await.unwrap(), 1);
}
core_test!(expired_pushed_requests_are_purged_with_the_other_oauth_records);
