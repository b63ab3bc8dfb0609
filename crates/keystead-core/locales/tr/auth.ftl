# Giriş, kayıt, parola sıfırlama, e-posta doğrulama, çoklu oturum açma (SSO), davetler,
# ana sayfa ve "Profilinizi tamamlayın".

## Ortak
auth-email-label = E-posta adresi
auth-password-label = Parola
auth-new-password-label = Yeni parola
auth-use-another-address = Başka bir adres kullan
auth-back-to-sign-in = Girişe dön
auth-check-spam = Gelmedi mi? İstenmeyen e-posta (spam) klasörünüze de bakın.
auth-link-invalid-title = Bu bağlantı artık geçerli değil
auth-send-new-link = Yeni bağlantı gönder
auth-password-rules-intro = Parolanızın koşulları:
auth-password-rule-length = En az { $min } { $min ->
        [one] karakter
       *[other] karakter
    }
auth-password-rule-lowercase = Bir küçük harf (a–z)
auth-password-rule-uppercase = Bir büyük harf (A–Z)
auth-password-rule-digit = Bir rakam (0–9)
auth-password-rule-symbol = Bir simge veya boşluk, örneğin ! # - veya _
auth-password-rule-common = Yaygın olarak kullanılan bir parola olmamalı
auth-password-rule-personal = Adınız veya e-posta adresiniz gibi kişisel bilgiler içermemeli
auth-password-tip = Birbiriyle ilgisiz birkaç kelime, hatırlaması kolay ve güçlü bir parola oluşturur.
auth-password-show = Göster
auth-password-hide = Gizle
auth-free-mail-title = Bu iş adresiniz mi?
auth-free-mail-warning = { $email } kişisel bir adres. Lisanslar iş adresinize bağlıdır: kişisel bir adres lisansları almayabilir.
auth-free-mail-continue = Yine de devam et
auth-continue-to = { $host } adresine devam edin

## Giriş
auth-sign-in-title = Giriş yap
auth-passkey-sign-in = Geçiş anahtarıyla giriş yap
auth-new-here = Yeni misiniz?
auth-create-an-account = Hesap oluşturun
auth-signing-in-as = Giriş yapılan adres: { $email }
auth-forgot-link = Parolanızı mı unuttunuz?
auth-flash-signed-out = Oturumunuz kapatıldı.

## Diğer giriş yolları
auth-social-group = Devam etmenin diğer yolları
auth-social-or = veya
auth-social-continue = { $name } ile devam et

## Kayıt
auth-register-title = Hesabınızı oluşturun
auth-invite-only = Kayıt yalnızca davetle yapılabilir. Yöneticinizden bir davet isteyin.
auth-have-account = Zaten bir hesabınız var mı?
auth-choose-password-title = Bir parola seçin
auth-for-email = Hesap: { $email }
auth-check-inbox-title = Gelen kutunuzu kontrol edin
auth-check-email-sent = { $email } adresine bir doğrulama bağlantısı gönderdik. Hesabınızı oluşturmayı tamamlamak için bağlantıyı açın. Bağlantı 24 saat geçerlidir.
auth-send-link-again = Bağlantıyı yeniden gönder
auth-flash-link-resent = Bu adres doğrulama bekliyorsa yeni bir bağlantı yola çıktı.
auth-resend-wait = Yeni bir bağlantı istemeden önce lütfen { $wait } bekleyin.
auth-verify-title = E-posta adresinizi doğrulayın
auth-verify-intro = Bir tık daha ve hesabınız hazır.
auth-verify-button = E-posta adresimi doğrula
auth-verify-expired = Doğrulama bağlantısının süresi dolmuş veya bağlantı zaten kullanılmış. E-posta adresinizi girin, size yenisini gönderelim.

## Unutulan ve süresi dolan parolalar
auth-forgot-title = Parolanızı mı unuttunuz?
auth-forgot-intro = E-posta adresinizi girin, yeni bir parola seçmeniz için size bir bağlantı gönderelim.
auth-forgot-send = Bağlantıyı gönder
auth-reset-sent = { $email } adresine ait bir hesap varsa, yeni bir parola seçmek için bu adrese bir bağlantı gönderdik. Bağlantı bir saat geçerlidir.
auth-new-password-title = Yeni bir parola seçin
auth-new-password-for = Hesap: { $email }
auth-expired-title = Parolanızın süresi doldu
auth-expired-for = Kuruluşunuzun kuralları gereği şimdi yeni bir parola seçmeniz gerekiyor. Hesap: { $email }
auth-new-password-save = Yeni parolayı kaydet
auth-reset-link-expired = Bağlantının süresi dolmuş veya bağlantı zaten kullanılmış. Yeni bir bağlantı isteyebilirsiniz.
auth-flash-password-reset = Parolanız değiştirildi. Yeni parolanızla giriş yapın.
auth-flash-password-saved = Yeni parolanız kaydedildi.

## Kapatılmış bir hesabı yeniden etkinleştirme
auth-reactivate-title = Hesabınızı yeniden etkinleştirin
auth-reactivate-closed = { $email } hesabı kapatıldı. Kişisel verileri { $date } tarihinde silinecek.
auth-reactivate-intro = Hesabı korumak ve giriş yapmak için yeniden etkinleştirin. Yetki verdiğiniz uygulamalar izninizi yeniden isteyecek.
auth-reactivate-keep-closed = Kapalı kalsın

## Çoklu oturum açma
auth-sso-going-title = Kuruluşunuzun giriş sayfasına devam edin
auth-sso-continue-to = { $connection } ile devam et
auth-sso-going-intro = { $organization }, üyelerinin girişini kendi kimlik sağlayıcısı { $connection } üzerinden yapıyor. Orada giriş yapıp hemen buraya döneceksiniz.
auth-sso-failed-title = Çoklu oturum açma başarısız oldu
auth-sso-restart = Girişe yeniden başla
auth-sso-for-admin = Yöneticiniz için:
auth-signed-out-title = Oturum kapatıldı
auth-signed-out-heading = Oturumunuz kapatıldı
auth-sso-signed-out-text = Kuruluşunuzun giriş sayfasındaki ({ $host }) oturumunuz da sonlandırılıyor. Hiçbir şey olmazsa

## Ana sayfa ve yönlendirme
auth-home-title = { $site } hesapları
auth-home-signed-in-as = { $name } olarak oturum açtınız.
auth-home-intro = { $site } hesabınızı buradan yönetirsiniz: giriş, güvenlik, kuruluşlar, lisanslar ve indirmeler.
auth-landing-away-title = { $host } adresine yönlendiriliyor
auth-landing-signed-in = Oturum açtınız. Hiçbir şey olmazsa

## Profilinizi tamamlayın
auth-complete-profile-title = Profilinizi tamamlayın
auth-complete-intro = Devam etmeden önce birkaç bilgiye ihtiyacımız var.
auth-complete-intro-agreements = Devam etmeden önce birkaç bilgiye ve onayınıza ihtiyacımız var.
auth-agreement-version = (sürüm { $version })
auth-agreement-accept = Kabul ediyorum: { $title }
auth-complete-submit = Gönder
auth-flash-profile-complete = Teşekkürler — hesabınız hazır.
auth-profile-field-given-name = Ad
auth-profile-field-family-name = Soyadı
auth-profile-field-phone = Telefon numarası
auth-profile-field-country = Ülke
auth-profile-field-city = Şehir
auth-profile-field-date-of-birth = Doğum tarihi
auth-profile-field-company = Şirket veya ticari unvan
auth-profile-field-job-title = Unvan

## Davetler
auth-invitation-title = { $organization } kuruluşuna katılın
auth-invitation-intro = { $email } adresi, { $organization } kuruluşuna { $role } olarak katılmaya davet edildi.
auth-invitation-accept = Daveti kabul et
auth-invitation-other = { $other } olarak oturum açtınız. Bu davet { $email } adresi içindir: oturumu kapatın, bağlantıyı yeniden açın ve o adresle giriş yapın.
auth-invitation-account-exists = { $email } adresinin zaten bir hesabı var. Kabul etmek için giriş yapın.
auth-invitation-sign-in = Kabul etmek için giriş yap
auth-invitation-register-intro = Kabul etmek için hesabınızı oluşturun. Bu bağlantı adresinizi doğrular: doğrulama e-postası gerekmez.
auth-invitation-email = E-posta adresi: { $email }
auth-invitation-register = Hesap oluştur ve katıl
auth-invitation-invalid-title = Bu davet artık geçerli değil
auth-invitation-invalid-text = Davetin süresi dolmuş, davet geri alınmış veya zaten kullanılmış. Sizi davet eden kişiden yeni bir davet isteyin.
auth-flash-joined = Kuruluşa katıldınız. Artık geçerli kuruluşunuz bu.
auth-profile-required-given-name = Adınızı girin.
auth-profile-required-family-name = Soyadınızı girin.
auth-profile-required-phone = Telefon numaranızı girin.
auth-profile-required-country = Ülkenizi seçin.
auth-profile-required-city = Şehrinizi girin.
auth-profile-required-date-of-birth = Doğum tarihinizi girin.
auth-profile-required-company = Şirketinizi veya ticari unvanınızı girin.
auth-profile-required-job-title = Unvanınızı girin.
auth-profile-too-long = En fazla { $max } { $max ->
        [one] karakter
       *[other] karakter
    } kullanın.
auth-profile-invalid = Satır sonlarını ve kontrol karakterlerini kaldırın.
