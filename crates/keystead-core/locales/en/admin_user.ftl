# The admin console: a user's page (/admin/users/{id}) and its actions (issue 17).
admin-user-status-unverified = Address not confirmed
admin-user-status-incomplete-profile = Profile incomplete
admin-user-status-active = Active
admin-user-status-disabled = Disabled
admin-user-status-closing = Closing
admin-user-status-purged = Deleted
admin-user-operator = Operator
admin-user-back = All users
admin-user-not-given = Not given
admin-user-never = Never
admin-user-on = On
admin-user-off = Off

## Actions
admin-user-actions-heading = Actions
admin-user-disable = Disable account
admin-user-enable = Enable account
admin-user-reset-mfa = Reset two-factor authentication
admin-user-resend-verification = Resend verification email
admin-user-send-reset = Send password reset link
admin-user-end-sessions = End all sessions
admin-user-close = Start closing

## Profile
admin-user-profile-heading = Profile
admin-user-status = Status
admin-user-id = Account id
admin-user-email = Email address
admin-user-verified = Address confirmed
admin-user-verified-on = Confirmed on { $date }
admin-user-not-verified = Not confirmed
admin-user-password = Password
admin-user-password-set = Set, last changed { $date }
admin-user-password-set-never-changed = Set
admin-user-password-none = None (signs in through another provider or a reset link)
admin-user-language = Language
admin-user-time-zone = Time zone
admin-user-created = Created
admin-user-last-sign-in = Last sign-in
admin-user-purge-on = Personal data deleted on
admin-user-default-language = Browser language

## Sessions
admin-user-sessions-heading = Sessions
admin-user-sessions-none = No one is signed in to this account.
admin-user-col-device = Device
admin-user-col-ip = IP address
admin-user-col-started = Started
admin-user-col-last-seen = Last seen
admin-user-unknown-ip = Unknown

## Two-factor authentication
admin-user-mfa-heading = Two-factor authentication
admin-user-mfa-app = Authenticator app
admin-user-mfa-email = Email codes
admin-user-mfa-passkeys = Passkeys
admin-user-mfa-no-passkeys = None
admin-user-mfa-recovery = Recovery codes left
admin-user-passkey = { $name } (added { $date })

## Identities, organizations, licenses, applications
admin-user-identities-heading = Linked identities
admin-user-identities-none = No identity at another provider is linked.
admin-user-col-provider = Provider
admin-user-col-provider-email = Address at the provider
admin-user-col-linked = Linked
admin-user-col-last-used = Last used
admin-user-orgs-heading = Organizations
admin-user-orgs-none = Not a member of any organization.
admin-user-col-organization = Organization
admin-user-col-role = Role
admin-user-guest = guest
admin-user-licenses-heading = Licenses
admin-user-licenses-none = Holds no license.
admin-user-col-product = Product and plan
admin-user-col-valid-until = Valid until
admin-user-col-assigned = Assigned
admin-user-until-ended = Until the subscription ends
admin-user-apps-heading = Connected applications
admin-user-apps-none = Has authorized no application.
admin-user-col-app = Application
admin-user-col-scopes = Access
admin-user-col-authorized = Authorized

## Audit trail
admin-user-audit-heading = Audit trail
admin-user-audit-intro = The latest { $count } events about this account, newest first.
admin-user-audit-none = Nothing has been recorded about this account yet.
admin-user-col-when = When
admin-user-col-event = Event
admin-user-col-actor = By
admin-user-col-from = From
admin-user-actor-none = Command line or system

## Results
admin-user-disabled = { $email } is disabled: their sessions ended and they cannot sign in.
admin-user-enabled = { $email } can sign in again.
admin-user-state-refused = The account is closing or deleted: it can no longer be disabled or enabled.
admin-user-mfa-reset-done = Two-factor authentication of { $email } is reset and their sessions ended. They were told by email.
admin-user-verification-sent = A new verification link went to { $email }.
admin-user-verification-refused = { $email } has already confirmed the address, or the account is closed: no link was sent.
admin-user-reset-sent = A password reset link went to { $email }. It works for one hour.
admin-user-reset-refused-closed = No link was sent: the account is disabled or closed.
admin-user-reset-refused-sso = No link was sent: { $email } signs in through their organization's single sign-on, so the password is not used.
admin-user-wait = Too many emails to this account. Try again in { $wait }.
admin-user-sessions-ended = { $count ->
    [one] One session of { $email } ended.
   *[other] { $count } sessions of { $email } ended.
}
admin-user-closing-started = { $email } is closing: the personal data will be deleted on { $date }. They were told by email.
admin-user-close-refused = The account is already closing or deleted.

## Confirmation pages
admin-user-disable-title = Disable this account
admin-user-disable-message = { $email } will be signed out everywhere, applications lose their access, and they cannot sign in until an operator enables the account again.
admin-user-reset-mfa-title = Reset two-factor authentication
admin-user-reset-mfa-message = Every second factor of { $email } is removed (authenticator app, email codes, passkeys, recovery codes) and every session ends. They sign in with their password alone and are told by email. Do this only once you are sure who is asking.
admin-user-end-sessions-title = End all sessions
admin-user-end-sessions-message = { $email } is signed out on every device, and applications signed in through those sessions are told.
admin-user-close-title = Start closing this account
admin-user-close-message = { $email } is signed out, applications lose their access, and the personal data is deleted after { $days } days. Unlike a closing they start themselves, signing in does not undo it. They are told by email.
admin-user-confirm-operator = { $email } is an operator of this deployment: they will no longer be able to use the admin console.
admin-user-confirm-yourself = This is your own account: you will be signed out.

## Emails
admin-user-email-reset-asked = An administrator of { $site } sent you this link to choose a new password for the account { $email }.
admin-user-email-reset-after = If you did not expect this email, you can ignore it: your password stays as it is.
