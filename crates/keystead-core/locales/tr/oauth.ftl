# Kişilerin gördüğü OAuth sağlayıcı sayfaları: onay, cihaz, oturum kapatma, sorunlar.

oauth-authorize-title = Uygulamaya yetki ver
# Kalın yazılan uygulama adından sonra: "<b>Örnek Uygulama</b> uygulaması …"
oauth-consent-wants = uygulaması, { $email } olarak giriş yaptığınız { $site } hesabınızı kullanmak istiyor.
oauth-consent-can-see = Görebileceği bilgiler:
oauth-accept = Kabul et
oauth-consent-revoke-hint = Erişimini istediğiniz zaman Hesabım → Bağlı uygulamalar bölümünden kaldırabilirsiniz.
oauth-scope-openid = Kim olduğunuz: hesabınızın kimliği
oauth-scope-profile = Adınız
oauth-scope-email = E-posta adresiniz
oauth-scope-phone = Telefon numaranız
oauth-scope-address = Adresiniz
oauth-scope-offline-access = Siz kullanmıyorken de bağlı kalma
oauth-scope-organization = Kuruluşunuz, rolleriniz ve gruplarınız
oauth-scope-licenses = Lisanslarınız
oauth-returning = Uygulamaya dönülüyor
oauth-continue-to-app = Uygulamaya devam et

## Cihaz sayfası
oauth-device-title = Bir cihaz bağla
# Kalın yazılan uygulama adından sonra.
oauth-device-wants = uygulaması başka bir cihazdan, { $email } olarak giriş yaptığınız { $site } hesabınızı kullanmak istiyor.
oauth-device-check-code = Cihazın bu kodu gösterdiğini kontrol edin:
oauth-device-enter = Cihazınızda gösterilen kodu girin.
oauth-device-code-label = Kod
oauth-device-bad-code = Bu kod geçerli değil veya süresi doldu. Cihazınızdaki kodu kontrol edip tekrar deneyin.
oauth-device-connected = { $client } bağlandı. Cihazınıza geri dönebilirsiniz.
oauth-device-not-connected = { $client } bağlanmadı.

## Bir uygulamanın istediği oturum kapatma
oauth-logout-asks = { $client }, { $site } oturumunuzu kapatmanızı istiyor.
oauth-logout-question = { $site } oturumunuzu kapatmak istiyor musunuz?
oauth-signed-out = Oturumunuz kapatıldı.

## Güvenilemeyen bir istek
oauth-invalid-sign-in-request = Bu giriş isteği geçerli değil
oauth-invalid-sign-out-request = Bu oturum kapatma isteği geçerli değil
oauth-param-too-long = Bir parametre çok uzun.
oauth-problem-hint = Uygulamaya geri dönüp tekrar deneyin. Bu durum sürerse uygulamanın geliştiricisine başvurun.
