# Hesabım: gezinme ve bölümlerin sayfaları.

## Gezinme
acct-nav-menu = Bölümler
acct-nav-group-personal = Kişisel
acct-nav-group-business = İş ve faturalandırma
acct-nav-group-records = Kayıtlar ve gizlilik
acct-nav-profile = Profil
acct-nav-email = E-posta adresi
acct-nav-password = Parola
acct-nav-security = Güvenlik
acct-nav-two-factor = İki adımlı doğrulama ve geçiş anahtarları
acct-nav-apps = Bağlı uygulamalar
acct-nav-notifications = Bildirimler
acct-nav-licenses = Lisanslar ve indirmeler
acct-nav-downloads = İndirmeler
acct-nav-extensions = Uzantılar
acct-nav-billing = Fatura adresi
acct-nav-invoices = Faturalar
acct-nav-organizations = Kuruluşlar
acct-nav-groups = Gruplar
acct-nav-agreements = Sözleşmeler
acct-nav-courses = Tamamlanan kurslar
acct-nav-developer = Geliştirici
acct-nav-data = Verileriniz
acct-nav-close = Hesabı kapat

## Ortak sözcükler
acct-optional = (isteğe bağlı)
acct-actions = İşlemler
acct-choose = Seçin…
acct-list-and = { $items } ve { $last }
acct-bytes = { $count ->
    [one] { $count } bayt
   *[other] { $count } bayt
}
acct-role-owner = Sahip
acct-role-admin = Yönetici
acct-role-license-admin = Lisans yöneticisi
acct-role-billing-admin = Faturalandırma yöneticisi
acct-role-member = Üye
acct-role-guest = Misafir

## Profil
acct-profile-title = Profil
acct-profile-signed-in-as = { $email } olarak oturum açıldı.
acct-profile-role-in = { $org } içindeki rolünüz: { $role }.
acct-profile-guest-in = { $org } içinde konuksunuz.
acct-profile-organizations-link = Kuruluşlar ve gruplar
acct-profile-field-given-name = Ad
acct-profile-field-family-name = Soyadı
acct-profile-field-phone = Telefon numarası
acct-profile-field-country = Ülke
acct-profile-field-city = Şehir
acct-profile-field-date-of-birth = Doğum tarihi
acct-profile-field-company = Şirket veya ticari unvan
acct-profile-field-job-title = Unvan
acct-profile-language-browser = Tarayıcı dili
acct-profile-language-hint = Bu sayfaların ve aldığınız e-postaların dili.
acct-profile-saved = Profiliniz kaydedildi.

## Profil resmi
acct-picture-title = Profil resmi
acct-picture-alt = Profil resminiz
acct-picture-alt-initials = Bir resim yükleyene kadar gösterilen baş harfleriniz
acct-picture-replace = Resmi değiştir
acct-picture-upload-label = Resim yükleyin
acct-picture-hint = JPEG, PNG veya WebP, en fazla 5 MB. Ortadan kare olarak kırpılır; konum ve kamera bilgileri kaldırılır.
acct-picture-upload = Resmi yükle
acct-picture-remove = Profil resmini kaldır
acct-picture-saved = Profil resminiz kaydedildi.
acct-picture-removed = Profil resminiz kaldırıldı.
acct-picture-none = Profil resminiz yok.

## Bildirimler
acct-notify-title = E-posta bildirimleri
acct-notify-intro = { $site } hizmetinden hangi e-postaları alacağınızı seçin.
acct-notify-always-on = Her zaman açık
acct-notify-saved = E-posta tercihleriniz kaydedildi.
acct-notify-security = Güvenlik bildirimleri
acct-notify-security-description = Yeni cihazlardan oturum açmalar, parola ve e-posta değişiklikleri. Hesabınızı korumak için her zaman gönderilir.
acct-notify-account = Hesap ve üyelik değişiklikleri
acct-notify-account-description = Davetler, üyelik ve rol değişiklikleri.
acct-notify-licenses = Lisanslar
acct-notify-licenses-description = Size atanan lisanslar ve süresi dolmak üzere olanlar.
acct-notify-invoices = Faturalar
acct-notify-invoices-description = Yeni faturalar (lisans ve faturalandırma yöneticileri için).
acct-notify-product-news = Ürün haberleri
acct-notify-product-news-description = Yeni sürümler ve özellikler.
acct-notify-newsletter = Bülten
acct-notify-newsletter-description = Ara sıra gönderdiğimiz bülten.

## Fatura adresi
acct-billing-title = Fatura adresi
acct-billing-intro = Faturalarınıza aktarılır.
acct-billing-name = Ad veya şirket adı
acct-billing-company = Şirket (isteğe bağlı)
acct-billing-line1 = Sokak ve numara
acct-billing-line2 = Adres satırı 2 (isteğe bağlı)
acct-billing-postal-code = Posta kodu
acct-billing-city = Şehir
acct-billing-region = Bölge veya il (isteğe bağlı)
acct-billing-country = Ülke
acct-billing-vat-id = KDV numarası (isteğe bağlı)
acct-billing-saved = Fatura adresiniz kaydedildi.

## Kuruluşlar
acct-orgs-title = Kuruluşlar
acct-orgs-none = Henüz hiçbir kuruluşa üye değilsiniz. Bir yönetici sizi davet edebilir.
acct-orgs-intro = Üyesi olduğunuz kuruluşlar. Uygulamalar, içinde çalıştığınız kuruluşu görür.
acct-orgs-current = Geçerli
acct-orgs-guest = Misafir
acct-orgs-manage = Yönet
acct-orgs-switch = Giriş yap
acct-orgs-switch-hidden = ({ $name })
acct-orgs-switch-label = { $name } kuruluşuna giriş yap
acct-orgs-leave = Ayrıl
acct-orgs-leave-label = { $name } kuruluşundan ayrıl
acct-orgs-invitations = Davetler
acct-orgs-invitation-meta = { $role } olarak · { $date } tarihine kadar açık
acct-orgs-accept = Kabul et
acct-orgs-accept-label = { $name } davetini kabul et
acct-orgs-decline = Reddet
acct-orgs-decline-label = { $name } davetini reddet
acct-orgs-invitation-hidden = ({ $name } daveti)
acct-orgs-create-title = Kuruluş oluşturun
acct-orgs-create-name = Ad
acct-orgs-create-slug = Kısa ad (isteğe bağlı)
acct-orgs-create = Oluştur
acct-orgs-switched = Artık { $name } içinde çalışıyorsunuz.
acct-orgs-left = { $name } kuruluşundan ayrıldınız.
acct-orgs-created = { $name } oluşturuldu. Sahibi sizsiniz.
acct-orgs-joined = { $name } kuruluşuna katıldınız.
acct-orgs-declined = Davet reddedildi.

## Gruplar
acct-groups-title = Gruplar
acct-groups-intro = { $org } içindeki gruplarınız.
acct-groups-switch = Kuruluş değiştir
acct-groups-none = { $org } içinde hiçbir grupta değilsiniz.
acct-groups-no-organization = Hiçbir kuruluşa üye olmadığınız için gösterilecek grup yok.
acct-groups-others = Diğer gruplar
acct-groups-policy-open = Herkese açık
acct-groups-policy-permission = İzni olan üyelere açık
acct-groups-policy-closed = Kapalı: üyeleri yöneticiler ekler
acct-groups-join = Katıl
acct-groups-join-label = { $name } grubuna katıl
acct-groups-leave = Ayrıl
acct-groups-leave-label = { $name } grubundan ayrıl
acct-groups-cannot-join = Üyeleri bir yönetici ekler.
acct-groups-joined = Gruba katıldınız.
acct-groups-left = Gruptan ayrıldınız.

## Lisanslar
acct-licenses-title = Lisanslar ve indirmeler
acct-licenses-none = Size atanmış lisans yok.
acct-licenses-none-detail = Kuruluşunuz size bir lisans atadığında, sağladığı indirmelerle birlikte burada görünür.
acct-licenses-your-downloads = İndirmeleriniz
acct-licenses-choose-extensions = Uzantılarınızı seçin
acct-licenses-from = Veren: { $org }
acct-licenses-no-end = Bitiş tarihi yok
acct-licenses-valid-until = { $date } tarihine kadar geçerli
acct-licenses-includes = İçerir
acct-licenses-extensions = Uzantılar
acct-licenses-downloads = { $count ->
    [one] { $count } indirme
   *[other] { $count } indirme
}
acct-licenses-managed = Yönettiğiniz lisanslar
acct-licenses-seats-of = { $name } kullanıcı hakları
acct-machines-title = Etkinleştirilmiş cihazlar
acct-machines-intro = Masaüstü uygulamalarınızın etkinleştirildiği bilgisayarlar. Başka bir cihaza yer açmak için artık kullanmadığınız birini devre dışı bırakın.
acct-machines-meta = etkinleştirilme: { $activated } · son görülme: { $seen }
acct-machines-deactivate = Bu cihazı devre dışı bırak
acct-machines-deactivated = Cihaz devre dışı bırakıldı: yeri başka bir cihaz için boş.
acct-briefcases-title = Evrak çantaları
acct-briefcases-intro = Uygulamalarınızın sizin için sakladığı ayarlar; böylece bir bilgisayardan diğerine sizinle gelirler.
acct-briefcases-changed = değiştirilme: { $date }
acct-briefcases-download = İndir
acct-briefcases-reset = Sıfırla
acct-briefcases-hidden = ({ $name } evrak çantası)
acct-briefcases-reset-done = Evrak çantası boş: uygulama varsayılan ayarlarıyla başlar.

## İndirmeler
acct-downloads-title = İndirmeler
acct-downloads-none = İndirebileceğiniz bir şey yok.
acct-downloads-none-detail = İndirmeler lisanslarla gelir. Kuruluşunuz size yazılım içeren bir lisans atadığında burada görünür.
acct-downloads-see-licenses = Lisanslara bakın
acct-downloads-intro = { $minutes ->
    [one] Lisanslarınızın içerdiği yazılımlar. Her indirme bağlantısı { $minutes } dakika geçerlidir; dosyanın eksiksiz geldiğinden emin olmak için SHA-256 sağlama toplamını indirilen dosyayla karşılaştırın.
   *[other] Lisanslarınızın içerdiği yazılımlar. Her indirme bağlantısı { $minutes } dakika geçerlidir; dosyanın eksiksiz geldiğinden emin olmak için SHA-256 sağlama toplamını indirilen dosyayla karşılaştırın.
}
acct-downloads-start-intro = Zaten yüklüyse başlatabilirsiniz:
acct-downloads-start-name = { $name } uygulamasını başlat
acct-downloads-start = Başlat
acct-downloads-start-title = Zaten yüklüyse başlatabilirsiniz
acct-downloads-version = Sürüm
acct-downloads-platform = Platform
acct-downloads-released = Yayın tarihi
acct-downloads-size = Boyut
acct-downloads-notes = Sürüm notları
acct-downloads-external = harici
acct-downloads-download = İndir
acct-downloads-download-label = { $name } { $version } sürümünü { $platform } için indir
acct-downloads-from-publisher = yayıncının sitesinden
acct-download-link-invalid = Bu indirme bağlantısı geçerli değil. Yeni bir bağlantı almak için Hesabım'da İndirmeler'i açın.
acct-download-link-expired = { $minutes ->
    [one] Bu indirme bağlantısının süresi doldu (bağlantılar { $minutes } dakika geçerlidir). Yeni bir bağlantı almak için Hesabım'da İndirmeler'i açın.
   *[other] Bu indirme bağlantısının süresi doldu (bağlantılar { $minutes } dakika geçerlidir). Yeni bir bağlantı almak için Hesabım'da İndirmeler'i açın.
}
acct-download-unavailable = Bu indirme artık kullanımınıza açık değil: onu içeren lisans sona erdi veya hesap kullanılamıyor.

## Uzantılar
acct-ext-title = Uzantılar
acct-ext-none = Lisanslarınızın hiçbiri uzantı içermiyor.
acct-ext-none-detail = Lisanslarınızdan biri uzantı içerdiğinde, çalıştığınız uzantıları burada seçersiniz.
acct-ext-see-licenses = Lisanslarınıza bakın
acct-ext-intro = Çalıştığınız uzantıları seçin; uygulamalarınız seçtiklerinizi yükler. Seçimi kaldırmak için yeniden seçin.
acct-ext-selected-count = { $count ->
    [0] Henüz hiçbiri seçilmedi.
    [one] { $count } uzantı seçildi.
   *[other] { $count } uzantı seçildi.
}
acct-ext-group-manufacturers = Üreticiler
acct-ext-group-utilities = Yardımcı araçlar
acct-ext-selected = Seçildi
acct-ext-select = Seç
acct-ext-learn-more = Daha fazla bilgi
acct-ext-learn-more-hidden = ({ $name } hakkında)
acct-ext-selected-flash = { $name } seçildi.
acct-ext-deselected-flash = { $name } artık seçili değil.

## Faturalar ve kurslar
acct-invoices-none = Gösterilecek fatura yok.
acct-invoices-explanation = Kuruluşunuzun faturaları, lisans ve faturalandırma yöneticileri için burada listelenir.
acct-courses-none = Henüz hiçbir kursu tamamlamadınız.
acct-courses-explanation = Tamamladığınız kurslar, tamamlanma tarihiyle birlikte burada kaydedilir.
acct-courses-col-course = Kurs
acct-courses-col-completed = Tamamlanma
acct-courses-col-score = Puan
acct-courses-col-certificate = Sertifika
acct-courses-certificate = Sertifikayı görüntüle
acct-courses-certificate-of = { $course } kursunun

## Geliştirici: API token'ları
acct-dev-title = API token'ları
acct-dev-intro = Token'lar, betiklerin ve dizin hizmetlerinin (Entra ID, Okta) yönettiğiniz bir kuruluşa erişmesini sağlar. Her token bir kuruluşa erişir ve orada sizin izinlerinizle çalışır: bu izinleri kaybederseniz çalışmayı bırakır.
acct-dev-none = Henüz token oluşturmadınız.
acct-dev-new-title = Yeni token
acct-dev-no-organization = Yönettiğiniz bir kuruluş yok. Bir kuruluşun sahipleri ve yöneticileri burada onun için token oluşturabilir.
acct-dev-org-gone = Ayrıldığınız bir kuruluş
acct-dev-created-title = Yeni token'ınızı şimdi kopyalayın
acct-dev-created-once = Yalnızca bu kez gösterilir; Keystead yalnızca parmak izini saklar.
acct-dev-created-send-as = Bunu
acct-dev-created-to-api = olarak yönetici API'sine gönderin
acct-dev-created-openapi = OpenAPI belgesi
acct-dev-created-scim = SCIM sağlama için kimlik sağlayıcınıza kiracı URL'si
acct-dev-created-scim-end = ile bu token'ı verin.
acct-token-name = Ad
acct-token-name-hint = Ne için olduğu, örneğin “Entra ID sağlama”.
acct-token-organization = Kuruluş
acct-token-token = Token
acct-token-scopes = Kapsamlar
acct-token-expires = Bitiş
acct-token-last-used = Son kullanım
acct-token-never = hiçbir zaman
acct-token-created = oluşturulma: { $date }
acct-token-revoked = Geri alındı
acct-token-revoke = Geri al
acct-token-days = Süresi dolana kadar gün
acct-token-days-hint = 1 ile 3650 arası. Süresi dolmadan yenileyin: süresi dolan token çalışmayı bırakır.
acct-token-create = Token oluştur
acct-token-revoked-flash = Token geri alındı: artık çalışmıyor.
acct-token-not-yours = Bu token sizin geri alabileceğiniz bir token değil.

## Bağlı uygulamalar
acct-apps-title = Bağlı uygulamalar
acct-apps-intro = Hesabınızı kullanmasına izin verdiğiniz uygulamalar. Birinin erişimini geri almak oturumunu kapatır ve bir dahaki sefere size yeniden sorar.
acct-apps-none = Bağlı uygulama yok.
acct-apps-granted = Yetkilendirme: { $date } · görebildikleri: { $sees }
acct-apps-revoke = Erişimi geri al
acct-apps-revoke-label = { $name } erişimini geri al
acct-apps-revoked = { $name } artık hesabınızı kullanamaz.
acct-apps-not-connected = Bu uygulama bağlı değildi.

## Sözleşmeler
acct-agreements-title = Sözleşmeler
acct-agreements-none = Henüz hiçbir sözleşmeyi kabul etmediniz.
acct-agreements-intro = Kabul ettiğiniz her sürüm, ne zaman ve nereden kabul ettiğinizle birlikte.
acct-agreements-item = { $title } (sürüm { $version })
acct-agreements-accepted = Kabul: { $date }
acct-agreements-accepted-from = Kabul: { $date }, { $ip } adresinden
acct-agreement-all = Tüm sözleşmeler
acct-agreement-meta = Sürüm { $version } · yayın: { $published } · kabul ettiğiniz tarih: { $accepted }

## Verileriniz
acct-data-title = Verileriniz
acct-data-intro = { $site } hizmetinin hesabınız hakkında sakladığı her şeyi bir JSON belgesi olarak indirin: profiliniz, oturumlarınız, güvenlik etkinliğiniz ve tercihleriniz.
acct-data-download = Verilerinizi indirin

## Hesabı kapat
acct-close-title = Hesabı kapat
acct-close-intro = { $site } hesabınızı kapatmak:
acct-close-sign-out = her yerde oturumunuzu kapatır ve her oturumu, e-postayla gönderilen bağlantıyı ve doğrulama kodunu sonlandırır;
acct-close-apps = yetkilendirdiğiniz her uygulamanın erişimini sonlandırır — geri dönerseniz yeniden yetkilendirilmezler;
acct-close-grace = { $days ->
    [one] hesabınızı { $days } gün ({ $date } tarihine kadar) saklar: bu süre içinde oturum açarsanız hesabı yeniden etkinleştirebilirsiniz;
   *[other] hesabınızı { $days } gün ({ $date } tarihine kadar) saklar: bu süre içinde oturum açarsanız hesabı yeniden etkinleştirebilirsiniz;
}
acct-close-delete = ardından kişisel verilerinizi kalıcı olarak siler — ad, e-posta adresi, parola, kişisel bilgiler, fatura adresi, tercihler ve etkinliğinizde kaydedilen adresler ile cihazlar. Yalnızca bir hesabın var olduğuna dair anonim bir kayıt tutulur. Bu işlem geri alınamaz.
acct-close-last-owner = { $count ->
    [one] { $names } kuruluşunun son sahibi sizsiniz.
   *[other] { $names } kuruluşlarının son sahibi sizsiniz.
}
acct-close-last-owner-detail = Hesabınız silindiğinde, en eski yöneticisi (yoksa en eski üyesi) sahip olur; içinde misafirler dışında kimse kalmayan kuruluş silinir. Kimin devralacağını seçmek için hesabınızı kapatmadan önce birini sahip yapın.
acct-close-consider = Önce
acct-close-consider-link = verilerinizi indirmeyi
acct-close-consider-end = {" "}düşünün.
acct-close-support = { $days ->
    [one] Fikrinizi mi değiştirdiniz? Kapattıktan sonraki { $days } gün içinde destek ekibi hesabınızı ve verilerinizi geri almanıza yardımcı olabilir:
   *[other] Fikrinizi mi değiştirdiniz? Kapattıktan sonraki { $days } gün içinde destek ekibi hesabınızı ve verilerinizi geri almanıza yardımcı olabilir:
}
acct-close-support-page = destek sayfası
acct-close-accept = Yukarıdakileri dikkatlice okudum ve kabul ediyorum
acct-close-password = Mevcut parola
acct-close-recent-sign-in = Güvenliğiniz için hesabı kapatmak yakın zamanda oturum açmış olmayı gerektirir.
acct-close-submit = Hesabımı kapat
acct-close-done = Hesabınız kapatıldı ve oturumunuz sonlandırıldı. Kişisel verileriniz { $date } tarihinde silinecek; hesabı yeniden etkinleştirmek için bu tarihten önce oturum açın.
acct-reactivate-title = Hesabınızı yeniden etkinleştirin
acct-reactivate-done = Yeniden hoş geldiniz: hesabınız tekrar etkin.
acct-reactivate-expired = Bu yeniden etkinleştirme isteğinin süresi doldu. Hesabınızı yeniden etkinleştirmek için tekrar oturum açın.

## Bu sayfalardaki form hataları
field-error-given-name-required = Adınızı girin.
field-error-family-name-required = Soyadınızı girin.
field-error-phone-required = Telefon numaranızı girin.
field-error-phone-invalid-phone = 5 ile 15 rakam arasında bir telefon numarası girin, örneğin +49 30 1234567.
field-error-country-required = Ülkenizi girin.
field-error-country-unknown-country = Listeden bir ülke seçin.
field-error-city-required = Şehrinizi girin.
field-error-date-of-birth-required = Doğum tarihinizi girin.
field-error-date-of-birth-in-future = Doğum tarihi gelecekte olamaz.
field-error-date-of-birth-too-old = Doğum tarihinin yılını kontrol edin.
field-error-date-of-birth-invalid-date = Tarihi YYYY-AA-GG biçiminde girin.
field-error-company-required = Şirketinizi veya ticari unvanınızı girin.
field-error-job-title-required = Unvanınızı girin.
field-error-picture-required = Yüklemek için bir resim dosyası seçin.
field-error-picture-not-an-image = Bu dosya okuyabileceğimiz bir resim değil. JPEG, PNG veya WebP dosyası yükleyin.
field-error-picture-image-too-large = Bu resim işlenemeyecek kadar çok piksel içeriyor. En fazla { $max } × { $max } piksel bir resim kullanın.
field-error-picture-file-too-large = { $size ->
    [none] Dosya çok büyük; en fazla { $max } MB boyutunda bir resim yükleyin.
   *[other] Dosya { $size } MB; en fazla { $max } MB boyutunda bir resim yükleyin.
}
acct-error-billing-name-required = Adı veya şirket adını girin.
field-error-line1-required = Sokak ve numarayı girin.
field-error-postal-code-required = Posta kodunu girin.
field-error-postal-code-invalid = Yalnızca harf, rakam, boşluk ve kısa çizgi kullanın.
acct-error-billing-city-required = Şehri girin.
acct-error-billing-country-required = Ülkeyi girin.
field-error-vat-id-invalid = KDV numarasını ülke önekiyle girin, örneğin DE123456789.
acct-error-token-name-invalid-name = Token'a ne için olduğunu belirten, 1 ile 100 karakter arasında bir ad verin.
acct-error-token-organization-required = Token'ın erişeceği kuruluşu seçin.
field-error-scopes-required = Token'a en az bir kapsam verin.
field-error-scopes-unknown-scope = { $scope } bir kapsam değil; kapsamlar şunlardır: { $scopes }.
field-error-scopes-scope-not-for-organizations = { $scope } tüm kurulumu ilgilendirir; bir kuruluşun token'ı bunu içeremez.
field-error-scopes-scope-needs-organization = { $scope } her zaman tek bir kuruluşa aittir: kuruluşu belirtin.
field-error-days-invalid-days = Bir token { $min } ile { $max } gün arasında geçerlidir.
acct-error-close-accept-required = Yukarıdakileri okuduğunuzu ve kabul ettiğinizi onaylamak için kutuyu işaretleyin.
acct-error-close-password-required = Mevcut parolanızı girin.
acct-error-close-password-reauthenticate = Oturumu kapatıp yeniden açın, ardından hesabı beş dakika içinde kapatın.
acct-error-close-password-wrong-password = Parola doğru değil.
