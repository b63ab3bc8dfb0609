//! A real, small DNS server on a UDP port of 127.0.0.1 for tests of the domain check: it answers
//! TXT queries from a table the test fills in, NXDOMAIN for names it does not know, and nothing
//! at all for names set to stay silent (so the resolver times out). Keystead's resolver is
//! pointed at it with `organizations.dns_resolver`; nothing in the product is mocked.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use hickory_resolver::proto::op::{Message, MessageType, ResponseCode};
use hickory_resolver::proto::rr::rdata::TXT;
use hickory_resolver::proto::rr::{RData, Record, RecordType};
use tokio::net::UdpSocket;
use tokio::task::JoinHandle;

/// What the server answers for one name.
#[derive(Debug, Clone)]
enum Answer {
    Txt(Vec<String>),
    Silent,
}

/// The server; it stops when dropped.
#[derive(Debug)]
pub struct DnsServer {
    addr: SocketAddr,
    names: Arc<Mutex<HashMap<String, Answer>>>,
    queries: Arc<Mutex<Vec<String>>>,
    task: JoinHandle<()>,
}

fn key(name: &str) -> String {
    name.trim_end_matches('.').to_ascii_lowercase()
}

impl DnsServer {
    /// Starts the server on a free port.
    pub async fn start() -> anyhow::Result<Self> {
        let socket = UdpSocket::bind("127.0.0.1:0").await?;
        let addr = socket.local_addr()?;
        let names: Arc<Mutex<HashMap<String, Answer>>> = Arc::default();
        let queries: Arc<Mutex<Vec<String>>> = Arc::default();
        let (n, q) = (names.clone(), queries.clone());
        let task = tokio::spawn(async move {
            let mut buf = vec![0u8; 4096];
            while let Ok((len, peer)) = socket.recv_from(&mut buf).await {
                let Some(reply) = answer(&buf[..len], &n, &q) else { continue };
                let _ = socket.send_to(&reply, peer).await;
            }
        });
        Ok(Self { addr, names, queries, task })
    }

    /// Where it listens (the value for `organizations.dns_resolver`).
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `name` gets TXT records with these values (one record each).
    pub fn set_txt(&self, name: &str, values: &[&str]) {
        let values = values.iter().map(|v| (*v).to_owned()).collect();
        self.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key(name), Answer::Txt(values));
    }

    /// Queries for `name` get no answer at all.
    pub fn set_silent(&self, name: &str) {
        self.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner).insert(key(name), Answer::Silent);
    }

    /// `name` no longer exists (NXDOMAIN).
    pub fn remove(&self, name: &str) {
        self.names.lock().unwrap_or_else(std::sync::PoisonError::into_inner).remove(&key(name));
    }

    /// The names asked for so far, in order.
    pub fn queries(&self) -> Vec<String> {
        self.queries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
    }
}

impl Drop for DnsServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The reply to one datagram, or `None` to stay silent (a malformed query is dropped).
fn answer(datagram: &[u8], names: &Mutex<HashMap<String, Answer>>, queries: &Mutex<Vec<String>>) -> Option<Vec<u8>> {
    let request = Message::from_vec(datagram).ok()?;
    let query = request.queries.first()?.clone();
    let name = key(&query.name().to_ascii());
    queries.lock().unwrap_or_else(std::sync::PoisonError::into_inner).push(name.clone());
    let found = names.lock().unwrap_or_else(std::sync::PoisonError::into_inner).get(&name).cloned();
    let mut reply = Message::response(request.metadata.id, request.metadata.op_code);
    reply.metadata.message_type = MessageType::Response;
    reply.metadata.authoritative = true;
    reply.metadata.recursion_desired = request.metadata.recursion_desired;
    reply.metadata.recursion_available = true;
    reply.add_query(query.clone());
    match found {
        Some(Answer::Silent) => return None,
        Some(Answer::Txt(values)) => {
            if query.query_type() == RecordType::TXT {
                for v in values {
                    reply.add_answer(Record::from_rdata(query.name().clone(), 60, RData::TXT(TXT::new(vec![v]))));
                }
            }
        }
        None => reply.metadata.response_code = ResponseCode::NXDomain,
    }
    reply.to_vec().ok()
}
