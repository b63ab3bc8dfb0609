//! Where a signed-in user lands after registration, "Complete your profile" or a sign-in that
//! had no `return_to`: decided by the licenses they hold now (issue 12 §3).

use url::Url;

use super::LandingRule;
use super::held::HeldLicense;
use crate::Core;
use crate::error::Result;
use crate::ids::UserId;

/// Where a user lands; the web layer turns each into a page of its own or the URL given.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Landing {
    /// The extension chooser (My Account → Extensions).
    ExtensionChooser,
    /// The downloads page (My Account → Downloads).
    Downloads,
    /// An external application's URL (its sign-in page, for example).
    ExternalApp(Url),
    /// My Account → Licenses: the user holds licenses, none of them with a landing of its own.
    Licenses,
    /// The deployment's page for users without a license (`licenses.no_license_url`, the
    /// marketplace).
    NoLicense(Url),
    /// The home page: no license and no `licenses.no_license_url` configured.
    Home,
}

impl Core {
    /// Where `user` lands, by a fixed precedence over the licenses they hold now (seats of live
    /// subscriptions; ended or not yet started ones count as none):
    ///
    /// 1. any license landing on the extension chooser → [`Landing::ExtensionChooser`];
    /// 2. else any landing on downloads → [`Landing::Downloads`];
    /// 3. else any landing on an external app → [`Landing::ExternalApp`] with the URL of the
    ///    earliest-assigned such seat (the chooser and downloads pages are in Keystead and link
    ///    to everything else; an external app would take the user away, so it comes last);
    /// 4. else, licenses whose rule is `none` only → [`Landing::Licenses`];
    /// 5. no license at all → [`Landing::NoLicense`] with `licenses.no_license_url` when it is
    ///    configured, else [`Landing::Home`].
    pub async fn landing_for(&self, user: UserId) -> Result<Landing> {
        let held = self.licenses_of(user).await?;
        Ok(choose(&held, self.config().licenses.no_license_url.as_ref()))
    }
}

/// The precedence of [`Core::landing_for`] over the licenses held.
fn choose(held: &[HeldLicense], no_license_url: Option<&Url>) -> Landing {
    if held.is_empty() {
        return no_license_url.map_or(Landing::Home, |u| Landing::NoLicense(u.clone()));
    }
    let has = |rule: &LandingRule| held.iter().any(|l| &l.landing == rule);
    if has(&LandingRule::ExtensionChooser) {
        return Landing::ExtensionChooser;
    }
    if has(&LandingRule::Downloads) {
        return Landing::Downloads;
    }
    let earliest_app = held
        .iter()
        .filter_map(|l| match &l.landing {
            LandingRule::ExternalApp(url) => Some((l.assigned_at, url)),
            _ => None,
        })
        .min_by_key(|(assigned_at, _)| *assigned_at);
    match earliest_app {
        Some((_, url)) => Landing::ExternalApp(url.clone()),
        None => Landing::Licenses,
    }
}
