//! The profile picture: an upload is decoded under strict limits, centre-cropped, resized to
//! 512 and 128 px and re-encoded (so no metadata survives); without one, an initials avatar.

use std::io::Cursor;

use image::codecs::jpeg::JpegEncoder;
use image::codecs::png::PngEncoder;
use image::imageops::FilterType;
use image::metadata::Orientation;
use image::{
    DynamicImage, ExtendedColorType, ImageDecoder, ImageEncoder, ImageError, ImageFormat, ImageReader, Limits,
};
use sha2::{Digest, Sha256};

use super::User;
use crate::Core;
use crate::audit::{self, AuditAction, RequestMeta};
use crate::error::{Error, FieldErrors, Result};
use crate::ids::UserId;
use crate::store::pictures::{self as store, PictureRow};

/// The form field of the upload, named in validation errors.
pub const FIELD: &str = "picture";
/// The largest file accepted.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// The largest width and height decoded; anything larger is refused before decoding.
pub const MAX_DIMENSION: u32 = 8000;
/// The most memory a decoder may allocate (an 8000 × 8000 RGBA image fits).
const MAX_DECODER_ALLOC: u64 = 256 * 1024 * 1024;
/// JPEG quality of the re-encoded pictures.
const JPEG_QUALITY: u8 = 85;

/// One of the two stored sizes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureSize {
    /// 512 × 512 px.
    Large,
    /// 128 × 128 px.
    Small,
}

impl PictureSize {
    /// From its URL form (`"512"`, `"128"`).
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "512" => Some(Self::Large),
            "128" => Some(Self::Small),
            _ => None,
        }
    }

    /// Width and height in pixels.
    pub fn pixels(self) -> u32 {
        match self {
            Self::Large => 512,
            Self::Small => 128,
        }
    }
}

/// An image to serve: a stored picture, or the initials avatar (SVG).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvatarImage {
    /// `image/jpeg`, `image/png` or `image/svg+xml`.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
    /// The image's version, the same for both sizes: with the size, a strong validator for
    /// `ETag` (RFC 9110 §8.8.3).
    pub etag: String,
}

/// Both sizes of a processed upload, in one format.
#[derive(Debug, Clone)]
pub struct ProcessedPicture {
    /// `image/jpeg` (opaque pictures) or `image/png` (pictures with transparency).
    pub content_type: &'static str,
    /// 512 × 512 px.
    pub large: Vec<u8>,
    /// 128 × 128 px.
    pub small: Vec<u8>,
    /// A digest of both.
    pub etag: String,
}

fn not_an_image() -> Error {
    Error::invalid(FIELD, "not_an_image", "This file is not an image we can read. Upload a JPEG, PNG or WebP file.")
}

fn too_many_pixels() -> Error {
    let mut errors = FieldErrors::new();
    errors.add_with(
        FIELD,
        "image_too_large",
        format!(
            "This image has too many pixels to process. Use an image of at most {MAX_DIMENSION} × {MAX_DIMENSION} pixels."
        ),
        vec![("max", MAX_DIMENSION.to_string())],
    );
    Error::Invalid(errors)
}

/// The validation error for an upload of `len` bytes over [`MAX_UPLOAD_BYTES`].
pub fn file_too_large(len: Option<u64>) -> Error {
    let limit = MAX_UPLOAD_BYTES / (1024 * 1024);
    let mut errors = FieldErrors::new();
    match len {
        Some(len) => {
            let size = format!("{:.1}", len as f64 / (1024.0 * 1024.0)); // lossy on purpose: one decimal is shown
            let message = format!("The file is {size} MB; upload an image of at most {limit} MB.");
            errors.add_with(FIELD, "file_too_large", message, vec![("size", size), ("max", limit.to_string())]);
        }
        None => {
            let message = format!("The file is too large; upload an image of at most {limit} MB.");
            // `size` "none": the translation's variant for a size the browser did not declare.
            let args = vec![("size", "none".to_owned()), ("max", limit.to_string())];
            errors.add_with(FIELD, "file_too_large", message, args);
        }
    }
    Error::Invalid(errors)
}

fn decode_error(e: ImageError) -> Error {
    match e {
        ImageError::Limits(_) => too_many_pixels(),
        _ => not_an_image(),
    }
}

/// Decodes a JPEG, PNG or WebP file (the format read from its content, never trusted from a name
/// or header) under dimension and memory limits, with its EXIF orientation applied.
fn decode(bytes: &[u8]) -> Result<DynamicImage> {
    let mut reader = ImageReader::new(Cursor::new(bytes)).with_guessed_format().map_err(|_| not_an_image())?;
    if !matches!(reader.format(), Some(ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP)) {
        return Err(not_an_image());
    }
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_DIMENSION);
    limits.max_image_height = Some(MAX_DIMENSION);
    limits.max_alloc = Some(MAX_DECODER_ALLOC);
    reader.limits(limits);
    let mut decoder = reader.into_decoder().map_err(decode_error)?;
    let orientation = decoder.orientation().unwrap_or(Orientation::NoTransforms);
    let mut img = DynamicImage::from_decoder(decoder).map_err(decode_error)?;
    img.apply_orientation(orientation);
    Ok(img)
}

/// Encodes without any metadata: PNG when some pixel is transparent, JPEG otherwise.
fn encode(img: &DynamicImage, png: bool) -> Result<Vec<u8>> {
    let mut out = Vec::new();
    let (w, h) = (img.width(), img.height());
    let result = if png {
        PngEncoder::new(&mut out).write_image(img.to_rgba8().as_raw(), w, h, ExtendedColorType::Rgba8)
    } else {
        JpegEncoder::new_with_quality(&mut out, JPEG_QUALITY).write_image(
            img.to_rgb8().as_raw(),
            w,
            h,
            ExtendedColorType::Rgb8,
        )
    };
    result.map_err(|e| Error::Internal(anyhow::Error::new(e).context("encoding the profile picture")))?;
    Ok(out)
}

/// Turns an upload into the stored picture: decoded under limits, oriented, centre-cropped to a
/// square, resized to 512 and 128 px and re-encoded. CPU-bound: run it off the async threads.
pub fn process(bytes: &[u8]) -> Result<ProcessedPicture> {
    let img = decode(bytes)?;
    let side = img.width().min(img.height());
    if side == 0 {
        return Err(not_an_image());
    }
    let square = img.crop_imm((img.width() - side) / 2, (img.height() - side) / 2, side, side);
    drop(img);
    let png = square.color().has_alpha() && square.to_rgba8().pixels().any(|p| p.0[3] < u8::MAX);
    let (l, s) = (PictureSize::Large.pixels(), PictureSize::Small.pixels());
    let large = square.resize_exact(l, l, FilterType::CatmullRom);
    drop(square);
    let small = large.resize_exact(s, s, FilterType::CatmullRom);
    let (large, small) = (encode(&large, png)?, encode(&small, png)?);
    let digest = Sha256::new().chain_update(&large).chain_update(&small).finalize();
    let etag = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    Ok(ProcessedPicture { content_type: if png { "image/png" } else { "image/jpeg" }, large, small, etag })
}

/// Up to two initials: of the given and family names, else of the email address.
pub fn initials(user: &User) -> String {
    let first = |s: Option<&str>| s.and_then(|s| s.trim().chars().next()).filter(|c| c.is_alphanumeric());
    let names: String = [first(user.given_name.as_deref()), first(user.family_name.as_deref())]
        .into_iter()
        .flatten()
        .flat_map(char::to_uppercase)
        .collect();
    if !names.is_empty() {
        return names;
    }
    user.email.chars().find(|c| c.is_alphanumeric()).map(|c| c.to_uppercase().collect()).unwrap_or_default()
}

fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// The initials avatar: the initials (escaped) on a colour chosen from the user's id.
pub fn initials_svg(initials: &str, seed: UserId, size: PictureSize) -> String {
    const COLOURS: [&str; 8] = ["#1f6feb", "#8250df", "#bf3989", "#cf222e", "#bc4c00", "#4d7c0f", "#0e7490", "#57606a"];
    let colour = COLOURS[usize::from(seed.0.as_bytes()[15]) % COLOURS.len()];
    let px = size.pixels();
    format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{px}\" height=\"{px}\" viewBox=\"0 0 100 100\" role=\"img\">\
         <rect width=\"100\" height=\"100\" fill=\"{colour}\"/>\
         <text x=\"50\" y=\"50\" dy=\"0.35em\" text-anchor=\"middle\" font-family=\"system-ui, sans-serif\" \
         font-size=\"40\" fill=\"#ffffff\">{}</text></svg>",
        xml_escape(initials)
    )
}

/// The version of the initials avatar: it changes when the initials do.
fn initials_version(user: &User) -> String {
    let digest = Sha256::new().chain_update(initials(user)).chain_update(user.id.0.as_bytes()).finalize();
    format!("i{}", digest.iter().take(12).map(|b| format!("{b:02x}")).collect::<String>())
}

/// What a page needs to show a user's picture.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvatarInfo {
    /// True when the user uploaded a picture (false: the initials avatar).
    pub uploaded: bool,
    /// The current version of the image, for cache-busting URLs.
    pub version: String,
}

impl Core {
    /// Replaces the user's profile picture with a processed copy of `upload` (JPEG, PNG or WebP,
    /// at most [`MAX_UPLOAD_BYTES`]); anything else is refused with a message on [`FIELD`] and
    /// nothing changes. Returns the new picture's version.
    pub async fn set_profile_picture(&self, user: &User, upload: Vec<u8>, meta: &RequestMeta) -> Result<String> {
        if upload.is_empty() {
            return Err(Error::invalid(FIELD, "required", "Choose an image file to upload."));
        }
        if upload.len() > MAX_UPLOAD_BYTES {
            return Err(file_too_large(u64::try_from(upload.len()).ok()));
        }
        let permit = self.image_decode_permit()?;
        let picture = tokio::task::spawn_blocking(move || process(&upload))
            .await
            .map_err(|e| Error::Internal(anyhow::Error::new(e).context("processing the profile picture")))??;
        drop(permit);
        let now = self.clock().now();
        let row = PictureRow {
            content_type: picture.content_type,
            large: &picture.large,
            small: &picture.small,
            etag: &picture.etag,
        };
        let mut tx = self.store().begin().await?;
        store::upsert(tx.db(), user.id, &row, now).await?;
        let details = serde_json::json!({"content_type": picture.content_type});
        audit::record(tx.db(), now, AuditAction::PictureChanged, Some(user.id), Some(user.id), meta, details).await?;
        tx.commit().await?;
        Ok(picture.etag)
    }

    /// Removes the user's profile picture (the initials avatar shows again); true when there was one.
    pub async fn remove_profile_picture(&self, user: &User, meta: &RequestMeta) -> Result<bool> {
        let now = self.clock().now();
        let mut tx = self.store().begin().await?;
        let removed = store::delete(tx.db(), user.id).await?;
        if removed {
            let details = serde_json::json!({});
            audit::record(tx.db(), now, AuditAction::PictureRemoved, Some(user.id), Some(user.id), meta, details)
                .await?;
        }
        tx.commit().await?;
        Ok(removed)
    }

    /// The version of the user's uploaded picture, or `None` when they have none.
    pub async fn profile_picture_version(&self, user: UserId) -> Result<Option<String>> {
        let mut conn = self.store().conn().await?;
        Ok(store::etag(conn.db(), user).await?)
    }

    /// The picture of `owner` as `viewer` may see it: the uploaded picture or the initials
    /// avatar. Only the owner sees it for now (`NotFound` for anyone else, revealing nothing);
    /// organisations will let their members see each other's.
    pub async fn profile_picture(&self, viewer: &User, owner: UserId, size: PictureSize) -> Result<AvatarImage> {
        if viewer.id != owner {
            return Err(Error::NotFound);
        }
        let mut conn = self.store().conn().await?;
        Ok(match store::image(conn.db(), owner, size == PictureSize::Large).await? {
            Some(row) => AvatarImage { content_type: row.content_type, bytes: row.bytes, etag: row.etag },
            None => AvatarImage {
                content_type: "image/svg+xml".to_owned(),
                bytes: initials_svg(&initials(viewer), viewer.id, size).into_bytes(),
                etag: initials_version(viewer),
            },
        })
    }

    /// Whether the user has uploaded a picture, and the version of the image shown.
    pub async fn avatar(&self, user: &User) -> Result<AvatarInfo> {
        Ok(match self.profile_picture_version(user.id).await? {
            Some(version) => AvatarInfo { uploaded: true, version },
            None => AvatarInfo { uploaded: false, version: initials_version(user) },
        })
    }
}

#[cfg(test)]
mod tests {
    use image::{GenericImageView, Rgb, RgbImage, Rgba, RgbaImage};

    use super::*;

    fn png(img: &DynamicImage) -> Vec<u8> {
        let mut out = Cursor::new(Vec::new());
        img.write_to(&mut out, ImageFormat::Png).unwrap();
        out.into_inner()
    }

    fn code(e: Error) -> &'static str {
        match e {
            Error::Invalid(f) => f.0[0].code,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_wide_picture_is_centre_cropped_and_resized_to_both_squares() {
        // Red left and right thirds, green centre: the square crop keeps only the green.
        let img =
            RgbImage::from_fn(
                900,
                300,
                |x, _| if (300..600).contains(&x) { Rgb([0, 200, 0]) } else { Rgb([200, 0, 0]) },
            );
        let p = process(&png(&DynamicImage::ImageRgb8(img))).unwrap();
        assert_eq!(p.content_type, "image/jpeg", "opaque pictures become JPEG");
        for (bytes, side) in [(&p.large, 512), (&p.small, 128)] {
            let out = image::load_from_memory(bytes).unwrap();
            assert_eq!(out.dimensions(), (side, side));
            let Rgb([r, g, _]) = out.to_rgb8().get_pixel(3, side / 2).to_owned();
            assert!(g > 150 && r < 60, "edge pixel is from the centre: {r} {g}");
        }
        assert_eq!(p.etag.len(), 32);
    }

    #[test]
    fn transparency_is_kept_as_png() {
        let img = RgbaImage::from_pixel(40, 60, Rgba([10, 20, 30, 0]));
        let p = process(&png(&DynamicImage::ImageRgba8(img))).unwrap();
        assert_eq!(p.content_type, "image/png");
        assert_eq!(image::load_from_memory(&p.small).unwrap().dimensions(), (128, 128));
    }

    #[test]
    fn non_images_and_oversized_dimensions_are_refused_with_their_own_codes() {
        assert_eq!(code(process(b"%PDF-1.7 not an image").unwrap_err()), "not_an_image");
        assert_eq!(code(process(b"GIF89a\x01\x00\x01\x00").unwrap_err()), "not_an_image");
        let mut truncated = png(&DynamicImage::ImageRgb8(RgbImage::new(50, 50)));
        truncated.truncate(truncated.len() / 2);
        assert_eq!(code(process(&truncated).unwrap_err()), "not_an_image");
        let too_wide = png(&DynamicImage::ImageLuma8(image::GrayImage::new(MAX_DIMENSION + 1, 1)));
        assert_eq!(code(process(&too_wide).unwrap_err()), "image_too_large");
    }

    #[test]
    fn initials_come_from_the_names_or_the_email_and_are_escaped_in_the_svg() {
        let mut user = User {
            id: UserId::new(),
            email: "<ada>@example.com".into(),
            email_verified_at: None,
            has_password: true,
            password_changed_at: None,
            given_name: None,
            family_name: None,
            status: super::super::UserStatus::Active,
            created_at: time::OffsetDateTime::UNIX_EPOCH,
            last_sign_in_at: None,
            locale: None,
        };
        assert_eq!(initials(&user), "A");
        user.given_name = Some(" ada".into());
        user.family_name = Some("lovelace".into());
        assert_eq!(initials(&user), "AL");
        let svg = initials_svg("<&>", user.id, PictureSize::Small);
        assert!(svg.contains(">&lt;&amp;&gt;</text>") && svg.contains("width=\"128\""), "{svg}");
    }
}
