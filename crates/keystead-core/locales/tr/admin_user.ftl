# The admin console: a user's page (/admin/users/{id}) and its actions (issue 17).
admin-user-status-unverified = Adres doğrulanmadı
admin-user-status-incomplete-profile = Profil eksik
admin-user-status-active = Etkin
admin-user-status-disabled = Devre dışı
admin-user-status-closing = Kapanıyor
admin-user-status-purged = Silindi
admin-user-operator = Operatör
admin-user-back = Tüm kullanıcılar
admin-user-not-given = Belirtilmemiş
admin-user-never = Hiç
admin-user-on = Açık
admin-user-off = Kapalı

## Actions
admin-user-actions-heading = İşlemler
admin-user-disable = Hesabı devre dışı bırak
admin-user-enable = Hesabı etkinleştir
admin-user-reset-mfa = İki adımlı doğrulamayı sıfırla
admin-user-resend-verification = Doğrulama e-postasını yeniden gönder
admin-user-send-reset = Parola sıfırlama bağlantısı gönder
admin-user-end-sessions = Tüm oturumları sonlandır
admin-user-close = Kapatmayı başlat

## Profile
admin-user-profile-heading = Profil
admin-user-status = Durum
admin-user-id = Hesap kimliği
admin-user-email = E-posta adresi
admin-user-verified = Adres doğrulandı
admin-user-verified-on = { $date } tarihinde doğrulandı
admin-user-not-verified = Doğrulanmadı
admin-user-password = Parola
admin-user-password-set = Ayarlı, son değişiklik { $date }
admin-user-password-set-never-changed = Ayarlı
admin-user-password-none = Yok (başka bir sağlayıcıyla veya sıfırlama bağlantısıyla oturum açar)
admin-user-language = Dil
admin-user-time-zone = Saat dilimi
admin-user-created = Oluşturulma
admin-user-last-sign-in = Son oturum açma
admin-user-purge-on = Kişisel verilerin silineceği tarih
admin-user-default-language = Tarayıcı dili

## Sessions
admin-user-sessions-heading = Oturumlar
admin-user-sessions-none = Bu hesapta açık oturum yok.
admin-user-col-device = Cihaz
admin-user-col-ip = IP adresi
admin-user-col-started = Başlangıç
admin-user-col-last-seen = Son etkinlik
admin-user-unknown-ip = Bilinmiyor

## Two-factor authentication
admin-user-mfa-heading = İki adımlı doğrulama
admin-user-mfa-app = Doğrulama uygulaması
admin-user-mfa-email = E-posta kodları
admin-user-mfa-passkeys = Geçiş anahtarları
admin-user-mfa-no-passkeys = Yok
admin-user-mfa-recovery = Kalan kurtarma kodları
admin-user-passkey = { $name } ({ $date } tarihinde eklendi)

## Identities, organizations, licenses, applications
admin-user-identities-heading = Bağlı kimlikler
admin-user-identities-none = Başka bir sağlayıcıdaki hiçbir kimlik bağlı değil.
admin-user-col-provider = Sağlayıcı
admin-user-col-provider-email = Sağlayıcıdaki adres
admin-user-col-linked = Bağlanma
admin-user-col-last-used = Son kullanım
admin-user-orgs-heading = Kuruluşlar
admin-user-orgs-none = Hiçbir kuruluşun üyesi değil.
admin-user-col-organization = Kuruluş
admin-user-col-role = Rol
admin-user-guest = misafir
admin-user-licenses-heading = Lisanslar
admin-user-licenses-none = Lisansı yok.
admin-user-col-product = Ürün ve plan
admin-user-col-valid-until = Geçerlilik sonu
admin-user-col-assigned = Atanma
admin-user-until-ended = Abonelik bitene kadar
admin-user-apps-heading = Bağlı uygulamalar
admin-user-apps-none = Hiçbir uygulamaya izin vermedi.
admin-user-col-app = Uygulama
admin-user-col-scopes = Erişim
admin-user-col-authorized = İzin verilme

## Audit trail
admin-user-audit-heading = Denetim geçmişi
admin-user-audit-intro = Bu hesapla ilgili en son { $count } olay, en yenisi önce.
admin-user-audit-none = Bu hesapla ilgili henüz hiçbir şey kaydedilmedi.
admin-user-col-when = Zaman
admin-user-col-event = Olay
admin-user-col-actor = Yapan
admin-user-col-from = Kaynak
admin-user-actor-none = Komut satırı veya sistem

## Results
admin-user-disabled = { $email } devre dışı bırakıldı: oturumları sonlandırıldı ve artık oturum açamaz.
admin-user-enabled = { $email } yeniden oturum açabilir.
admin-user-state-refused = Hesap kapanıyor veya silindi: artık devre dışı bırakılamaz veya etkinleştirilemez.
admin-user-mfa-reset-done = { $email } için iki adımlı doğrulama sıfırlandı ve oturumları sonlandırıldı. Kişiye e-postayla bilgi verildi.
admin-user-verification-sent = { $email } adresine yeni bir doğrulama bağlantısı gönderildi.
admin-user-verification-refused = { $email } adresini zaten doğrulamış veya hesap kapalı: bağlantı gönderilmedi.
admin-user-reset-sent = { $email } adresine bir parola sıfırlama bağlantısı gönderildi. Bağlantı bir saat geçerlidir.
admin-user-reset-refused-closed = Bağlantı gönderilmedi: hesap devre dışı veya kapalı.
admin-user-reset-refused-sso = Bağlantı gönderilmedi: { $email } kuruluşunun çoklu oturum açma hizmetiyle oturum açıyor, bu yüzden parola kullanılmıyor.
admin-user-wait = Bu hesaba çok fazla e-posta gönderildi. { $wait } sonra yeniden deneyin.
admin-user-sessions-ended = { $count ->
    [one] { $email } için bir oturum sonlandırıldı.
   *[other] { $email } için { $count } oturum sonlandırıldı.
}
admin-user-closing-started = { $email } kapanıyor: kişisel veriler { $date } tarihinde silinecek. Kişiye e-postayla bilgi verildi.
admin-user-close-refused = Hesap zaten kapanıyor veya silindi.

## Confirmation pages
admin-user-disable-title = Bu hesabı devre dışı bırak
admin-user-disable-message = { $email } her yerde oturumdan çıkarılır, uygulamalar erişimini kaybeder ve bir operatör hesabı yeniden etkinleştirene kadar oturum açamaz.
admin-user-reset-mfa-title = İki adımlı doğrulamayı sıfırla
admin-user-reset-mfa-message = { $email } için tüm ikinci doğrulama yöntemleri kaldırılır (doğrulama uygulaması, e-posta kodları, geçiş anahtarları, kurtarma kodları) ve tüm oturumlar sonlandırılır. Kişi yalnızca parolasıyla oturum açar ve e-postayla bilgilendirilir. Bunu ancak kimin istediğinden emin olduğunuzda yapın.
admin-user-end-sessions-title = Tüm oturumları sonlandır
admin-user-end-sessions-message = { $email } tüm cihazlarda oturumdan çıkarılır ve bu oturumlarla oturum açmış uygulamalara bildirilir.
admin-user-close-title = Bu hesabın kapatılmasını başlat
admin-user-close-message = { $email } oturumdan çıkarılır, uygulamalar erişimini kaybeder ve kişisel veriler { $days } gün sonra silinir. Kişinin kendi başlattığı bir kapatmadan farklı olarak oturum açmak bunu geri almaz. Kişi e-postayla bilgilendirilir.
admin-user-confirm-operator = { $email } bu kurulumun bir operatörüdür: artık yönetim konsolunu kullanamayacak.
admin-user-confirm-yourself = Bu sizin kendi hesabınız: oturumunuz kapatılacak.

## Emails
admin-user-email-reset-asked = { $site } yöneticilerinden biri, { $email } hesabı için yeni bir parola seçmeniz amacıyla size bu bağlantıyı gönderdi.
admin-user-email-reset-after = Bu e-postayı beklemiyorduysanız dikkate almayın: parolanız olduğu gibi kalır.
