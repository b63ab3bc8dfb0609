//! Extractors: the signed-in session and the client's request metadata.

mod meta;
mod session;

pub use meta::{CalledVia, ClientMeta};
pub use session::{CurrentSession, RequireSession, SESSION_COOKIE, session_cookie, start_session};
