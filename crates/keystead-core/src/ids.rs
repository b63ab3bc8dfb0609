//! Typed identifiers: UUIDv7 newtypes so that a job id cannot be passed where a user id is expected.

/// Declares a UUIDv7 identifier newtype.
macro_rules! uuid_id {
    ($(#[$meta:meta])* $name:ident) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, sqlx::Type)]
        #[serde(transparent)]
        #[sqlx(transparent)]
        pub struct $name(pub uuid::Uuid);

        impl $name {
            /// A new, time-ordered (v7) identifier.
            pub fn new() -> Self {
                Self(uuid::Uuid::now_v7())
            }
        }

        impl Default for $name {
            fn default() -> Self {
                Self::new()
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.0.fmt(f)
            }
        }

        impl std::str::FromStr for $name {
            type Err = uuid::Error;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                uuid::Uuid::parse_str(s).map(Self)
            }
        }
    };
}

uuid_id!(
    /// A queued job (an email to deliver, a webhook to send, …).
    JobId
);

uuid_id!(
    /// A user account.
    UserId
);

uuid_id!(
    /// A browser session.
    SessionId
);

uuid_id!(
    /// A single-use token sent by email.
    EmailTokenId
);

uuid_id!(
    /// An audit log entry.
    AuditEventId
);

uuid_id!(
    /// An organization (tenant).
    OrganizationId
);

uuid_id!(
    /// An invitation to an organization.
    InvitationId
);

uuid_id!(
    /// A group of an organization.
    GroupId
);

uuid_id!(
    /// A custom role of an organization.
    RoleId
);

uuid_id!(
    /// A product of the licensing catalogue.
    ProductId
);

uuid_id!(
    /// A download (a file or a link) of a product.
    DownloadId
);

uuid_id!(
    /// A plan (edition) of a product that organizations subscribe to.
    PlanId
);

uuid_id!(
    /// An organization's subscription to a plan.
    SubscriptionId
);

uuid_id!(
    /// A machine a user's desktop app activated for a product.
    MachineId
);

uuid_id!(
    /// An organization's connection to its identity provider.
    SsoConnectionId
);

uuid_id!(
    /// A person's identity at an identity provider, linked to their account.
    FederatedIdentityId
);

uuid_id!(
    /// A personal access token for the admin API or SCIM.
    ApiTokenId
);

uuid_id!(
    /// A URL that receives webhooks.
    WebhookEndpointId
);

uuid_id!(
    /// One event sent (or to be sent) to one webhook endpoint.
    WebhookDeliveryId
);

uuid_id!(
    /// An invoice (or credit note) pushed by the billing system.
    InvoiceId
);
