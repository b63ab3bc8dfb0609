//! Console → Dashboard (`/admin`): accounts, sign-ins and failures over the last day and week
//! (two server-drawn bar charts with a table for screen readers), the outbox's backlog, failed
//! jobs and the signing keys' ages, from `Core::dashboard`.

use askama::Template;
use askama_web::WebTemplate;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use axum_extra::extract::SignedCookieJar;
use keystead_core::dashboard::{Activity, Dashboard, Window};
use keystead_core::i18n::Locale;
use time::OffsetDateTime;

use super::chart::{ChartView, HEIGHT, WIDTH, bars};
use super::{AdminNav, AdminSection, RequireOperator, chrome};
use crate::csrf::CsrfToken;
use crate::error::WebError;
use crate::flash;
use crate::state::AppState;
use crate::ui::Layout;

/// A label and a figure.
#[derive(Debug, Clone)]
pub struct Figure {
    pub(crate) label: String,
    pub(crate) value: String,
}

/// A signing key's line.
#[derive(Debug, Clone)]
pub struct KeyLine {
    pub(crate) alg: &'static str,
    pub(crate) kid: String,
    pub(crate) age: String,
    pub(crate) next_rotation: String,
    pub(crate) overdue: bool,
}

/// A periodic job whose last run failed.
#[derive(Debug, Clone)]
pub struct PeriodicLine {
    pub(crate) name: String,
    pub(crate) at: String,
    pub(crate) error: String,
}

/// The page.
#[derive(Template, WebTemplate)]
#[template(path = "admin/dashboard.html")]
pub struct DashboardPage {
    layout: Layout,
    nav: AdminNav,
    at: String,
    accounts: Vec<Figure>,
    statuses: Vec<Figure>,
    sign_ins: Vec<Figure>,
    outbox: Vec<Figure>,
    outbox_failed: bool,
    job_failures: Vec<Figure>,
    periodic: Vec<PeriodicLine>,
    keys: Vec<KeyLine>,
    charts: Vec<ChartView>,
}

fn figure(label: String, value: String) -> Figure {
    Figure { label, value }
}

/// The chart of `ok` beside `failed` over their windows; `label` names a window, `tick` says
/// which windows get a label under the axis.
fn chart(
    l: Locale,
    id: &'static str,
    (ok, failed): (&[Window], &[Window]),
    label: impl Fn(&Window) -> String,
    tick: impl Fn(usize) -> bool,
) -> ChartView {
    let pairs: Vec<(i64, i64)> = ok.iter().zip(failed).map(|(a, b)| (a.count, b.count)).collect();
    let drawn = bars(&pairs, WIDTH, HEIGHT);
    let ticks =
        drawn.iter().zip(ok).enumerate().filter(|(i, _)| tick(*i)).map(|(_, (b, w))| (b.failed.x, label(w))).collect();
    let (total_ok, total_failed): (i64, i64) = pairs.iter().fold((0, 0), |(a, b), (x, y)| (a + x, b + y));
    let key = format!("admin-dash-chart-{id}");
    ChartView {
        id,
        title: l.t(&key),
        summary: l.t2(
            "admin-dash-chart-summary",
            "signins",
            l.number(total_ok).as_str(),
            "failures",
            l.number(total_failed).as_str(),
        ),
        bars: drawn,
        ticks,
        rows: ok.iter().zip(&pairs).map(|(w, &(a, b))| (label(w), a, b)).collect(),
    }
}

fn hour_label(w: &Window) -> String {
    format!("{:02}:00", w.end.to_offset(time::UtcOffset::UTC).hour())
}

fn charts(l: Locale, sign_ins: &Activity, failures: &Activity) -> Vec<ChartView> {
    let day = chart(l, "day", (&sign_ins.hourly, &failures.hourly), hour_label, |i| i % 6 == 5);
    let date = |w: &Window| {
        let t = w.end.to_offset(time::UtcOffset::UTC);
        format!("{:02}-{:02}", u8::from(t.month()), t.day())
    };
    let week = chart(l, "week", (&sign_ins.daily, &failures.daily), date, |_| true);
    vec![day, week]
}

fn days(l: Locale, d: time::Duration) -> String {
    l.t1("admin-keys-age-days", "count", d.whole_days().max(0))
}

fn page_of(l: Locale, d: &Dashboard) -> (Vec<Figure>, Vec<Figure>, Vec<Figure>, Vec<Figure>) {
    let n = |v: i64| l.number(v);
    let accounts = vec![
        figure(l.t("admin-dash-users-total"), n(d.users.total)),
        figure(l.t("admin-dash-users-new-24h"), n(d.users.new_24h)),
        figure(l.t("admin-dash-users-new-7d"), n(d.users.new_7d)),
    ];
    let statuses = d
        .users
        .by_status
        .iter()
        .map(|(s, c)| figure(l.t(&format!("admin-user-status-{}", s.as_str().replace('_', "-"))), n(*c)))
        .collect();
    let sign_ins = vec![
        figure(l.t("admin-dash-sign-ins-24h"), n(d.sign_ins.last_24h())),
        figure(l.t("admin-dash-failures-24h"), n(d.sign_in_failures.last_24h())),
        figure(l.t("admin-dash-sign-ins-7d"), n(d.sign_ins.last_7d())),
        figure(l.t("admin-dash-failures-7d"), n(d.sign_in_failures.last_7d())),
    ];
    let oldest = d.outbox.oldest_pending.map_or_else(|| "—".to_owned(), |t| l.date_time(t));
    let outbox = vec![
        figure(l.t("admin-dash-outbox-pending"), n(d.outbox.pending)),
        figure(l.t("admin-dash-outbox-failed"), n(d.outbox.failed)),
        figure(l.t("admin-dash-outbox-oldest"), oldest),
    ];
    (accounts, statuses, sign_ins, outbox)
}

fn keys(l: Locale, d: &Dashboard, now: OffsetDateTime) -> Vec<KeyLine> {
    d.signing_keys
        .iter()
        .map(|k| KeyLine {
            alg: k.alg,
            kid: k.kid.clone(),
            age: days(l, k.age),
            next_rotation: l.date_time(k.next_rotation),
            overdue: k.next_rotation < now,
        })
        .collect()
}

/// `GET /admin`: the dashboard.
pub async fn show_dashboard(
    State(state): State<AppState>,
    csrf: CsrfToken,
    op: RequireOperator,
    jar: SignedCookieJar,
) -> Result<Response, WebError> {
    let d = state.core.dashboard(op.actor()).await?;
    let l = crate::i18n::current();
    let (layout, nav) = chrome(&state, &op.session, &csrf, AdminSection::Dashboard, None);
    let (jar, flashes) = flash::take(jar, &state);
    let (accounts, statuses, sign_ins, outbox) = page_of(l, &d);
    let page = DashboardPage {
        layout: layout.with_flashes(flashes),
        nav,
        at: l.date_time(d.at),
        accounts,
        statuses,
        sign_ins,
        outbox,
        outbox_failed: d.outbox.failed > 0,
        job_failures: d.job_failures.iter().map(|q| figure(q.queue.clone(), l.number(q.count))).collect(),
        periodic: d
            .periodic_failures
            .iter()
            .map(|p| PeriodicLine {
                name: p.name.clone(),
                at: p.at.map_or_else(|| "—".to_owned(), |t| l.date_time(t)),
                error: p.error.clone(),
            })
            .collect(),
        keys: keys(l, &d, d.at),
        charts: charts(l, &d.sign_ins, &d.sign_in_failures),
    };
    Ok((csrf, jar, page).into_response())
}
