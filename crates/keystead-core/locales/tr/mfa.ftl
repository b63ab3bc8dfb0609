# İki adımlı doğrulama, geçiş anahtarları, oturumlar, Hesabım'daki e-posta adresi ve parola.

## Süreler ("45 saniye içinde")
mfa-seconds = { $count ->
    [one] { $count } saniye
   *[other] { $count } saniye
}
mfa-minutes = { $count ->
    [one] { $count } dakika
   *[other] { $count } dakika
}
mfa-hours = { $count ->
    [one] { $count } saat
   *[other] { $count } saat
}

## Girişin ikinci adımı
mfa-second-factor-title = İki adımlı doğrulama
mfa-totp-intro = Kimlik doğrulama uygulamanızın bu hesap için gösterdiği altı haneli kodu girin.
mfa-totp-code-label = Kimlik doğrulama uygulamanızdaki kod
mfa-verify = Doğrula
mfa-email-sent-intro = { $email } adresine altı haneli bir kod gönderdik. Kod 10 dakika geçerlidir.
mfa-email-intro = Size e-postayla altı haneli bir kod göndeririz. Kod 10 dakika geçerlidir.
mfa-email-code-label = E-postadaki kod
mfa-email-send-again = Tekrar gönder
mfa-email-send = Bana kod gönder
mfa-email-cooldown = { $wait } sonra yeni bir kod isteyebilirsiniz.
mfa-passkey-intro = Girişi tamamlamak için geçiş anahtarlarınızdan birini kullanın.
mfa-use-passkey = Geçiş anahtarı kullan
mfa-passkey-unavailable-here = Geçiş anahtarları bu adreste kullanılamaz. Aşağıdan başka bir yol seçin.
mfa-recovery-intro = İki adımlı doğrulamayı açtığınızda kaydettiğiniz kurtarma kodlarından birini girin. Her kod yalnızca bir kez çalışır.
mfa-recovery-code-label = Kurtarma kodu
mfa-other-ways = Doğrulamanın diğer yolları
mfa-sign-in-as-other = Başka biri olarak giriş yap
mfa-method-totp = Kimlik doğrulama uygulaması
mfa-method-email = E-postayla kod
mfa-method-passkey = Geçiş anahtarı
mfa-method-recovery = Kurtarma kodu
mfa-method-unknown = Listelenen yollardan birini seçin.
mfa-too-slow = Parolanızı girmenizin üzerinden çok zaman geçti. Lütfen yeniden giriş yapın.
mfa-recovery-last-used = Son kurtarma kodunuzu kullandınız. Hemen Hesabım → İki adımlı doğrulama bölümünden yeni kodlar oluşturun.
mfa-recovery-accepted = { $count ->
    [one] Kurtarma kodu kabul edildi. Yalnızca 1 kurtarma kodu kaldı: yakında yenilerini oluşturun.
   *[other] Kurtarma kodu kabul edildi. { $count } kurtarma kodu kaldı.
}
mfa-email-sent = { $email } adresine altı haneli bir kod gönderdik.
mfa-email-wait = Az önce bir kod gönderildi. { $wait } sonra yenisini isteyebilirsiniz.
mfa-account-disabled = Bu hesap devre dışı. Yeniden etkinleştirilmesi için yöneticinize başvurun.

## Geçiş anahtarı sayfaları
mfa-passkeys-not-available = Geçiş anahtarları bu sitede kullanılamıyor.
mfa-passkey-refused = Geçiş anahtarı reddedildi.
mfa-passkey-needs-js = Geçiş anahtarları JavaScript gerektirir. JavaScript'i açın ya da geri dönüp başka bir yol seçin.
mfa-passkey-continue = Geçiş anahtarıyla devam et
mfa-passkey-use-title = Geçiş anahtarınızı kullanın
mfa-passkey-use-intro = Tarayıcınız sorduğunda geçiş anahtarınızla (parmak izi, yüz, PIN veya güvenlik anahtarı) onaylayın.
mfa-passkey-sign-in-title = Geçiş anahtarıyla giriş yap
mfa-passkey-sign-in-intro = Tarayıcınız sorduğunda geçiş anahtarınızı seçin ve parmak iziniz, yüzünüz, PIN'iniz veya güvenlik anahtarınızla onaylayın.
mfa-passkey-add-title = Geçiş anahtarı ekle
mfa-passkey-add-intro = Tarayıcınız geçiş anahtarının nerede saklanacağını soracak ve parmak iziniz, yüzünüz, PIN'iniz veya güvenlik anahtarınızla onaylamanızı isteyecek.
mfa-passkey-js-unsupported = Bu tarayıcı geçiş anahtarlarını kullanamıyor. Geri dönüp başka bir yol seçin.
mfa-passkey-js-cancelled = Geçiş anahtarı isteği iptal edildi veya zaman aşımına uğradı. Tekrar denemek için düğmeye basın.
mfa-passkey-js-failed = Geçiş anahtarı kullanılamadı. Tekrar denemek için düğmeye basın.
mfa-copied = Kopyalandı

## Hesabım → İki adımlı doğrulama
mfa-required-notice = Hesabınız için iki adımlı doğrulama gerekiyor. Devam etmek için aşağıdaki yöntemlerden birini kurun; ardından bu yöntemle yeniden giriş yapacaksınız.
mfa-title = İki adımlı doğrulama
mfa-why = Parolanızdan sonra gelen ikinci bir adım, parolanız ele geçirilse bile hesabınızı güvende tutar.
mfa-is-on = İki adımlı doğrulama açık.
mfa-is-off = İki adımlı doğrulama kapalı.
mfa-turning-on-signs-out = Açtığınızda her yerde oturumunuz kapatılır; ardından yeni adımla yeniden giriş yaparsınız.
mfa-totp-heading = Kimlik doğrulama uygulaması
mfa-on-badge = Açık
mfa-totp-on-text = Aegis, Google Authenticator veya 1Password gibi bir uygulamadan gelen kodlar.
mfa-totp-remove = Kimlik doğrulama uygulamasını kaldır
mfa-totp-off-text = Aegis, Google Authenticator veya 1Password gibi bir uygulamadan gelen kodları kullanın.
mfa-totp-set-up = Kimlik doğrulama uygulaması kur
mfa-email-heading = E-postayla kodlar
mfa-email-on-text = Giriş yaptığınızda size e-postayla altı haneli bir kod gönderilir.
mfa-email-turn-off = E-postayla kodları kapat
mfa-email-off-text = Giriş yaparken e-postayla altı haneli bir kod alın.
mfa-email-turn-on = E-postayla kodları aç
mfa-email-needs-verified = E-postayla kodları kullanmak için e-posta adresinizi doğrulayın.
mfa-passkeys-heading = Geçiş anahtarları
mfa-passkeys-intro = Geçiş anahtarı, parmak iziniz, yüzünüz, ekran kilidiniz veya güvenlik anahtarınızla giriş yapmanızı sağlar: ikinci adım olarak ya da tek başına “Geçiş anahtarıyla giriş yap” ile.
mfa-passkeys-none = Henüz geçiş anahtarınız yok.
mfa-passkey-synced = Eşitlenmiş
mfa-passkey-dates = eklenme: { $added } · son kullanım: { $used }
mfa-never = hiç
mfa-passkey-remove-label = { $name } geçiş anahtarını kaldır
mfa-remove = Kaldır
mfa-passkey-name-label = Geçiş anahtarının adı
mfa-passkey-name-hint = Bulunduğu yere göre adlandırın, örneğin “İş dizüstü bilgisayarı” veya “Telefon”.
mfa-recovery-heading = Kurtarma kodları
mfa-recovery-left = { $total ->
    [one] { $total } kurtarma kodundan { $left } tanesi kullanılmadı. Diğer yöntemlerinizi kaybederseniz her kod bir kez çalışır.
   *[other] { $total } kurtarma kodundan { $left } tanesi kullanılmadı. Diğer yöntemlerinizi kaybederseniz her kod bir kez çalışır.
}
mfa-recovery-regenerate = Yeni kurtarma kodları oluştur
mfa-recovery-replace-hint = Yeni kodlar eskilerin yerini hemen alır.
mfa-totp-done = Kimlik doğrulama uygulamanız kuruldu.
mfa-totp-removed = Kimlik doğrulama uygulaması kaldırıldı.
mfa-email-wait-short = Az önce bir kod gönderildi. { $wait } sonra tekrar deneyin.
mfa-email-on = E-postayla giriş kodları açık.
mfa-email-off = E-postayla giriş kodları kapalı.
mfa-passkey-added = Geçiş anahtarınız eklendi.
mfa-passkey-removed = Geçiş anahtarı kaldırıldı.

## Kimlik doğrulama uygulamasının kurulumu
mfa-totp-step-open = Kimlik doğrulama uygulamanızı açın ve bir hesap ekleyin.
mfa-totp-step-scan = Bu QR kodunu tarayın:
mfa-totp-or-type = Ya da bu anahtarı yazın:
mfa-totp-key-hint = (zamana dayalı, 6 hane, her 30 saniyede bir)
mfa-totp-step-enter = Uygulamanın şu anda gösterdiği altı haneli kodu girin.
mfa-totp-app-code-label = Uygulamadaki kod
mfa-turn-on = Aç

## Yalnızca bir kez gösterilen kurtarma kodları
mfa-is-on-title = İki adımlı doğrulama açık
mfa-recovery-new-title = Yeni kurtarma kodlarınız
mfa-recovery-save-now = Bu kurtarma kodlarını şimdi kaydedin: yalnızca bir kez gösterilirler.
mfa-recovery-save-why = Telefonunuzu veya geçiş anahtarlarınızı kaybederseniz her kod, ikinci adımınızın yerine bir kez çalışır.
mfa-recovery-download = Metin olarak indir
mfa-copy = Kopyala
mfa-recovery-signed-out = Güvenliğiniz için bu oturum da dahil tüm oturumlar kapatıldı. Parolanız ve yeni ikinci adımınızla yeniden giriş yapın.
mfa-sign-in-again = Yeniden giriş yap
mfa-recovery-old-void = Önceki kodlar artık çalışmıyor.
mfa-done = Tamam
mfa-recovery-file-title = { $site } kurtarma kodları
mfa-recovery-file-note = Her kod, ikinci adımınızın yerine bir kez çalışır.

## E-postayla kodları açma
mfa-email-enable-sent = { $email } adresine altı haneli bir kod gönderdik. E-postayla kodları açmak için kodu girin.

## Siz olduğunuzu doğrulama
mfa-reauth-title = Siz olduğunuzu doğrulayın
mfa-reauth-intro = Giriş yöntemlerinizi değiştirmek için yakın zamanda giriş yapmış olmanız gerekir.
mfa-your-password = Parolanız
mfa-reauth-or = Ya da parola yerine:
mfa-reauth-none = Oturumu kapatıp yeniden giriş yapın, ardından değişikliği 10 dakika içinde yapın.
mfa-confirm = Onayla
mfa-reauth-first = Giriş yöntemlerinizi değiştirmek için önce siz olduğunuzu doğrulayın.
mfa-reauth-done = Teşekkürler. Önümüzdeki 10 dakika boyunca giriş yöntemlerinizi değiştirebilirsiniz.

## Hesabım → Güvenlik
mfa-sessions-title = Oturumlar ve cihazlar
mfa-sessions-intro = Giriş yaptığınız yerler. Tanımadığınız her yerde oturumu kapatın.
mfa-this-device = Bu cihaz
mfa-session-dates = { $ip } · giriş: { $created } · son etkinlik: { $seen }
mfa-unknown-address = bilinmeyen adres
mfa-sign-out-others = Diğer tüm oturumları kapat
mfa-identities-heading = Diğer sağlayıcılar üzerinden giriş
mfa-identities-none = Yalnızca e-posta adresiniz ve parolanızla giriş yapıyorsunuz: hesabınıza bağlı başka bir sağlayıcı yok.
mfa-identities-intro = Bu sağlayıcılar sizi bu hesaba giriş yaptırabilir. Artık kullanmadıklarınızı kaldırın.
mfa-identity-through = { $provider } üzerinden giriş
mfa-identity-dates = bağlanma: { $linked } · son kullanım: { $used }
mfa-activity-heading = Son güvenlik etkinlikleri
mfa-activity-when = Ne zaman
mfa-activity-what = Ne
mfa-activity-from = Nereden
mfa-session-revoked = O oturum kapatıldı.
mfa-sessions-revoked = { $count ->
    [one] 1 diğer oturum kapatıldı.
   *[other] { $count } diğer oturum kapatıldı.
}
mfa-identity-removed = O sağlayıcı artık sizi giriş yaptırmıyor.
mfa-activity-user-registered = Hesap oluşturuldu
mfa-activity-user-email-verified = E-posta adresi doğrulandı
mfa-activity-session-signed-in = Giriş yapıldı
mfa-activity-session-sign-in-failed = Başarısız giriş denemesi
mfa-activity-session-signed-out = Oturum kapatıldı
mfa-activity-session-revoked = Diğer oturumlar veya cihazlar kapatıldı
mfa-activity-user-email-changed = E-posta adresi değiştirildi
mfa-activity-user-agreement-accepted = Sözleşme kabul edildi
mfa-activity-user-picture-changed = Profil resmi değiştirildi
mfa-activity-user-picture-removed = Profil resmi kaldırıldı
mfa-activity-user-billing-address-changed = Fatura adresi değiştirildi
mfa-activity-user-preferences-changed = E-posta bildirimi tercihleri değiştirildi
mfa-activity-user-closed = Hesap kapatıldı
mfa-activity-user-reactivated = Hesap yeniden etkinleştirildi
mfa-activity-user-password-reset-requested = Parola sıfırlama istendi
mfa-activity-user-password-changed = Parola değiştirildi
mfa-activity-user-throttled = Başarısız denemelerden sonra giriş duraklatıldı
mfa-activity-user-profile-updated = Profil değiştirildi
mfa-activity-user-data-exported = Veriler indirildi
mfa-activity-user-disabled = Hesap bir yönetici tarafından devre dışı bırakıldı
mfa-activity-user-enabled = Hesap bir yönetici tarafından etkinleştirildi
mfa-activity-mfa-method-added = İki adımlı doğrulama yöntemi eklendi
mfa-activity-mfa-method-removed = İki adımlı doğrulama yöntemi kaldırıldı
mfa-activity-mfa-recovery-codes-generated = Yeni kurtarma kodları oluşturuldu
mfa-activity-mfa-recovery-code-used = Kurtarma kodu kullanıldı
mfa-activity-session-second-factor-passed = İki adımlı doğrulama başarılı
mfa-activity-session-second-factor-failed = İki adımlı doğrulama başarısız
mfa-activity-mfa-reset = İki adımlı doğrulama bir yönetici tarafından sıfırlandı
mfa-activity-session-reauthenticated = Kimlik yeniden doğrulandı
mfa-activity-oauth-app-authorized = Uygulamaya yetki verildi
mfa-activity-oauth-app-revoked = Uygulamanın erişimi kaldırıldı
mfa-activity-oauth-token-reuse-detected = Bir uygulamanın belirteci iki kez kullanıldı: erişimi sonlandırıldı
mfa-activity-user-identity-linked = Başka bir sağlayıcı üzerinden giriş eklendi
mfa-activity-user-identity-unlinked = Başka bir sağlayıcı üzerinden giriş kaldırıldı
mfa-activity-other = Hesap etkinliği

## Hesabım → E-posta adresi
mfa-email-title = E-posta adresi
mfa-email-current = E-posta adresiniz { $email }. Bu adresle giriş yaparsınız ve bildirimlerinizi bu adrese göndeririz.
mfa-new-email = Yeni e-posta adresi
mfa-email-code-sent = Siz olduğunuzdan emin olmak için mevcut adresiniz { $email } adresine altı haneli bir kod gönderdik. Devam etmek için kodu girin.
mfa-confirmation-code = Doğrulama kodu
mfa-start-again = Baştan başla
mfa-email-link-sent = Neredeyse bitti: { $email } adresine bir bağlantı gönderdik. Hesabınızı yeni adrese geçirmek için bağlantıyı açın. İstenmeyen e-posta klasörüne de bakın.
mfa-email-confirm-intro = Hesabınızın yeni e-posta adresini onaylayın.
mfa-email-use = Bu adresi kullan
mfa-email-unavailable = Bu adresi kullanamadık. Başka bir adres seçin.
mfa-email-changed = E-posta adresiniz artık { $email }.

## Hesabım → Parola
mfa-password-title = Parola
mfa-password-code-sent = { $email } adresine altı haneli bir kod gönderdik. Yeni parolanızı kaydetmek için kodu girin. Diğer oturumlarınız kapatılacak.
mfa-password-save = Yeni parolayı kaydet
mfa-current-password = Mevcut parola
mfa-new-password = Yeni parola
mfa-repeat-password = Yeni parolayı tekrarlayın
mfa-password-none = Hesabınızın parolası yok: başka bir yolla giriş yapıyorsunuz. E-postayla gönderilen bir bağlantıyla parola belirleyebilirsiniz.
mfa-password-forgot = Mevcut parolanızı mı unuttunuz? Yeni bir parola belirlemeniz için size bir bağlantı gönderebiliriz.
mfa-send-reset-link = Sıfırlama bağlantısı gönder
mfa-reset-link-sent = { $email } adresine bir bağlantı gönderdik. Parolanızı belirlemek için bağlantıyı açın.
mfa-reset-link-wait = Az önce bir bağlantı gönderildi. { $wait } sonra tekrar deneyin.
mfa-password-saved = Yeni parolanız kaydedildi. Diğer oturumlarınız kapatıldı.

## Bu sayfalardaki form hataları
field-error-code-already-enabled = Bu yöntem zaten kurulu. Yeniden kurmak için önce kaldırın.
field-error-code-no-setup = Devam eden bir kurulum yok. Baştan başlayın.
field-error-code-setup-replaced = Bu kurulumun yerini daha yeni bir kurulum aldı (başka bir sekmede mi?). Şimdi gösterilen QR kodunu tarayın ve kodunu girin.
field-error-code-malformed = Uygulamanızın gösterdiği altı haneyi girin.
field-error-code-wrong-code = Bu kod doğru değil veya daha önce kullanıldı. Telefonunuzdaki saati kontrol edin ve şu anda gösterilen kodu girin.
field-error-code-code-used = Bu kod zaten kullanıldı. Uygulamanızın bir sonraki kodu göstermesini bekleyin.
field-error-code-sign-in-expired = Parolanızı girmenizin üzerinden çok zaman geçti. Lütfen yeniden giriş yapın.
field-error-code-method-unavailable = Bu yöntem hesabınız için kurulu değil.
field-error-code-email-unverified = Önce e-posta adresinizi doğrulayın.
field-error-code-method-off = Bu hesap için e-postayla giriş kodları açık değil.
field-error-code-invalid-code = { $reason ->
    [malformed] E-postadaki altı haneyi girin.
    [expired] Bu kodun süresi doldu. Yeni bir kod almak için baştan başlayın.
    [exhausted] Çok fazla yanlış kod girildi. Yeni bir kod almak için baştan başlayın.
   *[wrong] { $left ->
        [one] Bu kod doğru değil. 1 deneme hakkınız kaldı.
       *[other] Bu kod doğru değil. { $left } deneme hakkınız kaldı.
    }
}
field-error-codes-mfa-off = Önce ikinci bir adımı açın: kurtarma kodları onun yerine geçer.
mfa-error-password-no-password = Hesabınızın parolası yok: kimlik doğrulama uygulamanızdaki bir kodu girin.
mfa-error-password-wrong-password = Bu parola doğru değil.
mfa-error-password-required = Parolanızı girin.
mfa-error-name-required = Geçiş anahtarına bir ad verin, örneğin bulunduğu cihazın adını.
mfa-error-name-too-long = En fazla { $max } karakter kullanın.
mfa-error-name-invalid = Kontrol karakterlerini kaldırın.
field-error-credential-passkey-refused = Geçiş anahtarının yanıtı doğrulanamadı. Baştan başlayın.
field-error-new-email-same-email = Bu zaten sizin e-posta adresiniz.
field-error-current-password-no-password = Hesabınızın henüz parolası yok: bunun yerine “Sıfırlama bağlantısı gönder”i kullanın.
field-error-current-password-wrong-password = Mevcut parolanız doğru değil.
field-error-repeat-password-mismatch = İki yeni parola aynı değil.
field-error-identity-last-way-in = Giriş yapmanın tek yolu bu. Önce bir parola belirleyin (giriş sayfasındaki Parolamı unuttum), ardından bunu kaldırın.
