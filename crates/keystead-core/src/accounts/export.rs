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
