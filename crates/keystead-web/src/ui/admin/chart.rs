//! The dashboard's small bar charts, drawn on the server as SVG: sign-ins beside failed
//! sign-ins per window. The geometry is computed here (a pure function, tested); the template
//! only writes the numbers into `<rect>`s, and the same figures go into a table for screen readers.

/// The drawing area's width, in SVG user units.
pub const WIDTH: u32 = 480;
/// The drawing area's height (the bars' full height), in SVG user units.
pub const HEIGHT: u32 = 120;
/// Room left and right of the drawing area for the axis labels.
const PAD: u32 = 20;

/// One rectangle.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rect {
    /// Left edge.
    pub x: u32,
    /// Top edge (the baseline is at [`HEIGHT`]).
    pub y: u32,
    /// Width.
    pub width: u32,
    /// Height; 0 for no events, at least 1 for any.
    pub height: u32,
}

/// The two bars of one window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BarPair {
    /// Successful sign-ins.
    pub ok: Rect,
    /// Failed sign-ins.
    pub failed: Rect,
}

/// The bar height of `value` when `max` fills `height`: proportional, rounded, at least 1 for
/// any value above zero so that a single event is not invisible; 0 when there is nothing.
fn scale(value: i64, max: i64, height: u32) -> u32 {
    if value <= 0 || max <= 0 {
        return 0;
    }
    let h = (i128::from(value) * i128::from(height) + i128::from(max) / 2) / i128::from(max);
    u32::try_from(h).unwrap_or(height).clamp(1, height)
}

/// The bars of `windows` (sign-ins, failures), oldest first, laid out left to right in
/// `width` × `height`: each window gets an equal slot, its two bars side by side with a gap,
/// all scaled to the largest count of either kind.
pub fn bars(windows: &[(i64, i64)], width: u32, height: u32) -> Vec<BarPair> {
    let n = u32::try_from(windows.len()).unwrap_or(u32::MAX).max(1);
    let slot = width / n;
    let gap = (slot / 5).max(1);
    let bar = (slot.saturating_sub(gap) / 2).max(1);
    let max = windows.iter().flat_map(|&(a, b)| [a, b]).max().unwrap_or(0);
    windows
        .iter()
        .zip(0u32..)
        .map(|(&(ok, failed), i)| {
            let x = i * slot + gap / 2;
            let rect = |x: u32, v: i64| {
                let h = scale(v, max, height);
                Rect { x, y: height - h, width: bar, height: h }
            };
            BarPair { ok: rect(x, ok), failed: rect(x + bar, failed) }
        })
        .collect()
}

/// A chart as the template draws it.
#[derive(Debug, Clone)]
pub struct ChartView {
    /// The element id prefix (`day`, `week`), for `aria-labelledby`.
    pub id: &'static str,
    /// The heading and SVG title.
    pub title: String,
    /// One sentence with the totals (the SVG's description).
    pub summary: String,
    /// The bars.
    pub bars: Vec<BarPair>,
    /// Axis labels: x position and text, under some of the slots.
    pub ticks: Vec<(u32, String)>,
    /// The table's rows: the window, sign-ins, failures.
    pub rows: Vec<(String, i64, i64)>,
}

impl ChartView {
    /// The drawing's width.
    pub fn width(&self) -> u32 {
        WIDTH
    }

    /// The SVG's `viewBox`: the drawing with room on both sides for the labels of the first
    /// and last slots.
    pub fn view_box(&self) -> String {
        format!("-{PAD} 0 {} {}", WIDTH + 2 * PAD, self.height())
    }

    /// The drawing's height: the bars and a line of labels under them.
    pub fn height(&self) -> u32 {
        HEIGHT + 18
    }

    /// The baseline's y.
    pub fn baseline(&self) -> u32 {
        HEIGHT
    }

    /// Where the labels' text sits.
    pub fn label_y(&self) -> u32 {
        HEIGHT + 14
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_largest_count_fills_the_height_and_the_others_are_proportional() {
        let b = bars(&[(10, 0), (5, 1), (0, 20)], 300, 100);
        assert_eq!(b.len(), 3);
        assert_eq!(b[2].failed.height, 100);
        assert_eq!(b[2].failed.y, 0);
        assert_eq!(b[0].ok.height, 50);
        assert_eq!(b[0].ok.y, 50);
        assert_eq!(b[1].ok.height, 25);
        // One failure among twenty is still drawn.
        assert_eq!(b[1].failed.height, 5);
        assert_eq!(b[0].failed.height, 0);
        assert_eq!(b[0].failed.y, 100);
    }

    #[test]
    fn a_single_event_beside_many_gets_one_unit_not_nothing() {
        let b = bars(&[(100_000, 1)], 100, 100);
        assert_eq!((b[0].ok.height, b[0].failed.height), (100, 1));
    }

    #[test]
    fn no_data_draws_flat_bars_and_no_windows_draws_nothing() {
        let b = bars(&[(0, 0); 24], WIDTH, HEIGHT);
        assert_eq!(b.len(), 24);
        assert!(b.iter().all(|p| p.ok.height == 0 && p.failed.height == 0 && p.ok.y == HEIGHT));
        assert!(bars(&[], WIDTH, HEIGHT).is_empty());
    }

    #[test]
    fn slots_are_laid_out_left_to_right_inside_the_width() {
        let b = bars(&[(1, 1); 7], WIDTH, HEIGHT);
        for pair in b.windows(2) {
            assert!(pair[0].failed.x + pair[0].failed.width <= pair[1].ok.x);
        }
        let last = b[6].failed;
        assert!(last.x + last.width <= WIDTH);
        assert_eq!(b[0].ok.x + b[0].ok.width, b[0].failed.x);
    }

    #[test]
    fn scaling_rounds_and_clamps() {
        assert_eq!(scale(1, 3, 100), 33);
        assert_eq!(scale(2, 3, 100), 67);
        assert_eq!(scale(3, 3, 100), 100);
        assert_eq!(scale(-1, 3, 100), 0);
        assert_eq!(scale(5, 0, 100), 0);
        assert_eq!(scale(i64::MAX, i64::MAX, 100), 100);
    }
}
