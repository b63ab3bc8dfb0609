//! `keystead admin subscription|seat …`: organizations' subscriptions and their seats. `--plan`
//! takes a plan key, unique across the deployment. Each command takes `--json`; errors are one
//! line naming the flag (no free seat: `--plan: All 3 seats of … are assigned …`).

use std::process::ExitCode;

use clap::Subcommand;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;
use keystead_core::ids::SubscriptionId;
use keystead_core::licensing::{NewSubscription, Subscription, parse_day};
use keystead_core::organizations::Actor;

use super::admin_orgs::{by_slug, describe, user_id};

#[derive(Debug, Subcommand)]
pub(super) enum SubscriptionCommand {
    /// Give an organization a subscription to a plan.
    Create {
        /// The organization's short name.
        #[arg(long)]
        org: String,
        /// The plan's key.
        #[arg(long)]
        plan: String,
        /// Seats bought.
        #[arg(long)]
        seats: i64,
        /// First day it grants licenses (YYYY-MM-DD, UTC); today when absent.
        #[arg(long)]
        starts: Option<String>,
        /// Last day it grants licenses (YYYY-MM-DD, UTC, inclusive); open-ended when absent.
        #[arg(long)]
        ends: Option<String>,
        /// Print the subscription as JSON.
        #[arg(long)]
        json: bool,
    },
    /// List an organization's subscriptions with their seats in use.
    List {
        /// The organization's short name.
        #[arg(long)]
        org: String,
        /// Print as JSON (with the seat holders).
        #[arg(long)]
        json: bool,
    },
    /// Change the number of seats (not below the seats in use).
    SetSeats {
        /// The subscription's id.
        id: String,
        /// The new number of seats.
        seats: i64,
        /// Print the subscription as JSON.
        #[arg(long)]
        json: bool,
    },
    /// End a subscription now: its seats grant nothing from then on.
    End {
        /// The subscription's id.
        id: String,
        /// Print the subscription as JSON.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub(super) enum SeatCommand {
    /// Give a member a seat of the organization's current subscription of a plan.
    Assign(SeatArgs),
    /// Take a member's seat of a plan back.
    Unassign(SeatArgs),
}

#[derive(Debug, clap::Args)]
pub(super) struct SeatArgs {
    /// The organization's short name.
    #[arg(long)]
    org: String,
    /// The plan's key.
    #[arg(long)]
    plan: String,
    /// The member's email address.
    #[arg(long)]
    email: String,
    /// Print the subscription as JSON.
    #[arg(long)]
    json: bool,
}

async fn org_flag(core: &Core, slug: &str) -> anyhow::Result<keystead_core::organizations::Organization> {
    by_slug(core, slug).await.map_err(|e| anyhow::anyhow!("--org: {e}"))
}

fn line(s: &Subscription) -> String {
    let ends = s.ends_at.map_or_else(|| "open-ended".to_owned(), |e| format!("until {}", e.date()));
    let state = if s.ended_at.is_some() {
        "ended"
    } else if s.live {
        "live"
    } else {
        "not live"
    };
    format!("{}  {}  seats {}/{}  from {}  {ends}  {state}", s.id, s.plan, s.seats_used, s.seats, s.starts_at.date())
}

fn print(s: &Subscription, json: bool) -> anyhow::Result<()> {
    if json {
        println!("{}", serde_json::to_string(s)?);
    } else {
        println!("{}", line(s));
    }
    Ok(())
}

/// [`describe`] naming the flags: core names the subscription's times `starts_at` and `ends_at`,
/// the flags `--starts` and `--ends`.
fn describe_times(mut e: keystead_core::Error) -> anyhow::Error {
    if let keystead_core::Error::Invalid(fields) = &mut e {
        for f in &mut fields.0 {
            if let Some(flag) = f.field.strip_suffix("_at") {
                f.field = flag.to_owned();
            }
        }
    }
    describe(e)
}

fn subscription_id(id: &str) -> anyhow::Result<SubscriptionId> {
    id.trim().parse().map_err(|_| anyhow::anyhow!("ID: {id} is not a subscription id"))
}

fn no_subscription(id: SubscriptionId) -> impl Fn(keystead_core::Error) -> anyhow::Error {
    move |e| match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("ID: no subscription with the id {id}"),
        other => describe(other),
    }
}

pub(super) async fn run_subscription(core: &Core, command: SubscriptionCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    match command {
        SubscriptionCommand::Create { org, plan, seats, starts, ends, json } => {
            let o = org_flag(core, &org).await?;
            let starts_at = starts.map(|d| parse_day("starts", &d, false)).transpose().map_err(describe)?;
            let ends_at = ends.map(|d| parse_day("ends", &d, true)).transpose().map_err(describe)?;
            let new = NewSubscription { plan: &plan, seats, starts_at, ends_at };
            let s = core.create_subscription(Actor::Operator, o.id, new, &meta).await.map_err(describe_times)?;
            print(&s, json)?;
        }
        SubscriptionCommand::List { org, json } => {
            let o = org_flag(core, &org).await?;
            let all = core.subscriptions(Actor::Operator, o.id).await.map_err(describe)?;
            if json {
                let mut out = Vec::with_capacity(all.len());
                for s in &all {
                    let mut v = serde_json::to_value(s)?;
                    v["holders"] =
                        serde_json::to_value(core.seat_holders(Actor::Operator, s.id).await.map_err(describe)?)?;
                    out.push(v);
                }
                println!("{}", serde_json::Value::Array(out));
            } else {
                for s in &all {
                    println!("{}", line(s));
                }
            }
        }
        SubscriptionCommand::SetSeats { id, seats, json } => {
            let id = subscription_id(&id)?;
            let s = core
                .set_subscription_seats(Actor::Operator, id, seats, None, &meta)
                .await
                .map_err(no_subscription(id))?;
            print(&s, json)?;
        }
        SubscriptionCommand::End { id, json } => {
            let id = subscription_id(&id)?;
            let s = core.end_subscription(Actor::Operator, id, &meta).await.map_err(no_subscription(id))?;
            print(&s, json)?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub(super) async fn run_seat(core: &Core, command: SeatCommand) -> anyhow::Result<ExitCode> {
    let meta = RequestMeta::cli();
    let (assign, args) = match command {
        SeatCommand::Assign(a) => (true, a),
        SeatCommand::Unassign(a) => (false, a),
    };
    let o = org_flag(core, &args.org).await?;
    let user = user_id(core, "email", &args.email).await?;
    let s = if assign {
        core.assign_seat(Actor::Operator, o.id, &args.plan, user, &meta).await
    } else {
        core.unassign_seat(Actor::Operator, o.id, &args.plan, user, &meta).await
    }
    .map_err(describe)?;
    if args.json {
        println!("{}", serde_json::to_string(&s)?);
    } else {
        let verb = if assign { "assigned" } else { "unassigned" };
        println!("{verb}  {}  {}  {}  seats {}/{}", o.slug, args.email, s.plan, s.seats_used, s.seats);
    }
    Ok(ExitCode::SUCCESS)
}
