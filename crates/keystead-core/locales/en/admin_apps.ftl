# Admin console (issue 17), Applications: OAuth clients, signing keys, agreements.

## OAuth clients
admin-clients-intro = Applications that sign people in with this server (OpenID Connect) or call its admin API with their own tokens.
admin-clients-none = No application is registered yet.
admin-clients-new = Register a client
admin-clients-new-title = Register an OAuth client
admin-clients-back = All OAuth clients
admin-clients-col-client-id = Client ID
admin-clients-col-type = Type
admin-clients-col-grants = Grant types
admin-clients-col-created = Registered
admin-clients-col-scope = Scopes
admin-clients-col-granted = Consented
admin-clients-updated = Last changed
admin-clients-first-party = first-party
admin-clients-kind = Type
admin-clients-kind-confidential = Confidential
admin-clients-kind-confidential-hint = A server that can keep a secret. It gets a client secret.
admin-clients-kind-public = Public
admin-clients-kind-public-hint = Runs where a secret would be exposed: a desktop, mobile, browser or command-line app. No secret; PKCE is required.
admin-clients-name-hint = Shown to people on the consent screen.
admin-clients-first-party-label = First-party application
admin-clients-first-party-hint = Your own application: people are not asked for their consent.
admin-clients-redirect-uris = Redirect URIs
admin-clients-redirect-uris-hint = One per line. HTTPS, except http://127.0.0.1 and http://[::1] for native apps (any port); a public client may also use a private-use scheme such as com.example.app:/callback.
admin-clients-grants = Grant types
admin-clients-grants-hint = None checked means authorization code and refresh token.
admin-clients-grant-authorization-code = Authorization code
admin-clients-grant-refresh-token = Refresh token
admin-clients-grant-client-credentials = Client credentials
admin-clients-grant-device-code = Device code
admin-clients-more = More settings
admin-clients-post-logout-uris = Post-logout redirect URIs
admin-clients-post-logout-uris-hint = One per line: where the application may send people after they sign out.
admin-clients-backchannel-uri = Back-channel logout URI
admin-clients-backchannel-uri-hint = Optional. This server posts a logout token there when a session ends.
admin-clients-id-token-alg = ID token signing algorithm
admin-clients-api-scopes = Admin API scopes
admin-clients-api-scopes-hint = What the client's own tokens (client credentials grant) may do in the admin API. Only for a confidential client with the client credentials grant.
admin-clients-require-par = Require pushed authorization requests
admin-clients-require-par-hint = Authorization requests must be sent to /oauth/par first (RFC 9126).
admin-clients-create = Register
admin-clients-fix-errors = Some fields need your attention.
admin-clients-created = { $name } is registered.
admin-clients-created-title = Client registered
admin-clients-secret = Client secret
admin-clients-secret-once = Copy the secret now and store it safely: it is shown this once and cannot be shown again.
admin-clients-previous-until = The previous secret keeps working until { $date }.
admin-clients-previous-secret = Previous secret
admin-clients-to-client = Go to the client
admin-clients-edit-title = Registration
admin-clients-save = Save changes
admin-clients-saved = The changes to { $name } are saved.
admin-clients-changed-meanwhile = Someone changed this client after you opened the page. Your input is below; compare it with the current registration and save again.
admin-clients-consents = Consents
admin-clients-consent-count = { $count ->
    [one] One account consented
   *[other] { $count } accounts consented
}
admin-clients-consents-none = Nobody has consented to this application yet.
admin-clients-consents-first-party = A first-party application does not ask for consent.
admin-clients-newer = Newer
admin-clients-older = Older
admin-clients-credentials-title = Secret and deletion
admin-clients-rotate-intro = A new secret replaces the current one. You can let the current secret keep working for a while, so the application can switch over without downtime.
admin-clients-rotate = Give a new secret
admin-clients-rotate-title = Give the client a new secret
admin-clients-rotate-message = { $name } gets a new secret, shown once on the next page. Until the application uses it, it cannot sign in with the old one unless you keep the old one working for a while.
admin-clients-overlap = Keep the current secret working
admin-clients-overlap-hint = At most seven days.
admin-clients-overlap-none = No, it stops working now
admin-clients-overlap-hours = { $count ->
    [one] For one hour
   *[other] For { $count } hours
}
admin-clients-overlap-days = { $count ->
    [one] For one day
   *[other] For { $count } days
}
admin-clients-rotated-title = New client secret
admin-clients-delete-intro = Deleting the client ends its consents, grants and tokens; people using the application are signed out of it.
admin-clients-delete = Delete client
admin-clients-delete-title = Delete the OAuth client
admin-clients-delete-message = { $name } will be deleted with its consents ({ $count }), grants and tokens. The application can no longer sign anyone in. This cannot be undone.
admin-clients-deleted = { $name } is deleted.
admin-clients-error-name-invalid-name = Give the application a name of 1 to 100 characters.
admin-clients-error-grant-public-client-credentials = A public client cannot use the client credentials grant.
admin-clients-error-redirect-uri-required = The authorization code grant needs at least one redirect URI.
admin-clients-error-redirect-uri-invalid-uri = “{ $uri }” is not an absolute URL (at most 512 characters).
admin-clients-error-redirect-uri-fragment = “{ $uri }” must not contain a fragment (#…).
admin-clients-error-redirect-uri-insecure-uri = “{ $uri }” must use https (http only for 127.0.0.1 or [::1]; a private-use scheme such as com.example.app: only for public clients).
admin-clients-error-post-logout-redirect-uri-invalid-uri = “{ $uri }” is not an absolute URL (at most 512 characters).
admin-clients-error-post-logout-redirect-uri-fragment = “{ $uri }” must not contain a fragment (#…).
admin-clients-error-post-logout-redirect-uri-insecure-uri = “{ $uri }” must use https (http only for 127.0.0.1 or [::1]; a private-use scheme such as com.example.app: only for public clients).
admin-clients-error-backchannel-logout-uri-invalid-uri = “{ $uri }” is not an absolute URL (at most 512 characters).
admin-clients-error-backchannel-logout-uri-fragment = “{ $uri }” must not contain a fragment (#…).
admin-clients-error-backchannel-logout-uri-insecure-uri = “{ $uri }” must use https.
admin-clients-error-backchannel-logout-uri-private-address = This address is in a private network, which this server does not send requests to (outbound.allow_private_networks).
admin-clients-error-id-token-alg-unknown-alg = Choose RS256, ES256 or EdDSA.
admin-clients-error-api-scopes-needs-client-credentials = Admin API scopes are for a confidential client with the client credentials grant.
admin-clients-error-keep-previous-out-of-range = Choose how long the current secret keeps working.

## Signing keys
admin-keys-intro = The keys that sign ID tokens and access tokens, published at /.well-known/jwks.json. A new key is published before it signs, and a retired key stays published until the tokens it signed have expired.
admin-keys-none = No signing key yet: one is made for each algorithm when first needed.
admin-keys-col-kid = Key ID
admin-keys-col-alg = Algorithm
admin-keys-col-state = State
admin-keys-col-created = Created
admin-keys-col-signs-from = Signs from
admin-keys-col-retires = Retires
admin-keys-col-unpublished = Unpublished
admin-keys-state-next = next
admin-keys-state-active = active
admin-keys-state-retired = retired
admin-keys-age-days = { $count ->
    [0] today
    [one] one day old
   *[other] { $count } days old
}
admin-keys-rotate = Rotate keys
admin-keys-rotate-title = Rotate the signing keys
admin-keys-rotate-message = Each algorithm that has no next key gets one now. It is published at once and signs { $hours ->
    [one] one hour later
   *[other] { $hours } hours later
}; the current key then retires and stays published until the tokens it signed have expired.
admin-keys-rotated = { $count ->
    [one] One new key is published.
   *[other] { $count } new keys are published.
}
admin-keys-rotate-nothing = Every algorithm already has a next key: nothing to rotate.
admin-keys-retire = Retire
admin-keys-retire-title = Retire the signing key
admin-keys-retire-message = The { $alg } key { $kid } stops signing now and its next key takes over at once (a new one is made if there is none). Tokens it signed stay valid until they expire. Applications that cached the published keys fetch them again when they meet the new key.
admin-keys-retired = The key { $kid } is retired; { $successor } signs now.
admin-keys-error-kid-not-signing = Only the key that signs now can be retired.

## Agreements
admin-agreements-intro = Documents people accept, such as the terms of service. Versions are never edited: publish a new one. The newest version of a key, when required, is asked of everyone.
admin-agreements-none = No agreement is published yet.
admin-agreements-new = Publish an agreement
admin-agreements-new-version = New version
admin-agreements-new-title = Publish an agreement version
admin-agreements-back = All agreements
admin-agreements-col-version = Version
admin-agreements-col-title = Title
admin-agreements-col-required = Required
admin-agreements-col-published = Published
admin-agreements-col-acceptances = Acceptances
admin-agreements-col-accepted = Accepted
admin-agreements-current = current
admin-agreements-required-yes = Required
admin-agreements-required-no = Optional
admin-agreements-key = Key
admin-agreements-key-hint = Which document: lowercase letters, digits, - and _, starting with a letter (such as terms or privacy). A new key starts at version 1.
admin-agreements-key-next = This publishes version { $version } of this key.
admin-agreements-body = Text (Markdown)
admin-agreements-body-hint = Headings (#), lists, **bold**, links. HTML is shown as text and images as their description.
admin-agreements-required = Everyone must accept it
admin-agreements-required-hint = People are asked to accept this version before they continue using their account.
admin-agreements-preview = Preview
admin-agreements-publish = Publish
admin-agreements-preview-title = Preview
admin-agreements-preview-intro = As people will see it. Nothing is published yet.
admin-agreements-preview-empty = The text is empty.
admin-agreements-fix-errors = Some fields need your attention.
admin-agreements-published = Version { $version } of { $key } is published.
admin-agreements-version-title = { $key }, version { $version }
admin-agreements-text = Text
admin-agreements-acceptors = Accepted by
admin-agreements-acceptors-none = Nobody has accepted this version yet.
admin-agreements-first-page = First page
admin-agreements-next-page = Next page
admin-agreements-error-key-invalid-key = Use 1 to 40 lowercase letters, digits, - or _, starting with a letter (such as terms).
admin-agreements-error-key-published-meanwhile = This version was published a moment ago. Check the list before publishing again.
admin-agreements-error-title-invalid-title = Give a title of 1 to 200 characters on one line.
admin-agreements-error-body-empty = The text is empty.
admin-agreements-error-body-too-long = The text is larger than 512 KiB.
