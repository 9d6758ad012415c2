//! Alarm evaluation as CloudWatch documents it ("How alarm state is evaluated when data is missing",
//! CloudWatch User Guide): a pure function from the datapoints of the evaluation range to the next state.
//!
//! The range holds more points than `EvaluationPeriods` (N). When it holds N or more real points, the
//! most recent N decide and TreatMissingData is not consulted. Otherwise every real point in the range
//! is used and the rest are filled per TreatMissingData, as few as possible. With `missing` and `ignore`
//! a lone run of breaching points alarms early only when the oldest of them is at least
//! `DatapointsToAlarm` (M) periods old and nothing in the range is non-breaching (the premature-alarm
//! rule); `ignore` never alarms early and keeps the state instead. `decide` reproduces both of AWS's
//! tables row by row (see the tests).
//!
//! Choices where AWS publishes no number, kept here:
//! - [`RANGE_EXTRA`]: the evaluation range is N + 2 periods (AWS's tables: N = 3 → 5 points).
//! - Only complete periods are evaluated: at time T the newest point is the period that ended at or
//!   before T (see `alarms::window`).

use crate::model::cloudwatch::StateValue;

/// How many periods beyond N the evaluation range holds.
pub const RANGE_EXTRA: usize = 2;

/// One point of the range: `None` missing, `Some(true)` breaching, `Some(false)` not breaching.
pub type Point = Option<bool>;

/// An alarm's TreatMissingData, as the model stores it.
pub use crate::model::cloudwatch::TreatMissingData as Treat;

impl Treat {
    /// How AWS names the treatment in reason texts.
    pub fn label(self) -> &'static str {
        match self {
            Treat::Breaching => "Breaching",
            Treat::NotBreaching => "NonBreaching",
            Treat::Missing | Treat::Ignore => "Missing",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Alarm,
    Ok,
    InsufficientData,
    /// Keep the current state (`ignore` with too little data).
    Retain,
}

/// A reading where AWS is silent: an evaluation that finds no datapoint at all in its range (INSUFFICIENT_DATA
/// under `missing`) does not undo a state that SetAlarmState gave. AWS documents that a set state lasts
/// "until the next evaluation", but its recorded run of LocalStack's `test_trigger_composite_alarm` sets two
/// 10-second alarms that never had data to ALARM and back by hand, a few seconds per step, and every set state
/// held: an evaluation every 10 seconds that returned them to INSUFFICIENT_DATA would have broken it about one
/// run in three (as it did here). An evaluation that sees data decides as documented, set state or not.
pub fn keeps_a_set_state(range_is_empty: bool, outcome: Outcome, set_by_hand: bool) -> bool {
    set_by_hand && range_is_empty && outcome == Outcome::InsufficientData
}

impl Outcome {
    pub fn state(self) -> Option<StateValue> {
        match self {
            Outcome::Alarm => Some(StateValue::Alarm),
            Outcome::Ok => Some(StateValue::Ok),
            Outcome::InsufficientData => Some(StateValue::InsufficientData),
            Outcome::Retain => None,
        }
    }
}

/// What one evaluation decided, and on which points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub outcome: Outcome,
    /// Indexes (into the range, oldest first) of the real points evaluated.
    pub used: Vec<usize>,
    /// Missing points filled in per TreatMissingData.
    pub filled: usize,
    /// Breaching points among `used` (filled breaching points not included).
    pub breaching: usize,
    /// ALARM reached through the premature-alarm rule.
    pub early: bool,
}

/// Decides the state for a range of points (oldest first), N evaluation periods and M datapoints to alarm.
pub fn decide(range: &[Point], n: usize, m: usize, treat: Treat) -> Decision {
    let n = n.max(1);
    let m = m.clamp(1, n);
    let real: Vec<usize> = (0..range.len()).filter(|&i| range[i].is_some()).collect();
    let breaching_in = |idx: &[usize]| idx.iter().filter(|&&i| range[i] == Some(true)).count();
    if real.len() >= n {
        let used = real[real.len() - n..].to_vec();
        let b = breaching_in(&used);
        let outcome = if b >= m { Outcome::Alarm } else { Outcome::Ok };
        return Decision {
            outcome,
            used,
            filled: 0,
            breaching: b,
            early: false,
        };
    }
    let b = breaching_in(&real);
    let fine = real.len() - b;
    let filled = n - real.len();
    let outcome = match treat {
        Treat::Breaching if b + filled >= m => Outcome::Alarm,
        Treat::Breaching => Outcome::Ok,
        Treat::NotBreaching if b >= m => Outcome::Alarm,
        Treat::NotBreaching => Outcome::Ok,
        Treat::Missing | Treat::Ignore if b >= m => Outcome::Alarm,
        Treat::Missing | Treat::Ignore if fine > 0 => Outcome::Ok,
        Treat::Ignore => Outcome::Retain,
        Treat::Missing if real.is_empty() => Outcome::InsufficientData,
        Treat::Missing => {
            // Only breaching points, fewer than M: the premature-alarm rule.
            let oldest_age = range.len() - real[0];
            if oldest_age >= m {
                return Decision {
                    outcome: Outcome::Alarm,
                    used: real,
                    filled,
                    breaching: b,
                    early: true,
                };
            }
            Outcome::InsufficientData
        }
    };
    Decision {
        outcome,
        used: real,
        filled,
        breaching: b,
        early: false,
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn only_an_empty_range_leaves_a_state_set_by_hand() {
        use super::{keeps_a_set_state, Outcome};
        assert!(keeps_a_set_state(true, Outcome::InsufficientData, true));
        assert!(!keeps_a_set_state(true, Outcome::InsufficientData, false));
        // With data, or under `breaching`/`notBreaching` (an outcome other than INSUFFICIENT_DATA), the
        // evaluation decides.
        assert!(!keeps_a_set_state(false, Outcome::InsufficientData, true));
        assert!(!keeps_a_set_state(true, Outcome::Alarm, true));
        assert!(!keeps_a_set_state(true, Outcome::Ok, true));
    }

    use super::*;

    /// `0 - X - X` → points (oldest first).
    fn points(s: &str) -> Vec<Point> {
        s.split_whitespace()
            .map(|c| match c {
                "0" => Some(false),
                "X" => Some(true),
                _ => None,
            })
            .collect()
    }

    const TREATS: [Treat; 4] = [
        Treat::Missing,
        Treat::Ignore,
        Treat::Breaching,
        Treat::NotBreaching,
    ];

    fn row(n: usize, m: usize, range: &str, expected: [Outcome; 4]) {
        for (t, want) in TREATS.iter().zip(expected) {
            let got = decide(&points(range), n, m, *t).outcome;
            assert_eq!(got, want, "{m} of {n}, `{range}`, {t:?}");
        }
    }

    use Outcome::{Alarm as A, InsufficientData as I, Ok as O, Retain as R};

    /// AWS's first table: Datapoints to Alarm = Evaluation Periods = 3, range 5.
    #[test]
    fn aws_table_three_of_three() {
        row(3, 3, "0 - X - X", [O, O, O, O]);
        row(3, 3, "0 - - - -", [O, O, O, O]);
        row(3, 3, "- - - - -", [I, R, A, O]);
        row(3, 3, "0 X X - X", [A, A, A, A]);
        row(3, 3, "- - - - X", [I, R, A, O]);
        row(3, 3, "X - - - -", [A, R, A, O]);
    }

    /// AWS's second table: 2 out of 3, range 5.
    #[test]
    fn aws_table_two_of_three() {
        row(3, 2, "0 - X - X", [A, A, A, A]);
        row(3, 2, "0 0 X 0 X", [A, A, A, A]);
        row(3, 2, "0 - X - -", [O, O, A, O]);
        row(3, 2, "- - - - 0", [O, O, A, O]);
        row(3, 2, "- - - - X", [I, R, A, O]);
    }

    #[test]
    fn one_of_one_alarms_on_the_first_breaching_point_and_holds_while_it_is_in_range() {
        row(1, 1, "- - X", [A, A, A, A]);
        row(1, 1, "X - -", [A, A, A, A]);
        row(1, 1, "- - -", [I, R, A, O]);
    }

    #[test]
    fn the_premature_rule_needs_the_point_to_have_aged_m_periods() {
        // M = 3 of N = 3 over a range of 5: the lone point alarms once it is 3 periods old.
        assert_eq!(
            decide(&points("- - - X -"), 3, 3, Treat::Missing).outcome,
            I
        );
        let d = decide(&points("- - X - -"), 3, 3, Treat::Missing);
        assert_eq!((d.outcome, d.early), (A, true));
    }

    #[test]
    fn enough_real_points_ignore_the_treatment_and_use_the_newest_n() {
        let d = decide(&points("X X 0 0 0"), 3, 1, Treat::Breaching);
        assert_eq!((d.outcome, d.used.clone(), d.filled), (O, vec![2, 3, 4], 0));
    }
}
