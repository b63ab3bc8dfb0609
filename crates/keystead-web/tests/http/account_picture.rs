//! My Account → profile picture over HTTP: multipart uploads of real images, the re-encoded
//! squares and their caching headers, metadata removal, every kind of bad upload, removal back
//! to the initials avatar, CSRF, and who may see a picture.

use std::io::Cursor;

use image::{DynamicImage, GenericImageView, ImageFormat, Rgb, RgbImage};
use keystead_testkit::TestApp;
use reqwest::header::{CACHE_CONTROL, CONTENT_TYPE, ETAG, IF_NONE_MATCH};
use reqwest::{Client, Response, StatusCode};

use super::auth::{PASSWORD, active_user, get, location, post_form, signed_in_browser};

const BOUNDARY: &str = "----keystead-test-boundary-7MA4YWxkTrZu0gW";

/// The `value` of the page's first `csrf_token` input.
fn csrf_of(html: &str) -> String {
    let at = html.find("name=\"csrf_token\" value=\"").unwrap() + "name=\"csrf_token\" value=\"".len();
    html[at..at + html[at..].find('"').unwrap()].to_owned()
}

/// The `src` of the picture card's image.
fn picture_src(html: &str) -> String {
    let at = html.find("<img src=\"").unwrap() + "<img src=\"".len();
    html[at..at + html[at..].find('"').unwrap()].replace("&#61;", "=").replace("&#x3d;", "=")
}

fn multipart(token: Option<&str>, file: &[u8], filename: &str) -> Vec<u8> {
    let mut body = Vec::new();
    if let Some(token) = token {
        body.extend_from_slice(
            format!("--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"csrf_token\"\r\n\r\n{token}\r\n")
                .as_bytes(),
        );
    }
    body.extend_from_slice(
        format!(
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"picture\"; filename=\"{filename}\"\r\n\
             Content-Type: application/octet-stream\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(file);
    body.extend_from_slice(format!("\r\n--{BOUNDARY}--\r\n").as_bytes());
    body
}

async fn post_multipart(app: &TestApp, client: &Client, body: Vec<u8>) -> Response {
    client
        .post(app.at("/account/picture"))
        .header(CONTENT_TYPE, format!("multipart/form-data; boundary={BOUNDARY}"))
        .body(body)
        .send()
        .await
        .unwrap()
}

/// Uploads `file` with the page's CSRF token.
async fn upload(app: &TestApp, client: &Client, file: &[u8]) -> Response {
    let (_, html) = get(app, client, "/account/profile").await;
    post_multipart(app, client, multipart(Some(&csrf_of(&html)), file, "me.img")).await
}

/// The served image at the card's versioned URL, for `size` (512 or 128).
async fn served(app: &TestApp, client: &Client, size: u32) -> Response {
    let (_, html) = get(app, client, "/account/profile").await;
    let src = picture_src(&html).replace("/512?", &format!("/{size}?"));
    client.get(app.at(&src)).send().await.unwrap()
}

fn encode(img: &DynamicImage, format: ImageFormat) -> Vec<u8> {
    let mut out = Cursor::new(Vec::new());
    img.write_to(&mut out, format).unwrap();
    out.into_inner()
}

/// Top half red, bottom half green.
fn two_tone(w: u32, h: u32) -> DynamicImage {
    DynamicImage::ImageRgb8(RgbImage::from_fn(w, h, |_, y| if y < h / 2 { Rgb([220, 0, 0]) } else { Rgb([0, 200, 0]) }))
}

/// A JPEG with an EXIF APP1 segment right after SOI: orientation `orientation` and a GPS-like
/// marker string that must not survive.
fn jpeg_with_exif(img: &DynamicImage, orientation: u8) -> Vec<u8> {
    let jpeg = encode(img, ImageFormat::Jpeg);
    let mut tiff = b"MM\x00\x2a\x00\x00\x00\x08".to_vec();
    tiff.extend_from_slice(&[0, 1]); // one IFD entry
    tiff.extend_from_slice(&[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0]); // Orientation, SHORT
    tiff.extend_from_slice(&[0, 0, 0, 0]); // no next IFD
    tiff.extend_from_slice(b"GPS-SECRET 52.5200N 13.4050E");
    let payload = [b"Exif\x00\x00".as_slice(), &tiff].concat();
    let len = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
    [&jpeg[..2], &[0xFF, 0xE1], &len, &payload, &jpeg[2..]].concat()
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = 0xFFFF_FFFFu32;
    for b in data {
        crc ^= u32::from(*b);
        for _ in 0..8 {
            crc = if crc & 1 == 1 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// A small PNG whose header claims 100 000 × 100 000 pixels (40 GB decoded).
fn png_bomb() -> Vec<u8> {
    let mut png = encode(&DynamicImage::ImageRgb8(RgbImage::new(1, 1)), ImageFormat::Png);
    // Signature (8), IHDR length (4), "IHDR" (4), width (4), height (4), … then the CRC.
    png[16..20].copy_from_slice(&100_000u32.to_be_bytes());
    png[20..24].copy_from_slice(&100_000u32.to_be_bytes());
    let crc = crc32(&png[12..29]);
    png[29..33].copy_from_slice(&crc.to_be_bytes());
    png
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

async fn signed_in(app: &TestApp, email: &str) -> Client {
    active_user(app, email).await;
    signed_in_browser(app, email, PASSWORD).await
}

#[tokio::test]
async fn a_png_and_a_jpeg_are_served_as_512_and_128_squares_with_an_etag() {
    let app = TestApp::new().await;
    let client = signed_in(&app, "ada@example.com").await;
    let (status, html) = get(&app, &client, "/account/profile").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("Profile picture") && html.contains("<label for=\"picture\">Upload a picture"), "{html}");
    assert!(html.contains("enctype=\"multipart/form-data\"") && !html.contains("Remove profile picture"), "{html}");

    for (format, content_type) in [(ImageFormat::Png, "image/jpeg"), (ImageFormat::Jpeg, "image/jpeg")] {
        let res = upload(&app, &client, &encode(&two_tone(300, 200), format)).await;
        assert_eq!((res.status(), location(&res)), (StatusCode::SEE_OTHER, "/account/profile".to_owned()));
        let (_, html) = get(&app, &client, "/account/profile").await;
        assert!(html.contains("Your profile picture is saved.") && html.contains("Remove profile picture"), "{html}");
        for size in [512, 128] {
            let res = served(&app, &client, size).await;
            assert_eq!(res.status(), StatusCode::OK);
            assert_eq!(res.headers()[CONTENT_TYPE], content_type, "opaque pictures are re-encoded as JPEG");
            assert_eq!(res.headers()[CACHE_CONTROL], "private, max-age=31536000, immutable");
            let etag = res.headers()[ETAG].to_str().unwrap().to_owned();
            assert!(etag.starts_with('"') && etag.ends_with(&format!("-{size}\"")), "{etag}");
            let img = image::load_from_memory(&res.bytes().await.unwrap()).unwrap();
            assert_eq!(img.dimensions(), (size, size));

            let (_, html) = get(&app, &client, "/account/profile").await;
            let src = picture_src(&html).replace("/512?", &format!("/{size}?"));
            let again = client.get(app.at(&src)).header(IF_NONE_MATCH, &etag).send().await.unwrap();
            assert_eq!(again.status(), StatusCode::NOT_MODIFIED);
            assert_eq!(again.headers()[ETAG], etag.as_str());
            // Without the version the image is revalidated on each use.
            let plain = src.split('?').next().unwrap();
            let unversioned = client.get(app.at(plain)).send().await.unwrap();
            assert_eq!(unversioned.headers()[CACHE_CONTROL], "private, no-cache");
        }
    }
    let transparent = DynamicImage::ImageRgba8(image::RgbaImage::from_pixel(64, 64, image::Rgba([0, 0, 0, 0])));
    assert_eq!(upload(&app, &client, &encode(&transparent, ImageFormat::Png)).await.status(), StatusCode::SEE_OTHER);
    assert_eq!(served(&app, &client, 128).await.headers()[CONTENT_TYPE], "image/png", "transparency is kept");

    let export = client.get(app.at("/account/data/download")).send().await.unwrap();
    let export: serde_json::Value = export.json().await.unwrap();
    assert_eq!(export["profile_picture"]["uploaded"], true, "{export}");
}

#[tokio::test]
async fn exif_and_gps_data_do_not_survive_and_the_orientation_is_applied() {
    let app = TestApp::new().await;
    let client = signed_in(&app, "ada@example.com").await;
    // Orientation 6: the camera was turned; shown rotated 90° clockwise, so the red top half
    // ends up on the right.
    let upload_bytes = jpeg_with_exif(&two_tone(200, 200), 6);
    assert!(contains(&upload_bytes, b"Exif\x00\x00") && contains(&upload_bytes, b"GPS-SECRET"));
    assert_eq!(upload(&app, &client, &upload_bytes).await.status(), StatusCode::SEE_OTHER);
    for size in [512, 128] {
        let bytes = served(&app, &client, size).await.bytes().await.unwrap();
        assert!(!contains(&bytes, b"Exif") && !contains(&bytes, b"GPS-SECRET"), "metadata survived at {size}");
        let img = image::load_from_memory(&bytes).unwrap().to_rgb8();
        assert_eq!(img.dimensions(), (size, size));
        let (left, right) = (img.get_pixel(size / 8, size / 2), img.get_pixel(size - size / 8, size / 2));
        assert!(left.0[1] > 150 && left.0[0] < 80, "left is green: {left:?}");
        assert!(right.0[0] > 150 && right.0[1] < 80, "right is red: {right:?}");
    }
}

#[tokio::test]
async fn a_file_that_is_not_an_image_or_a_bomb_is_refused_with_a_message_and_nothing_changes() {
    let app = TestApp::new().await;
    let client = signed_in(&app, "ada@example.com").await;
    assert_eq!(
        upload(&app, &client, &encode(&two_tone(80, 80), ImageFormat::Png)).await.status(),
        StatusCode::SEE_OTHER
    );
    let (_, before) = get(&app, &client, "/account/profile").await;
    let before = picture_src(&before);

    let cases: [(&[u8], &str); 4] = [
        (
            b"%PDF-1.7\n1 0 obj << >> endobj\n",
            "This file is not an image we can read. Upload a JPEG, PNG or WebP file.",
        ),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "This file is not an image we can read."),
        (&png_bomb(), "This image has too many pixels to process. Use an image of at most 8000 × 8000 pixels."),
        (b"", "Choose an image file to upload."),
    ];
    for (file, message) in cases {
        let res = upload(&app, &client, file).await;
        assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "{message}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{message} missing: {html}");
        assert!(html.contains("id=\"picture-error\"") && html.contains("aria-invalid=\"true\""), "{html}");
        assert_eq!(picture_src(&html), before, "the picture did not change");
    }
}

#[tokio::test]
async fn a_20_mb_upload_gets_a_413_page_with_the_message_and_changes_nothing() {
    let app = TestApp::new().await;
    let client = signed_in(&app, "ada@example.com").await;
    let (_, html) = get(&app, &client, "/account/profile").await;
    let before = picture_src(&html);
    let huge = vec![0xABu8; 20 * 1024 * 1024];
    let res = post_multipart(&app, &client, multipart(Some(&csrf_of(&html)), &huge, "huge.jpg")).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let html = res.text().await.unwrap();
    assert!(html.contains("The file is 20.0 MB; upload an image of at most 5 MB."), "{html}");
    assert_eq!(picture_src(&html), before);

    // Just over 5 MB passes the body limit and is refused by the file-size rule.
    let over = vec![0xABu8; 5 * 1024 * 1024 + 1];
    let res = upload(&app, &client, &over).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("upload an image of at most 5 MB."));
}

#[tokio::test]
async fn removing_the_picture_falls_back_to_the_initials_avatar() {
    let app = TestApp::new().await;
    let client = signed_in(&app, "ada@example.com").await;
    let named =
        post_form(&app, &client, "/account/profile", &[("given_name", "ada"), ("family_name", "Lovelace")]).await;
    assert_eq!(named.status(), StatusCode::SEE_OTHER);
    let initials = served(&app, &client, 128).await;
    assert_eq!(initials.headers()[CONTENT_TYPE], "image/svg+xml");
    let svg = initials.text().await.unwrap();
    assert!(svg.starts_with("<svg") && svg.contains(">AL</text>") && svg.contains("width=\"128\""), "{svg}");

    assert_eq!(
        upload(&app, &client, &encode(&two_tone(50, 50), ImageFormat::Png)).await.status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(served(&app, &client, 512).await.headers()[CONTENT_TYPE], "image/jpeg");
    let removed = post_form(&app, &client, "/account/picture/remove", &[]).await;
    assert_eq!((removed.status(), location(&removed)), (StatusCode::SEE_OTHER, "/account/profile".to_owned()));
    let (_, html) = get(&app, &client, "/account/profile").await;
    assert!(html.contains("Your profile picture is removed.") && !html.contains("Remove profile picture"), "{html}");
    let back = served(&app, &client, 512).await;
    assert_eq!(back.headers()[CONTENT_TYPE], "image/svg+xml");
    assert!(back.text().await.unwrap().contains(">AL</text>"));
}

#[tokio::test]
async fn an_upload_without_the_right_csrf_token_is_refused_and_changes_nothing() {
    let app = TestApp::new().await;
    let client = signed_in(&app, "ada@example.com").await;
    let png = encode(&two_tone(60, 60), ImageFormat::Png);
    for token in [None, Some("forged")] {
        let res = post_multipart(&app, &client, multipart(token, &png, "me.png")).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{token:?}");
        assert!(res.text().await.unwrap().contains("This form has expired"));
    }
    assert_eq!(served(&app, &client, 128).await.headers()[CONTENT_TYPE], "image/svg+xml", "still the initials");
    let remove = client.post(app.at("/account/picture/remove")).form(&[("csrf_token", "forged")]).send().await.unwrap();
    assert_eq!(remove.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_picture_is_shown_only_to_its_owner() {
    let app = TestApp::new().await;
    let ada = signed_in(&app, "ada@example.com").await;
    let eve = signed_in(&app, "eve@example.com").await;
    assert_eq!(upload(&app, &ada, &encode(&two_tone(60, 60), ImageFormat::Png)).await.status(), StatusCode::SEE_OTHER);
    let (_, html) = get(&app, &ada, "/account/profile").await;
    let src = picture_src(&html);
    assert_eq!(ada.get(app.at(&src)).send().await.unwrap().status(), StatusCode::OK);
    assert_eq!(eve.get(app.at(&src)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "another user");
    let visitor = app.client().get(app.at(&src)).send().await.unwrap();
    assert_eq!(visitor.status(), StatusCode::SEE_OTHER, "signed out: sent to sign in");
    assert!(location(&visitor).starts_with("/sign-in?return_to="));
    for bad in ["/account/picture/not-an-id/512", &src.replace("/512?", "/64?")] {
        assert_eq!(ada.get(app.at(bad)).send().await.unwrap().status(), StatusCode::NOT_FOUND, "{bad}");
    }
}
