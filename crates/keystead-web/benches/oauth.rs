//! OAuth / OpenID Connect speed.
//!
//! 1. JWT cost per algorithm (RS256, ES256, EdDSA): sign (key parsed once, as the server does)
//!    and verify (jsonwebtoken, as relying parties do), microseconds each.
//! 2. Token endpoint: authorization-code exchanges per second (code lookup, grant, access token
//!    signed ES256 and ID token signed RS256), 8 concurrent clients, codes issued beforehand.
//! 3. Userinfo: requests per second (access token verification, grant check, user read),
//!    8 concurrent clients for 5 s.
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

/// Requests per second at userinfo with one access token from `WORKERS` clients for 5 s.
async fn userinfo_rate(app: &TestApp, http: &reqwest::Client, access: &str) -> anyhow::Result<f64> {
    let until = Instant::now() + Duration::from_secs(5);
    let userinfo_url = app.at("/oauth/userinfo");
    let mut tasks = Vec::new();
    for _ in 0..WORKERS {
        let (http, url, access) = (http.clone(), userinfo_url.clone(), access.to_owned());
        tasks.push(tokio::spawn(async move {
            let mut n = 0u64;
            while Instant::now() < until {
                if let Ok(res) = http.get(&url).bearer_auth(&access).send().await
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
    Ok(total as f64 / 5.0)
}

/// The server, a user and a first-party confidential client: (app, client_id, secret).
async fn setup() -> anyhow::Result<(TestApp, String, String)> {
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
    let created = app
        .core
        .create_oauth_client(NewClient {
            name: "Bench".into(),
            kind: ClientKind::Confidential,
            first_party: true,
            redirect_uris: vec!["https://app.example/cb".into()],
            grant_types: vec![],
            post_logout_redirect_uris: vec![],
            backchannel_logout_uri: None,
            id_token_alg: None,
        })
        .await
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
    let client_id = created.client.client_id.clone();
    let secret =
        created.secret.as_ref().map(|s| keystead_core::oauth::clients::secret_text(s).to_owned()).context("secret")?;
    Ok((app, client_id, secret))
}

#[tokio::main(flavor = "multi_thread")]
async fn main() -> anyhow::Result<()> {
    let jwt = jwt_costs()?;
    let (app, client_id, secret) = setup().await?;
    let backend = format!("{:?}", app.core.store().backend());
    let browser = signed_in_client(&app, "bench@example.com").await?;
    let authorize = format!(
        "{}?response_type=code&client_id={client_id}&redirect_uri=https%3A%2F%2Fapp.example%2Fcb&scope=openid%20email",
        app.at("/oauth/authorize")
    );
    let started = Instant::now();
    let mut codes = Vec::with_capacity(CODES);
    for _ in 0..CODES {
        let res = browser.get(&authorize).send().await?;
        let location = res.headers().get("location").and_then(|v| v.to_str().ok()).context("no redirect")?;
        let url = url::Url::parse(location)?;
        codes.push(url.query_pairs().find(|(k, _)| k == "code").context("no code")?.1.into_owned());
    }
    let issue_rate = CODES as f64 / started.elapsed().as_secs_f64();
    println!("Keystead OAuth benchmark on {backend}: {CODES} codes issued one by one at {issue_rate:.0}/s");

    let http = reqwest::Client::new();
    let token_url = app.at("/oauth/token");
    let started = Instant::now();
    let exchanged = {
        let (http, token_url, client_id, secret) = (http.clone(), token_url.clone(), client_id.clone(), secret.clone());
        run_concurrently(codes, move |code: String| {
            let (http, token_url, client_id, secret) =
                (http.clone(), token_url.clone(), client_id.clone(), secret.clone());
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
        .await?
    };
    let exchange_rate = exchanged as f64 / started.elapsed().as_secs_f64();
    ensure!(exchanged == CODES, "only {exchanged} of {CODES} exchanges succeeded");
    println!("2. code exchanges, {WORKERS} concurrent clients: {exchange_rate:.0}/s");

    // One more code for a token to call userinfo with.
    let res = browser.get(&authorize).send().await?;
    let location = res.headers().get("location").and_then(|v| v.to_str().ok()).context("no redirect")?.to_owned();
    let code = url::Url::parse(&location)?.query_pairs().find(|(k, _)| k == "code").context("no code")?.1.into_owned();
    let form =
        [("grant_type", "authorization_code"), ("code", code.as_str()), ("redirect_uri", "https://app.example/cb")];
    let tokens: serde_json::Value =
        http.post(&token_url).basic_auth(&client_id, Some(&secret)).form(&form).send().await?.json().await?;
    let access = tokens["access_token"].as_str().context("access token")?.to_owned();
    let userinfo_rate = userinfo_rate(&app, &http, &access).await?;
    println!("3. userinfo, {WORKERS} concurrent clients for 5 s: {userinfo_rate:.0} requests/s");
    println!(
        "{}",
        serde_json::json!({"bench": "oauth", "backend": backend, "jwt": jwt, "code_issue_per_s": issue_rate, "code_exchanges_per_s": exchange_rate, "userinfo_per_s": userinfo_rate})
    );
    Ok(())
}
