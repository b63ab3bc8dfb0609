//! An invoice drawn as an A4 PDF with krilla: DejaVu Sans embedded (subset) so German and
//! Turkish letters show, the seller and the buyer at the top, the lines as a table that breaks
//! onto further pages (its header repeated), the totals per tax rate right-aligned, the bank
//! details and "Page n of m" at the foot of every page. Laid out here: text is measured with
//! rustybuzz, the shaper krilla draws with.

use std::sync::LazyLock;

use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect, Size, Transform};
use krilla::image::Image;
use krilla::metadata::Metadata;
use krilla::page::PageSettings;
use krilla::paint::Fill;
use krilla::surface::Surface;
use krilla::text::{Font, TextDirection};

use super::Invoice;
use crate::branding::Logo;
use crate::error::{Error, Result};
use crate::i18n::Locale;

/// The drawing code's version: a kept PDF drawn by another version is drawn again.
pub const LAYOUT: i32 = 1;

static REGULAR_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_BYTES: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// A font to draw with and to measure with.
struct Face {
    font: Font,
    shaper: rustybuzz::Face<'static>,
}

impl Face {
    fn load(bytes: &'static [u8]) -> Option<Self> {
        Some(Self { font: Font::new(bytes.into(), 0)?, shaper: rustybuzz::Face::from_slice(bytes, 0)? })
    }

    /// The width of `text` at `size` points.
    fn width(&self, text: &str, size: f32) -> f32 {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        let shaped = rustybuzz::shape(&self.shaper, &[], buffer);
        let units: i32 = shaped.glyph_positions().iter().map(|p| p.x_advance).sum();
        #[expect(clippy::cast_precision_loss, reason = "advances of one line of text")]
        let units = units as f32;
        units / f32::from(u16::try_from(self.shaper.units_per_em()).unwrap_or(2048).max(1)) * size
    }
}

static FACES: LazyLock<Option<(Face, Face)>> =
    LazyLock::new(|| Some((Face::load(REGULAR_BYTES)?, Face::load(BOLD_BYTES)?)));

const WIDTH: f32 = 595.28;
const HEIGHT: f32 = 841.89;
const MARGIN: f32 = 50.0;
const RIGHT: f32 = WIDTH - MARGIN;
const SIZE: f32 = 9.5;
const LEADING: f32 = 13.0;
/// Where the table may go down to before the foot (bank details, page number).
const TABLE_BOTTOM: f32 = HEIGHT - 110.0;
/// The table's columns: description from the left margin; the rest right-aligned at these x.
const COL_QTY: f32 = 330.0;
const COL_UNIT: f32 = 400.0;
const COL_TAX: f32 = 445.0;
const DESCRIPTION_WIDTH: f32 = 260.0;

/// One page being drawn.
struct Pen<'a, 'b> {
    surface: Surface<'a>,
    faces: &'b (Face, Face),
}

impl Pen<'_, '_> {
    fn face(&self, bold: bool) -> &Face {
        if bold { &self.faces.1 } else { &self.faces.0 }
    }

    fn text(&mut self, x: f32, y: f32, text: &str, size: f32, bold: bool) {
        let font = self.face(bold).font.clone();
        self.surface.draw_text(Point::from_xy(x, y), font, size, text, false, TextDirection::LeftToRight);
    }

    /// Draws `text` ending at `right`.
    fn right(&mut self, right: f32, y: f32, text: &str, size: f32, bold: bool) {
        let w = self.face(bold).width(text, size);
        self.text(right - w, y, text, size, bold);
    }

    fn rule(&mut self, y: f32, grey: u8) {
        if let Some(rect) = Rect::from_xywh(MARGIN, y, RIGHT - MARGIN, 0.6) {
            let mut pb = PathBuilder::new();
            pb.push_rect(rect);
            if let Some(path) = pb.finish() {
                self.surface
                    .set_fill(Some(Fill { paint: rgb::Color::new(grey, grey, grey).into(), ..Fill::default() }));
                self.surface.draw_path(&path);
                self.surface.set_fill(Some(Fill::default()));
            }
        }
    }
}

/// Breaks `text` into lines no wider than `width` (at word boundaries; a longer word is cut).
fn wrap(face: &Face, text: &str, size: f32, width: f32) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut current = String::new();
    for word in text.split_whitespace() {
        let candidate = if current.is_empty() { word.to_owned() } else { format!("{current} {word}") };
        if face.width(&candidate, size) <= width {
            current = candidate;
            continue;
        }
        if !current.is_empty() {
            lines.push(std::mem::take(&mut current));
        }
        for c in word.chars() {
            current.push(c);
            if face.width(&current, size) > width {
                current.pop();
                lines.push(std::mem::take(&mut current));
                current.push(c);
            }
        }
    }
    if !current.is_empty() || lines.is_empty() {
        lines.push(current);
    }
    lines
}

/// The rows of the table: each line's wrapped description and its figures.
struct Row {
    description: Vec<String>,
    figures: [String; 4],
}

fn rows(invoice: &Invoice, l: Locale, face: &Face) -> Vec<Row> {
    let money = |m: i64| l.money(m, invoice.exponent, &invoice.currency);
    invoice
        .lines
        .iter()
        .map(|line| Row {
            description: wrap(face, &line.description, SIZE, DESCRIPTION_WIDTH),
            figures: [
                l.number(line.quantity),
                money(line.unit_price_minor),
                l.rate(line.tax_rate_bp),
                money(line.net_minor),
            ],
        })
        .collect()
}

/// Splits the rows into pages: the first page holds less (the addresses are above the table).
fn paginate(rows: &[Row], first_top: f32, next_top: f32, totals_height: f32) -> Vec<std::ops::Range<usize>> {
    let mut pages = Vec::new();
    let (mut start, mut y) = (0, first_top);
    for (i, row) in rows.iter().enumerate() {
        #[expect(clippy::cast_precision_loss, reason = "a few wrapped lines")]
        let h = row.description.len() as f32 * LEADING + 4.0;
        let last = i + 1 == rows.len();
        let needed = if last { h + totals_height } else { h };
        if y + needed > TABLE_BOTTOM && i > start {
            pages.push(start..i);
            start = i;
            y = next_top;
        }
        y += h;
    }
    pages.push(start..rows.len());
    pages
}

/// Draws `invoice` as a PDF in its language.
pub fn draw(invoice: &Invoice, logo: Option<&Logo>) -> Result<Vec<u8>> {
    let faces =
        FACES.as_ref().ok_or_else(|| Error::Internal(anyhow::anyhow!("the embedded invoice font cannot be read")))?;
    let l = invoice.language;
    let title = if invoice.credit_note_of.is_some() { l.t("invoice-credit-note-title") } else { l.t("invoice-title") };
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(format!("{title} {}", invoice.number))
            .language(l.tag().to_owned())
            .creator("Keystead".to_owned()),
    );
    let rows = rows(invoice, l, &faces.0);
    let totals_height = (invoice.taxes.len() as f32 + 3.0) * LEADING + 16.0;
    let header_bottom = header_height(invoice, l);
    let pages = paginate(&rows, header_bottom + 2.0 * LEADING, MARGIN + 3.0 * LEADING, totals_height);
    let count = pages.len();
    for (n, range) in pages.into_iter().enumerate() {
        let settings = PageSettings::from_wh(WIDTH, HEIGHT).ok_or_else(|| Error::Internal(anyhow::anyhow!("A4")))?;
        let mut page = document.start_page_with(settings);
        {
            let mut pen = Pen { surface: page.surface(), faces };
            let mut y = if n == 0 {
                draw_header(&mut pen, invoice, l, &title, logo);
                header_bottom + LEADING
            } else {
                pen.text(MARGIN, MARGIN, &format!("{title} {}", invoice.number), SIZE, true);
                MARGIN + 2.0 * LEADING
            };
            y = draw_table_head(&mut pen, y, l);
            for row in &rows[range.clone()] {
                y = draw_row(&mut pen, y, row);
            }
            if n + 1 == count {
                draw_totals(&mut pen, y + 6.0, invoice, l);
            }
            draw_foot(&mut pen, invoice, l, n + 1, count);
            pen.surface.finish();
        }
        page.finish();
    }
    document.finish().map_err(|e| Error::Internal(anyhow::anyhow!("drawing the invoice PDF: {e:?}")))
}

/// Where the header (seller, title, buyer, details) ends on the first page.
fn header_height(invoice: &Invoice, l: Locale) -> f32 {
    #[expect(clippy::cast_precision_loss, reason = "a handful of lines")]
    let seller = MARGIN + invoice.seller_lines(l).len() as f32 * LEADING;
    #[expect(clippy::cast_precision_loss, reason = "a handful of lines")]
    let buyer = invoice.buyer_lines(l).len().max(5) as f32 * LEADING;
    seller.max(MARGIN + 60.0) + 40.0 + LEADING + buyer
}

fn draw_header(pen: &mut Pen<'_, '_>, invoice: &Invoice, l: Locale, title: &str, logo: Option<&Logo>) {
    if let Some(image) = logo.and_then(logo_image) {
        let (w, h) = image.size();
        #[expect(clippy::cast_precision_loss, reason = "image sizes")]
        let (w, h) = (w as f32, h as f32);
        let scale = (48.0 / h).min(160.0 / w);
        if let Some(size) = Size::from_wh(w * scale, h * scale) {
            pen.surface.push_transform(&Transform::from_translate(MARGIN, MARGIN - 8.0));
            pen.surface.draw_image(image, size);
            pen.surface.pop();
        }
    }
    let mut y = MARGIN;
    for (i, line) in invoice.seller_lines(l).iter().enumerate() {
        pen.right(RIGHT, y, line, if i == 0 { 11.0 } else { SIZE }, i == 0);
        y += LEADING;
    }
    let mut y = y.max(MARGIN + 60.0) + 30.0;
    pen.text(MARGIN, y, title, 20.0, true);
    y += 10.0 + LEADING;
    let top = y;
    pen.text(MARGIN, y, &l.t("invoice-bill-to"), 8.0, true);
    for line in invoice.buyer_lines(l) {
        y += LEADING;
        pen.text(MARGIN, y, &line, SIZE, false);
    }
    let mut details = vec![
        (l.t("invoice-number"), invoice.number.clone()),
        (l.t("invoice-issued"), l.day(invoice.issued_on)),
        (l.t("invoice-due"), l.day(invoice.due_on)),
        (l.t("invoice-status"), l.t(invoice.status.label_key())),
        (l.t("invoice-currency"), invoice.currency.clone()),
    ];
    if let Some(original) = &invoice.credit_note_of {
        details.push((l.t("invoice-credit-note-of"), original.clone()));
    }
    let mut y = top;
    for (label, value) in details {
        pen.text(340.0, y, &label, SIZE, false);
        pen.right(RIGHT, y, &value, SIZE, true);
        y += LEADING;
    }
}

fn logo_image(logo: &Logo) -> Option<Image> {
    let data: krilla::Data = logo.bytes.clone().into();
    match logo.content_type {
        "image/png" => Image::from_png(data, true).ok(),
        "image/jpeg" => Image::from_jpeg(data, true).ok(),
        "image/webp" => Image::from_webp(data, true).ok(),
        _ => None,
    }
}

fn draw_table_head(pen: &mut Pen<'_, '_>, y: f32, l: Locale) -> f32 {
    pen.text(MARGIN, y, &l.t("invoice-col-description"), 8.5, true);
    pen.right(COL_QTY, y, &l.t("invoice-col-quantity"), 8.5, true);
    pen.right(COL_UNIT, y, &l.t("invoice-col-unit-price"), 8.5, true);
    pen.right(COL_TAX, y, &l.t("invoice-col-tax"), 8.5, true);
    pen.right(RIGHT, y, &l.t("invoice-col-amount"), 8.5, true);
    pen.rule(y + 5.0, 80);
    y + 5.0 + LEADING + 2.0
}

fn draw_row(pen: &mut Pen<'_, '_>, y: f32, row: &Row) -> f32 {
    let mut line_y = y;
    for text in &row.description {
        pen.text(MARGIN, line_y, text, SIZE, false);
        line_y += LEADING;
    }
    for (x, figure) in [COL_QTY, COL_UNIT, COL_TAX, RIGHT].into_iter().zip(&row.figures) {
        pen.right(x, y, figure, SIZE, false);
    }
    pen.rule(line_y - LEADING + 4.0, 210);
    line_y + 4.0
}

fn draw_totals(pen: &mut Pen<'_, '_>, mut y: f32, invoice: &Invoice, l: Locale) {
    let money = |m: i64| l.money(m, invoice.exponent, &invoice.currency);
    let label_x = 330.0;
    pen.text(label_x, y, &l.t("invoice-net"), SIZE, false);
    pen.right(RIGHT, y, &money(invoice.net_minor), SIZE, false);
    for t in &invoice.taxes {
        y += LEADING;
        let label = l.t2("invoice-tax-on", "rate", l.rate(t.rate_bp), "net", money(t.net_minor));
        pen.text(label_x, y, &label, SIZE, false);
        pen.right(RIGHT, y, &money(t.tax_minor), SIZE, false);
    }
    y += 6.0;
    if let Some(rect) = Rect::from_xywh(label_x, y, RIGHT - label_x, 0.8) {
        let mut pb = PathBuilder::new();
        pb.push_rect(rect);
        if let Some(path) = pb.finish() {
            pen.surface.draw_path(&path);
        }
    }
    y += LEADING + 2.0;
    pen.text(label_x, y, &l.t("invoice-total"), 11.0, true);
    pen.right(RIGHT, y, &money(invoice.total_minor), 11.0, true);
}

fn draw_foot(pen: &mut Pen<'_, '_>, invoice: &Invoice, l: Locale, page: usize, pages: usize) {
    let s = &invoice.seller;
    let mut y = HEIGHT - 80.0;
    pen.rule(y - 12.0, 180);
    let bank: Vec<String> =
        [s.bank_name.clone(), s.iban.as_ref().map(|v| format!("IBAN {v}")), s.bic.as_ref().map(|v| format!("BIC {v}"))]
            .into_iter()
            .flatten()
            .collect();
    if !bank.is_empty() {
        pen.text(MARGIN, y, &l.t("invoice-bank"), 8.0, true);
        y += 11.0;
        pen.text(MARGIN, y, &bank.join(" · "), 8.0, false);
    }
    let footer = l.t2("invoice-page", "page", page.to_string(), "pages", pages.to_string());
    pen.right(RIGHT, HEIGHT - 40.0, &footer, 8.0, false);
    pen.text(MARGIN, HEIGHT - 40.0, &format!("{} · {}", s.name, invoice.number), 8.0, false);
}
