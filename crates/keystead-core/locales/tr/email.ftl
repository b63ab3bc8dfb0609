# E-postalar: tüm hesap, güvenlik, kuruluş ve işletmeci e-postaları.

## Her e-postanın çerçevesi
email-footer = Bu ileti { $site } ({ $url }) tarafından gönderildi.
email-button-hint = Düğme çalışmazsa bu adresi tarayıcınıza kopyalayın:

## Birkaç e-postanın paylaştığı cümleler
email-link-24h = Bağlantı bir kez ve 24 saat boyunca kullanılabilir.
email-link-1h = Bağlantı bir kez ve bir saat boyunca kullanılabilir.
email-code-subject = { $code } — { $site } doğrulama kodunuz
email-code-10min = Kod 10 dakika boyunca geçerlidir.
email-nothing-to-do = Bu sizseniz yapmanız gereken bir şey yok.
email-security-always = Bu bir güvenlik bildirimidir ve her zaman gönderilir.
email-unknown-address = bilinmiyor

## İşletmecinin test e-postası
email-test-subject = { $site } test e-postası
email-test-body = Bu bir test e-postasıdır. Bunu okuyabiliyorsanız { $site } üzerinden giden e-posta çalışıyor.
email-test-sent = Gönderim zamanı: { $time }, aktarım yöntemi: { $transport }.

## Kayıt
email-verify-subject = { $site } için e-posta adresinizi doğrulayın
email-verify-welcome = { $site } hizmetine hoş geldiniz! Lütfen { $email } adresinin size ait olduğunu doğrulayın.
email-verify-action = E-posta adresimi doğrula
email-verify-after = Hesap oluşturmadıysanız bu e-postayı dikkate almayın: doğrulama olmadan hiçbir şey olmaz.
email-registered-subject = Zaten bir { $site } hesabınız var
email-registered-body = Birisi — muhtemelen siz — { $email } adresiyle bir { $site } hesabı oluşturmaya çalıştı. Bu adrese ait bir hesap zaten var.
email-registered-reset = Parolanızı unuttuysanız buradan yeni bir parola belirleyebilirsiniz: { $url }
email-registered-after = Bu siz değilseniz bu e-postayı dikkate almayabilirsiniz: hiçbir şey değiştirilmedi.

## Giriş
email-new-device-subject = { $site } hesabınıza yeni giriş
email-new-device-body = { $site } hesabınıza ({ $email }) az önce yeni bir cihazdan giriş yapıldı: { $device }, adres: { $ip }, zaman: { $when }.
email-new-device-action = Oturumlarınızı inceleyin
email-new-device-after = Bu siz değilseniz hemen parolanızı değiştirin ve tanımadığınız oturumları kapatın. Bu bir güvenlik bildirimidir ve her zaman gönderilir.
email-throttled-subject = { $site } hesabınızda birkaç başarısız giriş denemesi
email-throttled-body = { $site } hesabınıza ({ $email }) birkaç kez başarısız giriş denemesi yapıldı; son denemenin adresi: { $ip }.
email-throttled-pause = Güvenliğiniz için giriş kısa bir süreliğine duraklatıldı; bu süre her yeni başarısız denemeyle uzar ve her zaman sona erer.
email-throttled-forgot = Bu sizseniz ve parolanızı unuttuysanız yeni bir parola belirleyebilirsiniz.
email-throttled-action = Parolamı sıfırla
email-throttled-after = Bu siz değilseniz, başka bir yerde kullanılmadığı sürece parolanız hâlâ güvende. Yine de değiştirmeyi düşünün.

## Parolalar
email-reset-asked = Birisi { $site } hesabının ({ $email }) parolasını sıfırlamak istedi.
email-reset-subject = { $site } parolanızı sıfırlayın
email-reset-action = Yeni bir parola seçin
email-reset-after = Bunu siz istemediyseniz bu e-postayı dikkate almayın: parolanız olduğu gibi kalır.
email-reset-managed-subject = { $site } parolanız kuruluşunuz tarafından yönetiliyor
email-reset-managed-why = { $org } kuruluşu üyelerinin girişini { $connection } üzerinden yapıyor: giriş harici bir sağlayıcı tarafından yönetildiği için parola burada kullanılamaz veya değiştirilemez.
email-reset-managed-next = E-posta adresinizle giriş yapın: kuruluşunuzun giriş sayfasına yönlendirileceksiniz.
email-reset-managed-after = Bunu siz istemediyseniz bu e-postayı dikkate almayın.
email-password-changed-subject = { $site } parolanız değiştirildi
email-password-changed-body = { $site } hesabınızın ({ $email }) parolası az önce değiştirildi.
email-password-changed-nothing = Bu sizseniz yapmanız gereken başka bir şey yok.
email-password-changed-action = Bu ben değildim: parolamı sıfırla
email-password-code-body = Parola değişikliğini onaylamak için bu kodu girin:
email-password-code-after = Parolanızı değiştirmek istemediyseniz birisi parolanızı biliyor olabilir: hemen değiştirin ve diğer oturumlarınızı kapatın.

## E-posta adresini değiştirme
email-change-code-body = { $site } hesabınızın e-posta adresini { $email } olarak değiştirmek istediğinizi onaylamak için bu kodu girin:
email-change-code-after = Bunu siz istemediyseniz hesabınızda başka biri oturum açmış olabilir: parolanızı değiştirin ve diğer oturumlarınızı kapatın.
email-change-link-subject = { $site } için yeni e-posta adresinizi doğrulayın
email-change-link-body = Lütfen { $email } adresinin { $site } hesabınızın yeni e-posta adresi olduğunu doğrulayın.
email-change-link-action = Yeni adresimi doğrula
email-change-link-after = Bunu siz istemediyseniz bu e-postayı dikkate almayın: doğrulama olmadan hiçbir şey değişmez.
email-changed-subject = { $site } hesabınızın e-posta adresi değiştirildi
email-changed-body = { $site } hesabınızın e-posta adresi { $old } yerine { $new } olarak değiştirildi.
email-changed-next = Bundan sonra yeni adresle giriş yapın.
email-changed-after = Bunu siz yapmadıysanız hemen yöneticinizle iletişime geçin. Bu bir güvenlik bildirimidir ve her zaman gönderilir.

## Hesabı kapatma ve yeniden etkinleştirme
email-closed-subject = { $site } hesabınız kapatıldı
email-closed-body = { $site } hesabınızı ({ $email }) { $date } tarihinde kapattınız.
email-closed-purge = Kişisel verileriniz { $date } tarihinde kalıcı olarak silinecek. O zamana kadar e-posta adresiniz ve parolanızla giriş yaparak hesabı yeniden etkinleştirebilirsiniz.
email-closed-apps = Yetki verdiğiniz uygulamaların oturumları kapatıldı; hesabı yeniden etkinleştirirseniz bu uygulamalar yeniden yetkilendirilmez.
email-closed-action = Yeniden etkinleştirmek için giriş yapın
email-closed-after = Hesabınızı siz kapatmadıysanız hemen giriş yapıp yeniden etkinleştirin, ardından parolanızı değiştirin.
email-reactivated-subject = { $site } hesabınız yeniden etkin
email-reactivated-body = { $site } hesabınız ({ $email }) yeniden etkinleştirildi ve silinmeyecek. Yetki verdiğiniz uygulamalar yeniden izninizi isteyecek.
email-reactivated-after = Bunu siz yapmadıysanız hemen parolanızı değiştirin.
email-operator-closed-subject = { $site } hesabınız bir yönetici tarafından kapatıldı
email-operator-closed-body = Bir yönetici { $site } hesabınızı ({ $email }) kapattı.
email-operator-closed-purge = Kişisel verileriniz { $date } tarihinde kalıcı olarak silinecek.
email-operator-closed-after = Bunun bir hata olduğunu düşünüyorsanız bu tarihten önce yöneticinizle iletişime geçin.

## İki adımlı doğrulama
email-mfa-changed-subject = { $site } hesabınızda iki adımlı doğrulama değişti
email-mfa-recovery-subject = { $site } hesabınız için yeni kurtarma kodları
email-mfa-reset-subject = { $site } hesabınızda iki adımlı doğrulama sıfırlandı
email-mfa-passkey-added = { $site } hesabınıza ({ $email }) “{ $name }” adlı bir geçiş anahtarı eklendi.
email-mfa-passkey-added-unnamed = { $site } hesabınıza ({ $email }) bir geçiş anahtarı eklendi.
email-mfa-totp-added = { $site } hesabınız ({ $email }) için bir doğrulayıcı uygulama kuruldu.
email-mfa-email-added = { $site } hesabınız ({ $email }) için e-postayla giriş kodları açıldı.
email-mfa-recovery-added = { $site } hesabınız ({ $email }) için yeni kurtarma kodları oluşturuldu.
email-mfa-now-on = İki adımlı doğrulama artık açık: tüm oturumlar kapatıldı ve her girişte ikinci bir adım istenecek.
email-mfa-passkey-removed = “{ $name }” adlı geçiş anahtarı { $site } hesabınızdan ({ $email }) kaldırıldı.
email-mfa-totp-removed = Doğrulayıcı uygulama { $site } hesabınızdan ({ $email }) kaldırıldı.
email-mfa-email-removed = { $site } hesabınız ({ $email }) için e-postayla giriş kodları kapatıldı.
email-mfa-removed = { $site } hesabınızdan ({ $email }) bir ikinci adım yöntemi kaldırıldı.
email-mfa-now-off = İki adımlı doğrulama artık kapalı: hesabınıza yalnızca parolayla giriş yapılabilir.
email-mfa-action = Güvenlik ayarlarınızı inceleyin
email-mfa-after = Bu siz değilseniz hemen parolanızı sıfırlayın ve giriş yöntemlerinizi gözden geçirin. Bu bir güvenlik bildirimidir ve her zaman gönderilir.
email-mfa-recovery-body = { $site } hesabınız ({ $email }) için yeni kurtarma kodları oluşturuldu; önceki kodlar artık çalışmıyor.
email-mfa-reset-body = Bir yönetici { $site } hesabınızın ({ $email }) tüm iki adımlı doğrulama yöntemlerini kaldırdı: doğrulayıcı uygulamanız, e-posta kodlarınız, geçiş anahtarlarınız ve kurtarma kodlarınız. Tüm oturumlar kapatıldı.
email-mfa-reset-next = Parolanızla giriş yapın ve iki adımlı doğrulamayı yeniden kurun.
email-mfa-code-subject = { $code } — { $site } giriş kodunuz
email-mfa-code-enable = E-postayla giriş kodlarını açmak için bu kodu girin:
email-mfa-code-sign-in = Girişi tamamlamak için bu kodu girin:
email-mfa-code-after = Bu kodu siz istemediyseniz birisi parolanızı biliyor olabilir: hemen değiştirin.

## Lisanslar
email-license-subject = Size bir { $plan } lisansı atandı
email-license-body = { $org }, { $site } üzerinde size bir { $plan } lisansı atadı.
email-license-where = Lisanslarınızı, neleri kapsadıklarını ve indirmelerini Hesabım bölümünde bulabilirsiniz.
email-license-action = Lisanslarınızı görün
email-license-after = Lisans e-postaları açık olduğu için bu e-postayı alıyorsunuz. Bunları Hesabım → Bildirimler bölümünden kapatabilirsiniz.

## Kuruluş davetleri
email-invite-subject = { $site } üzerinde { $org } kuruluşuna katılmaya davet edildiniz
email-invite-body = { $inviter }, { $email } adresini { $site } üzerinde { $org } kuruluşuna { $role } olarak katılmaya davet etti.
email-invite-team = { $site } ekibi
email-invite-link = Bağlantı bir kez ve 7 gün boyunca kullanılabilir. Henüz bir hesabınız yoksa bu bağlantı üzerinden oluşturabilirsiniz.
email-invite-action = Daveti kabul et
email-invite-after = Katılmak istemiyorsanız bu e-postayı dikkate almayın: siz olmadan hiçbir şey olmaz.
email-role-owner = Sahip
email-role-admin = Yönetici
email-role-license-admin = Lisans yöneticisi
email-role-billing-admin = Fatura yöneticisi
email-role-member = Üye
email-role-guest = Misafir

## Webhook'lar
email-webhook-disabled-subject = Bir webhook uç noktası devre dışı bırakıldı
email-webhook-disabled-body = { $days ->
    [one] { $url } webhook uç noktanıza yapılan gönderimler { $days } gündür başarısız olduğu için uç nokta devre dışı bırakıldı.
   *[other] { $url } webhook uç noktanıza yapılan gönderimler { $days } gündür başarısız olduğu için uç nokta devre dışı bırakıldı.
}
email-webhook-disabled-next = Alıcıyı düzeltin, ardından uç noktayı yeniden etkinleştirin; devre dışıyken oluşan olaylar gönderilmez.
