//! The fixed permission catalogue, the built-in roles, and permission sets.

/// One permission of the fixed catalogue. Custom roles are named sets of these.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum Permission {
    /// Rename the organization, change its logo, domains and settings.
    OrgManage,
    /// See the member list.
    MembersRead,
    /// Invite people, revoke and resend invitations.
    MembersInvite,
    /// Remove members and guests.
    MembersRemove,
    /// Create custom roles and change members' roles.
    RolesManage,
    /// Create, edit and delete groups; add and remove their members.
    GroupsManage,
    /// Join groups whose join policy is `permission`.
    GroupsJoin,
    /// Assign license seats to members.
    LicensesAssign,
    /// Read the organization's invoices.
    InvoicesRead,
    /// Connect the organization's identity provider.
    SsoManage,
}

impl Permission {
    /// Every permission, in catalogue order.
    pub const ALL: [Self; 10] = [
        Self::OrgManage,
        Self::MembersRead,
        Self::MembersInvite,
        Self::MembersRemove,
        Self::RolesManage,
        Self::GroupsManage,
        Self::GroupsJoin,
        Self::LicensesAssign,
        Self::InvoicesRead,
        Self::SsoManage,
    ];

    /// The stable name (`members:invite`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::OrgManage => "org:manage",
            Self::MembersRead => "members:read",
            Self::MembersInvite => "members:invite",
            Self::MembersRemove => "members:remove",
            Self::RolesManage => "roles:manage",
            Self::GroupsManage => "groups:manage",
            Self::GroupsJoin => "groups:join",
            Self::LicensesAssign => "licenses:assign",
            Self::InvoicesRead => "invoices:read",
            Self::SsoManage => "sso:manage",
        }
    }

    /// What it allows, for people.
    pub fn description(self) -> &'static str {
        match self {
            Self::OrgManage => "Manage the organization's name, logo, domains and settings",
            Self::MembersRead => "See the members",
            Self::MembersInvite => "Invite people",
            Self::MembersRemove => "Remove members",
            Self::RolesManage => "Manage roles and change members' roles",
            Self::GroupsManage => "Manage groups and their members",
            Self::GroupsJoin => "Join groups that need a permission",
            Self::LicensesAssign => "Assign licenses",
            Self::InvoicesRead => "Read invoices",
            Self::SsoManage => "Manage single sign-on",
        }
    }

    /// The permission with this name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

/// A set of permissions.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct PermissionSet(u32);

impl PermissionSet {
    /// No permission.
    pub const fn empty() -> Self {
        Self(0)
    }

    /// Every permission of the catalogue.
    pub fn all() -> Self {
        Self::of(&Permission::ALL)
    }

    /// The set of `permissions`.
    pub fn of(permissions: &[Permission]) -> Self {
        Self(permissions.iter().fold(0, |acc, p| acc | p.bit()))
    }

    /// True when the set holds `p`.
    pub fn contains(self, p: Permission) -> bool {
        self.0 & p.bit() != 0
    }

    /// True when every permission of `other` is in this set.
    pub fn covers(self, other: Self) -> bool {
        other.0 & !self.0 == 0
    }

    /// The permissions, in catalogue order.
    pub fn iter(self) -> impl Iterator<Item = Permission> {
        Permission::ALL.into_iter().filter(move |p| self.contains(*p))
    }

    /// The stored form: names joined by commas.
    pub fn to_stored(self) -> String {
        self.iter().map(Permission::as_str).collect::<Vec<_>>().join(",")
    }

    /// Reads the stored form, skipping names no longer in the catalogue.
    pub fn from_stored(s: &str) -> Self {
        Self::of(&s.split(',').filter_map(Permission::parse).collect::<Vec<_>>())
    }
}

/// The roles every organization has.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub enum BuiltinRole {
    /// Everything, including deleting the organization and managing owners.
    Owner,
    /// Everything but deleting the organization and managing owners.
    Admin,
    /// Assigns licenses and reads invoices (they buy the licenses).
    LicenseAdmin,
    /// Reads invoices.
    BillingAdmin,
    /// An ordinary member.
    Member,
    /// Someone from outside the organization: joins open groups, sees nothing else.
    Guest,
}

impl BuiltinRole {
    /// Every built-in role, most powerful first.
    pub const ALL: [Self; 6] =
        [Self::Owner, Self::Admin, Self::LicenseAdmin, Self::BillingAdmin, Self::Member, Self::Guest];

    /// The stable name (`license_admin`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Owner => "owner",
            Self::Admin => "admin",
            Self::LicenseAdmin => "license_admin",
            Self::BillingAdmin => "billing_admin",
            Self::Member => "member",
            Self::Guest => "guest",
        }
    }

    /// The name shown to people.
    pub fn label(self) -> &'static str {
        match self {
            Self::Owner => "Owner",
            Self::Admin => "Administrator",
            Self::LicenseAdmin => "License administrator",
            Self::BillingAdmin => "Billing administrator",
            Self::Member => "Member",
            Self::Guest => "Guest",
        }
    }

    /// The role with this name.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// What the role may do.
    pub fn permissions(self) -> PermissionSet {
        use Permission as P;
        match self {
            Self::Owner | Self::Admin => PermissionSet::all(),
            Self::LicenseAdmin => {
                PermissionSet::of(&[P::MembersRead, P::GroupsJoin, P::LicensesAssign, P::InvoicesRead])
            }
            Self::BillingAdmin => PermissionSet::of(&[P::MembersRead, P::GroupsJoin, P::InvoicesRead]),
            Self::Member => PermissionSet::of(&[P::MembersRead, P::GroupsJoin]),
            Self::Guest => PermissionSet::empty(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_sets_round_trip_through_their_stored_form() {
        let set = PermissionSet::of(&[Permission::MembersInvite, Permission::SsoManage]);
        assert_eq!(set.to_stored(), "members:invite,sso:manage");
        assert_eq!(PermissionSet::from_stored("members:invite,unknown,sso:manage"), set);
        assert!(PermissionSet::all().covers(set) && !set.covers(PermissionSet::all()));
        assert!(BuiltinRole::Member.permissions().contains(Permission::GroupsJoin));
        assert!(BuiltinRole::Guest.permissions().iter().next().is_none());
    }
}
