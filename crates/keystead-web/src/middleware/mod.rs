//! Cross-cutting request handling: request context (id, client address, log span, metrics),
//! security headers, CORS for the provider's browser-facing endpoints, and rendering of error
//! responses.

mod context;
mod cors;
pub(crate) mod error_pages;
mod security_headers;

pub use context::{RequestContext, request_context};
pub use cors::cors;
pub use error_pages::render_errors;
pub(crate) use security_headers::csp_with_image_origins;
pub use security_headers::security_headers;
