//! OAuth / OpenID Connect speed.
//!
//! 1. JWT cost per algorithm (RS256, ES256, EdDSA): sign (key parsed once, as the server does)
//!    and verify (jsonwebtoken, as relying parties do), microseconds each.
//! 2. Token endpoint: authorization-code exchanges per second (code lookup, grant, access token
//!    signed ES256, ID token signed ES256 — and again with an RS256 ID token), 8 concurrent
//!    clients, codes issued beforehand; client-credentials tokens per second.
//! 3. Userinfo and introspection: requests per second (access token verification, grant check,
//!    user read), 8 concurrent clients.
//! 4. Discovery and JWKS: requests per second (pre-serialised bytes).
//!
//! The load comes from the same process over loopback, so the figures are lower bounds of what
//! the server alone does on the machine.
//!
//! Runs on SQLite by default, on PostgreSQL with `KEYSTEAD_TEST_DATABASE=postgres`. Run with
//! `cargo bench -p keystead-web --bench oauth`.

use std::time::{Duration, Instant};

use anyhow::{Context as _, ensure};
use keystead_core::accounts::admin::NewUser;
use keystead_core::audit::RequestMeta;
use keystead_core::config::Config;
use keystead_core::oauth::keys::StandaloneKey;
use keystead_core::oauth::{ClientKind, NewClient, SigningAlg};
use keystead_testkit::{TestApp, TestAppOptions};
use reqwest::StatusCode;
use secrecy::SecretString;

const PASSWORD: &str = "velvet harbour kettle mosaic 1843";
const CODES: usize = 2000;
const WORKERS: usize = 8;

fn jwt_costs() -> anyhow::Result<Vec<serde_json::Value>> {
    let claims = serde_json::json!({"iss": "https://accounts.example", "sub": "0190c0de-0000-7000-8000-000000000000", "aud": "client", "exp": 2_000_000_000, "iat": 1_700_000_000, "scope": "openid profile email"});
    let mut out = Vec::new();
    for alg in SigningAlg::ALL {
        let key = StandaloneKey::generate(alg)?;
        let n = 2000;
        let t = Instant::now();
        let mut token = String::new();
        for _ in 0..n {
            token = key.sign(&claims)?;
        }
        let sign_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        let t = Instant::now();
        for _ in 0..n {
            ensure!(key.verify(&token), "verification failed");
        }
        let verify_us = t.elapsed().as_secs_f64() * 1e6 / f64::from(n);
        println!("1. {:<5}  sign {sign_us:>8.1} µs   verify {verify_us:>8.1} µs", alg.as_str());
        out.push(serde_json::json!({"alg": alg.as_str(), "sign_us": sign_us, "verify_us": verify_us}));
    }
    Ok(out)
}

async fn signed_in_client(app: &TestApp, email: &str) -> anyhow::Result<reqwest::Client> {
    let client = app.client();
    let html = client.get(app.at("/sign-in")).send().await?.text().await?;
    let start = html.find("name=\"csrf_token\" value=\"").context("csrf field")? + "name=\"csrf_token\" value=\"".len();
    let token = &html[start..start + 43];
    let res = client
        .post(app.at("/sign-in/password"))
        .form(&[("csrf_token", token), ("email", email), ("password", PASSWORD)])
        .send()
        .await?;
    ensure!(res.status() == StatusCode::SEE_OTHER, "sign-in answered {}", res.status());
    Ok(client)
}

/// Spreads `items` over `WORKERS` tasks running `work` on each; returns the successes.
async fn run_concurrently<T, F, Fut>(items: Vec<T>, work: F) -> anyhow::Result<usize>
where
    T: Send + 'static,
    F: Fn(T) -> Fut + Clone + Send + 'static,
    Fut: std::future::Future<Output = bool> + Send,
{
    let mut buckets: Vec<Vec<T>> = (0..WORKERS).map(|_| Vec::new()).collect();
    for (i, item) in items.into_iter().enumerate() {
        buckets[i % WORKERS].push(item);
    }
    let mut tasks = Vec::new();
    for bucket in buckets {
        let work = work.clone();
        tasks.push(tokio::spawn(async move {
            let mut ok = 0;
            for item in bucket {
                if work(item).await {
                    ok += 1;
                }
            }
            ok
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await?;
    }
    Ok(total)
}

/// Successful requests per second from `WORKERS` clients sending `request` for `seconds`.
async fn rate<F>(seconds: u64, request: F) -> anyhow::Result<f64>
where
    F: Fn() -> reqwest::RequestBuilder + Clone + Send + 'static,
{
    let until = Instant::now() + Duration::from_secs(seconds);
    let mut tasks = Vec::new();
    for _ in 0..WORKERS {
        let request = request.clone();
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                if let Ok(res) = request().send().await
                    && res.status() == StatusCode::OK
                    && res.bytes().await.is_ok()
                {
                    n += 1;
                }
            }
            n
        }));
    }
    let mut total = 0;
    for t in tasks {
        total += t.await?;
    }
    ensure!(total > 0, "no request succeeded");
    Ok(total as f64 / seconds as f64)
}

/// Issues `n` codes one by one for `client_id` from the signed-in `browser`; returns them and
/// the rate.
async fn issue_codes(
    app: &TestApp,
    browser: &reqwest::Client,
    client_id: &str,
    n: usize,
) -> anyhow::Result<(Vec<String>, f64)> {
    let authorize = format!(
        "{}?response_type=code&client_id={client_id}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid%20email",
        app.at("/oauth/authorize")
    );
    let started = Instant::now();
    let mut codes = Vec::with_capacity(n);
    for _ in 0..n {
        let res = browser.get(&authorize).send().await?;
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).context("no redirect")?;
        let url = url::Url::parse(location)?;
        codes.push(url.query_pairs().find(|(k, _)| k == "code").context("no code")?.1.into_owned());
    }
    Ok((codes, n as f64 / started.elapsed().as_secs_f64()))
}

/// Exchanges every code from `WORKERS` clients; returns exchanges per second.
async fn exchange_rate(
    http: &reqwest::Client,
    token_url: &str,
    client: &Registered,
    codes: Vec<String>,
) -> anyhow::Result<f64> {
    let n = codes.len();
    let started = Instant::now();
    let (http, token_url, client_id, secret) =
        (http.clone(), token_url.to_owned(), client.id.clone(), client.secret.clone());
    let exchanged = run_concurrently(codes, move |code: String| {
        let (http, token_url, client_id, secret) = (http.clone(), token_url.clone(), client_id.clone(), secret.clone());
        async move {
            let form = [
                ("grant_type", "authorization_code"),
                ("code", code.as_str()),
                ("redirect_uri", "https://app.example/cb"),
            ];
            match http.post(&token_url).basic_auth(&client_id, Some(&secret)).form(&form).send().await {
                Ok(res) => res.status() == StatusCode::OK && res.bytes().await.is_ok(),
                Err(_) => false,
            }
        }
    })
    .await?;
    ensure!(exchanged == n, "only {exchanged} of {n} exchanges succeeded");
    Ok(n as f64 / started.elapsed().as_secs_f64())
}

/// A registered confidential client.
struct Registered {
    id: String,
    secret: String,
}

async fn register(app: &TestApp, name: &str, id_token_alg: &str, grants: &[&str]) -> anyhow::Result<Registered> {
    let created = app
        .core
        .create_oauth_client(
            keystead_core::organizations::Actor::Operator,
            NewClient {
                name: name.into(),
                kind: ClientKind::Confidential,
                first_party: true,
                redirect_uris: vec!["https://app.example/cb".into()],
                grant_types: grants.iter().map(|g| (*g).to_owned()).collect(),
                post_logout_redirect_uris: vec![],
                backchannel_logout_uri: None,
                id_token_alg: Some(id_token_alg.into()),
                api_scopes: vec![],
                require_pushed_authorization_requests: false,
            },
            &keystead_core::audit::RequestMeta::cli(),
        )
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let secret =
        created.secret.as_ref().map(|s| keystead_core::oauth::clients::secret_text(s).to_owned()).context("secret")?;
    Ok(Registered { id: created.client.client_id.clone(), secret })
}

/// The server and a user.
async fn setup() -> anyhow::Result<TestApp> {
    let configure = |c: &mut Config| c.rate_limits.sign_in_per_ip = 10_000_000;
    let app =
        TestApp::start(TestAppOptions { configure: Some(Box::new(configure)), ..TestAppOptions::default() }).await?;
    let new = NewUser {
        email: "bench@example.com",
        given_name: Some("Bench"),
        family_name: Some("User"),
        verified: true,
        password: Some(SecretString::from(PASSWORD)),
    };
    app.core.create_user(new, &RequestMeta::cli()).await.map_err(|e| anyhow::anyhow!("{e:?}"))?;
    Ok(app)
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let jwt = jwt_costs()?;
    let app = setup().await?;
    let backend = format!("{:?}", app.core.store().backend());
    let browser = signed_in_client(&app, "bench@example.com").await?;
    let es256 = register(&app, "Bench ES256", "ES256", &[]).await?;
    let rs256 = register(&app, "Bench RS256", "RS256", &[]).await?;
    let service = register(&app, "Bench service", "ES256", &["client_credentials"]).await?;
    let http = reqwest::Client::new();
    let token_url = app.at("/oauth/token");

    let (codes, issue_rate) = issue_codes(&app, &browser, &es256.id, CODES).await?;
    println!("Keystead OAuth benchmark on {backend}: {CODES} codes issued one by one at {issue_rate:.0}/s");
    let es256_rate = exchange_rate(&http, &token_url, &es256, codes).await?;
    println!("2a. code exchanges (ES256 ID token), {WORKERS} concurrent clients: {es256_rate:.0}/s");
    let (codes, _) = issue_codes(&app, &browser, &rs256.id, CODES / 2).await?;
    let rs256_rate = exchange_rate(&http, &token_url, &rs256, codes).await?;
    println!("2b. code exchanges (RS256 ID token), {WORKERS} concurrent clients: {rs256_rate:.0}/s");
    let cc = {
        let (http, url, id, secret) = (http.clone(), token_url.clone(), service.id.clone(), service.secret.clone());
        rate(3, move || http.post(&url).basic_auth(&id, Some(&secret)).form(&[("grant_type", "client_credentials")]))
            .await?
    };
    println!("2c. client-credentials tokens, {WORKERS} concurrent clients for 3 s: {cc:.0}/s");

    // One more code for a token to call userinfo and introspection with.
    let (codes, _) = issue_codes(&app, &browser, &es256.id, 1).await?;
    let form =
        [("grant_type", "authorization_code"), ("code", codes[0].as_str()), ("redirect_uri", "https://app.example/cb")];
    let tokens: serde_json::Value =
        http.post(&token_url).basic_auth(&es256.id, Some(&es256.secret)).form(&form).send().await?.json().await?;
    let access = tokens["access_token"].as_str().context("access token")?.to_owned();
    let userinfo = {
        let (http, url, access) = (http.clone(), app.at("/oauth/userinfo"), access.clone());
        rate(5, move || http.get(&url).bearer_auth(&access)).await?
    };
    println!("3a. userinfo, {WORKERS} concurrent clients for 5 s: {userinfo:.0} requests/s");
    let introspection = {
        let (http, url, id, secret, access) =
            (http.clone(), app.at("/oauth/introspect"), es256.id.clone(), es256.secret.clone(), access.clone());
        rate(3, move || http.post(&url).basic_auth(&id, Some(&secret)).form(&[("token", access.as_str())])).await?
    };
    println!("3b. introspection, {WORKERS} concurrent clients for 3 s: {introspection:.0} requests/s");
    let discovery = {
        let (http, url) = (http.clone(), app.at("/.well-known/openid-configuration"));
        rate(3, move || http.get(&url)).await?
    };
    let jwks = {
        let (http, url) = (http.clone(), app.at("/.well-known/jwks.json"));
        rate(3, move || http.get(&url)).await?
    };
    println!(
        "4. discovery {discovery:.0} requests/s, JWKS {jwks:.0} requests/s ({WORKERS} concurrent clients for 3 s)"
    );
    println!(
        "{}",
        serde_json::json!({"bench": "oauth", "backend": backend, "jwt": jwt, "code_issue_per_s": issue_rate,
            "code_exchanges_es256_per_s": es256_rate, "code_exchanges_rs256_per_s": rs256_rate,
            "client_credentials_per_s": cc, "userinfo_per_s": userinfo, "introspection_per_s": introspection,
            "discovery_per_s": discovery, "jwks_per_s": jwks})
    );
    Ok(())
}
