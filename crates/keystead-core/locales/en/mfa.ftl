# Two-factor authentication, passkeys, sessions, email address and password in My Account.

## Durations ("in 45 seconds")
mfa-seconds = { $count ->
    [one] { $count } second
   *[other] { $count } seconds
}
mfa-minutes = { $count ->
    [one] { $count } minute
   *[other] { $count } minutes
}
mfa-hours = { $count ->
    [one] { $count } hour
   *[other] { $count } hours
}

## The second step of signing in
mfa-second-factor-title = Two-step verification
mfa-totp-intro = Enter the six-digit code your authenticator app shows for this account.
mfa-totp-code-label = Code from your authenticator app
mfa-verify = Verify
mfa-email-sent-intro = We emailed a six-digit code to { $email }. It works for 10 minutes.
mfa-email-intro = We email you a six-digit code. It works for 10 minutes.
mfa-email-code-label = Code from the email
mfa-email-send-again = Send again
mfa-email-send = Email me a code
mfa-email-cooldown = You can ask for another code in { $wait }.
mfa-passkey-intro = Use one of your passkeys to finish signing in.
mfa-use-passkey = Use a passkey
mfa-passkey-unavailable-here = Passkeys cannot be used at this address. Choose another way below.
mfa-recovery-intro = Enter one of the recovery codes you saved when you turned on two-factor authentication. Each works once.
mfa-recovery-code-label = Recovery code
mfa-other-ways = Other ways to verify
mfa-sign-in-as-other = Sign in as someone else
mfa-method-totp = Authenticator app
mfa-method-email = Code by email
mfa-method-passkey = Passkey
mfa-method-recovery = Recovery code
mfa-method-unknown = Choose one of the ways listed.
mfa-too-slow = Too much time has passed since you entered your password. Sign in again.
mfa-recovery-last-used = You used your last recovery code. Make new ones now under My Account → Two-factor authentication.
mfa-recovery-accepted = { $count ->
    [one] Recovery code accepted. Only 1 recovery code is left: make new ones soon.
   *[other] Recovery code accepted. { $count } recovery codes are left.
}
mfa-email-sent = We sent a six-digit code to { $email }.
mfa-email-wait = A code was sent a moment ago. You can ask for another in { $wait }.
mfa-account-disabled = This account is disabled. Contact your administrator to have it enabled again.

## Passkey pages
mfa-passkeys-not-available = Passkeys are not available on this site.
mfa-passkey-refused = The passkey was refused.
mfa-passkey-needs-js = Passkeys need JavaScript. Turn it on, or go back and choose another way.
mfa-passkey-continue = Continue with passkey
mfa-passkey-use-title = Use your passkey
mfa-passkey-use-intro = Confirm with your passkey (fingerprint, face, PIN or security key) when your browser asks.
mfa-passkey-sign-in-title = Sign in with a passkey
mfa-passkey-sign-in-intro = Choose your passkey when your browser asks, and confirm it with your fingerprint, face, PIN or security key.
mfa-passkey-add-title = Add a passkey
mfa-passkey-add-intro = Your browser will ask where to keep the passkey and to confirm with your fingerprint, face, PIN or security key.
mfa-passkey-js-unsupported = This browser cannot use passkeys. Go back and choose another way.
mfa-passkey-js-cancelled = The passkey request was cancelled or timed out. Press the button to try again.
mfa-passkey-js-failed = The passkey could not be used. Press the button to try again.
mfa-copied = Copied

## My Account → Two-factor authentication
mfa-required-notice = Your account needs two-factor authentication. Set up one of the methods below to continue; you will then sign in again with it.
mfa-title = Two-factor authentication
mfa-why = A second step after your password keeps your account safe even if the password leaks.
mfa-is-on = Two-factor authentication is on.
mfa-is-off = Two-factor authentication is off.
mfa-turning-on-signs-out = Turning it on signs you out everywhere; you then sign in again with the new step.
mfa-totp-heading = Authenticator app
mfa-on-badge = On
mfa-totp-on-text = Codes from an app such as Aegis, Google Authenticator or 1Password.
mfa-totp-remove = Remove the authenticator app
mfa-totp-off-text = Use codes from an app such as Aegis, Google Authenticator or 1Password.
mfa-totp-set-up = Set up an authenticator app
mfa-email-heading = Codes by email
mfa-email-on-text = A six-digit code is emailed to you when you sign in.
mfa-email-turn-off = Turn off codes by email
mfa-email-off-text = Get a six-digit code by email when you sign in.
mfa-email-turn-on = Turn on codes by email
mfa-email-needs-verified = Confirm your email address to use codes by email.
mfa-passkeys-heading = Passkeys
mfa-passkeys-intro = A passkey signs you in with your fingerprint, face, screen lock or security key: as the second step, or on its own with “Sign in with a passkey”.
mfa-passkeys-none = You have no passkeys yet.
mfa-passkey-synced = Synced
mfa-passkey-dates = added { $added } · last used { $used }
mfa-never = never
mfa-passkey-remove-label = Remove the passkey { $name }
mfa-remove = Remove
mfa-passkey-name-label = Passkey name
mfa-passkey-name-hint = Name it after where it lives, such as “Work laptop” or “Phone”.
mfa-recovery-heading = Recovery codes
mfa-recovery-left = { $total ->
    [one] { $left } of { $total } recovery code is unused. Each works once if you lose your other methods.
   *[other] { $left } of { $total } recovery codes are unused. Each works once if you lose your other methods.
}
mfa-recovery-regenerate = Make new recovery codes
mfa-recovery-replace-hint = New codes replace the old ones at once.
mfa-totp-done = Your authenticator app is set up.
mfa-totp-removed = The authenticator app is removed.
mfa-email-wait-short = A code was sent a moment ago. Try again in { $wait }.
mfa-email-on = Sign-in codes by email are on.
mfa-email-off = Sign-in codes by email are off.
mfa-passkey-added = Your passkey is added.
mfa-passkey-removed = The passkey is removed.

## Authenticator app setup
mfa-totp-step-open = Open your authenticator app and add an account.
mfa-totp-step-scan = Scan this QR code:
mfa-totp-or-type = Or type this key:
mfa-totp-key-hint = (time-based, 6 digits, every 30 seconds)
mfa-totp-step-enter = Enter the six-digit code the app shows now.
mfa-totp-app-code-label = Code from the app
mfa-turn-on = Turn on

## Recovery codes, shown once
mfa-is-on-title = Two-factor authentication is on
mfa-recovery-new-title = Your new recovery codes
mfa-recovery-save-now = Save these recovery codes now: they are shown only once.
mfa-recovery-save-why = Each works once, in place of your second factor, if you lose your phone or passkeys.
mfa-recovery-download = Download as text
mfa-copy = Copy
mfa-recovery-signed-out = For your security every session was signed out, this one included. Sign in again with your password and your new second step.
mfa-sign-in-again = Sign in again
mfa-recovery-old-void = The earlier codes no longer work.
mfa-done = Done
mfa-recovery-file-title = { $site } recovery codes
mfa-recovery-file-note = Each code works once, in place of your second factor.

## Turning on codes by email
mfa-email-enable-sent = We sent a six-digit code to { $email }. Enter it to turn on codes by email.

## Confirming it is you
mfa-reauth-title = Confirm it is you
mfa-reauth-intro = Changing how you sign in needs a recent sign-in.
mfa-your-password = Your password
mfa-reauth-or = Or, instead of the password:
mfa-reauth-none = Sign out and sign in again, then make the change within 10 minutes.
mfa-confirm = Confirm
mfa-reauth-first = To change your sign-in methods, confirm it is you first.
mfa-reauth-done = Thank you. For the next 10 minutes you can change your sign-in methods.

## My Account → Security
mfa-sessions-title = Sessions and devices
mfa-sessions-intro = Where you are signed in. Sign out anywhere you do not recognise.
mfa-this-device = This device
mfa-session-dates = { $ip } · signed in { $created } · last active { $seen }
mfa-unknown-address = unknown address
mfa-sign-out-others = Sign out all other sessions
mfa-identities-heading = Sign-in through other providers
mfa-identities-none = You sign in with your email address and password only: no other provider is linked to your account.
mfa-identities-intro = These providers can sign you in to this account. Remove any you no longer use.
mfa-identity-through = Signed in through { $provider }
mfa-identity-dates = linked { $linked } · last used { $used }
mfa-activity-heading = Recent security activity
mfa-activity-when = When
mfa-activity-what = What
mfa-activity-from = From
mfa-session-revoked = That session is signed out.
mfa-sessions-revoked = { $count ->
    [one] 1 other session is signed out.
   *[other] { $count } other sessions are signed out.
}
mfa-identity-removed = That provider no longer signs you in.
mfa-activity-user-registered = Account created
mfa-activity-user-email-verified = Email address confirmed
mfa-activity-session-signed-in = Signed in
mfa-activity-session-sign-in-failed = Failed sign-in attempt
mfa-activity-session-signed-out = Signed out
mfa-activity-session-revoked = Signed out other sessions or devices
mfa-activity-user-email-changed = Email address changed
mfa-activity-user-agreement-accepted = Agreement accepted
mfa-activity-user-picture-changed = Profile picture changed
mfa-activity-user-picture-removed = Profile picture removed
mfa-activity-user-billing-address-changed = Billing address changed
mfa-activity-user-preferences-changed = Email notification choices changed
mfa-activity-user-closed = Account closed
mfa-activity-user-reactivated = Account reactivated
mfa-activity-user-password-reset-requested = Password reset requested
mfa-activity-user-password-changed = Password changed
mfa-activity-user-throttled = Sign-in paused after failed attempts
mfa-activity-user-profile-updated = Profile changed
mfa-activity-user-data-exported = Data downloaded
mfa-activity-user-disabled = Account disabled by an administrator
mfa-activity-user-enabled = Account enabled by an administrator
mfa-activity-mfa-method-added = Two-factor method added
mfa-activity-mfa-method-removed = Two-factor method removed
mfa-activity-mfa-recovery-codes-generated = New recovery codes made
mfa-activity-mfa-recovery-code-used = Recovery code used
mfa-activity-session-second-factor-passed = Two-step verification passed
mfa-activity-session-second-factor-failed = Failed two-step verification
mfa-activity-mfa-reset = Two-factor authentication reset by an administrator
mfa-activity-session-reauthenticated = Identity confirmed again
mfa-activity-oauth-app-authorized = App authorized
mfa-activity-oauth-app-revoked = App access revoked
mfa-activity-oauth-token-reuse-detected = An app's token was used twice: its access was ended
mfa-activity-user-identity-linked = Sign-in through another provider added
mfa-activity-user-identity-unlinked = Sign-in through another provider removed
mfa-activity-other = Account activity

## My Account → Email address
mfa-email-title = Email address
mfa-email-current = Your email address is { $email }. You sign in with it and we send your notices to it.
mfa-new-email = New email address
mfa-email-code-sent = We sent a six-digit code to your current address, { $email }, to make sure it is you. Enter it to continue.
mfa-confirmation-code = Confirmation code
mfa-start-again = Start again
mfa-email-link-sent = Almost done: we sent a link to { $email }. Open it to switch your account to the new address. Look in the spam folder too.
mfa-email-confirm-intro = Confirm the new email address of your account.
mfa-email-use = Use this address
mfa-email-unavailable = We could not use this address. Choose another one.
mfa-email-changed = Your email address is now { $email }.

## My Account → Password
mfa-password-title = Password
mfa-password-code-sent = We sent a six-digit code to { $email }. Enter it to save your new password. Your other sessions will be signed out.
mfa-password-save = Save the new password
mfa-current-password = Current password
mfa-new-password = New password
mfa-repeat-password = Repeat the new password
mfa-password-none = Your account has no password: you sign in another way. You can set one through an emailed link.
mfa-password-forgot = Forgot your current password? We can email you a link to set a new one.
mfa-send-reset-link = Send reset link
mfa-reset-link-sent = We sent a link to { $email }. Open it to set your password.
mfa-reset-link-wait = A link was sent a moment ago. Try again in { $wait }.
mfa-password-saved = Your new password is saved. Your other sessions are signed out.

## Form errors on these pages (core's codes; see FieldErrors::localized). Fields whose names
## other forms share too (name, password) use mfa-error-<field>-<code> (see ui::mfa::localized).
field-error-code-already-enabled = This method is already set up. Remove it first to set it up again.
field-error-code-no-setup = There is no setup in progress. Start again.
field-error-code-setup-replaced = This setup was replaced by a newer one (in another tab?). Scan the QR code shown now and enter its code.
field-error-code-malformed = Enter the six digits your app shows.
field-error-code-wrong-code = That code is not right, or it was used already. Check the time on your phone and enter the code shown now.
field-error-code-code-used = This code was used already. Wait for your app to show the next one.
field-error-code-sign-in-expired = Too much time has passed since you entered your password. Sign in again.
field-error-code-method-unavailable = This method is not set up for your account.
field-error-code-email-unverified = Confirm your email address first.
field-error-code-method-off = Sign-in codes by email are not on for this account.
field-error-code-invalid-code = { $reason ->
    [malformed] Enter the six digits from the email.
    [expired] This code has expired. Start again to get a new one.
    [exhausted] Too many wrong codes. Start again to get a new one.
   *[wrong] { $left ->
        [one] That code is not right. 1 attempt left.
       *[other] That code is not right. { $left } attempts left.
    }
}
field-error-codes-mfa-off = Turn on a second factor first: recovery codes stand in for it.
mfa-error-password-no-password = Your account has no password: enter a code from your authenticator app.
mfa-error-password-wrong-password = That password is not right.
mfa-error-password-required = Enter your password.
mfa-error-name-required = Give the passkey a name, such as the device it is on.
mfa-error-name-too-long = Use at most { $max } characters.
mfa-error-name-invalid = Remove the control characters.
field-error-credential-passkey-refused = The passkey's answer could not be verified. Start again.
field-error-new-email-same-email = This is already your email address.
field-error-current-password-no-password = Your account has no password yet: use “Send reset link” instead.
field-error-current-password-wrong-password = Your current password is not right.
field-error-repeat-password-mismatch = The two new passwords are not the same.
field-error-identity-last-way-in = This is the only way you sign in. Set a password first (Forgot password on the sign-in page), then remove it.
