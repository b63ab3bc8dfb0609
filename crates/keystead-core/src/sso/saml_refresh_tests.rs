//! SAML metadata kept current from its URL, on both databases: a key the IdP rolled over is
//! picked up when a response's signature does not verify, metadata is fetched again after a
//! day, and a fetch that fails or names another entity leaves the cached copy in use.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

use super::*;
use crate::accounts::admin::NewUser;
use crate::clock::FakeClock;
use crate::organizations::NewOrganization;
use crate::sso::flow::state_row;
use crate::sso::saml::tests::fixture::{IDP, OTHER_IDP, REQUEST_ID, Resp, now};
use crate::testing::{TestDb, core_test};

const META: RequestMeta = RequestMeta { ip: None, user_agent: None, via: None, operator: None };

/// Serves whatever document it holds (or a 500 for an empty one) to any request.
struct MetadataServer {
    url: String,
    body: Arc<Mutex<String>>,
    requests: Arc<std::sync::atomic::AtomicUsize>,
}

impl MetadataServer {
    async fn start(body: String) -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/metadata", listener.local_addr().unwrap());
        let body = Arc::new(Mutex::new(body));
        let served = body.clone();
        let requests = Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counted = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
                let mut request = vec![0u8; 4096];
                let _ = socket.read(&mut request).await;
                let doc = served.lock().unwrap().clone();
                let status = if doc.is_empty() { "500 Internal Server Error" } else { "200 OK" };
                let head = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: application/samlmetadata+xml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    doc.len()
                );
                let _ = socket.write_all(format!("{head}{doc}").as_bytes()).await;
            }
        });
        Self { url, body, requests }
    }

    fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }

    fn serve(&self, doc: String) {
        *self.body.lock().unwrap() = doc;
    }
}

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
        let core = crate::testing::core_on(&db, dir.path(), &key, clock.clone(), |c| {
            c.outbound.allow_private_networks = true;
        })
        .await
        .unwrap();
        Self { core, clock, _dir: dir, _db: db }
    }

    /// Acme (verified domain example.org) connected to the fixture IdP by the metadata URL `server` serves.
    async fn connected(&self, server: &MetadataServer) -> SsoConnectionId {
        let owner = NewUser {
            email: "owner@acme.example",
            given_name: None,
            family_name: None,
            verified: true,
            password: None,
        };
        let owner = self.core.create_user(owner, &META).await.unwrap().id;
        let new = NewOrganization { name: "Acme", slug: Some("acme"), owner: Some(owner) };
        let org = self.core.create_organization(Actor::Operator, new, &META).await.unwrap().id;
        // The fixture's person is ada@example.org: the organization's verified domain vouches.
        self.core.add_organization_domain(Actor::Operator, org, "example.org", &META).await.unwrap();
        let new = NewSamlConnection {
            name: "Acme SAML".into(),
            metadata: SamlMetadataSource::Url(server.url.clone()),
            claim_mapping: None,
            trust_idp_mfa: false,
        };
        self.core.add_saml_connection(Actor::Operator, org, new, &META).await.unwrap().id
    }

    /// A response to a request this browser started (`state`, in Turkish), as the fixture IdP
    /// signs it.
    async fn respond(&self, connection: SsoConnectionId, state: &str, rolled_over: bool) -> Result<FederatedSignIn> {
        let mut row = state_row(Some(connection), "sso", None);
        row.saml_request_id = Some(REQUEST_ID.to_owned());
        row.locale = Some("tr".to_owned());
        self.core.save_sso_state(row, state).await.unwrap();
        let resp = Resp {
            destination: self.core.saml_acs_url(connection),
            recipient: self.core.saml_acs_url(connection),
            audience: self.core.saml_sp_entity_id(connection),
            rolled_over,
            ..Resp::standard()
        };
        self.core.finish_saml_sign_in(connection, &resp.encoded(), state, Some(state), &META).await
    }

    async fn cached_certs(&self, connection: SsoConnectionId) -> Vec<Vec<u8>> {
        let mut conn = self.core.store().conn().await.unwrap();
        let row = store::get_connection(conn.db(), connection).await.unwrap().unwrap();
        serde_json::from_str::<saml::IdpMetadata>(&row.provider_cache).unwrap().signing_certs
    }
}

async fn a_rolled_over_key_is_fetched_when_a_signature_does_not_verify(t: &T) {
    let server = MetadataServer::start(IDP.metadata_xml()).await;
    t.clock.set(now() - Duration::minutes(10));
    let connection = t.connected(&server).await;
    t.clock.set(now());
    // The IdP rolled its key over; its metadata URL already says so.
    server.serve(OTHER_IDP.metadata_xml());
    let signed_in = t.respond(connection, "state-1", true).await.unwrap();
    assert!(signed_in.created);
    // The account made just in time keeps the language the sign-in started in.
    assert_eq!(signed_in.session.session.user.locale.as_deref(), Some("tr"));
    assert_eq!(t.cached_certs(connection).await, OTHER_IDP.metadata().signing_certs, "the new key is kept");
    // A response under the old key is now refused: the metadata no longer lists it, and it was
    // fetched moments ago, so no fetch is made for it.
    server.serve(IDP.metadata_xml());
    let refused = t.respond(connection, "state-2", false).await.unwrap_err();
    assert!(format!("{refused:?}").contains("bad_signature"), "{refused:?}");
    assert_eq!(t.cached_certs(connection).await, OTHER_IDP.metadata().signing_certs);
}
core_test!(a_rolled_over_key_is_fetched_when_a_signature_does_not_verify);

async fn metadata_is_fetched_again_after_a_day_and_a_bad_fetch_keeps_the_cached_copy(t: &T) {
    let server = MetadataServer::start(IDP.metadata_xml()).await;
    t.clock.set(now() - Duration::hours(30));
    let connection = t.connected(&server).await;
    t.clock.set(now() - Duration::hours(5));
    // Down, then another entity at the same URL: the cached copy serves.
    server.serve(String::new());
    let before = server.requests();
    t.core.begin_sso(connection, None, None, None).await.unwrap();
    assert_eq!(t.cached_certs(connection).await, IDP.metadata().signing_certs);
    assert_eq!(server.requests(), before + 1, "fetched once because it was a day old");
    t.core.begin_sso(connection, None, None, None).await.unwrap();
    assert_eq!(server.requests(), before + 1, "the failed fetch restarted the day: no sign-in waits on it again");
    let other_entity = OTHER_IDP.metadata_xml().replace("https://idp.test/metadata", "https://evil.test/metadata");
    server.serve(other_entity);
    t.clock.set(now() - Duration::hours(5) + Duration::hours(25));
    t.core.begin_sso(connection, None, None, None).await.unwrap();
    assert_eq!(server.requests(), before + 2);
    assert_eq!(t.cached_certs(connection).await, IDP.metadata().signing_certs);
    // The same entity with a new key: taken.
    server.serve(OTHER_IDP.metadata_xml());
    t.clock.set(now() - Duration::hours(5) + Duration::hours(50));
    t.core.begin_sso(connection, None, None, None).await.unwrap();
    assert_eq!(t.cached_certs(connection).await, OTHER_IDP.metadata().signing_certs);
}
core_test!(metadata_is_fetched_again_after_a_day_and_a_bad_fetch_keeps_the_cached_copy);
