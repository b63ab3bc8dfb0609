# Sign-in, registration, password reset, email confirmation, single sign-on, invitations, the
# home page and "Complete your profile". A message with $email around a highlighted address is
# split at the address by the page (the address keeps its own styling).

## Shared
auth-email-label = Email address
auth-password-label = Password
auth-new-password-label = New password
auth-use-another-address = Use another address
auth-back-to-sign-in = Back to sign-in
auth-check-spam = Nothing there? Look in your spam or junk folder too.
auth-link-invalid-title = This link no longer works
auth-send-new-link = Send a new link
auth-password-rules-intro = Your password needs:
auth-password-rule-length = At least { $min } { $min ->
        [one] character
       *[other] characters
    }
auth-password-rule-lowercase = A lowercase letter (a–z)
auth-password-rule-uppercase = An uppercase letter (A–Z)
auth-password-rule-digit = A digit (0–9)
auth-password-rule-symbol = A symbol or space, such as ! # - or _
auth-password-rule-common = Not a commonly used password
auth-password-rule-personal = None of your personal data, such as your name or email address
auth-password-tip = A few unrelated words make a strong password that is easy to remember.
auth-password-show = Show
auth-password-hide = Hide
auth-free-mail-title = Is this your work address?
auth-free-mail-warning = { $email } is a personal address. Licenses are tied to your work address: a personal one may not receive them.
auth-free-mail-continue = Continue anyway
auth-continue-to = continue to { $host }

## Sign-in
auth-sign-in-title = Sign in
auth-passkey-sign-in = Sign in with a passkey
auth-new-here = New here?
auth-create-an-account = Create an account
auth-signing-in-as = Signing in as { $email }
auth-forgot-link = Forgot your password?
auth-flash-signed-out = You are signed out.

## Other ways to sign in
auth-social-group = Other ways to continue
auth-social-or = or
auth-social-continue = Continue with { $name }

## Registration
auth-register-title = Create your account
auth-invite-only = Registration is by invitation only. Ask your administrator for an invitation.
auth-have-account = Already have an account?
auth-choose-password-title = Choose a password
auth-for-email = For { $email }
auth-check-inbox-title = Check your inbox
auth-check-email-sent = We sent a confirmation link to { $email }. Open it to finish creating your account. The link works for 24 hours.
auth-send-link-again = Send the link again
auth-flash-link-resent = If this address is waiting for confirmation, a new link is on its way.
auth-resend-wait = Please wait { $wait } before asking for another link.
auth-verify-title = Confirm your email address
auth-verify-intro = One more click and your account is ready.
auth-verify-button = Confirm my email address
auth-verify-expired = The confirmation link has expired or was already used. Enter your email address and we will send a new one.

## Forgotten and expired passwords
auth-forgot-title = Forgot your password?
auth-forgot-intro = Enter your email address and we will send you a link to choose a new one.
auth-forgot-send = Send the link
auth-reset-sent = If { $email } has an account, we sent it a link to choose a new password. The link works for one hour.
auth-new-password-title = Choose a new password
auth-new-password-for = For { $email }
auth-expired-title = Your password has expired
auth-expired-for = Your organization's rules ask you to choose a new password now, for { $email }
auth-new-password-save = Save the new password
auth-reset-link-expired = The link has expired or was already used. You can ask for a new one.
auth-flash-password-reset = Your password was changed. Sign in with the new one.
auth-flash-password-saved = Your new password is saved.

## Reactivating a closed account
auth-reactivate-title = Reactivate your account
auth-reactivate-closed = The account { $email } is closed. Its personal data will be deleted on { $date }.
auth-reactivate-intro = Reactivate it to keep it and sign in. Applications you had authorised will ask for your permission again.
auth-reactivate-keep-closed = Keep it closed

## Single sign-on
auth-sso-going-title = Continue to your organization's sign-in
auth-sso-continue-to = Continue to { $connection }
auth-sso-going-intro = { $organization } signs its members in through its own identity provider, { $connection }. You will sign in there and come straight back.
auth-sso-failed-title = Single sign-on did not work
auth-sso-restart = Start signing in again
auth-sso-for-admin = For your administrator:
auth-signed-out-title = Signed out
auth-signed-out-heading = You are signed out
auth-sso-signed-out-text = Ending your session at your organization's sign-in ({ $host }) too. If nothing happens,

## Home and landing
auth-home-title = { $site } accounts
auth-home-signed-in-as = You are signed in as { $name }.
auth-home-intro = This is where you manage your { $site } account: sign-in, security, organizations, licenses and downloads.
auth-landing-away-title = Continuing to { $host }
auth-landing-signed-in = You are signed in. If nothing happens,

## Complete your profile
auth-complete-profile-title = Complete your profile
auth-complete-intro = Before you continue, we need a few details.
auth-complete-intro-agreements = Before you continue, we need a few details and your agreement.
auth-agreement-version = (version { $version })
auth-agreement-accept = I accept the { $title }
auth-complete-submit = Submit
auth-flash-profile-complete = Thank you — your account is ready.
auth-profile-field-given-name = Given name
auth-profile-field-family-name = Family name
auth-profile-field-phone = Phone number
auth-profile-field-country = Country
auth-profile-field-city = City
auth-profile-field-date-of-birth = Date of birth
auth-profile-field-company = Company or trade name
auth-profile-field-job-title = Job title

## Invitations
auth-invitation-title = Join { $organization }
auth-invitation-intro = { $email } is invited to join { $organization } as { $role }.
auth-invitation-accept = Accept the invitation
auth-invitation-other = You are signed in as { $other }. This invitation is for { $email }: sign out, then open the link again and sign in with that address.
auth-invitation-account-exists = { $email } already has an account. Sign in to accept.
auth-invitation-sign-in = Sign in to accept
auth-invitation-register-intro = Create your account to accept. This link proves your address: no confirmation email is needed.
auth-invitation-email = Email address: { $email }
auth-invitation-register = Create account and join
auth-invitation-invalid-title = This invitation no longer works
auth-invitation-invalid-text = It has expired, was revoked or was already used. Ask the person who invited you for a new invitation.
auth-flash-joined = You joined the organization. It is now your current one.
auth-profile-required-given-name = Enter your given name.
auth-profile-required-family-name = Enter your family name.
auth-profile-required-phone = Enter your phone number.
auth-profile-required-country = Enter your country.
auth-profile-required-city = Enter your city.
auth-profile-required-date-of-birth = Enter your date of birth.
auth-profile-required-company = Enter your company or trade name.
auth-profile-required-job-title = Enter your job title.
auth-profile-too-long = Use at most { $max } { $max ->
        [one] character
       *[other] characters
    }.
auth-profile-invalid = Remove the line breaks and control characters.
