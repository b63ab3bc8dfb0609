# My Account → Overview: where a signed-in user lands when nothing else asked for a page.
overview-title = Overview
overview-welcome = Welcome, { $name }
overview-signed-in-as = You are signed in as { $name }.
overview-intro = Here is what is set up in your account, and what to do next.
overview-security = Security
overview-steps-done = { $count ->
    [one] { $done } of { $count } step done
   *[other] { $done } of { $count } steps done
}
overview-done = done
overview-step-password = A password for signing in here
overview-step-password-action = Set a password
overview-step-two-factor = Two-factor authentication
overview-step-two-factor-action = Turn it on
overview-step-recovery = At least { $min } unused recovery codes
overview-step-recovery-action = Make new codes
overview-organizations = Organizations
overview-no-organizations = You do not belong to an organization yet. When someone invites you, the invitation appears there.
overview-organizations-count = { $count ->
    [one] You belong to { $count } organization.
   *[other] You belong to { $count } organizations.
}
overview-active = Current
overview-manage-organizations = Organizations and invitations
overview-apps = Applications
overview-no-apps = No application has access to your account yet.
overview-apps-count = { $count ->
    [one] { $count } application can use your account:
   *[other] { $count } applications can use your account:
}
overview-manage-apps = Review access
overview-licenses = Licenses
overview-manage-licenses = Licenses and downloads
