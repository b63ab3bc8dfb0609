# The pages of the OAuth provider a person sees: consent, device, sign-out, problems.

oauth-authorize-title = Authorize app
# After the app's name, shown in bold: "<b>Example App</b> wants to use your …"
oauth-consent-wants = wants to use your { $site } account, signed in as { $email }.
oauth-consent-can-see = It will be able to see:
oauth-accept = Accept
oauth-consent-revoke-hint = You can remove its access at any time in My Account → Connected apps.
oauth-scope-openid = Who you are: your account's identifier
oauth-scope-profile = Your name
oauth-scope-email = Your email address
oauth-scope-phone = Your phone number
oauth-scope-address = Your address
oauth-scope-offline-access = Stay connected when you are not using it
oauth-scope-organization = Your organization, roles and groups
oauth-scope-licenses = Your licenses
oauth-returning = Returning to the app
oauth-continue-to-app = Continue to the app

## The device page
oauth-device-title = Connect a device
# After the app's name, shown in bold.
oauth-device-wants = on another device wants to use your { $site } account, signed in as { $email }.
oauth-device-check-code = Check that the device shows this code:
oauth-device-enter = Enter the code shown on your device.
oauth-device-code-label = Code
oauth-device-bad-code = That code is not valid or has expired. Check the code on your device and try again.
oauth-device-connected = { $client } is connected. You can go back to your device.
oauth-device-not-connected = { $client } was not connected.

## Sign-out asked for by an app
oauth-logout-asks = { $client } asks you to sign out of { $site }.
oauth-logout-question = Do you want to sign out of { $site }?
oauth-signed-out = You are signed out.

## A request that cannot be trusted
oauth-invalid-sign-in-request = This sign-in request is not valid
oauth-invalid-sign-out-request = This sign-out request is not valid
oauth-param-too-long = A parameter is too long.
oauth-problem-hint = Go back to the application and try again. If this keeps happening, contact the application's developer.
