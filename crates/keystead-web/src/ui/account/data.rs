//! My Account → Your data: the JSON export.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::{ClientMeta, RequireSession};
use crate::state::AppState;
use crate::ui::Layout;

/// The data page.
#[derive(Template, WebTemplate)]
#[template(path = "account/data.html")]
pub struct DataPage {
    layout: Layout,
    nav: Vec<NavSection>,
}

/// `GET /account/data`
pub async fn show_data(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
) -> Response {
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Data);
    (csrf, DataPage { layout, nav }).into_response()
}

/// `GET /account/data/download`: everything about the account as a JSON attachment.
pub async fn download_data(
    State(state): State<AppState>,
    ClientMeta(meta): ClientMeta,
    RequireSession(session): RequireSession,
) -> Result<Response, WebError> {
    let document = state.core.export_user_data(&session, &meta).await?;
    let body = serde_json::to_vec_pretty(&document).map_err(|e| WebError(keystead_core::Error::Internal(e.into())))?;
    let filename = format!("attachment; filename=\"keystead-data-{}.json\"", state.core.clock().now().date());
    Ok(([(header::CONTENT_TYPE, "application/json".to_owned()), (header::CONTENT_DISPOSITION, filename)], body)
        .into_response())
}
