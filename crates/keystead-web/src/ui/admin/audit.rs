//! Console → Audit log (`/admin/audit`): a GET filter form (actor, subject, organization,
//! action or family, a range of days, page size) over `Core::search_audit_events`, a table of
//! the events newest first with an "Older" link, and the way to the filtered CSV export
//! (`audit_csv`).

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::audit::AuditEvent;
use keystead_core::audit::query::{AuditPage, AuditQuery};
use keystead_core::ids::UserId;
use keystead_core::{Error, FieldErrors};
use serde::Deserialize;
use time::{Date, OffsetDateTime, Time};

use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// The page sizes offered.
const PAGE_SIZES: [&str; 4] = ["25", "50", "100", "200"];
/// The page size when none is chosen.
const DEFAULT_PAGE: u32 = 50;

/// The filters as typed (the query string of the page and of the CSV export).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct AuditFilters {
    #[serde(default)]
    pub(crate) actor: String,
    #[serde(default)]
    pub(crate) subject: String,
    #[serde(default)]
    /// The organization's slug (its id once it is deleted); empty for none.
    pub(crate) organization: String,
    #[serde(default)]
    pub(crate) action: String,
    #[serde(default)]
    pub(crate) since: String,
    #[serde(default)]
    pub(crate) until: String,
    #[serde(default)]
    pub(crate) limit: String,
    #[serde(default)]
    pub(crate) cursor: String,
}

/// `YYYY-MM-DD` (what `<input type="date">` sends); `None` when empty.
fn day(field: &'static str, raw: &str, errors: &mut FieldErrors) -> Option<Date> {
    let raw = raw.trim();
    if raw.is_empty() {
        return None;
    }
    let format = time::macros::format_description!("[year]-[month]-[day]");
    Date::parse(raw, &format).inspect_err(|_| errors.add(field, "invalid_date", "Give a date as YYYY-MM-DD.")).ok()
}

/// A user by id, else by address; `None` when empty.
fn who(raw: &str) -> (Option<UserId>, Option<String>) {
    let raw = raw.trim();
    match raw.parse::<UserId>() {
        _ if raw.is_empty() => (None, None),
        Ok(id) => (Some(id), None),
        Err(_) => (None, Some(raw.to_owned())),
    }
}

fn non_empty(raw: &str) -> Option<String> {
    Some(raw.trim().to_owned()).filter(|s| !s.is_empty())
}

impl AuditFilters {
    /// The search these filters ask for: the days as a range from the first day's start to the
    /// end of the last one (inclusive); the page size `default_limit` when none is chosen.
    pub(crate) fn query(&self, default_limit: u32) -> Result<AuditQuery, FieldErrors> {
        let mut errors = FieldErrors::new();
        let since = day("since", &self.since, &mut errors);
        let until = day("until", &self.until, &mut errors);
        let limit = match self.limit.trim() {
            "" => Some(default_limit),
            raw => {
                raw.parse().inspect_err(|_| errors.add("limit", "out_of_range", "Ask for 1 to 500 events a page.")).ok()
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        let (actor, actor_email) = who(&self.actor);
        let (subject, subject_email) = who(&self.subject);
        Ok(AuditQuery {
            actor,
            subject,
            actor_email,
            subject_email,
            organization: non_empty(&self.organization),
            action: non_empty(&self.action),
            since: since.map(|d| d.with_time(Time::MIDNIGHT).assume_utc()),
            until: until.and_then(Date::next_day).map(|d| d.with_time(Time::MIDNIGHT).assume_utc()),
            cursor: non_empty(&self.cursor),
            limit,
        })
    }

    /// The filters as a query string (without the cursor), then `cursor` when given.
    pub(crate) fn query_string(&self, cursor: Option<&str>) -> String {
        let mut q = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in [
            ("actor", &self.actor),
            ("subject", &self.subject),
            ("organization", &self.organization),
            ("action", &self.action),
            ("since", &self.since),
            ("until", &self.until),
            ("limit", &self.limit),
        ] {
            if !value.trim().is_empty() {
                q.append_pair(name, value.trim());
            }
        }
        if let Some(c) = cursor {
            q.append_pair("cursor", c);
        }
        q.finish()
    }
}

/// An event as listed.
#[derive(Debug, Clone)]
pub struct EventView {
    pub(crate) when: String,
    pub(crate) action: String,
    /// Empty when no account acted (a failed sign-in, the command line, a job).
    pub(crate) actor: String,
    /// The subject's id (for the link) and what to show.
    pub(crate) subject: Option<(String, String)>,
    /// The organization's slug (its id once it is deleted); empty for none.
    pub(crate) organization: String,
    pub(crate) ip: String,
    pub(crate) details: String,
}

/// The address of `user` when the page knows it, else the id.
fn person(page: &AuditPage, user: UserId) -> String {
    page.emails.get(&user).cloned().unwrap_or_else(|| user.to_string())
}

fn view(page: &AuditPage, e: &AuditEvent) -> EventView {
    let l = crate::i18n::current();
    let details = match &e.details {
        serde_json::Value::Object(o) if o.is_empty() => String::new(),
        serde_json::Value::Null => String::new(),
        d => d.to_string(),
    };
    EventView {
        when: l.date_time(e.occurred_at),
        action: e.action.clone(),
        actor: e.actor.map(|a| person(page, a)).unwrap_or_default(),
        subject: e.subject.map(|s| (s.to_string(), person(page, s))),
        organization: e
            .organization
            .map(|o| page.organizations.get(&o).cloned().unwrap_or_else(|| o.to_string()))
            .unwrap_or_default(),
        ip: e.ip.clone().unwrap_or_default(),
        details,
    }
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/audit.html")]
pub struct AuditLogPage {
    layout: Layout,
    nav: AdminNav,
    f: AuditFilters,
    errors: FieldErrors,
    sizes: [&'static str; 4],
    events: Vec<EventView>,
    older: Option<String>,
    csv: String,
    first_page: Option<String>,
}

/// The events `filters` find, or the field errors to show next to the form.
async fn search(
    state: &AppState,
    op: &RequireOperator,
    filters: &AuditFilters,
    default_limit: u32,
) -> Result<Result<AuditPage, FieldErrors>, WebError> {
    let query = match filters.query(default_limit) {
        Ok(q) => q,
        Err(errors) => return Ok(Err(errors)),
    };
    match state.core.search_audit_events(op.actor(), None, &query).await {
        Ok(page) => Ok(Ok(page)),
        Err(Error::Invalid(errors)) => Ok(Err(errors)),
        Err(e) => Err(WebError(e)),
    }
}

/// `GET /admin/audit`: the filter form and a page of events; invalid filters are shown next
/// to their fields (400).
pub async fn show_audit_log(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
    Query(f): Query<AuditFilters>,
) -> Result<Response, WebError> {
    let found = search(&state, &op, &f, DEFAULT_PAGE).await?;
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Audit, None);
    let (jar, flashes) = flash::take(jar, &state);
    let (status, events, older, errors) = match found {
        Ok(page) => {
            let older = page.next_cursor.as_deref().map(|c| format!("/admin/audit?{}", f.query_string(Some(c))));
            (StatusCode::OK, page.items.iter().map(|e| view(&page, e)).collect(), older, FieldErrors::new())
        }
        Err(errors) => {
            (StatusCode::BAD_REQUEST, Vec::new(), None, super::client_form::localized(errors, "admin-audit"))
        }
    };
    let plain = f.query_string(None);
    let page = AuditLogPage {
        layout: layout.with_flashes(flashes),
        nav,
        csv: format!("/admin/audit.csv?{plain}"),
        first_page: (!f.cursor.trim().is_empty()).then(|| format!("/admin/audit?{plain}")),
        f,
        errors,
        sizes: PAGE_SIZES,
        events,
        older,
    };
    Ok((status, csrf, jar, page).into_response())
}

/// The moment a CSV file is named after: `20261204-175501`.
pub(crate) fn file_stamp(at: OffsetDateTime) -> String {
    let t = at.to_offset(time::UtcOffset::UTC);
    format!("{:04}{:02}{:02}-{:02}{:02}{:02}", t.year(), u8::from(t.month()), t.day(), t.hour(), t.minute(), t.second())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn filters(since: &str, until: &str) -> AuditFilters {
        AuditFilters { since: since.to_owned(), until: until.to_owned(), ..Default::default() }
    }

    #[test]
    fn days_become_a_range_that_includes_the_whole_last_day() {
        let q = filters("2026-12-01", "2026-12-04").query(50).unwrap();
        assert_eq!(q.since, Some(time::macros::datetime!(2026-12-01 00:00 UTC)));
        assert_eq!(q.until, Some(time::macros::datetime!(2026-12-05 00:00 UTC)));
        assert_eq!(q.limit, Some(50));
    }

    #[test]
    fn malformed_days_and_sizes_are_field_errors() {
        let mut f = filters("yesterday", "2026-13-01");
        f.limit = "many".to_owned();
        let errors = f.query(50).unwrap_err();
        for field in ["since", "until", "limit"] {
            assert_eq!(errors.messages(field).len(), 1, "{field}");
        }
    }

    #[test]
    fn people_are_named_by_id_or_address_and_the_link_keeps_the_filters() {
        let id = UserId::new();
        let f = AuditFilters {
            actor: format!(" {id} "),
            subject: "Ada@Example.com".to_owned(),
            action: "user.*".to_owned(),
            ..Default::default()
        };
        let q = f.query(50).unwrap();
        assert_eq!((q.actor, q.actor_email), (Some(id), None));
        assert_eq!((q.subject, q.subject_email.as_deref()), (None, Some("Ada@Example.com")));
        assert_eq!(
            f.query_string(Some("a1.x")),
            format!("actor={id}&subject=Ada%40Example.com&action=user.*&cursor=a1.x")
        );
        assert_eq!(file_stamp(time::macros::datetime!(2026-12-04 07:05:01 UTC)), "20261204-070501");
    }
}
