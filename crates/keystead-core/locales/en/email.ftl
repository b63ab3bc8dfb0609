# Emails: every account, security, organization and operator email (crates/keystead-core/src/**
# builds them as a `Notice`; templates/email/* frame them).

## The frame of every email
email-footer = This message was sent by { $site } ({ $url }).
email-button-hint = If the button does not work, copy this address into your browser:

## Sentences several emails share
email-link-24h = The link works once and for 24 hours.
email-link-1h = The link works once and for one hour.
email-code-subject = { $code } is your { $site } confirmation code
email-code-10min = It works for 10 minutes.
email-nothing-to-do = If this was you, there is nothing to do.
email-security-always = This is a security notice and is always sent.
email-unknown-address = an unknown address

## The operator's test email (keystead admin mail test)
email-test-subject = Test email from { $site }
email-test-body = This is a test email. If you can read it, outgoing mail from { $site } works.
email-test-sent = Sent at { $time } by the { $transport } transport.

## Registration
email-verify-subject = Confirm your email address for { $site }
email-verify-welcome = Welcome to { $site }! Please confirm that { $email } is your email address.
email-verify-action = Confirm my email address
email-verify-after = If you did not create an account, ignore this email: nothing happens without the confirmation.
email-registered-subject = You already have a { $site } account
email-registered-body = Someone — probably you — tried to register a { $site } account with { $email }. This address already has an account.
email-registered-reset = If you forgot your password, you can set a new one here: { $url }
email-registered-after = If it was not you, you can ignore this email: nothing was changed.

## Sign-in
email-new-device-subject = New sign-in to your { $site } account
email-new-device-body = Your { $site } account { $email } was just signed in to from a new device: { $device }, from { $ip }, on { $when }.
email-new-device-action = Review your sessions
email-new-device-after = If it was not you, change your password now and sign out the sessions you do not recognise. This is a security notice and is always sent.
email-throttled-subject = Several failed sign-ins to your { $site } account
email-throttled-body = There were several failed attempts to sign in to your { $site } account ({ $email }), the last from { $ip }.
email-throttled-pause = For your protection, sign-in is paused for a short while; the pause grows with each further failure and always ends.
email-throttled-forgot = If it was you and you forgot your password, you can set a new one.
email-throttled-action = Reset my password
email-throttled-after = If it was not you, your password is still safe as long as it is not used elsewhere. Consider changing it.

## Passwords
email-reset-asked = Someone asked to reset the password of the { $site } account { $email }.
email-reset-subject = Reset your { $site } password
email-reset-action = Choose a new password
email-reset-after = If you did not ask for this, ignore this email: your password stays as it is.
email-reset-managed-subject = Your { $site } password is managed by your organization
email-reset-managed-why = { $org } signs its members in through { $connection }: this is managed by an external provider, so the password cannot be used or changed here.
email-reset-managed-next = Sign in with your email address: you will be sent to your organization's sign-in page.
email-reset-managed-after = If you did not ask for this, ignore this email.
email-password-changed-subject = Your { $site } password was changed
email-password-changed-body = The password of your { $site } account { $email } was just changed.
email-password-changed-nothing = If this was you, there is nothing else to do.
email-password-changed-action = It was not me: reset my password
email-password-code-body = Enter this code to confirm the change of your password:
email-password-code-after = If you did not ask to change your password, someone may know it: change it now and sign out your other sessions.

## Changing the email address
email-change-code-body = Enter this code to confirm that you want to change the email address of your { $site } account to { $email }:
email-change-code-after = If you did not ask for this, someone may be signed in to your account: change your password and sign out your other sessions.
email-change-link-subject = Confirm your new email address for { $site }
email-change-link-body = Please confirm that { $email } is the new email address of your { $site } account.
email-change-link-action = Confirm my new address
email-change-link-after = If you did not ask for this, ignore this email: nothing changes without the confirmation.
email-changed-subject = The email address of your { $site } account was changed
email-changed-body = The email address of your { $site } account was changed from { $old } to { $new }.
email-changed-next = From now on, sign in with the new address.
email-changed-after = If you did not do this, contact your administrator at once. This is a security notice and is always sent.

## Closing and reactivating an account
email-closed-subject = Your { $site } account is closed
email-closed-body = You closed your { $site } account ({ $email }) on { $date }.
email-closed-purge = Your personal data will be deleted permanently on { $date }. Until then you can reactivate the account by signing in with your email address and password.
email-closed-apps = Applications you had authorised are signed out and will not be authorised again if you reactivate.
email-closed-action = Sign in to reactivate
email-closed-after = If you did not close your account, sign in and reactivate it now, then change your password.
email-reactivated-subject = Your { $site } account is active again
email-reactivated-body = Your { $site } account ({ $email }) was reactivated and will not be deleted. Applications you had authorised need your permission again.
email-reactivated-after = If you did not do this, change your password now.
email-operator-closed-subject = Your { $site } account was closed
email-operator-closed-body = An administrator closed your { $site } account ({ $email }).
email-operator-closed-purge = Your personal data will be deleted permanently on { $date }.
email-operator-closed-after = If you think this is a mistake, contact your administrator before that date.

## Two-factor authentication
email-mfa-changed-subject = Two-factor authentication changed on your { $site } account
email-mfa-recovery-subject = New recovery codes on your { $site } account
email-mfa-reset-subject = Two-factor authentication reset on your { $site } account
email-mfa-passkey-added = A passkey named “{ $name }” was added to your { $site } account ({ $email }).
email-mfa-passkey-added-unnamed = A passkey was added to your { $site } account ({ $email }).
email-mfa-totp-added = An authenticator app was set up for your { $site } account ({ $email }).
email-mfa-email-added = Sign-in codes by email were turned on for your { $site } account ({ $email }).
email-mfa-recovery-added = New recovery codes were made for your { $site } account ({ $email }).
email-mfa-now-on = Two-factor authentication is now on: every session was signed out, and each sign-in asks for a second step.
email-mfa-passkey-removed = The passkey “{ $name }” was removed from your { $site } account ({ $email }).
email-mfa-totp-removed = The authenticator app was removed from your { $site } account ({ $email }).
email-mfa-email-removed = Sign-in codes by email were turned off for your { $site } account ({ $email }).
email-mfa-removed = A second factor was removed from your { $site } account ({ $email }).
email-mfa-now-off = Two-factor authentication is now off: a password alone signs in to your account.
email-mfa-action = Review your security settings
email-mfa-after = If it was not you, reset your password now and review your sign-in methods. This is a security notice and is always sent.
email-mfa-recovery-body = New recovery codes were made for your { $site } account ({ $email }); the earlier ones no longer work.
email-mfa-reset-body = An administrator removed every two-factor method of your { $site } account ({ $email }): your authenticator app, email codes, passkeys and recovery codes. Every session was signed out.
email-mfa-reset-next = Sign in with your password and set up two-factor authentication again.
email-mfa-code-subject = { $code } is your { $site } sign-in code
email-mfa-code-enable = Enter this code to turn on sign-in codes by email:
email-mfa-code-sign-in = Enter this code to finish signing in:
email-mfa-code-after = If you did not ask for this code, someone may know your password: change it now.

## Licenses
email-license-subject = You have a license of { $plan }
email-license-body = { $org } assigned you a license of { $plan } on { $site }.
email-license-where = Your licenses, what they include and their downloads are in My Account.
email-license-action = See your licenses
email-license-after = You receive this because licenses emails are on. You can turn them off in My Account → Notifications.

## Organization invitations
email-invite-subject = You are invited to join { $org } on { $site }
email-invite-body = { $inviter } invited { $email } to join { $org } on { $site } as { $role }.
email-invite-team = The { $site } team
email-invite-link = The link works once and for 7 days. If you have no account yet, you create one through it.
email-invite-action = Accept the invitation
email-invite-after = If you do not want to join, ignore this email: nothing happens without you.
email-role-owner = Owner
email-role-admin = Administrator
email-role-license-admin = License administrator
email-role-billing-admin = Billing administrator
email-role-member = Member
email-role-guest = Guest

## Webhooks
email-webhook-disabled-subject = A webhook endpoint was disabled
email-webhook-disabled-body = { $days ->
    [one] Deliveries to your webhook endpoint { $url } have failed for { $days } day, so it was disabled.
   *[other] Deliveries to your webhook endpoint { $url } have failed for { $days } days, so it was disabled.
}
email-webhook-disabled-next = Fix the receiver, then enable the endpoint again; events from while it was disabled are not sent.
