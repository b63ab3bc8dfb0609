//! Dates and numbers as each language writes them. Times are shown in UTC and say so (the
//! user's time zone is not applied yet).

use time::OffsetDateTime;

use super::Locale;

const MONTHS_EN: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];
const MONTHS_DE: [&str; 12] = [
    "Januar",
    "Februar",
    "März",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Dezember",
];
const MONTHS_TR: [&str; 12] =
    ["Ocak", "Şubat", "Mart", "Nisan", "Mayıs", "Haziran", "Temmuz", "Ağustos", "Eylül", "Ekim", "Kasım", "Aralık"];

impl Locale {
    fn month(self, t: OffsetDateTime) -> &'static str {
        let i = usize::from(u8::from(t.month())) - 1;
        match self {
            Self::En => MONTHS_EN[i],
            Self::De => MONTHS_DE[i],
            Self::Tr => MONTHS_TR[i],
        }
    }

    /// A day: "4 December 2026", "4. Dezember 2026", "4 Aralık 2026" (in UTC).
    pub fn date(self, t: OffsetDateTime) -> String {
        let t = t.to_offset(time::UtcOffset::UTC);
        let (day, month, year) = (t.day(), self.month(t), t.year());
        match self {
            Self::En | Self::Tr => format!("{day} {month} {year}"),
            Self::De => format!("{day}. {month} {year}"),
        }
    }

    /// A moment: "4 December 2026, 17:55 UTC" (the 24-hour clock in all three languages).
    pub fn date_time(self, t: OffsetDateTime) -> String {
        let t = t.to_offset(time::UtcOffset::UTC);
        let (hour, minute) = (t.hour(), t.minute());
        match self {
            Self::En | Self::De => format!("{}, {hour:02}:{minute:02} UTC", self.date(t)),
            Self::Tr => format!("{} {hour:02}:{minute:02} UTC", self.date(t)),
        }
    }

    /// A whole number with the language's digit grouping: 12,345 / 12.345 / 12.345.
    pub fn number(self, n: i64) -> String {
        let sep = match self {
            Self::En => ',',
            Self::De | Self::Tr => '.',
        };
        let digits = n.unsigned_abs().to_string();
        let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
        if n < 0 {
            out.push('-');
        }
        for (i, c) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
        out
    }

    /// A percentage with at most one decimal, as the language writes it: "92.5%", "92,5 %",
    /// "%92,5" (whole values without a decimal).
    pub fn percent(self, value: f64) -> String {
        let tenths = (value * 10.0).round() / 10.0;
        let text = if tenths.fract() == 0.0 { format!("{tenths:.0}") } else { format!("{tenths:.1}") };
        match self {
            Self::En => format!("{text}%"),
            Self::De => format!("{} %", text.replace('.', ",")),
            Self::Tr => format!("%{}", text.replace('.', ",")),
        }
    }

    /// A calendar day, as [`Locale::date`] writes it.
    pub fn day(self, d: time::Date) -> String {
        self.date(d.midnight().assume_utc())
    }

    /// An amount of `minor` units of a currency with `exponent` decimals, with its ISO code:
    /// "EUR 1,234.56", "1.234,56 EUR", "1.234,56 EUR"; "-EUR 5.00" for a negative one.
    pub fn money(self, minor: i64, exponent: u8, currency: &str) -> String {
        let scale = 10_i64.pow(u32::from(exponent.min(4)));
        let whole = self.number((minor / scale).abs());
        let sign = if minor < 0 { "-" } else { "" };
        let decimals = if exponent == 0 {
            String::new()
        } else {
            let mark = if self == Self::En { '.' } else { ',' };
            format!("{mark}{:0width$}", (minor % scale).abs(), width = usize::from(exponent.min(4)))
        };
        match self {
            Self::En => format!("{sign}{currency} {whole}{decimals}"),
            Self::De | Self::Tr => format!("{sign}{whole}{decimals} {currency}"),
        }
    }

    /// A tax rate given in hundredths of a percent, as the language writes percentages:
    /// "19%", "7,7 %", "%7,75".
    pub fn rate(self, bp: i32) -> String {
        let text = if bp % 100 == 0 {
            format!("{}", bp / 100)
        } else if bp % 10 == 0 {
            format!("{}.{}", bp / 100, (bp % 100) / 10)
        } else {
            format!("{}.{:02}", bp / 100, bp % 100)
        };
        match self {
            Self::En => format!("{text}%"),
            Self::De => format!("{} %", text.replace('.', ",")),
            Self::Tr => format!("%{}", text.replace('.', ",")),
        }
    }
}
