//! `SmtpSink`: a small, real SMTP server (an RFC 5321 subset) on loopback that records what
//! Keystead's mail worker sends, so tests can read the mail a person would get.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, SystemTime};

use anyhow::{Context, Result, bail};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use mail_parser::{HeaderForm, HeaderValue, Message, MessageParser, PartType};
use tokio::io::{AsyncBufRead, AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::tcp::{OwnedReadHalf, OwnedWriteHalf};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::watch;
use tokio::task::{JoinHandle, JoinSet};

/// Largest message (after dot-unstuffing) the sink accepts; bigger ones get `552`.
pub const MAX_MESSAGE_BYTES: usize = 1024 * 1024;

/// Longest command line (without CRLF) the sink accepts; longer ones get `500`.
pub const MAX_COMMAND_LINE: usize = 4096;

/// Most recipients accepted in one transaction; more get `452`.
pub const MAX_RECIPIENTS: usize = 100;

const HOST: &str = "127.0.0.1";

/// One message the sink accepted: the SMTP envelope and the raw RFC 5322 text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceivedMail {
    /// The reverse-path from `MAIL FROM:<…>` (empty for the null sender `<>`).
    pub mail_from: String,
    /// The forward-paths from every accepted `RCPT TO:<…>`, in order.
    pub rcpt_to: Vec<String>,
    /// The message as received, dot-unstuffed, lines joined with CRLF.
    pub raw: String,
    /// When the sink accepted it (just before answering `250`).
    pub received_at: SystemTime,
}

impl ReceivedMail {
    fn parsed(&self) -> Option<Message<'_>> {
        MessageParser::default().parse(self.raw.as_bytes())
    }

    /// The `Subject` header, with RFC 2047 encoded words decoded.
    pub fn subject(&self) -> Option<String> {
        self.parsed()?.subject().map(str::to_owned)
    }

    /// The first header called `name` (case-insensitive), unfolded, RFC 2047 decoded and trimmed.
    pub fn header(&self, name: &str) -> Option<String> {
        let message = self.parsed()?;
        let values = message.header_as(name.to_owned(), HeaderForm::Text);
        match values.into_iter().next()? {
            HeaderValue::Text(text) => Some(text.trim().to_owned()),
            HeaderValue::TextList(list) => Some(list.join(", ")),
            _ => Some(String::new()),
        }
    }

    /// The first inline `text/plain` body, decoded (quoted-printable, base64, charset).
    pub fn text_body(&self) -> Option<String> {
        let message = self.parsed()?;
        message.text_bodies().find_map(|part| match &part.body {
            PartType::Text(text) => Some(text.to_string()),
            _ => None,
        })
    }

    /// The first inline `text/html` body, decoded (quoted-printable, base64, charset).
    pub fn html_body(&self) -> Option<String> {
        let message = self.parsed()?;
        message.html_bodies().find_map(|part| match &part.body {
            PartType::Html(html) => Some(html.to_string()),
            _ => None,
        })
    }

    /// Every `http://` or `https://` URL in the text body, in order, with trailing
    /// punctuation (and unbalanced closing brackets) trimmed. Falls back to the HTML body
    /// when the message has no text body.
    pub fn links(&self) -> Vec<String> {
        self.text_body().or_else(|| self.html_body()).map(|body| extract_links(&body)).unwrap_or_default()
    }

    /// The addresses (without display names) of every `To` header, in order.
    pub fn to(&self) -> Vec<String> {
        let Some(message) = self.parsed() else {
            return Vec::new();
        };
        message
            .all_to()
            .flat_map(|address| address.iter())
            .filter_map(|addr| addr.address().map(str::to_owned))
            .collect()
    }
}

/// Finds the http(s) URLs in `text`, in order; see [`ReceivedMail::links`].
fn extract_links(text: &str) -> Vec<String> {
    let mut links = Vec::new();
    let mut rest = text;
    while let Some(start) = next_url_start(rest) {
        let tail = &rest[start..];
        let end = tail.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '`')).unwrap_or(tail.len());
        let url = trim_url(&tail[..end]);
        if url.len() > "https://".len() {
            links.push(url.to_owned());
        }
        rest = &tail[end.max(1)..];
    }
    links
}

fn next_url_start(text: &str) -> Option<usize> {
    let mut from = 0;
    while let Some(found) = text[from..].find("http") {
        let at = from + found;
        let after = &text[at + 4..];
        if after.starts_with("://") || after.starts_with("s://") {
            return Some(at);
        }
        from = at + 4;
    }
    None
}

fn trim_url(mut url: &str) -> &str {
    loop {
        let Some(last) = url.chars().last() else {
            return url;
        };
        let unbalanced = |open: char, close: char| {
            url.chars().filter(|&c| c == close).count() > url.chars().filter(|&c| c == open).count()
        };
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' => unbalanced('(', ')'),
            ']' => unbalanced('[', ']'),
            '}' => unbalanced('{', '}'),
            _ => false,
        };
        if !trim {
            return url;
        }
        url = &url[..url.len() - last.len_utf8()];
    }
}

#[derive(Debug, Default)]
struct State {
    messages: Vec<ReceivedMail>,
    credentials: Option<(String, String)>,
    failures_left: usize,
    failure_code: u16,
    connections: usize,
    data_delay: Duration,
    data_delay_to: Vec<(String, Duration)>,
}

#[derive(Debug)]
struct Shared {
    state: Mutex<State>,
    received: watch::Sender<usize>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// A real SMTP server on `127.0.0.1` (random port) that stores every message it accepts.
///
/// Supports `EHLO`/`HELO`, `MAIL FROM`, `RCPT TO` (several), `DATA` (dot-unstuffed), `RSET`,
/// `NOOP`, `QUIT`, and — after [`SmtpSink::require_auth`] — `AUTH PLAIN` and `AUTH LOGIN`.
/// Unknown commands get `502`. Connections are served concurrently; the server stops when the
/// sink is dropped.
#[derive(Debug)]
pub struct SmtpSink {
    shared: Arc<Shared>,
    port: u16,
    server: JoinHandle<()>,
}

impl SmtpSink {
    /// Binds `127.0.0.1:0` and starts serving in the background.
    pub async fn start() -> Result<SmtpSink> {
        let listener = TcpListener::bind((HOST, 0)).await.context("binding the SMTP sink to 127.0.0.1:0")?;
        let port = listener.local_addr().context("reading the SMTP sink's local address")?.port();
        let (received, _) = watch::channel(0);
        let shared = Arc::new(Shared { state: Mutex::new(State::default()), received });
        let server = tokio::spawn(accept_loop(listener, Arc::clone(&shared)));
        tracing::debug!(port, "SMTP sink listening");
        Ok(SmtpSink { shared, port, server })
    }

    /// The port the sink listens on.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The host the sink listens on: always `"127.0.0.1"`.
    pub fn host(&self) -> &str {
        HOST
    }

    /// Every message received so far, oldest first.
    pub fn messages(&self) -> Vec<ReceivedMail> {
        self.shared.lock().messages.clone()
    }

    /// Waits until at least `count` messages have arrived and returns all of them; fails after
    /// `timeout` with an error naming how many were expected and how many arrived.
    pub async fn wait_for(&self, count: usize, timeout: Duration) -> Result<Vec<ReceivedMail>> {
        let mut received = self.shared.received.subscribe();
        // Map the watch guard away at once: it must not be held while taking the state lock.
        let outcome =
            tokio::time::timeout(timeout, received.wait_for(|n| *n >= count)).await.map(|changed| changed.is_ok());
        match outcome {
            Ok(true) => Ok(self.messages()),
            Ok(false) => bail!("the SMTP sink stopped while waiting for {count} message(s)"),
            Err(_) => {
                let got = self.shared.lock().messages.len();
                bail!(
                    "timed out after {timeout:?} waiting for {count} message(s) at the SMTP sink \
                     on {HOST}:{}; received {got}",
                    self.port
                )
            }
        }
    }

    /// Requires `AUTH PLAIN` or `AUTH LOGIN` with these credentials before `MAIL`; both
    /// mechanisms are then advertised in the `EHLO` reply. Wrong credentials get `535`.
    pub fn require_auth(&self, user: impl Into<String>, password: impl Into<String>) {
        self.shared.lock().credentials = Some((user.into(), password.into()));
    }

    /// Rejects the next `n` messages at the end of `DATA` with `code` — a 4xx code for a
    /// transient failure, a 5xx code for a permanent one (any other code is sent as `554`).
    /// Rejected messages are not stored.
    pub fn fail_next(&self, n: usize, code: u16) {
        let code = if (400..=599).contains(&code) {
            code
        } else {
            tracing::warn!(code, "fail_next needs a 4xx or 5xx code; using 554");
            554
        };
        let mut state = self.shared.lock();
        state.failures_left = n;
        state.failure_code = code;
    }

    /// Waits `delay` before answering each `DATA` command, as a slow relay does, so that
    /// deliveries stay in flight longer. Nothing is stored before the message's final `.`, so a
    /// client that dies during the wait has delivered nothing.
    pub fn delay_data(&self, delay: Duration) {
        self.shared.lock().data_delay = delay;
    }

    /// Like [`SmtpSink::delay_data`], but only for messages to `recipient` (this wait replaces
    /// the general one), so a test can hold some deliveries while others go through.
    pub fn delay_data_to(&self, recipient: impl Into<String>, delay: Duration) {
        self.shared.lock().data_delay_to.push((recipient.into(), delay));
    }

    /// How many TCP connections the sink has accepted so far.
    pub fn connection_count(&self) -> usize {
        self.shared.lock().connections
    }
}

impl Drop for SmtpSink {
    fn drop(&mut self) {
        // Aborting the accept loop drops its JoinSet, which aborts every open connection.
        self.server.abort();
    }
}

async fn accept_loop(listener: TcpListener, shared: Arc<Shared>) {
    let mut connections = JoinSet::new();
    loop {
        tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, peer)) => {
                    shared.lock().connections += 1;
                    let shared = Arc::clone(&shared);
                    connections.spawn(async move {
                        if let Err(error) = serve(stream, shared).await {
                            tracing::debug!(%peer, %error, "SMTP sink connection ended with an error");
                        }
                    });
                }
                Err(error) => {
                    tracing::warn!(%error, "SMTP sink accept failed");
                    tokio::time::sleep(Duration::from_millis(5)).await;
                }
            },
            Some(_) = connections.join_next(), if !connections.is_empty() => {}
        }
    }
}

async fn serve(stream: TcpStream, shared: Arc<Shared>) -> std::io::Result<()> {
    stream.set_nodelay(true)?;
    let (read, write) = stream.into_split();
    let mut session = Session {
        reader: BufReader::new(read),
        writer: write,
        shared,
        greeted: false,
        authenticated: false,
        mail_from: None,
        rcpt_to: Vec::new(),
    };
    session.run().await
}

/// What reading one line produced.
enum Line {
    /// The peer closed the connection.
    Eof,
    /// A line longer than the limit; it was read and discarded.
    TooLong,
    /// A complete line without its CRLF.
    Complete(Vec<u8>),
}

/// Reads one LF-terminated line, keeping at most `limit` bytes so a peer cannot exhaust memory.
async fn read_line<R: AsyncBufRead + Unpin>(reader: &mut R, limit: usize) -> std::io::Result<Line> {
    let mut line = Vec::new();
    let mut too_long = false;
    loop {
        let available = reader.fill_buf().await?;
        if available.is_empty() {
            return Ok(Line::Eof);
        }
        let (chunk_len, done) = match available.iter().position(|&b| b == b'\n') {
            Some(newline) => (newline + 1, true),
            None => (available.len(), false),
        };
        if !too_long {
            // +2 leaves room for the CRLF that is stripped below.
            if line.len() + chunk_len > limit + 2 {
                too_long = true;
                line = Vec::new();
            } else {
                line.extend_from_slice(&available[..chunk_len]);
            }
        }
        reader.consume(chunk_len);
        if done {
            break;
        }
    }
    if too_long {
        return Ok(Line::TooLong);
    }
    while matches!(line.last(), Some(b'\n' | b'\r')) {
        line.pop();
    }
    Ok(Line::Complete(line))
}

/// Outcome of an AUTH exchange step that reads a client response.
enum Response {
    Closed,
    Reply(&'static str),
    Value(String),
}

struct Session {
    reader: BufReader<OwnedReadHalf>,
    writer: OwnedWriteHalf,
    shared: Arc<Shared>,
    greeted: bool,
    authenticated: bool,
    mail_from: Option<String>,
    rcpt_to: Vec<String>,
}

impl Session {
    async fn run(&mut self) -> std::io::Result<()> {
        self.reply("220 127.0.0.1 ESMTP Keystead test sink ready").await?;
        loop {
            let line = match read_line(&mut self.reader, MAX_COMMAND_LINE).await? {
                Line::Eof => return Ok(()),
                Line::TooLong => {
                    self.reply("500 5.5.2 Line too long").await?;
                    continue;
                }
                Line::Complete(line) => String::from_utf8_lossy(&line).into_owned(),
            };
            let (verb, arg) = match line.split_once(' ') {
                Some((verb, arg)) => (verb.to_ascii_uppercase(), arg.trim()),
                None => (line.trim().to_ascii_uppercase(), ""),
            };
            match verb.as_str() {
                "EHLO" => self.ehlo(arg).await?,
                "HELO" => self.helo(arg).await?,
                "MAIL" => self.mail(arg).await?,
                "RCPT" => self.rcpt(arg).await?,
                "DATA" => self.data().await?,
                "AUTH" => self.auth(arg).await?,
                "RSET" => {
                    self.reset();
                    self.reply("250 2.0.0 OK").await?;
                }
                "NOOP" => self.reply("250 2.0.0 OK").await?,
                "QUIT" => {
                    self.reply("221 2.0.0 Bye").await?;
                    return Ok(());
                }
                _ => self.reply("502 5.5.1 Command not implemented").await?,
            }
        }
    }

    async fn reply(&mut self, text: &str) -> std::io::Result<()> {
        // One write, as a real server answers: a separate CRLF would wait for the client's
        // delayed ACK (Nagle), holding every reply back by some 40 ms.
        self.writer.write_all(format!("{text}\r\n").as_bytes()).await?;
        self.writer.flush().await
    }

    fn reset(&mut self) {
        self.mail_from = None;
        self.rcpt_to.clear();
    }

    fn auth_required(&self) -> bool {
        self.shared.lock().credentials.is_some()
    }

    async fn ehlo(&mut self, arg: &str) -> std::io::Result<()> {
        if arg.is_empty() {
            return self.reply("501 5.5.4 Syntax: EHLO domain").await;
        }
        self.greeted = true;
        self.reset();
        let mut lines = vec![
            format!("{HOST} greets {arg}"),
            "8BITMIME".to_owned(),
            "SMTPUTF8".to_owned(),
            "ENHANCEDSTATUSCODES".to_owned(),
            format!("SIZE {MAX_MESSAGE_BYTES}"),
        ];
        if self.auth_required() {
            lines.push("AUTH PLAIN LOGIN".to_owned());
        }
        let last = lines.len() - 1;
        let mut text = String::new();
        for (i, line) in lines.iter().enumerate() {
            let separator = if i == last { ' ' } else { '-' };
            text.push_str(&format!("250{separator}{line}\r\n"));
        }
        self.writer.write_all(text.as_bytes()).await?;
        self.writer.flush().await
    }

    async fn helo(&mut self, arg: &str) -> std::io::Result<()> {
        if arg.is_empty() {
            return self.reply("501 5.5.4 Syntax: HELO domain").await;
        }
        self.greeted = true;
        self.reset();
        self.reply("250 127.0.0.1").await
    }

    async fn mail(&mut self, arg: &str) -> std::io::Result<()> {
        if !self.greeted {
            return self.reply("503 5.5.1 Send EHLO or HELO first").await;
        }
        if self.auth_required() && !self.authenticated {
            return self.reply("530 5.7.0 Authentication required").await;
        }
        if self.mail_from.is_some() {
            return self.reply("503 5.5.1 Nested MAIL command").await;
        }
        match parse_path(arg, "FROM:") {
            Some(path) => {
                self.mail_from = Some(path);
                self.reply("250 2.1.0 OK").await
            }
            None => self.reply("501 5.5.4 Syntax: MAIL FROM:<address>").await,
        }
    }

    async fn rcpt(&mut self, arg: &str) -> std::io::Result<()> {
        if self.mail_from.is_none() {
            return self.reply("503 5.5.1 Need MAIL before RCPT").await;
        }
        if self.rcpt_to.len() >= MAX_RECIPIENTS {
            return self.reply("452 4.5.3 Too many recipients").await;
        }
        match parse_path(arg, "TO:") {
            Some(path) if !path.is_empty() => {
                self.rcpt_to.push(path);
                self.reply("250 2.1.5 OK").await
            }
            _ => self.reply("501 5.5.4 Syntax: RCPT TO:<address>").await,
        }
    }

    async fn data(&mut self) -> std::io::Result<()> {
        let Some(mail_from) = self.mail_from.clone() else {
            return self.reply("503 5.5.1 Need MAIL before DATA").await;
        };
        if self.rcpt_to.is_empty() {
            return self.reply("503 5.5.1 Need RCPT before DATA").await;
        }
        let delay = {
            let state = self.shared.lock();
            let to = |(rcpt, _): &&(String, Duration)| self.rcpt_to.contains(rcpt);
            state.data_delay_to.iter().find(to).map_or(state.data_delay, |(_, delay)| *delay)
        };
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
        self.reply("354 End data with <CR><LF>.<CR><LF>").await?;
        let Some(body) = self.read_data().await? else {
            return Ok(());
        };
        let rcpt_to = std::mem::take(&mut self.rcpt_to);
        self.reset();
        let Ok(body) = body else {
            return self.reply("552 5.3.4 Message too big").await;
        };
        #[expect(clippy::disallowed_methods, reason = "the real arrival time, to compare with the server's records")]
        let received_at = SystemTime::now();
        let mail = ReceivedMail { mail_from, rcpt_to, raw: String::from_utf8_lossy(&body).into_owned(), received_at };
        let rejection = {
            let mut state = self.shared.lock();
            if state.failures_left > 0 {
                state.failures_left -= 1;
                Some(state.failure_code)
            } else {
                state.messages.push(mail);
                None
            }
        };
        match rejection {
            Some(code) => {
                let class = code / 100;
                self.reply(&format!("{code} {class}.0.0 Simulated failure (fail_next)")).await
            }
            None => {
                self.shared.received.send_modify(|count| *count += 1);
                self.reply("250 2.0.0 OK: queued").await
            }
        }
    }

    /// Reads message content up to the lone `.` line. `None` when the peer hung up,
    /// `Some(Err(()))` when the message was larger than [`MAX_MESSAGE_BYTES`].
    async fn read_data(&mut self) -> std::io::Result<Option<Result<Vec<u8>, ()>>> {
        let mut body = Vec::new();
        let mut too_big = false;
        loop {
            let line = match read_line(&mut self.reader, MAX_MESSAGE_BYTES).await? {
                Line::Eof => return Ok(None),
                Line::TooLong => {
                    too_big = true;
                    continue;
                }
                Line::Complete(line) => line,
            };
            if line == b"." {
                break;
            }
            let content = line.strip_prefix(b".").unwrap_or(&line);
            if too_big || body.len() + content.len() + 2 > MAX_MESSAGE_BYTES {
                too_big = true;
                body = Vec::new();
                continue;
            }
            body.extend_from_slice(content);
            body.extend_from_slice(b"\r\n");
        }
        Ok(Some(if too_big { Err(()) } else { Ok(body) }))
    }

    async fn auth(&mut self, arg: &str) -> std::io::Result<()> {
        let Some(expected) = self.shared.lock().credentials.clone() else {
            return self.reply("503 5.5.1 AUTH is not enabled").await;
        };
        if self.authenticated {
            return self.reply("503 5.5.1 Already authenticated").await;
        }
        if self.mail_from.is_some() {
            return self.reply("503 5.5.1 AUTH not allowed during a mail transaction").await;
        }
        let (mechanism, initial) = match arg.split_once(' ') {
            Some((mechanism, initial)) => (mechanism.to_ascii_uppercase(), Some(initial.trim())),
            None => (arg.to_ascii_uppercase(), None),
        };
        let outcome = match mechanism.as_str() {
            "PLAIN" => self.auth_plain(initial).await?,
            "LOGIN" => self.auth_login(initial).await?,
            _ => {
                return self.reply("504 5.5.4 Unrecognized authentication type").await;
            }
        };
        let (user, password) = match outcome {
            Response::Closed => return Ok(()),
            Response::Reply(reply) => return self.reply(reply).await,
            Response::Value(joined) => match joined.split_once('\0') {
                Some((user, password)) => (user.to_owned(), password.to_owned()),
                None => return self.reply("501 5.5.2 Malformed credentials").await,
            },
        };
        if user == expected.0 && password == expected.1 {
            self.authenticated = true;
            self.reply("235 2.7.0 Authentication successful").await
        } else {
            self.reply("535 5.7.8 Authentication credentials invalid").await
        }
    }

    /// `AUTH PLAIN`: returns `user\0password` on success.
    async fn auth_plain(&mut self, initial: Option<&str>) -> std::io::Result<Response> {
        let encoded = match initial {
            Some(initial) => initial.to_owned(),
            None => match self.challenge("334 ").await? {
                Response::Value(value) => value,
                other => return Ok(other),
            },
        };
        let decoded = match decode_base64(&encoded) {
            Response::Value(decoded) => decoded,
            other => return Ok(other),
        };
        let mut parts = decoded.splitn(3, '\0');
        let (_authzid, user, password) = (parts.next(), parts.next(), parts.next());
        Ok(match (user, password) {
            (Some(user), Some(password)) => Response::Value(format!("{user}\0{password}")),
            _ => Response::Reply("501 5.5.2 Malformed PLAIN response"),
        })
    }

    /// `AUTH LOGIN`: returns `user\0password` on success.
    async fn auth_login(&mut self, initial: Option<&str>) -> std::io::Result<Response> {
        let encoded_user = match initial {
            Some(initial) => initial.to_owned(),
            // "Username:"
            None => match self.challenge("334 VXNlcm5hbWU6").await? {
                Response::Value(value) => value,
                other => return Ok(other),
            },
        };
        let user = match decode_base64(&encoded_user) {
            Response::Value(user) => user,
            other => return Ok(other),
        };
        // "Password:"
        let encoded_password = match self.challenge("334 UGFzc3dvcmQ6").await? {
            Response::Value(value) => value,
            other => return Ok(other),
        };
        Ok(match decode_base64(&encoded_password) {
            Response::Value(password) => Response::Value(format!("{user}\0{password}")),
            other => other,
        })
    }

    /// Sends a `334` challenge and reads the client's (still base64) answer.
    async fn challenge(&mut self, prompt: &str) -> std::io::Result<Response> {
        self.reply(prompt).await?;
        Ok(match read_line(&mut self.reader, MAX_COMMAND_LINE).await? {
            Line::Eof => Response::Closed,
            Line::TooLong => Response::Reply("500 5.5.2 Line too long"),
            Line::Complete(line) if line == b"*" => Response::Reply("501 5.7.0 Authentication cancelled"),
            Line::Complete(line) => Response::Value(String::from_utf8_lossy(&line).trim().to_owned()),
        })
    }
}

/// Decodes one base64 SASL response (`=` stands for an empty one).
fn decode_base64(encoded: &str) -> Response {
    if encoded == "=" {
        return Response::Value(String::new());
    }
    match BASE64.decode(encoded.as_bytes()).map(String::from_utf8) {
        Ok(Ok(decoded)) => Response::Value(decoded),
        _ => Response::Reply("501 5.5.2 Cannot decode base64 response"),
    }
}

/// Parses `FROM:<path> [params]` / `TO:<path> [params]` (the keyword case-insensitively).
fn parse_path(arg: &str, keyword: &str) -> Option<String> {
    let head = arg.get(..keyword.len())?;
    if !head.eq_ignore_ascii_case(keyword) {
        return None;
    }
    let rest = arg[keyword.len()..].trim_start();
    let inner = rest.strip_prefix('<')?;
    let end = inner.find('>')?;
    Some(inner[..end].to_owned())
}
