# Organization admin pages: members, groups, roles, licenses, API tokens, settings.
# (Single sign-on is in org_sso.ftl.)

## Shared
org-tab-members = Members
org-tab-groups = Groups
org-tab-roles = Roles
org-tab-licenses = Licenses
org-tab-invoices = Invoices
org-tab-sso = Single sign-on
org-tab-tokens = API tokens
org-tab-settings = Settings
org-nav-my-organizations = My organizations
org-actions = Actions
org-search = Search
org-name = Name
org-delete = Delete
org-remove = Remove
org-no-member-matches = No member matches.
org-invitation-closed = This invitation is no longer open: it was answered, revoked or has expired.

## Built-in roles
org-role-owner = Owner
org-role-admin = Administrator
org-role-license-admin = License administrator
org-role-billing-admin = Billing administrator
org-role-member = Member
org-role-guest = Guest

## Permissions
org-permission-org-manage = Manage the organization's name, logo, domains and settings
org-permission-members-read = See the members
org-permission-members-invite = Invite people
org-permission-members-remove = Remove members
org-permission-roles-manage = Manage roles and change members' roles
org-permission-groups-manage = Manage groups and their members
org-permission-groups-join = Join groups that need a permission
org-permission-licenses-assign = Assign licenses
org-permission-invoices-read = Read invoices
org-permission-sso-manage = Manage single sign-on

## Members
org-members-title = Members of { $org }
org-members-heading = Members
org-members-search-label = Search by name or address
org-members-col-member = Member
org-members-col-role = Role
org-members-col-groups = Groups
org-members-col-joined = Joined
org-members-guest = Guest
org-members-role-of = Role of { $email }
org-members-change-role = Change role
# Read after "Change role" by screen readers only.
org-members-change-role-target = of { $email }
org-members-last-owner = The last owner
org-members-remove = Remove
# Read after "Remove" by screen readers only.
org-members-remove-target = { $email }
org-members-remove-title = Remove a member
org-members-remove-message = { $email } loses access to { $org }: their role, their groups and any seat assigned to them there end. Their account stays.
org-members-previous-page = Previous page
org-members-next-page = Next page
org-members-page = Page { $page }
org-invite-heading = Invite someone
org-invite-email = Email address
org-invite-role = Role
org-invite-send = Send invitation
org-invitations-heading = Open invitations
org-invitations-none = No invitation is open. Invite someone above; the invitation appears here until it is answered or expires.
org-invitations-col-until = Open until
org-invitation-resend = Resend
org-invitation-revoke = Revoke
# Read after "Resend" or "Revoke" by screen readers only.
org-invitation-target = the invitation to { $email }
org-flash-invitation-sent = An invitation is on its way to { $email }.
org-flash-role-changed = The role is now { $role }.
org-flash-member-removed = The member is removed.
org-flash-invitation-revoked = The invitation is revoked: its link no longer works.
org-flash-invitation-resent = The invitation is sent again with a new link.

## Groups
org-groups-title = Groups of { $org }
org-groups-heading = Groups
org-groups-empty = No groups yet.
org-group-policy-open = open
org-group-policy-permission = permission
org-group-policy-closed = closed
org-groups-add-label = Member to add to { $group }
org-groups-add = Add
# Read after "Add" by screen readers only.
org-groups-add-target = to { $group }
org-groups-new-heading = New group
org-groups-description = Description
org-groups-join-policy = Who may join
org-groups-join-open = Open: any member
org-groups-join-permission = Members with the groups:join permission
org-groups-join-closed = Closed: administrators add members
org-groups-create = Create group
org-flash-group-created = The group { $name } is created.
org-flash-group-deleted = The group is deleted.
org-flash-group-member-added = { $email } is in the group.

## Roles
org-roles-title = Roles of { $org }
org-roles-heading = Roles
org-roles-col-role = Role
org-roles-col-permissions = Permissions
org-roles-builtin = Built-in
# Read after "Delete" by screen readers only.
org-roles-delete-target = the role { $role }
org-groups-delete-title = Delete a group
org-groups-delete-message = { $count ->
    [0] The group { $group } is deleted. It has no members.
    [one] The group { $group } is deleted: its member leaves it and stays in { $org }.
   *[other] The group { $group } is deleted: its { $count } members leave it and stay in { $org }.
}
org-roles-delete-title = Delete a role
org-roles-delete-message = The role { $role } is deleted, with the permissions it grants. While members hold it, it is kept: give them another role first.
org-roles-new-heading = New custom role
org-roles-create = Create role
org-flash-role-created = The role { $name } is created.
org-flash-role-deleted = The role is deleted.

## Licenses
org-licenses-title = Licenses of { $org }
org-licenses-heading = Licenses
org-licenses-empty = The organization has no subscriptions.
org-licenses-empty-hint = Subscriptions are added when your organization buys licenses; their seats then appear here to assign.
org-licenses-plan = plan
org-licenses-seats-used = { $seats ->
    [one] { $used } of { $seats } seat used
   *[other] { $used } of { $seats } seats used
}
org-licenses-status-ended = Ended
org-licenses-status-starts = Starts { $date }
org-licenses-status-active-until = Active until { $date }
org-licenses-status-active = Active, no end date
org-licenses-no-holder = No seat is assigned.
org-licenses-col-holder = Holder
org-licenses-col-assigned = Assigned
org-licenses-unassign = Unassign
org-licenses-assign-heading = Assign a seat
org-licenses-search-label = Find members by name or address
org-licenses-col-holds = Holds
org-licenses-col-assign = Assign
org-licenses-holds-every-plan = Holds every plan
org-licenses-plan-for = Plan for { $email }
org-licenses-assign = Assign
# Read after "Assign" by screen readers only.
org-licenses-assign-target = to { $email }
org-licenses-more-candidates = More members match: search for a name or address to narrow the list.
org-licenses-group-heading = Assign to a group
org-licenses-no-groups = The organization has no groups. Groups are made on the Groups page.
org-licenses-group-intro = Every member of the group who has no seat of the plan gets one, while seats are free.
org-licenses-group = Group
org-licenses-group-option = { $group } ({ $count })
org-licenses-plan-label = Plan
org-licenses-assign-group = Assign seats to the group
org-flash-seat-assigned = A seat of { $plan } is assigned.
org-flash-seat-unassigned = The seat of { $plan } is free again.
org-flash-group-seats-assigned = { $count ->
    [0] No member got a new seat.
    [one] { $count } member got a seat.
   *[other] { $count } members got a seat.
}
org-flash-group-seats-held = { $count } already held one.
org-flash-group-seats-none-left = No seat was left for: { $names }.

## API tokens
org-tokens-title = API tokens of { $org }
org-tokens-created-heading = Copy your new token now
org-tokens-created-once = It is shown this once; Keystead keeps only a fingerprint of it.
org-tokens-created-scim = For SCIM provisioning, give your identity provider the tenant URL
org-tokens-created-scim-after = and this token.
org-tokens-heading = API tokens
org-tokens-intro = Tokens reach only this organization and act with your permissions here: they stop working if you lose them.
org-tokens-empty = No token yet.
org-tokens-col-token = Token
org-tokens-col-scopes = Scopes
org-tokens-col-expires = Expires
org-tokens-col-last-used = Last used
org-tokens-new-heading = New token
org-tokens-name-hint = What it is for, such as “Entra ID provisioning”.
org-tokens-days = Days until it expires
org-tokens-days-hint = 1 to 3650. Renew it before then: an expired token stops working.
org-tokens-create = Create token
org-token-never = never
org-flash-token-revoked = The token is revoked: it no longer works.
org-scope-users-read = Read users (an organization's token: its members).
org-scope-users-write = Create, change, disable and close users.
org-scope-orgs-read = Read organizations, members, invitations, groups and roles.
org-scope-orgs-write = Change organizations, members, invitations, groups and roles.
org-scope-audit-read = Read the audit log.
org-scope-licenses-read = Read products, plans, subscriptions and seats.
org-scope-licenses-write = Add products and plans, change subscriptions and assign seats.
org-scope-webhooks-read = Read webhook endpoints and deliveries.
org-scope-webhooks-write = Manage webhook endpoints and resend deliveries.
org-scope-scim = Provision users and groups through SCIM 2.0.

## Settings
org-settings-title = Settings of { $org }
org-settings-heading = Settings
org-settings-require-mfa = Require two-factor authentication for members
org-settings-min-length = Minimum password length (empty: the deployment's)
org-settings-max-length = Maximum password length (empty: the deployment's)
org-settings-brand-color = Accent colour (empty: the deployment's)
org-settings-brand-color-hint = As #rrggbb, such as #1f5fbf. Buttons and links on these pages, on invitations to the organization and in its members' header take it; text on it stays readable whatever colour you choose.
org-settings-save = Save settings
org-flash-settings-saved = The settings are saved.
org-logo-heading = Logo
org-logo-alt = The logo of { $org }
org-logo-initials = { $org } has no logo yet: its initials are shown
org-logo-replace = Replace the logo
org-logo-upload-label = Upload a logo
org-logo-chosen = An image is chosen: upload it with the button below.
org-logo-preview-alt = The chosen image
org-logo-hint = JPEG, PNG or WebP, up to 5 MB. It is cropped to a square from the centre.
org-logo-upload = Upload logo
org-logo-remove = Remove logo
org-flash-logo-saved = The logo is saved.
org-flash-logo-removed = The logo is removed.
org-flash-logo-none = There is no logo.
org-domains-heading = Email domains
org-domains-intro = A verified domain is the organization's alone. To prove a domain is yours, publish a DNS TXT record at the name shown with the value shown, then press “Check now” (Keystead also checks pending domains every 15 minutes for a week).
org-domains-empty = No domains yet.
org-domains-verified = Verified
org-domains-pending = Pending
org-domains-record-name = TXT record name
org-domains-record-value = Value
org-domain-last-checked = Last checked { $when }.
org-domain-last-checked-with = Last checked { $when }: { $message }
org-domains-check = Check now
org-domains-add-label = Add a domain
org-domains-add = Add domain
org-flash-domain-added = { $domain } is added. Publish the TXT record shown below, then press “Check now”.
org-flash-domain-verified = { $domain } is verified.
org-flash-domain-removed = { $domain } is removed.
org-delete-heading = Delete the organization
org-delete-warning = This deletes { $org } with its members, groups, roles and invitations. It cannot be undone.
org-delete-confirm = Type the short name to confirm
org-delete-submit = Delete organization
org-flash-org-deleted = { $org } is deleted.

## Form errors of the organization pages (field-error-<field>-<code>)
field-error-password-min-length-out-of-range = Choose a length from { $min } to { $max }, or leave it empty.
field-error-password-max-length-out-of-range = Choose a length from { $min } to { $max }, or leave it empty.
field-error-password-max-length-below-minimum = The maximum cannot be below the minimum.
field-error-password-min-length-not-a-number = Enter a whole number, or leave it empty.
field-error-password-max-length-not-a-number = Enter a whole number, or leave it empty.
field-error-brand-color-invalid-color = Give a colour as #rrggbb, such as #1f5fbf, or leave it empty.
field-error-slug-invalid-slug = Use { $min } to { $max } lower-case letters, digits and hyphens (not at the start or end).
field-error-slug-slug-taken = This short name is taken by another organization: choose another.
field-error-slug-slug-required = Choose a short name: the name gives none.
field-error-confirm-confirmation-mismatch = Type the organization's short name, { $slug }, to confirm.
field-error-join-policy-invalid = Choose who may join: open, permission or closed.
field-error-permissions-unknown-permission = Choose permissions from the list.
field-error-permissions-required = Choose at least one permission.
field-error-name-reserved = This is the name of a built-in role: choose another.
field-error-role-unknown-role = Choose a role from the list.
field-error-role-role-in-use = Members hold this role: give them another role before deleting it.
field-error-email-already-member = This person already belongs to the organization.
field-error-email-already-assigned = This user already holds a seat of this plan.
field-error-plan-unknown-plan = No plan with this key.
field-error-plan-no-subscription = The organization has no current subscription of { $plan }.
field-error-plan-no-free-seat = { $count ->
    [one] The only seat of { $plan } is assigned: unassign it or add seats first.
   *[other] All { $count } seats of { $plan } are assigned: unassign one or add seats first.
}
field-error-domain-invalid-domain = Enter a domain such as example.com.
field-error-domain-domain-taken = This domain already belongs to an organization.
field-error-domain-domain-added = This organization has already added this domain.
org-invoices-title = Invoices of { $org }
