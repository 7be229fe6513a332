//! When to post the daily "on this day" message, with the clock passed in.
//!
//! A server chooses a local time and an IANA time zone. The post for a local day is due from that
//! local time on until the day ends, so a bot that was down at the time posts once, late, when it
//! comes back the same day. Whether a day was already posted is the store's business (a claim is
//! written before posting, so a crash can never cause a second post); this module only says what is
//! due and when to wake next. Daylight-saving changes come from the time zone rules: a local time that
//! does not exist on the spring-forward day (02:30 in Warsaw) is taken at the first instant after the
//! gap, and one that exists twice on the fall-back day at its first occurrence.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, TimeZone, Utc};

use crate::zone::Zone;

/// A server's daily post setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailySchedule {
    pub time: NaiveTime,
    pub zone: Zone,
}

impl DailySchedule {
    /// Parse `HH:MM` and an IANA zone name, with messages a server admin can act on.
    pub fn parse(time: &str, zone: &str) -> Result<DailySchedule, String> {
        let t = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| {
            format!(
                "`{}` is not a time of day; write it as HH:MM, e.g. 09:00",
                time.trim()
            )
        })?;
        let z: Zone = zone.trim().parse().map_err(|_| {
            format!(
                "`{}` is not a time zone I know; use an IANA name such as Europe/Warsaw or UTC",
                zone.trim()
            )
        })?;
        Ok(DailySchedule { time: t, zone: z })
    }

    /// The local calendar day at `now`.
    pub fn local_day(&self, now: DateTime<Utc>) -> NaiveDate {
        self.zone.local(now).date()
    }

    /// The instant of the post on local day `day`, after DST rules.
    pub fn post_instant(&self, day: NaiveDate) -> DateTime<Utc> {
        let local = day.and_time(self.time);
        if let Some(t) = self.zone.earliest(local) {
            return t;
        }
        // In a spring-forward gap: the first minute that exists after it.
        let mut probe = local;
        for _ in 0..(4 * 60) {
            probe += Duration::minutes(1);
            if let Some(t) = self.zone.earliest(probe) {
                return t;
            }
        }
        Utc.from_utc_datetime(&local)
    }

    /// The local day whose post is due at `now`, if any: today's, once its time has come, unless
    /// `last_posted` is already today.
    pub fn due(&self, now: DateTime<Utc>, last_posted: Option<NaiveDate>) -> Option<NaiveDate> {
        let today = self.local_day(now);
        if last_posted.is_some_and(|d| d >= today) {
            return None;
        }
        (now >= self.post_instant(today)).then_some(today)
    }

    /// When to look again: the next post instant after `now` (today's if still ahead and not posted,
    /// else tomorrow's).
    pub fn next_wake(&self, now: DateTime<Utc>, last_posted: Option<NaiveDate>) -> DateTime<Utc> {
        let today = self.local_day(now);
        let todays = self.post_instant(today);
        if todays > now && last_posted.is_none_or(|d| d < today) {
            return todays;
        }
        let mut day = today;
        loop {
            day = day.succ_opt().unwrap_or(day);
            let t = self.post_instant(day);
            if t > now {
                return t;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn rejects_bad_times_and_zones_kindly() {
        assert!(DailySchedule::parse("25:00", "Europe/Warsaw")
            .unwrap_err()
            .contains("HH:MM"));
        assert!(DailySchedule::parse("09:00", "Mars/Olympus")
            .unwrap_err()
            .contains("IANA"));
    }

    #[test]
    fn warsaw_nine_am_is_seven_utc_in_summer_and_eight_in_winter() {
        let s = DailySchedule::parse("09:00", "Europe/Warsaw").unwrap();
        assert_eq!(
            s.post_instant(NaiveDate::from_ymd_opt(2026, 7, 1).unwrap()),
            utc("2026-07-01T07:00:00Z")
        );
        assert_eq!(
            s.post_instant(NaiveDate::from_ymd_opt(2026, 12, 1).unwrap()),
            utc("2026-12-01T08:00:00Z")
        );
    }
}
