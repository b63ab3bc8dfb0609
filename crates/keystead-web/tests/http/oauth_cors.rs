//! CORS on the endpoints a browser application calls: the registered redirect origins of public
//! clients get `Access-Control-Allow-Origin` (their own, never `*`, never with credentials) on
//! the preflight and the answer; other origins, confidential clients' origins and the other
//! endpoints get none.

use keystead_core::oauth::ClientKind;
use reqwest::header::{
    ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS, ACCESS_CONTROL_ALLOW_ORIGIN,
    ACCESS_CONTROL_REQUEST_HEADERS, ACCESS_CONTROL_REQUEST_METHOD, ORIGIN,
};
use reqwest::{Client, Method, Response, StatusCode};

use super::oauth::{app, register};

const SPA: &str = "https://spa.example";

fn allowed(res: &Response) -> Option<&str> {
    res.headers().get(ACCESS_CONTROL_ALLOW_ORIGIN).and_then(|v| v.to_str().ok())
}

#[tokio::test]
async fn a_public_clients_redirect_origin_may_read_the_provider_endpoints_and_no_one_else() {
    let app = app().await;
    register(&app, ClientKind::Public, false, &[], |n| n.redirect_uris = vec![format!("{SPA}/callback")]).await;
    register(&app, ClientKind::Confidential, false, &[], |n| n.redirect_uris = vec!["https://web.example/cb".into()])
        .await;
    let http = Client::new();

    for path in ["/oauth/token", "/oauth/par", "/oauth/userinfo", "/oauth/revoke", "/oauth/device_authorization"] {
        let res = http
            .request(Method::OPTIONS, app.at(path))
            .header(ORIGIN, SPA)
            .header(ACCESS_CONTROL_REQUEST_METHOD, "POST")
            .header(ACCESS_CONTROL_REQUEST_HEADERS, "authorization, content-type, dpop")
            .send()
            .await
            .unwrap();
        assert!(res.status().is_success(), "{path}: preflight {}", res.status());
        assert_eq!(allowed(&res), Some(SPA), "{path}");
        let headers = res.headers()[ACCESS_CONTROL_ALLOW_HEADERS].to_str().unwrap().to_ascii_lowercase();
        assert!(headers.contains("authorization") && headers.contains("dpop"), "{headers}");
        assert!(res.headers().get(ACCESS_CONTROL_ALLOW_CREDENTIALS).is_none(), "never credentials");
    }
    // The answer itself, an error included, carries the header for the allowed origin only.
    let token = |origin: &'static str| {
        http.post(app.at("/oauth/token")).header(ORIGIN, origin).form(&[("grant_type", "authorization_code")]).send()
    };
    let res = token(SPA).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "no client named: invalid_client");
    assert_eq!(allowed(&res), Some(SPA));
    assert!(res.headers()["vary"].to_str().unwrap().to_ascii_lowercase().contains("origin"));
    for other in ["https://evil.example", "https://web.example", "null", "http://spa.example"] {
        let res = token(other).await.unwrap();
        assert_eq!(allowed(&res), None, "{other}");
    }
    for path in
        ["/.well-known/openid-configuration", "/.well-known/oauth-authorization-server", "/.well-known/jwks.json"]
    {
        let res = http.get(app.at(path)).header(ORIGIN, SPA).send().await.unwrap();
        assert_eq!((res.status(), allowed(&res)), (StatusCode::OK, Some(SPA)), "{path}");
    }
    // Introspection is for servers holding a secret; the pages are not for other origins.
    for path in ["/oauth/introspect", "/sign-in"] {
        let res = http.get(app.at(path)).header(ORIGIN, SPA).send().await.unwrap();
        assert_eq!(allowed(&res), None, "{path}");
    }
    // A newly registered application's origin works at once.
    register(&app, ClientKind::Public, false, &[], |n| n.redirect_uris = vec!["https://new.example/cb".into()]).await;
    tokio::time::sleep(std::time::Duration::from_millis(1100)).await;
    let res = http.get(app.at("/.well-known/jwks.json")).header(ORIGIN, "https://new.example").send().await.unwrap();
    assert_eq!(allowed(&res), Some("https://new.example"));
}
