//! Date-times as providers write them (RFC 3339, ISO 8601 calendar date-times) to Unix
//! seconds. Written out here rather than with the `time` crate, which cost about 17 KB of
//! wasm for these two calls; the tests check it against `time` on generated inputs.

/// Unix seconds of an RFC 3339 date-time: `2026-01-01T00:00:00Z`, a fraction and a numeric
/// offset allowed (`…00.123+01:00`), `Z` in either case, any one character for `T`. A leap second
/// (`23:59:60`, UTC, on a month's last day) counts as its preceding second.
#[must_use]
pub fn rfc3339(text: &str) -> Option<i64> {
    let mut c = Cursor(text.as_bytes());
    let (y, mo, d) = (c.digits(4)?, c.lit(b'-')?.digits(2)?, c.lit(b'-')?.digits(2)?);
    // RFC 3339 (5.6) lets applications choose the separator: `T`, a space, or another.
    c.next()?;
    let (h, mi, s) = (c.digits(2)?, c.lit(b':')?.digits(2)?, c.lit(b':')?.digits(2)?);
    if c.peek() == Some(b'.') {
        c.skip(1);
        c.fraction()?;
    }
    let offset = match c.next()? {
        b'Z' | b'z' => 0,
        sign @ (b'+' | b'-') => signed(sign, c.digits(2)?, c.lit(b':')?.digits(2)?)?,
        _ => return None,
    };
    c.end()?;
    unix(y, mo, d, (h, mi, s), offset)
}

/// Unix seconds of an ISO 8601 calendar date-time, UTC when it carries no offset: extended
/// (`2026-01-01T00:00:00.123456`) or basic (`20260101T000000Z`) form, the time to the hour,
/// minute or second with a decimal fraction (`.` or `,`) of the last, and an offset `Z`,
/// `±hh`, `±hhmm` or `±hh:mm` up to 23 hours. Week and ordinal dates are not read.
#[must_use]
pub fn iso8601(text: &str) -> Option<i64> {
    let mut c = Cursor(text.as_bytes());
    let y = c.digits(4)?;
    let extended = c.peek() == Some(b'-');
    let sep = |c: &mut Cursor<'_>, ch: u8| if extended { c.lit(ch).map(|_| ()) } else { Some(()) };
    sep(&mut c, b'-')?;
    let mo = c.digits(2)?;
    sep(&mut c, b'-')?;
    let d = c.digits(2)?;
    c.lit(b'T')?;
    // Hours, then minutes and seconds while the next field is there; a fraction ends it.
    let mut hms = [0u32; 3];
    let mut read = 0;
    for slot in &mut hms {
        if read > 0 {
            match c.peek() {
                Some(b'.' | b',') => break,
                Some(b':') if extended => c.skip(1),
                Some(b'0'..=b'9') if !extended => {}
                _ => break,
            }
        }
        *slot = c.digits(2)?;
        read += 1;
    }
    let fraction = if matches!(c.peek(), Some(b'.' | b',')) {
        c.skip(1);
        Some((read - 1, c.fraction()?))
    } else {
        None
    };
    // The extended form's hour alone needs a fraction (`T23.5`; `T23` is refused, as `time` does).
    if extended && read == 1 && fraction.is_none() {
        return None;
    }
    let explicit = c.peek().is_some();
    let offset = match c.next() {
        None | Some(b'Z') => 0,
        Some(sign @ (b'+' | b'-')) => {
            let hours = c.digits(2)?;
            let minutes = match c.peek() {
                Some(b':') if extended => c.lit(b':')?.digits(2)?,
                Some(b'0'..=b'9') => c.digits(2)?,
                _ => 0,
            };
            signed(sign, hours, minutes)?
        }
        Some(_) => return None,
    };
    c.end()?;
    let [h, mi, s] = hms;
    // Without an offset the UTC instant, and so a leap second's validity, is not known.
    if s == 60 && !explicit {
        return None;
    }
    let whole = unix(y, mo, d, (h, mi, s), offset)?;
    // A fraction of an hour or a minute adds whole seconds (of a second, nothing).
    let extra = match fraction {
        Some((0, f)) => f.of(3600),
        Some((1, f)) => f.of(60),
        _ => 0,
    };
    whole.checked_add(extra)
}

/// Seconds east of UTC, for hours up to 23 and minutes up to 59.
fn signed(sign: u8, hours: u32, minutes: u32) -> Option<i64> {
    if hours > 23 || minutes > 59 {
        return None;
    }
    let secs = i64::from(hours * 3600 + minutes * 60);
    Some(if sign == b'-' { -secs } else { secs })
}

/// Unix seconds of a checked civil date-time at `offset` seconds east of UTC.
fn unix(y: u32, mo: u32, d: u32, (h, mi, s): (u32, u32, u32), offset: i64) -> Option<i64> {
    if !(1..=12).contains(&mo) || d == 0 || d > month_days(y, mo) || h > 23 || mi > 59 || s > 60 {
        return None;
    }
    let local = days_from_civil(i64::from(y), mo, d) * 86_400 + i64::from(h * 3600 + mi * 60 + s.min(59));
    let utc = local - offset;
    if s == 60 {
        // A leap second is 23:59:60 UTC on the last day of a month.
        let (uy, umo, ud) = civil_from_days(utc.div_euclid(86_400));
        if utc.rem_euclid(86_400) != 86_399 || ud != month_days(uy, umo) {
            return None;
        }
    }
    Some(utc)
}

fn month_days(y: u32, mo: u32) -> u32 {
    match mo {
        2 if y.is_multiple_of(4) && (!y.is_multiple_of(100) || y.is_multiple_of(400)) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, mo: u32, d: u32) -> i64 {
    let y = if mo <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = i64::from((mo + 9) % 12);
    let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`], for a year that fits a `u32`.
fn civil_from_days(days: i64) -> (u32, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let mo = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(mo <= 2);
    (u32::try_from(y).unwrap_or(0), u32::try_from(mo).unwrap_or(0), u32::try_from(d).unwrap_or(0))
}

/// A decimal fraction, summed digit by digit in `f64` as `time` does, so that a fraction of
/// an hour or a minute comes to the whole seconds it did before.
#[derive(Clone, Copy)]
struct Fraction(f64);

impl Fraction {
    /// Whole seconds of this fraction of an hour (`unit` 3600) or a minute (60), truncated
    /// per field as `time` does.
    ///
    /// The seconds are `trunc(f * 3600) % 60`, the same as `trunc(f * 3600 % 60.0)` for
    /// `f >= 0` without the float remainder (libm's `fmod` and a 128-bit division in wasm).
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    fn of(self, unit: u32) -> i64 {
        let f = self.0;
        if unit == 3600 {
            i64::from((f * 60.0) as u8) * 60 + i64::from((f * 3600.0) as u32 % 60)
        } else {
            i64::from((f * 60.0) as u8)
        }
    }
}

struct Cursor<'a>(&'a [u8]);

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.0.first().copied()
    }
    fn skip(&mut self, n: usize) {
        self.0 = self.0.get(n..).unwrap_or_default();
    }
    fn next(&mut self) -> Option<u8> {
        let b = self.peek()?;
        self.skip(1);
        Some(b)
    }
    fn lit(&mut self, want: u8) -> Option<&mut Self> {
        (self.next()? == want).then_some(self)
    }
    fn end(&self) -> Option<()> {
        self.0.is_empty().then_some(())
    }
    /// Exactly `n` ASCII digits.
    fn digits(&mut self, n: usize) -> Option<u32> {
        let head = self.0.get(..n)?;
        let mut v = 0u32;
        for &b in head {
            if !b.is_ascii_digit() {
                return None;
            }
            v = v * 10 + u32::from(b - b'0');
        }
        self.skip(n);
        Some(v)
    }
    /// One or more digits after a decimal sign.
    fn fraction(&mut self) -> Option<Fraction> {
        let len = self.0.iter().take_while(|b| b.is_ascii_digit()).count();
        if len == 0 {
            return None;
        }
        let (mut sum, mut divisor) = (0.0, 1.0);
        for &b in self.0.get(..len).unwrap_or_default() {
            divisor *= 10.0;
            sum += f64::from(b - b'0') / divisor;
        }
        self.skip(len);
        Some(Fraction(sum))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_values() {
        assert_eq!(rfc3339("2026-01-01T00:00:00Z"), Some(1_767_225_600));
        assert_eq!(rfc3339("2026-01-01t01:00:00.5+01:00"), Some(1_767_225_600));
        assert_eq!(rfc3339("2026-12-31T23:59:60Z"), Some(1_798_761_599));
        assert_eq!(rfc3339("2026-01-01T00:00:60Z"), None);
        assert_eq!(rfc3339("2026-02-29T00:00:00Z"), None);
        assert_eq!(rfc3339("2026-01-01T00:00:00"), None, "RFC 3339 needs an offset");
        assert_eq!(iso8601("2026-01-01T00:00:00.123456"), Some(1_767_225_600));
        assert_eq!(iso8601("20260101T003000,5Z"), Some(1_767_227_400));
        assert_eq!(iso8601("2026-01-01T00:30.5Z"), Some(1_767_227_430));
        assert_eq!(iso8601("20260101T01+01"), Some(1_767_225_600));
        assert_eq!(iso8601("2026-01-01T01+01"), None, "the extended hour alone, as `time` reads it");
        assert_eq!(iso8601("2026-01-01"), None, "a date alone is not a time");
        assert_eq!(iso8601("2026-W01-1T00:00:00Z"), None, "week dates are not read");
        assert_eq!(iso8601("1767225600"), None);
    }
}

/// Checked against `time` (natively: it is not a wasm dependency).
#[cfg(all(test, not(target_arch = "wasm32")))]
#[allow(clippy::unwrap_used, clippy::indexing_slicing)]
mod against_time {
    use super::*;
    use time::format_description::well_known::{Iso8601, Rfc3339};

    fn time_rfc3339(t: &str) -> Option<i64> {
        time::OffsetDateTime::parse(t, &Rfc3339).ok().map(time::OffsetDateTime::unix_timestamp)
    }

    fn time_iso8601(t: &str) -> Option<i64> {
        let iso = &Iso8601::DEFAULT;
        time::OffsetDateTime::parse(t, iso)
            .or_else(|_| time::PrimitiveDateTime::parse(t, iso).map(time::PrimitiveDateTime::assume_utc))
            .ok()
            .map(time::OffsetDateTime::unix_timestamp)
    }

    /// A small deterministic generator (xorshift), so a failure can be replayed.
    struct Gen(crate::test_rng::Xorshift);
    impl Gen {
        fn below(&mut self, n: u64) -> u64 {
            self.0.below(n)
        }
        fn pick<'a>(&mut self, xs: &[&'a str]) -> &'a str {
            xs[usize::try_from(self.below(xs.len() as u64)).unwrap()]
        }
        fn num(&mut self, width: usize, max: u64) -> String {
            format!("{:0width$}", self.below(max + 1))
        }
    }

    /// Date-times in and around the accepted forms: edge values, both separators, every
    /// offset shape, leap days and seconds, and now and then a character changed.
    fn candidate(g: &mut Gen, extended: bool) -> (String, bool) {
        let year = if g.below(4) == 0 { g.pick(&["0000", "1970", "2000", "2100", "2400", "9999"]).to_string() } else { g.num(4, 9999) };
        let month = if g.below(3) == 0 { g.pick(&["00", "01", "02", "12", "13"]).to_string() } else { g.num(2, 12) };
        let day = if g.below(3) == 0 { g.pick(&["00", "28", "29", "30", "31", "32"]).to_string() } else { g.num(2, 31) };
        let (h, m, s) = if g.below(6) == 0 { ("23".to_string(), "59".to_string(), "60".to_string()) } else { (g.num(2, 24), g.num(2, 60), g.num(2, 60)) };
        let dash = if extended { "-" } else { "" };
        let colon = if extended { ":" } else { "" };
        let mut t = format!("{year}{dash}{month}{dash}{day}{}", g.pick(&["T", "T", "T", "t", " "]));
        match g.below(4) {
            0 => t.push_str(&h),
            1 => t.push_str(&format!("{h}{colon}{m}")),
            _ => t.push_str(&format!("{h}{colon}{m}{colon}{s}")),
        }
        if g.below(2) == 0 {
            t.push_str(g.pick(&[".", ","]));
            let width = 1 + usize::try_from(g.below(12)).unwrap();
            t.push_str(&g.num(width, 10u64.pow(u32::try_from(width).unwrap()) - 1));
        }
        let oh = g.num(2, 24);
        let om = g.num(2, 59);
        let offset = match g.below(7) {
            0 => String::new(),
            1 => "Z".into(),
            2 => "z".into(),
            3 => format!("{}{oh}", g.pick(&["+", "-"])),
            4 => format!("{}{oh}{om}", g.pick(&["+", "-"])),
            _ => format!("{}{oh}:{om}", g.pick(&["+", "-"])),
        };
        t.push_str(&offset);
        let mutated = g.below(8) == 0;
        if mutated {
            let mut bytes = t.into_bytes();
            let i = usize::try_from(g.below(bytes.len() as u64)).unwrap();
            bytes[i] = b"0123456789:-+.TZ x"[usize::try_from(g.below(18)).unwrap()];
            t = String::from_utf8(bytes).unwrap();
        }
        (t, mutated)
    }

    #[test]
    fn rfc3339_agrees_with_time() {
        let mut g = Gen(crate::test_rng::Xorshift(0x9e37_79b9_7f4a_7c15));
        let mut accepted = 0;
        for _ in 0..200_000 {
            let (t, _) = candidate(&mut g, true);
            assert_eq!(rfc3339(&t), time_rfc3339(&t), "{t}");
            accepted += usize::from(rfc3339(&t).is_some());
        }
        assert!(accepted > 10_000, "too few valid inputs generated: {accepted}");
    }

    /// Every date-time this reads, `time` reads the same. Of the well-formed calendar forms
    /// `time` reads, this reads all but offsets beyond 23 hours (RFC 3339's limit; `time`
    /// takes 24). A changed character can make a form this does not read (week or ordinal
    /// dates, an extended date with a basic time), so those only have to agree when read.
    #[test]
    fn iso8601_agrees_with_time() {
        let mut g = Gen(crate::test_rng::Xorshift(0x2545_f491_4f6c_dd1d));
        let mut accepted = 0;
        for i in 0..200_000 {
            let (t, mutated) = candidate(&mut g, i % 2 == 0);
            let (ours, theirs) = (iso8601(&t), time_iso8601(&t));
            if ours.is_some() {
                assert_eq!(ours, theirs, "{t}");
                accepted += 1;
            } else if let Some(v) = theirs {
                let offset_hours = t.rfind(['+', '-']).filter(|&i| i > 8).and_then(|i| t.get(i + 1..i + 3)).and_then(|h| h.parse::<u32>().ok());
                assert!(mutated || offset_hours.is_some_and(|h| h > 23), "{t}: time reads {v}, this does not");
            }
        }
        assert!(accepted > 10_000, "too few valid inputs generated: {accepted}");
    }
}
