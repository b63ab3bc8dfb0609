//! "Download your data": one JSON document of everything stored about the user. Each feature
//! that stores personal data adds its part here.

use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::Result;
use crate::sessions::SessionInfo;

impl Core {
    /// Everything stored about the signed-in user, as JSON; the export itself is audited.
    pub async fn export_user_data(&self, session: &SessionInfo, meta: &RequestMeta) -> Result<serde_json::Value> {
        let user = &session.user;
        let profile = self.profile(user.id).await?;
        let sessions = self.sessions_of(user.id).await?;
        let activity = self.audit_events_for(user.id, 1000).await?;
        let agreements = self.accepted_agreements(user.id).await?;
        let picture = self.profile_picture_version(user.id).await?;
        let two_factor = self.mfa_status(user.id).await?;
        let organizations = self.my_organizations(session).await?;
        let apps: Vec<serde_json::Value> = self
            .connected_apps(session)
            .await?
            .iter()
            .map(|a| {
                serde_json::json!({
                    "client_id": a.client_id, "name": a.name,
                    "scopes": a.scopes.iter().collect::<Vec<_>>(), "granted_at": a.granted_at.to_string(),
                })
            })
            .collect();
        let briefcases: Vec<serde_json::Value> = self
            .briefcases_with_bodies(user.id)
            .await?
            .iter()
            .map(|b| {
                // The document as stored; kept as text should it ever not parse.
                let body = serde_json::from_str::<serde_json::Value>(&b.body).unwrap_or_else(|_| b.body.clone().into());
                serde_json::json!({
                    "product": b.product, "version": b.version, "size": b.size,
                    "updated_at": b.updated_at.to_string(), "body": body,
                })
            })
            .collect();
        let machines = self.machines_of(user.id).await?;
        let courses = self.course_completions(user.id).await?;
        let invoices = self.personal_invoices(user.id).await?;
        let now = self.clock().now();
        let sessions: Vec<serde_json::Value> = sessions
            .iter()
            .map(|s| {
                serde_json::json!({
                    "id": s.id, "created_at": s.created_at.to_string(), "last_seen_at": s.last_seen_at.to_string(),
                    "ip": s.ip, "user_agent": s.user_agent, "methods": s.amr,
                })
            })
            .collect();
        let document = serde_json::json!({
            "exported_at": now.to_string(),
            "account": user,
            "profile": profile,
            "sessions": sessions,
            "security_activity": activity,
            "agreements_accepted": agreements,
            // The images themselves are served at /account/picture/<id>/512 and /128.
            "profile_picture": {"uploaded": picture.is_some(), "version": picture},
            // Which second factors are set up; never a secret or code.
            "two_factor": two_factor,
            // Memberships (role, member or guest) and the applications authorised.
            "organizations": organizations,
            "connected_apps": apps,
            // The settings documents desktop apps keep per product, and the machines activated.
            "briefcases": briefcases,
            "machines": machines,
            // Courses completed, as the learning system reported them.
            "completed_courses": courses,
            // Invoices issued to the account itself (an organization's invoices are its own).
            "invoices": invoices,
        });
        let mut tx = self.store().begin().await?;
        audit::record(
            tx.db(),
            now,
            AuditAction::DataExported,
            Some(user.id),
            Some(user.id),
            meta,
            serde_json::json!({}),
        )
        .await?;
        tx.commit().await?;
        Ok(document)
    }
}
