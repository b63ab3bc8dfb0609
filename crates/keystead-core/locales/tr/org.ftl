# Kuruluş yönetim sayfaları: üyeler, gruplar, roller, lisanslar, API belirteçleri, ayarlar.
# (Çoklu oturum açma org_sso.ftl dosyasındadır.)

## Ortak
org-tab-members = Üyeler
org-tab-groups = Gruplar
org-tab-roles = Roller
org-tab-licenses = Lisanslar
org-tab-invoices = Faturalar
org-tab-sso = Çoklu oturum açma
org-tab-tokens = API belirteçleri
org-tab-settings = Ayarlar
org-nav-my-organizations = Kuruluşlarım
org-actions = İşlemler
org-search = Ara
org-name = Ad
org-delete = Sil
org-remove = Kaldır
org-no-member-matches = Aramayla eşleşen üye yok.
org-invitation-closed = Bu davet artık açık değil: yanıtlanmış, geri alınmış ya da süresi dolmuş.

## Yerleşik roller
org-role-owner = Sahip
org-role-admin = Yönetici
org-role-license-admin = Lisans yöneticisi
org-role-billing-admin = Faturalama yöneticisi
org-role-member = Üye
org-role-guest = Misafir

## İzinler
org-permission-org-manage = Kuruluşun adını, logosunu, alan adlarını ve ayarlarını yönetme
org-permission-members-read = Üyeleri görme
org-permission-members-invite = Kişileri davet etme
org-permission-members-remove = Üyeleri kaldırma
org-permission-roles-manage = Rolleri yönetme ve üyelerin rollerini değiştirme
org-permission-groups-manage = Grupları ve üyelerini yönetme
org-permission-groups-join = İzin gerektiren gruplara katılma
org-permission-licenses-assign = Lisans atama
org-permission-invoices-read = Faturaları okuma
org-permission-sso-manage = Çoklu oturum açmayı yönetme

## Üyeler
org-members-title = { $org } üyeleri
org-members-heading = Üyeler
org-members-search-label = Ada veya adrese göre arayın
org-members-col-member = Üye
org-members-col-role = Rol
org-members-col-groups = Gruplar
org-members-col-joined = Katılma tarihi
org-members-guest = Misafir
org-members-role-of = { $email } rolü
org-members-change-role = Rolü değiştir
# Yalnızca ekran okuyucular için, "Rolü değiştir"den sonra okunur.
org-members-change-role-target = ({ $email })
org-members-last-owner = Son sahip
org-members-remove = Kaldır
# Yalnızca ekran okuyucular için, "Kaldır"dan sonra okunur.
org-members-remove-target = { $email }
org-members-remove-title = Bir üyeyi çıkar
org-members-remove-message = { $email }, { $org } erişimini kaybeder: oradaki rolü, grupları ve kendisine atanmış koltuklar sona erer. Hesabı kalır.
org-members-previous-page = Önceki sayfa
org-members-next-page = Sonraki sayfa
org-members-page = Sayfa { $page }
org-invite-heading = Birini davet edin
org-invite-email = E-posta adresi
org-invite-role = Rol
org-invite-send = Davet gönder
org-invitations-heading = Açık davetler
org-invitations-none = Açık davet yok. Yukarıdan birini davet edin; davet yanıtlanana ya da süresi dolana kadar burada görünür.
org-invitations-col-until = Son geçerlilik tarihi
org-invitation-resend = Yeniden gönder
org-invitation-revoke = Geri al
# Yalnızca ekran okuyucular için, "Yeniden gönder" veya "Geri al"dan sonra okunur.
org-invitation-target = ({ $email } daveti)
org-flash-invitation-sent = { $email } adresine bir davet gönderildi.
org-flash-role-changed = Rol artık { $role }.
org-flash-member-removed = Üye kaldırıldı.
org-flash-invitation-revoked = Davet geri alındı: bağlantısı artık çalışmıyor.
org-flash-invitation-resent = Davet yeni bir bağlantıyla yeniden gönderildi.

## Gruplar
org-groups-title = { $org } grupları
org-groups-heading = Gruplar
org-groups-empty = Henüz grup yok.
org-group-policy-open = açık
org-group-policy-permission = izinle
org-group-policy-closed = kapalı
org-groups-add-label = { $group } grubuna eklenecek üye
org-groups-add = Ekle
# Yalnızca ekran okuyucular için, "Ekle"den sonra okunur.
org-groups-add-target = ({ $group } grubuna)
org-groups-new-heading = Yeni grup
org-groups-description = Açıklama
org-groups-join-policy = Kimler katılabilir
org-groups-join-open = Açık: her üye
org-groups-join-permission = groups:join iznine sahip üyeler
org-groups-join-closed = Kapalı: üyeleri yöneticiler ekler
org-groups-create = Grup oluştur
org-flash-group-created = { $name } grubu oluşturuldu.
org-flash-group-deleted = Grup silindi.
org-flash-group-member-added = { $email } artık grupta.

## Roller
org-roles-title = { $org } rolleri
org-roles-heading = Roller
org-roles-col-role = Rol
org-roles-col-permissions = İzinler
org-roles-builtin = Yerleşik
# Yalnızca ekran okuyucular için, "Sil"den sonra okunur.
org-roles-delete-target = ({ $role } rolü)
org-groups-delete-title = Grubu sil
org-groups-delete-message = { $count ->
    [0] { $group } grubu silinir. Grubun üyesi yok.
    [one] { $group } grubu silinir: üyesi gruptan çıkar ve { $org } kuruluşunda kalır.
   *[other] { $group } grubu silinir: { $count } üyesi gruptan çıkar ve { $org } kuruluşunda kalır.
}
org-roles-delete-title = Rolü sil
org-roles-delete-message = { $role } rolü, verdiği izinlerle birlikte silinir. Üyeler bu role sahip olduğu sürece rol silinmez: önce onlara başka bir rol verin.
org-roles-new-heading = Yeni özel rol
org-roles-create = Rol oluştur
org-flash-role-created = { $name } rolü oluşturuldu.
org-flash-role-deleted = Rol silindi.

## Lisanslar
org-licenses-title = { $org } lisansları
org-licenses-heading = Lisanslar
org-licenses-empty = Kuruluşun aboneliği yok.
org-licenses-empty-hint = Abonelikler, kuruluşunuz lisans satın aldığında eklenir; koltukları atanmak üzere burada görünür.
org-licenses-plan = plan
org-licenses-seats-used = { $seats ->
    [one] { $seats } koltuktan { $used } tanesi kullanılıyor
   *[other] { $seats } koltuktan { $used } tanesi kullanılıyor
}
org-licenses-status-ended = Sona erdi
org-licenses-status-starts = { $date } tarihinde başlıyor
org-licenses-status-active-until = { $date } tarihine kadar etkin
org-licenses-status-active = Etkin, bitiş tarihi yok
org-licenses-no-holder = Atanmış koltuk yok.
org-licenses-col-holder = Sahibi
org-licenses-col-assigned = Atanma
org-licenses-unassign = Atamayı kaldır
org-licenses-assign-heading = Koltuk atayın
org-licenses-search-label = Üyeleri ada veya adrese göre bulun
org-licenses-col-holds = Sahip olduğu
org-licenses-col-assign = Ata
org-licenses-holds-every-plan = Her plana sahip
org-licenses-plan-for = { $email } için plan
org-licenses-assign = Ata
# Yalnızca ekran okuyucular için, "Ata"dan sonra okunur.
org-licenses-assign-target = ({ $email })
org-licenses-more-candidates = Başka üyeler de eşleşiyor: listeyi daraltmak için bir ad veya adres arayın.
org-licenses-group-heading = Bir gruba atayın
org-licenses-no-groups = Kuruluşun grubu yok. Gruplar Gruplar sayfasında oluşturulur.
org-licenses-group-intro = Grubun bu planda koltuğu olmayan her üyesi, boş koltuk kaldıkça bir koltuk alır.
org-licenses-group = Grup
org-licenses-group-option = { $group } ({ $count })
org-licenses-plan-label = Plan
org-licenses-assign-group = Koltukları gruba ata
org-flash-seat-assigned = { $plan } planından bir koltuk atandı.
org-flash-seat-unassigned = { $plan } planındaki koltuk yeniden boş.
org-flash-group-seats-assigned = { $count ->
    [0] Hiçbir üye yeni koltuk almadı.
    [one] { $count } üye bir koltuk aldı.
   *[other] { $count } üye bir koltuk aldı.
}
org-flash-group-seats-held = { $count ->
    [one] { $count } üyenin zaten koltuğu vardı.
   *[other] { $count } üyenin zaten koltuğu vardı.
}
org-flash-group-seats-none-left = Şu üyeler için koltuk kalmadı: { $names }.

## API belirteçleri
org-tokens-title = { $org } API belirteçleri
org-tokens-created-heading = Yeni belirtecinizi şimdi kopyalayın
org-tokens-created-once = Yalnızca bu kez gösterilir; Keystead yalnızca parmak izini saklar.
org-tokens-created-scim = SCIM ile hazırlama için kimlik sağlayıcınıza şu kiracı URL'sini
org-tokens-created-scim-after = ve bu belirteci verin.
org-tokens-heading = API belirteçleri
org-tokens-intro = Belirteçler yalnızca bu kuruluşa erişir ve burada sizin izinlerinizle çalışır: izinlerinizi kaybederseniz çalışmaz hale gelirler.
org-tokens-empty = Henüz belirteç yok.
org-tokens-col-token = Belirteç
org-tokens-col-scopes = Kapsamlar
org-tokens-col-expires = Sona erme
org-tokens-col-last-used = Son kullanım
org-tokens-new-heading = Yeni belirteç
org-tokens-name-hint = Ne için kullanılacağı, örneğin “Entra ID ile hazırlama”.
org-tokens-days = Sona ermesine kalan gün
org-tokens-days-hint = 1 ile 3650 arası. Bu süre dolmadan yenileyin: süresi dolan belirteç çalışmaz.
org-tokens-create = Belirteç oluştur
org-token-never = hiçbir zaman
org-flash-token-revoked = Belirteç iptal edildi: artık çalışmıyor.
org-scope-users-read = Kullanıcıları okuma (bir kuruluşun belirtecinde: üyelerini).
org-scope-users-write = Kullanıcı oluşturma, değiştirme, devre dışı bırakma ve kapatma.
org-scope-orgs-read = Kuruluşları, üyeleri, davetleri, grupları ve rolleri okuma.
org-scope-orgs-write = Kuruluşları, üyeleri, davetleri, grupları ve rolleri değiştirme.
org-scope-audit-read = Denetim kaydını okuma.
org-scope-licenses-read = Ürünleri, planları, abonelikleri ve koltukları okuma.
org-scope-licenses-write = Ürün ve plan ekleme, abonelikleri değiştirme ve koltuk atama.
org-scope-webhooks-read = Webhook uç noktalarını ve teslimatları okuma.
org-scope-webhooks-write = Webhook uç noktalarını yönetme ve teslimatları yeniden gönderme.
org-scope-scim = SCIM 2.0 ile kullanıcı ve grup hazırlama.

## Ayarlar
org-settings-title = { $org } ayarları
org-settings-heading = Ayarlar
org-settings-require-mfa = Üyelerden iki adımlı doğrulama iste
org-settings-min-length = En kısa parola uzunluğu (boş: sistemin ayarı)
org-settings-max-length = En uzun parola uzunluğu (boş: sistemin ayarı)
org-settings-brand-color = Vurgu rengi (boş: sistemin rengi)
org-settings-brand-color-hint = #rrggbb biçiminde, örneğin #1f5fbf. Bu sayfalardaki düğmeler ve bağlantılar, kuruluşa yapılan davetler ve üyelerin üst çubuğu bu rengi alır; hangi rengi seçerseniz seçin üzerindeki metin okunaklı kalır.
org-settings-save = Ayarları kaydet
org-flash-settings-saved = Ayarlar kaydedildi.
org-logo-heading = Logo
org-logo-alt = { $org } logosu
org-logo-initials = { $org } kuruluşunun henüz logosu yok: baş harfleri gösteriliyor
org-logo-replace = Logoyu değiştir
org-logo-upload-label = Logo yükle
org-logo-chosen = Bir görsel seçildi: aşağıdaki düğmeyle yükleyin.
org-logo-preview-alt = Seçilen görsel
org-logo-hint = JPEG, PNG veya WebP, en fazla 5 MB. Ortadan kare olarak kırpılır.
org-logo-upload = Logoyu yükle
org-logo-remove = Logoyu kaldır
org-flash-logo-saved = Logo kaydedildi.
org-flash-logo-removed = Logo kaldırıldı.
org-flash-logo-none = Logo yok.
org-domains-heading = E-posta alan adları
org-domains-intro = Doğrulanmış bir alan adı yalnızca bu kuruluşa aittir. Bir alan adının size ait olduğunu kanıtlamak için gösterilen adda, gösterilen değerle bir DNS TXT kaydı yayımlayın, ardından “Şimdi denetle” düğmesine basın (Keystead bekleyen alan adlarını bir hafta boyunca 15 dakikada bir kendisi de denetler).
org-domains-empty = Henüz alan adı yok.
org-domains-verified = Doğrulandı
org-domains-pending = Bekliyor
org-domains-record-name = TXT kaydının adı
org-domains-record-value = Değer
org-domain-last-checked = Son denetim: { $when }.
org-domain-last-checked-with = Son denetim: { $when }: { $message }
org-domains-check = Şimdi denetle
org-domains-add-label = Alan adı ekleyin
org-domains-add = Alan adı ekle
org-flash-domain-added = { $domain } eklendi. Aşağıda gösterilen TXT kaydını yayımlayın, ardından “Şimdi denetle” düğmesine basın.
org-flash-domain-verified = { $domain } doğrulandı.
org-flash-domain-removed = { $domain } kaldırıldı.
org-delete-heading = Kuruluşu silin
org-delete-warning = Bu işlem { $org } kuruluşunu üyeleri, grupları, rolleri ve davetleriyle birlikte siler. Geri alınamaz.
org-delete-confirm = Onaylamak için kısa adı yazın
org-delete-submit = Kuruluşu sil
org-flash-org-deleted = { $org } silindi.

## Kuruluş sayfalarının form hataları (field-error-<alan>-<kod>)
field-error-password-min-length-out-of-range = { $min } ile { $max } arasında bir uzunluk seçin ya da boş bırakın.
field-error-password-max-length-out-of-range = { $min } ile { $max } arasında bir uzunluk seçin ya da boş bırakın.
field-error-password-max-length-below-minimum = En uzun değer en kısa değerden küçük olamaz.
field-error-password-min-length-not-a-number = Bir tam sayı girin ya da boş bırakın.
field-error-password-max-length-not-a-number = Bir tam sayı girin ya da boş bırakın.
field-error-brand-color-invalid-color = Rengi #rrggbb biçiminde girin, örneğin #1f5fbf, ya da boş bırakın.
field-error-slug-invalid-slug = { $min } ile { $max } arasında küçük harf, rakam ve kısa çizgi kullanın (başta veya sonda kısa çizgi olmadan).
field-error-slug-slug-taken = Bu kısa ad başka bir kuruluş tarafından kullanılıyor: başka bir ad seçin.
field-error-slug-slug-required = Bir kısa ad seçin: addan bir kısa ad oluşturulamıyor.
field-error-confirm-confirmation-mismatch = Onaylamak için kuruluşun kısa adını yazın: { $slug }.
field-error-join-policy-invalid = Kimlerin katılabileceğini seçin: açık, izinle veya kapalı.
field-error-permissions-unknown-permission = Listeden izin seçin.
field-error-permissions-required = En az bir izin seçin.
field-error-name-reserved = Bu, yerleşik bir rolün adı: başka bir ad seçin.
field-error-role-unknown-role = Listeden bir rol seçin.
field-error-role-role-in-use = Bu role sahip üyeler var: rolü silmeden önce onlara başka bir rol verin.
field-error-email-already-member = Bu kişi zaten kuruluşa ait.
field-error-email-already-assigned = Bu kullanıcının bu planda zaten bir koltuğu var.
field-error-plan-unknown-plan = Bu anahtarla bir plan yok.
field-error-plan-no-subscription = Kuruluşun { $plan } için geçerli bir aboneliği yok.
field-error-plan-no-free-seat = { $count ->
    [one] { $plan } planının tek koltuğu atanmış: önce atamayı kaldırın ya da koltuk ekleyin.
   *[other] { $plan } planının { $count } koltuğunun tümü atanmış: önce birinin atamasını kaldırın ya da koltuk ekleyin.
}
field-error-domain-invalid-domain = example.com gibi bir alan adı girin.
field-error-domain-domain-taken = Bu alan adı zaten bir kuruluşa ait.
field-error-domain-domain-added = Bu kuruluş bu alan adını zaten ekledi.
org-invoices-title = { $org } faturaları
