//! Tests of the testkit's SMTP sink and browser driver.

use std::time::Duration;

use anyhow::{Context, Result};
use keystead_testkit::browser::{self, Browser};
use keystead_testkit::smtp::{MAX_COMMAND_LINE, SmtpSink};
use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::{Credentials, Mechanism};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

const WAIT: Duration = Duration::from_secs(10);

fn transport(sink: &SmtpSink) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(sink.host()).port(sink.port()).timeout(Some(WAIT)).build()
}

fn authed_transport(
    sink: &SmtpSink,
    user: &str,
    password: &str,
    mechanism: Mechanism,
) -> AsyncSmtpTransport<Tokio1Executor> {
    AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(sink.host())
        .port(sink.port())
        .timeout(Some(WAIT))
        .credentials(Credentials::new(user.to_owned(), password.to_owned()))
        .authentication(vec![mechanism])
        .build()
}

fn simple_message(subject: &str) -> Result<Message> {
    Ok(Message::builder()
        .from("Keystead <noreply@keystead.test>".parse()?)
        .to("someone@example.test".parse()?)
        .subject(subject)
        .body(format!("Body of {subject}\n"))?)
}

#[tokio::test]
async fn multipart_mail_with_non_ascii_subject_arrives_and_decodes() -> Result<()> {
    let sink = SmtpSink::start().await?;
    assert_eq!(sink.host(), "127.0.0.1");
    let token = "a1B2c3D4e5".repeat(20);
    let link = format!("https://accounts.keystead.test/verify-email?token={token}&next=%2Fhome");
    let subject = "Bestätige deine E-Mail-Adresse ✓ — Keystead";
    let text = format!(
        "Hallo Ada,\n\nbitte bestätige deine Adresse: {link}.\n\
         .leading dot line\n(Oder hier: <https://keystead.test/help>)\n"
    );
    let html = format!("<p>Hallo Ada, bitte <a href=\"{link}\">bestätigen</a>.</p>");
    let to: Mailbox = "Ada Lövelace <ada@example.test>".parse()?;
    let message = Message::builder()
        .from("Keystead <noreply@keystead.test>".parse()?)
        .to(to)
        .bcc("audit@example.test".parse()?)
        .subject(subject)
        .multipart(MultiPart::alternative_plain_html(text, html))?;
    transport(&sink).send(message).await?;

    let mails = sink.wait_for(1, WAIT).await?;
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail.mail_from, "noreply@keystead.test");
    assert_eq!(mail.rcpt_to, ["ada@example.test", "audit@example.test"]);
    assert!(!mail.raw.contains("Bestätige"), "the subject should travel encoded");
    assert_eq!(mail.subject().as_deref(), Some(subject));
    assert_eq!(mail.header("subject").as_deref(), Some(subject));
    assert!(mail.header("From").is_some_and(|from| from.contains("noreply@keystead.test")));
    assert_eq!(mail.header("X-Not-There"), None);
    assert_eq!(mail.to(), ["ada@example.test"]);
    let text_body = mail.text_body().context("text body")?;
    assert!(text_body.contains(&link), "{text_body}");
    assert!(text_body.lines().any(|l| l == ".leading dot line"), "{text_body}");
    let html_body = mail.html_body().context("html body")?;
    assert!(html_body.contains(&format!("<a href=\"{link}\">bestätigen</a>")), "{html_body}");
    assert_eq!(mail.links(), [link.as_str(), "https://keystead.test/help"]);
    assert!(sink.connection_count() >= 1);
    Ok(())
}

#[tokio::test]
async fn auth_is_required_and_honoured() -> Result<()> {
    let sink = SmtpSink::start().await?;
    sink.require_auth("mailer", "s3cret");

    let anonymous = transport(&sink).send(simple_message("anonymous")?).await;
    let error = anonymous.err().context("sending without AUTH must fail")?;
    assert!(error.to_string().contains("530"), "{error}");

    let wrong =
        authed_transport(&sink, "mailer", "wrong", Mechanism::Plain).send(simple_message("wrong password")?).await;
    let error = wrong.err().context("a wrong password must fail")?;
    assert!(error.to_string().contains("535"), "{error}");

    let wrong_login =
        authed_transport(&sink, "mailer", "wrong", Mechanism::Login).send(simple_message("wrong login")?).await;
    assert!(wrong_login.is_err());

    authed_transport(&sink, "mailer", "s3cret", Mechanism::Plain).send(simple_message("plain")?).await?;
    authed_transport(&sink, "mailer", "s3cret", Mechanism::Login).send(simple_message("login")?).await?;
    let mails = sink.wait_for(2, WAIT).await?;
    let subjects: Vec<_> = mails.iter().filter_map(|m| m.subject()).collect();
    assert_eq!(subjects, ["plain", "login"]);
    Ok(())
}

#[tokio::test]
async fn fail_next_rejects_then_recovers() -> Result<()> {
    let sink = SmtpSink::start().await?;
    let mailer = transport(&sink);

    sink.fail_next(1, 451);
    let error = mailer.send(simple_message("first try")?).await.err().context("the first send must fail")?;
    assert!(error.is_transient(), "{error}");
    mailer.send(simple_message("retry")?).await?;

    sink.fail_next(1, 554);
    let error = mailer.send(simple_message("rejected")?).await.err().context("a permanent failure must fail")?;
    assert!(error.is_permanent(), "{error}");

    let mails = sink.wait_for(1, WAIT).await?;
    assert_eq!(mails.len(), 1, "rejected messages are not stored");
    assert_eq!(mails[0].subject().as_deref(), Some("retry"));
    Ok(())
}

#[tokio::test]
async fn wait_for_times_out_with_a_clear_error() -> Result<()> {
    let sink = SmtpSink::start().await?;
    let started = std::time::Instant::now();
    let error = sink
        .wait_for(2, Duration::from_millis(200))
        .await
        .err()
        .context("nothing was sent, so waiting must time out")?;
    assert!(started.elapsed() >= Duration::from_millis(200));
    let message = error.to_string();
    assert!(message.contains("2 message(s)"), "{message}");
    assert!(message.contains("received 0"), "{message}");
    Ok(())
}

#[tokio::test]
async fn concurrent_senders_are_all_received() -> Result<()> {
    let sink = SmtpSink::start().await?;
    let mut sends = tokio::task::JoinSet::new();
    for i in 0..5 {
        let mailer = transport(&sink);
        let message = simple_message(&format!("concurrent {i}"))?;
        sends.spawn(async move { mailer.send(message).await });
    }
    while let Some(sent) = sends.join_next().await {
        sent??;
    }
    let mails = sink.wait_for(5, WAIT).await?;
    assert_eq!(mails.len(), 5);
    assert!(sink.connection_count() >= 5);
    Ok(())
}

/// A line-based SMTP client for exercising the protocol directly.
struct RawClient {
    reader: BufReader<tokio::net::tcp::OwnedReadHalf>,
    writer: tokio::net::tcp::OwnedWriteHalf,
}

impl RawClient {
    async fn connect(sink: &SmtpSink) -> Result<(RawClient, String)> {
        let stream = TcpStream::connect((sink.host(), sink.port())).await?;
        let (read, writer) = stream.into_split();
        let mut client = RawClient { reader: BufReader::new(read), writer };
        let greeting = client.read_reply().await?;
        Ok((client, greeting))
    }

    /// Reads one (possibly multi-line) reply and returns it whole.
    async fn read_reply(&mut self) -> Result<String> {
        let mut reply = String::new();
        loop {
            let mut line = String::new();
            let n = tokio::time::timeout(WAIT, self.reader.read_line(&mut line)).await??;
            anyhow::ensure!(n > 0, "connection closed; got so far: {reply:?}");
            reply.push_str(&line);
            if line.as_bytes().get(3) != Some(&b'-') {
                return Ok(reply);
            }
        }
    }

    async fn send(&mut self, line: &str) -> Result<String> {
        self.writer.write_all(line.as_bytes()).await?;
        self.writer.write_all(b"\r\n").await?;
        self.read_reply().await
    }
}

#[tokio::test]
async fn raw_protocol_subset() -> Result<()> {
    let sink = SmtpSink::start().await?;
    sink.require_auth("u", "p");
    let (mut c, greeting) = RawClient::connect(&sink).await?;
    assert!(greeting.starts_with("220 "), "{greeting}");
    assert!(c.send("MAIL FROM:<a@x.test>").await?.starts_with("503"));
    let ehlo = c.send("EHLO client.test").await?;
    assert!(ehlo.contains("250-AUTH PLAIN LOGIN") || ehlo.contains("250 AUTH PLAIN LOGIN"));
    assert!(c.send("FROB").await?.starts_with("502"));
    assert!(c.send("NOOP").await?.starts_with("250"));
    assert!(c.send("MAIL FROM:<a@x.test>").await?.starts_with("530"));
    // AUTH PLAIN with the response on a continuation line; then a bad one.
    assert!(c.send("AUTH PLAIN").await?.starts_with("334"));
    assert!(c.send("AHUAeA==").await?.starts_with("535"), "\\0u\\0x is wrong");
    assert!(c.send("AUTH PLAIN").await?.starts_with("334"));
    assert!(c.send("AHUAcA==").await?.starts_with("235"), "\\0u\\0p is right");
    let long = format!("NOOP {}", "x".repeat(MAX_COMMAND_LINE + 10));
    assert!(c.send(&long).await?.starts_with("500"));
    assert!(c.send("RCPT TO:<b@x.test>").await?.starts_with("503"));
    assert!(c.send("MAIL FROM:<a@x.test> BODY=8BITMIME").await?.starts_with("250"));
    assert!(c.send("RSET").await?.starts_with("250"));
    assert!(c.send("DATA").await?.starts_with("503"));
    assert!(c.send("mail from:<a@x.test>").await?.starts_with("250"));
    assert!(c.send("RCPT TO:<b@x.test>").await?.starts_with("250"));
    assert!(c.send("RCPT TO:<c@x.test>").await?.starts_with("250"));
    assert!(c.send("DATA").await?.starts_with("354"));
    let body = "Subject: raw\r\n\r\n..dot\r\nplain\r\n.";
    assert!(c.send(body).await?.starts_with("250"));
    assert!(c.send("QUIT").await?.starts_with("221"));

    let mails = sink.wait_for(1, WAIT).await?;
    assert_eq!(mails[0].rcpt_to, ["b@x.test", "c@x.test"]);
    assert_eq!(mails[0].raw, "Subject: raw\r\n\r\n.dot\r\nplain\r\n");
    assert_eq!(mails[0].text_body().as_deref(), Some(".dot\r\nplain\r\n"));
    Ok(())
}

#[tokio::test]
async fn auth_login_with_continuations() -> Result<()> {
    let sink = SmtpSink::start().await?;
    sink.require_auth("u", "p");
    let (mut c, _) = RawClient::connect(&sink).await?;
    c.send("EHLO client.test").await?;
    assert!(c.send("AUTH LOGIN").await?.starts_with("334 VXNlcm5hbWU6"));
    assert!(c.send("dQ==").await?.starts_with("334 UGFzc3dvcmQ6"));
    assert!(c.send("cA==").await?.starts_with("235"));
    assert!(c.send("AUTH LOGIN").await?.starts_with("503"), "already authenticated");
    Ok(())
}

const FORM_PAGE: &str = r#"<!doctype html>
<html><head><meta charset="utf-8"><title>Keystead sign-up</title></head>
<body>
  <h1>Create your account</h1>
  <form action="/welcome" method="get">
    <label for="display-name">Display name</label>
    <input id="display-name" name="name" type="text">
    <label><input type="checkbox" name="terms"> I accept the terms</label>
    <button type="submit">Create account</button>
  </form>
</body></html>"#;

fn escape_html(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn page_for(target: &str) -> (&'static str, String) {
    let (path, query) = target.split_once('?').unwrap_or((target, ""));
    match path {
        "/" => ("200 OK", FORM_PAGE.to_owned()),
        "/welcome" => {
            let params: Vec<(String, String)> = url::form_urlencoded::parse(query.as_bytes()).into_owned().collect();
            let value =
                |key: &str| params.iter().find(|(k, _)| k == key).map(|(_, v)| escape_html(v)).unwrap_or_default();
            let body = format!(
                "<!doctype html><html><head><meta charset=\"utf-8\"><title>Welcome</title></head>\
                 <body><p>Hello, {}!</p><p>Terms: {}</p><a href=\"/\">Back home</a></body></html>",
                value("name"),
                value("terms")
            );
            ("200 OK", body)
        }
        _ => ("404 Not Found", "not found".to_owned()),
    }
}

/// A throwaway HTTP/1.1 server: one request per connection, `Connection: close`.
async fn serve_pages() -> Result<String> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let base = format!("http://{}", listener.local_addr()?);
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut head = Vec::new();
                let mut buf = [0_u8; 4096];
                while !head.windows(4).any(|w| w == b"\r\n\r\n") && head.len() < 64 * 1024 {
                    match stream.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => head.extend_from_slice(&buf[..n]),
                    }
                }
                let head = String::from_utf8_lossy(&head);
                let target = head.split_whitespace().nth(1).unwrap_or("/");
                let (status, body) = page_for(target);
                let response = format!(
                    "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\n\
                     Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = stream.write_all(response.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    Ok(base)
}

#[tokio::test]
async fn browser_fills_a_form_and_follows_it() -> Result<()> {
    let Some(browser) = Browser::launch().await? else {
        return Ok(()); // launch() printed the loud SKIPPED warning.
    };
    let base = serve_pages().await?;
    browser.goto(&format!("{base}/")).await?;
    assert_eq!(browser.title().await?, "Keystead sign-up");
    assert!(browser.page_text().await?.contains("Create your account"));

    let missing = browser.fill("Favourite colour", "blue").await;
    let error = format!("{:#}", missing.err().context("an unknown label must fail")?);
    assert!(error.contains("Display name") && error.contains("I accept the terms"), "{error}");

    browser.fill("Display name", "Ada <Lövelace>").await?;
    browser.check("I accept the terms").await?;
    browser.check("accept").await?; // "contains" match; already ticked, stays ticked
    browser.click_button("Create account").await?;
    browser.wait_for_text("Hello, Ada <Lövelace>!", WAIT).await?;
    assert!(browser.page_text().await?.contains("Terms: on"));
    let url = browser.current_url().await?;
    assert_eq!(url.path(), "/welcome");
    assert_eq!(browser.title().await?, "Welcome");

    let shot = browser::screenshot_dir().join("testkit-browser.png");
    browser.screenshot(&shot).await?;
    let png = tokio::fs::read(&shot).await?;
    assert!(png.starts_with(b"\x89PNG\r\n\x1a\n"), "not a PNG: {}", shot.display());

    browser.click_link("Back home").await?;
    browser.wait_for_text("Create your account", WAIT).await?;
    let timeout = browser.wait_for_text("never shown", Duration::from_millis(300)).await;
    assert!(format!("{:#}", timeout.err().context("must time out")?).contains("never shown"));
    browser.close().await
}
