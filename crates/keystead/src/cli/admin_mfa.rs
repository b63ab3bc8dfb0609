//! `keystead admin user reset-mfa EMAIL`: removes every second factor of an account whose owner
//! lost them all (audited; the user is told by email and signs in with the password again).

use std::process::ExitCode;

use clap::Args;
use keystead_core::Core;
use keystead_core::audit::RequestMeta;

/// Arguments of `reset-mfa`.
#[derive(Debug, Args)]
pub(super) struct ResetMfaArgs {
    /// Email address of the account.
    email: String,
    /// Print what was removed as JSON.
    #[arg(long)]
    json: bool,
}

async fn reset(core: &Core, email: &str) -> keystead_core::Result<keystead_core::mfa::MfaStatus> {
    let id = core.user_by_email(email).await?.id;
    core.reset_mfa(keystead_core::organizations::Actor::Operator, id, &RequestMeta::cli()).await
}

/// Runs `reset-mfa`.
pub(super) async fn reset_mfa(core: &Core, args: ResetMfaArgs) -> anyhow::Result<ExitCode> {
    let before = reset(core, &args.email).await.map_err(|e| match e {
        keystead_core::Error::NotFound => anyhow::anyhow!("no user with the email address {}", args.email.trim()),
        keystead_core::Error::Invalid(fields) => {
            let parts: Vec<String> = fields.0.iter().map(|f| format!("EMAIL: {}", f.message)).collect();
            anyhow::anyhow!("{}", parts.join("; "))
        }
        other => anyhow::Error::new(other),
    })?;
    let removed = serde_json::json!({
        "email": args.email.trim(),
        "totp": before.totp,
        "email_codes": before.email,
        "passkeys": before.passkeys.len(),
        "recovery_codes": before.recovery_codes_left,
    });
    if args.json {
        println!("{removed}");
    } else {
        println!(
            "two-factor authentication reset for {}: authenticator app {}, email codes {}, {} passkey(s), {} recovery code(s) removed; the user was notified",
            args.email.trim(),
            if before.totp { "removed" } else { "none" },
            if before.email { "off" } else { "were off" },
            before.passkeys.len(),
            before.recovery_codes_left,
        );
    }
    Ok(ExitCode::SUCCESS)
}
