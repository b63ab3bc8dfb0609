# My Account: its navigation and the pages of its sections (profile, notifications, billing,
# organizations, groups, licenses, downloads, extensions, developer, apps, agreements, data, close).

## Navigation
acct-nav-menu = Sections
acct-nav-group-personal = Personal
acct-nav-group-business = Work and billing
acct-nav-group-records = Records and privacy
acct-nav-profile = Profile
acct-nav-email = Email address
acct-nav-password = Password
acct-nav-security = Security
acct-nav-two-factor = Two-factor and passkeys
acct-nav-apps = Connected apps
acct-nav-notifications = Notifications
acct-nav-licenses = Licenses and downloads
acct-nav-downloads = Downloads
acct-nav-extensions = Extensions
acct-nav-billing = Billing address
acct-nav-invoices = Invoices
acct-nav-organizations = Organizations
acct-nav-groups = Groups
acct-nav-agreements = Agreements
acct-nav-courses = Completed courses
acct-nav-developer = Developer
acct-nav-data = Your data
acct-nav-close = Close account

## Shared words
acct-optional = (optional)
acct-actions = Actions
acct-choose = Choose…
# A list of names: "A, B and C" (items = "A, B").
acct-list-and = { $items } and { $last }
acct-bytes = { $count ->
    [one] { $count } byte
   *[other] { $count } bytes
}
acct-role-owner = Owner
acct-role-admin = Administrator
acct-role-license-admin = License administrator
acct-role-billing-admin = Billing administrator
acct-role-member = Member
acct-role-guest = Guest

## Profile
acct-profile-title = Profile
acct-profile-signed-in-as = Signed in as { $email }.
acct-profile-role-in = In { $org } your role is { $role }.
acct-profile-guest-in = In { $org } you are a guest.
acct-profile-organizations-link = Organizations and groups
acct-profile-field-given-name = Given name
acct-profile-field-family-name = Family name
acct-profile-field-phone = Phone number
acct-profile-field-country = Country
acct-profile-field-city = City
acct-profile-field-date-of-birth = Date of birth
acct-profile-field-company = Company or trade name
acct-profile-field-job-title = Job title
acct-profile-language-browser = Browser language
acct-profile-language-hint = The language of these pages and of the emails you receive.
acct-profile-saved = Your profile is saved.

## Profile picture
acct-picture-title = Profile picture
acct-picture-alt = Your profile picture
acct-picture-alt-initials = Your initials, shown until you upload a picture
acct-picture-replace = Replace the picture
acct-picture-upload-label = Upload a picture
acct-picture-hint = JPEG, PNG or WebP, up to 5 MB. It is cropped to a square from the centre; location and camera data are removed.
acct-picture-upload = Upload picture
acct-picture-remove = Remove profile picture
acct-picture-saved = Your profile picture is saved.
acct-picture-removed = Your profile picture is removed.
acct-picture-none = You have no profile picture.

## Notifications
acct-notify-title = Email notifications
acct-notify-intro = Choose which emails you receive from { $site }.
acct-notify-always-on = Always on
acct-notify-saved = Your email choices are saved.
acct-notify-security = Security notices
acct-notify-security-description = Sign-ins from new devices, password and email changes. Always sent, to keep your account safe.
acct-notify-account = Account and membership changes
acct-notify-account-description = Invitations, membership and role changes.
acct-notify-licenses = Licenses
acct-notify-licenses-description = Licenses assigned to you, and ones about to expire.
acct-notify-invoices = Invoices
acct-notify-invoices-description = New invoices (for license and billing administrators).
acct-notify-product-news = Product news
acct-notify-product-news-description = New releases and features.
acct-notify-newsletter = Newsletter
acct-notify-newsletter-description = Our occasional newsletter.

## Billing address
acct-billing-title = Billing address
acct-billing-intro = Copied onto your invoices.
acct-billing-name = Name or company name
acct-billing-company = Company (optional)
acct-billing-line1 = Street and number
acct-billing-line2 = Address line 2 (optional)
acct-billing-postal-code = Postal code
acct-billing-city = City
acct-billing-region = Region or state (optional)
acct-billing-country = Country
acct-billing-vat-id = VAT number (optional)
acct-billing-saved = Your billing address is saved.

## Organizations
acct-orgs-title = Organizations
acct-orgs-none = You do not belong to any organization yet. An administrator can invite you.
acct-orgs-intro = The organizations you belong to. Applications see the one you are working in.
acct-orgs-current = Current
acct-orgs-guest = Guest
acct-orgs-manage = Manage
acct-orgs-switch = Log in
acct-orgs-switch-hidden = to { $name }
acct-orgs-switch-label = Log in to { $name }
acct-orgs-leave = Leave
acct-orgs-leave-label = Leave { $name }
acct-orgs-invitations = Invitations
acct-orgs-invitation-meta = as { $role } · open until { $date }
acct-orgs-accept = Accept
acct-orgs-accept-label = Accept the invitation to { $name }
acct-orgs-decline = Decline
acct-orgs-decline-label = Decline the invitation to { $name }
acct-orgs-invitation-hidden = the invitation to { $name }
acct-orgs-create-title = Create an organization
acct-orgs-create-name = Name
acct-orgs-create-slug = Short name (optional)
acct-orgs-create = Create
acct-orgs-switched = You are now working in { $name }.
acct-orgs-left = You left { $name }.
acct-orgs-created = { $name } is created. You are its owner.
acct-orgs-joined = You joined { $name }.
acct-orgs-declined = The invitation is declined.

## Groups
acct-groups-title = Groups
acct-groups-intro = Your groups in { $org }.
acct-groups-switch = Switch organization
acct-groups-none = You are not in any group of { $org }.
acct-groups-no-organization = You do not belong to any organization, so there are no groups to show.
acct-groups-others = Other groups
acct-groups-policy-open = Open to everyone
acct-groups-policy-permission = Open to members with permission
acct-groups-policy-closed = Closed: administrators add members
acct-groups-join = Join
acct-groups-join-label = Join { $name }
acct-groups-leave = Leave
acct-groups-leave-label = Leave { $name }
acct-groups-cannot-join = An administrator adds members.
acct-groups-joined = You joined the group.
acct-groups-left = You left the group.

## Licenses
acct-licenses-title = Licenses and downloads
acct-licenses-none = No licenses are assigned to you.
acct-licenses-none-detail = When your organization assigns you a license, it appears here with the downloads it gives you.
acct-licenses-your-downloads = Your downloads
acct-licenses-choose-extensions = Choose your extensions
acct-licenses-from = From { $org }
acct-licenses-no-end = No end date
acct-licenses-valid-until = Valid until { $date }
acct-licenses-includes = Includes
acct-licenses-extensions = Extensions
acct-licenses-downloads = { $count ->
    [one] { $count } download
   *[other] { $count } downloads
}
acct-licenses-managed = Licenses you manage
acct-licenses-seats-of = Seats of { $name }
acct-machines-title = Activated machines
acct-machines-intro = Computers where your desktop apps are activated. Deactivate one you no longer use to make room for another.
acct-machines-meta = activated { $activated } · last seen { $seen }
acct-machines-deactivate = Deactivate this machine
acct-machines-deactivated = The machine is deactivated: its place is free for another one.
acct-briefcases-title = Briefcases
acct-briefcases-intro = Settings your apps keep for you, so they follow you from one computer to the next.
acct-briefcases-changed = changed { $date }
acct-briefcases-download = Download
acct-briefcases-reset = Reset
acct-briefcases-hidden = the briefcase of { $name }
acct-briefcases-reset-done = The briefcase is empty: the app starts from its defaults.

## Downloads
acct-downloads-title = Downloads
acct-downloads-none = There is nothing for you to download.
acct-downloads-none-detail = Downloads come with licenses. When your organization assigns you a license that includes software, it appears here.
acct-downloads-see-licenses = See Licenses
acct-downloads-intro = { $minutes ->
    [one] The software your licenses include. Each download link works for { $minutes } minute; compare the SHA-256 checksum with the downloaded file to be sure it arrived intact.
   *[other] The software your licenses include. Each download link works for { $minutes } minutes; compare the SHA-256 checksum with the downloaded file to be sure it arrived intact.
}
acct-downloads-start-intro = If you already have it installed, you can start it:
acct-downloads-start-name = Start { $name }
acct-downloads-start = Start
acct-downloads-start-title = If you already have it installed, you can start it
acct-downloads-version = Version
acct-downloads-platform = Platform
acct-downloads-released = Released
acct-downloads-size = Size
acct-downloads-notes = Release notes
acct-downloads-external = external
acct-downloads-download = Download
acct-downloads-download-label = Download { $name } { $version } for { $platform }
acct-downloads-from-publisher = from the publisher's site
acct-download-link-invalid = This download link is not valid. Open Downloads in My Account to get a new one.
acct-download-link-expired = { $minutes ->
    [one] This download link has expired (links work for { $minutes } minute). Open Downloads in My Account to get a new one.
   *[other] This download link has expired (links work for { $minutes } minutes). Open Downloads in My Account to get a new one.
}
acct-download-unavailable = This download is no longer available to you: the license that included it has ended, or the account cannot be used.

## Extensions
acct-ext-title = Extensions
acct-ext-none = None of your licenses includes extensions.
acct-ext-none-detail = When a license of yours includes extensions, you choose the ones you work with here.
acct-ext-see-licenses = See your licenses
acct-ext-intro = Choose the extensions you work with; your applications load the ones you select. Select again to deselect.
acct-ext-selected-count = { $count ->
    [0] None is selected yet.
    [one] { $count } extension is selected.
   *[other] { $count } extensions are selected.
}
acct-ext-group-manufacturers = Manufacturers
acct-ext-group-utilities = Utilities
acct-ext-selected = Selected
acct-ext-select = Select
acct-ext-learn-more = Learn more
acct-ext-learn-more-hidden = about { $name }
acct-ext-selected-flash = { $name } is selected.
acct-ext-deselected-flash = { $name } is no longer selected.

## Invoices and courses (nothing held yet)
acct-invoices-none = There are no invoices to show.
acct-invoices-explanation = Invoices of your organization are listed here for its license and billing administrators.
acct-courses-none = You have not completed any courses.
acct-courses-explanation = Courses you complete are recorded here, with the date you completed them.
acct-courses-col-course = Course
acct-courses-col-completed = Completed
acct-courses-col-score = Score
acct-courses-col-certificate = Certificate
acct-courses-certificate = View certificate
acct-courses-certificate-of = of { $course }

## Developer: API tokens
acct-dev-title = API tokens
acct-dev-intro = Tokens let scripts and directories (Entra ID, Okta) reach an organization you administer. Each reaches one organization and acts with your permissions there: it stops working if you lose them.
acct-dev-none = You have made no token.
acct-dev-new-title = New token
acct-dev-no-organization = You administer no organization. An organization's owners and administrators can make tokens for it here.
acct-dev-org-gone = An organization you left
acct-dev-created-title = Copy your new token now
acct-dev-created-once = It is shown this once; Keystead keeps only a fingerprint of it.
acct-dev-created-send-as = Send it as
acct-dev-created-to-api = to the admin API
acct-dev-created-openapi = its OpenAPI document
acct-dev-created-scim = For SCIM provisioning, give your identity provider the tenant URL
acct-dev-created-scim-end = and this token.
acct-token-name = Name
acct-token-name-hint = What it is for, such as “Entra ID provisioning”.
acct-token-organization = Organization
acct-token-token = Token
acct-token-scopes = Scopes
acct-token-expires = Expires
acct-token-last-used = Last used
acct-token-never = never
acct-token-created = created { $date }
acct-token-revoked = Revoked
acct-token-revoke = Revoke
acct-token-days = Days until it expires
acct-token-days-hint = 1 to 3650. Renew it before then: an expired token stops working.
acct-token-create = Create token
acct-token-revoked-flash = The token is revoked: it no longer works.
acct-token-not-yours = That token is not one you can revoke.

## Connected apps
acct-apps-title = Connected apps
acct-apps-intro = Apps you allowed to use your account. Revoking one signs it out and asks you again next time.
acct-apps-none = No apps are connected.
acct-apps-granted = Authorized { $date } · can see: { $sees }
acct-apps-revoke = Revoke
acct-apps-revoke-label = Revoke { $name }
acct-apps-revoked = { $name } can no longer use your account.
acct-apps-not-connected = That app was not connected.

## Agreements
acct-agreements-title = Agreements
acct-agreements-none = You have not accepted any agreements.
acct-agreements-intro = Every version you accepted, with when and from where.
acct-agreements-item = { $title } (version { $version })
acct-agreements-accepted = Accepted { $date }
acct-agreements-accepted-from = Accepted { $date } from { $ip }
acct-agreement-all = All agreements
acct-agreement-meta = Version { $version } · published { $published } · you accepted it { $accepted }

## Your data
acct-data-title = Your data
acct-data-intro = Download everything { $site } stores about your account as a JSON document: your profile, sessions, security activity and preferences.
acct-data-download = Download your data

## Close account
acct-close-title = Close account
acct-close-intro = Closing your { $site } account:
acct-close-sign-out = signs you out everywhere and ends every session, emailed link and confirmation code;
acct-close-apps = ends the access of every application you authorised — they are not authorised again if you come back;
acct-close-grace = { $days ->
    [one] keeps your account for { $days } day (until { $date }): sign in during that time and you can reactivate it;
   *[other] keeps your account for { $days } days (until { $date }): sign in during that time and you can reactivate it;
}
acct-close-delete = then permanently deletes your personal data — name, email address, password, personal details, billing address, preferences, and the addresses and devices recorded in your activity. Only an anonymous record that an account existed is kept. This cannot be undone.
acct-close-last-owner = { $count ->
    [one] You are the last owner of { $names }.
   *[other] You are the last owner of { $names }.
}
acct-close-last-owner-detail = When your account is deleted, its longest-standing administrator (or else member) becomes owner; an organization with nobody else in it but guests is deleted. To choose who takes over, make someone an owner before you close your account.
acct-close-consider = Consider
acct-close-consider-link = downloading your data
acct-close-consider-end = {" "}first.
acct-close-support = { $days ->
    [one] Changed your mind? Within { $days } day of closing, support can help you get your account and data back:
   *[other] Changed your mind? Within { $days } days of closing, support can help you get your account and data back:
}
acct-close-support-page = the support page
acct-close-accept = I have carefully read and accept the above
acct-close-password = Current password
acct-close-recent-sign-in = For your protection, closing needs a recent sign-in.
acct-close-submit = Close my account
acct-close-done = Your account is closed and you are signed out. Your personal data will be deleted on { $date }; sign in before then to reactivate the account.
acct-reactivate-title = Reactivate your account
acct-reactivate-done = Welcome back: your account is active again.
acct-reactivate-expired = That reactivation request has expired. Sign in again to reactivate your account.

## Form errors on these pages.
# The profile's fields (also the "Complete your profile" form).
field-error-given-name-required = Enter your given name.
field-error-family-name-required = Enter your family name.
field-error-phone-required = Enter your phone number.
field-error-phone-invalid-phone = Enter a phone number of 5 to 15 digits, such as +49 30 1234567.
field-error-country-required = Enter your country.
field-error-country-unknown-country = Choose a country from the list.
field-error-city-required = Enter your city.
field-error-date-of-birth-required = Enter your date of birth.
field-error-date-of-birth-in-future = The date of birth cannot be in the future.
field-error-date-of-birth-too-old = Check the year of the date of birth.
field-error-date-of-birth-invalid-date = Enter the date as YYYY-MM-DD.
field-error-company-required = Enter your company or trade name.
field-error-job-title-required = Enter your job title.
# The profile picture.
field-error-picture-required = Choose an image file to upload.
field-error-picture-not-an-image = This file is not an image we can read. Upload a JPEG, PNG or WebP file.
field-error-picture-image-too-large = This image has too many pixels to process. Use an image of at most { $max } × { $max } pixels.
field-error-picture-file-too-large = { $size ->
    [none] The file is too large; upload an image of at most { $max } MB.
   *[other] The file is { $size } MB; upload an image of at most { $max } MB.
}
# The billing address (its required fields say "the", not "your").
acct-error-billing-name-required = Enter the name or company name.
field-error-line1-required = Enter the street and number.
field-error-postal-code-required = Enter the postal code.
field-error-postal-code-invalid = Use letters, digits, spaces and hyphens only.
acct-error-billing-city-required = Enter the city.
acct-error-billing-country-required = Enter the country.
field-error-vat-id-invalid = Enter the VAT number with its country prefix, such as DE123456789.
# API tokens (My Account → Developer and an organization's API tokens).
acct-error-token-name-invalid-name = Give the token a name of 1 to 100 characters, saying what it is for.
acct-error-token-organization-required = Choose the organization the token reaches.
field-error-scopes-required = Give the token at least one scope.
field-error-scopes-unknown-scope = { $scope } is not a scope; the scopes are { $scopes }.
field-error-scopes-scope-not-for-organizations = { $scope } concerns the whole deployment; an organization's token cannot hold it.
field-error-scopes-scope-needs-organization = { $scope } is always one organization's: give the organization.
field-error-days-invalid-days = A token lives { $min } to { $max } days.
# Closing the account.
acct-error-close-accept-required = Tick the box to confirm that you have read and accept the above.
acct-error-close-password-required = Enter your current password.
acct-error-close-password-reauthenticate = Sign out and sign in again, then close the account within five minutes.
acct-error-close-password-wrong-password = The password is not right.
