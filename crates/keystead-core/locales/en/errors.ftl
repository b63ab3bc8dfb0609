# Error pages (headline and explanation per error code) and the form errors people meet while
# signing up, signing in and completing their profile. A form error's message is
# field-error-<field>-<code> or, for every field, field-error-<code>.

## Error pages
error-status = Error { $status }
error-go-home = Go to the start page
error-reference = Reference:
error-duration-seconds = { $count ->
        [one] { $count } second
       *[other] { $count } seconds
    }
error-duration-minutes = { $count ->
        [one] { $count } minute
       *[other] { $count } minutes
    }
error-duration-hours = { $count ->
        [one] { $count } hour
       *[other] { $count } hours
    }
error-rate-limited-wait = Too many attempts. Please wait { $wait } before trying again.

error-title-malformed-request = The request could not be read
error-title-payload-too-large = The request is too large
error-title-csrf-failed = This form has expired
error-title-cross-origin = Request from another site refused
error-title-not-found = Page not found
error-title-method-not-allowed = Method not allowed
error-title-unauthenticated = Please sign in
error-title-forbidden = Not allowed
error-title-rate-limited = Too many attempts
error-title-overloaded = The server is busy
error-title-unavailable = Temporarily unavailable
error-title-timeout = The request took too long
error-title-invalid-input = Some of the input is not valid
error-title-already-exists = That already exists
error-title-link-invalid = This link no longer works
error-title-registration-closed = Registration is by invitation only
error-title-account-disabled = This account is disabled
error-title-machine-limit = Machine limit reached
error-title-sso-required-needs-connection = The organization requires single sign-on
error-title-sso-failed = Single sign-on did not work
error-title-precondition-failed = The version has changed
error-title-precondition-required = The version you read is required
error-title-too-large = The document is too large
error-title-invalid-json = The body is not valid JSON
error-title-insufficient-scope = The token lacks a scope
error-title-idempotency-key-reused = The idempotency key was used for another request
error-title-idempotency-key-in-use = The first request with this key is still running
error-title-idempotency-answer-lost = The first request with this key made its change
error-title-email-unavailable = This address cannot be used
error-title-other = Something went wrong

error-detail-malformed-request = The data sent could not be understood. Go back and try again.
error-detail-payload-too-large = The data sent is larger than this page accepts.
error-detail-csrf-failed = For your security the form could not be accepted. Go back, reload the page and try again.
error-detail-cross-origin = The request came from another website and was refused.
error-detail-not-found = There is nothing at this address.
error-detail-method-not-allowed = This address does not accept that kind of request.
error-detail-unauthenticated = You need to sign in to see this page.
error-detail-forbidden = You do not have permission to do this.
error-detail-rate-limited = Please wait a moment before trying again.
error-detail-overloaded = Too many requests are being handled right now. Please try again in a moment.
error-detail-unavailable = The service cannot reach its database right now. Please try again in a moment.
error-detail-timeout = Please try again.
error-detail-invalid-input = Check the highlighted fields and try again.
error-detail-already-exists = Choose another value.
error-detail-link-invalid = The link has expired or was already used. Ask for a new one.
error-detail-registration-closed = Ask your administrator for an invitation.
error-detail-account-disabled = Contact your administrator to have it enabled again.
error-detail-machine-limit = All the machines the license allows are activated. Deactivate one first.
error-detail-sso-required-needs-connection = Members must sign in through single sign-on, so the last enabled connection cannot go. Turn the requirement off first.
error-detail-sso-failed = The sign-in at your identity provider could not be completed. Try again, or ask your administrator.
error-detail-precondition-failed = It changed since you read it. Read it again and retry.
error-detail-precondition-required = Send the version you read (If-Match) to replace it.
error-detail-too-large = The document is larger than allowed.
error-detail-invalid-json = Send a JSON object.
error-detail-insufficient-scope = Ask for an access token with the scope this endpoint needs.
error-detail-idempotency-key-reused = Use a new Idempotency-Key for a new request.
error-detail-idempotency-key-in-use = Retry in a moment, with the same key.
error-detail-idempotency-answer-lost = Its answer was lost: read what it made instead of creating it again.
error-detail-email-unavailable = Another account uses this address.
error-detail-other = An unexpected error occurred on our side. It has been logged; please try again later.

## Email addresses
field-error-email-required = { $whose ->
        [your] Enter your email address.
       *[other] Enter an email address.
    }
field-error-invalid-email = { $reason ->
        [at] Enter an email address with an @, such as name@example.com.
        [local] The part before the @ is not valid. Check for spaces or special characters.
        [domain] The part after the @ is not a valid domain.
        [domain-example] The part after the @ is not a valid domain, such as example.com.
       *[other] Enter an email address such as name@example.com.
    }
field-error-work-email-required = Use your company email address — it is tied to your licenses.

## Signing in
field-error-invalid-credentials = The email address or password is not right, or the address has not been confirmed yet. Check the confirmation email we sent, or reset your password.
field-error-account-disabled = This account is disabled. Contact your administrator to have it enabled again.

## Passwords
field-error-too-short = Use at least { $min } { $min ->
        [one] character
       *[other] characters
    }.
field-error-password-too-long = Use at most { $max } { $max ->
        [one] character
       *[other] characters
    }.
field-error-missing-lowercase = Add at least one lowercase letter (a–z).
field-error-missing-uppercase = Add at least one uppercase letter (A–Z).
field-error-missing-digit = Add at least one digit (0–9).
field-error-missing-symbol = Add at least one symbol or space, such as ! # - or _.
field-error-common = This password is too common: choose one that others are unlikely to use.
field-error-personal-data = { $what ->
        [email] Do not use your email address in your password.
        [name] Do not use your name in your password.
        [date-of-birth] Do not use your date of birth in your password.
        [phone] Do not use your phone number in your password.
        [company] Do not use your company's name in your password.
       *[other] Do not use your personal data in your password.
    }
field-error-too-weak = This password is too easy to guess (strength { $score } of 4, at least { $min } needed): make it longer, for example with a few unrelated words.
field-error-control-characters = Remove the tabs, line breaks and other control characters: use letters, digits, symbols and spaces.
field-error-password-reused = Choose a password you have not used before: the last { $count } cannot be used again.

## Profile
field-error-invalid-phone = Enter a phone number of 5 to 15 digits, such as +49 30 1234567.
field-error-unknown-country = Choose a country from the list.
field-error-in-future = The date of birth cannot be in the future.
field-error-too-old = Check the year of the date of birth.
field-error-must-accept = Accept the { $title } to continue.
