# The frame of every page: header, footer, language switcher, generic words.
skip-to-content = Skip to content
sign-in = Sign in
create-account = Create account
sign-out = Sign out
my-account = My Account
language = Language
choose-language = Choose a language
continue = Continue
cancel = Cancel
save = Save
back = Back
count-members = { $count ->
    [one] { $count } member
   *[other] { $count } members
}
account-links = Account
header-organization = Organization
header-switch-to = Switch to { $name }
header-all-organizations = All organizations

# A device named from its browser and operating system (sessions, new-device emails).
device-unknown = Unknown device
device-browser = Browser
device-on = { $browser } on { $os }
