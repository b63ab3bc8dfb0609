//! My Account → Completed courses: what the learning system reported the user completed, newest
//! first, with the score and a link to the certificate when there is one.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};

use super::{NavSection, Section, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::extract::RequireSession;
use crate::state::AppState;
use crate::ui::Layout;

/// A completed course as listed.
#[derive(Debug, Clone)]
pub struct CourseRow {
    title: String,
    completed: String,
    /// The score as the page's language writes a percentage, or empty.
    score: String,
    certificate: Option<String>,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "account/courses.html")]
pub struct CoursesPage {
    layout: Layout,
    nav: Vec<NavSection>,
    courses: Vec<CourseRow>,
}

/// `GET /account/courses`
pub async fn show_courses(
    State(state): State<AppState>,
    csrf: CsrfToken,
    RequireSession(session): RequireSession,
) -> Result<Response, WebError> {
    let completions = state.core.course_completions(session.user.id).await?;
    let l = crate::i18n::current();
    let courses = completions
        .into_iter()
        .map(|c| CourseRow {
            title: c.title,
            completed: l.date(c.completed_at),
            score: c.score.map(|s| l.percent(s)).unwrap_or_default(),
            certificate: c.certificate_url,
        })
        .collect();
    let (layout, nav) = chrome(&state, &session, &csrf, Section::Courses);
    Ok((csrf, CoursesPage { layout, nav, courses }).into_response())
}
