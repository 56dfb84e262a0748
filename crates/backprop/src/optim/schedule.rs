//! Learning-rate schedules, applied by the trainer at the start of each epoch.

use std::f64::consts::PI;

use serde::{Deserialize, Serialize};

/// How the learning rate changes from epoch to epoch.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(
    tag = "kind",
    rename_all = "snake_case",
    deny_unknown_fields,
    from = "Repr"
)]
pub enum Schedule {
    /// The base rate throughout.
    #[default]
    Constant,
    /// Multiplied by `gamma` every `every` epochs (PyTorch `StepLR`).
    Step {
        /// Epochs between decays (at least 1; 0 never decays).
        every: usize,
        /// The factor of each decay.
        gamma: f64,
    },
    /// Half a cosine from the base rate down to `min_lr` over `epochs` epochs, then
    /// `min_lr` (PyTorch `CosineAnnealingLR`, closed form, without restarts).
    Cosine {
        /// Epochs to reach `min_lr`.
        epochs: usize,
        /// The final rate.
        min_lr: f64,
    },
}

/// What specs hold. serde lets a unit variant of a tagged enum take unknown fields, so
/// `Constant` is read as a struct variant that does not.
#[derive(Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
enum Repr {
    Constant {},
    Step { every: usize, gamma: f64 },
    Cosine { epochs: usize, min_lr: f64 },
}

impl From<Repr> for Schedule {
    fn from(r: Repr) -> Self {
        match r {
            Repr::Constant {} => Schedule::Constant,
            Repr::Step { every, gamma } => Schedule::Step { every, gamma },
            Repr::Cosine { epochs, min_lr } => Schedule::Cosine { epochs, min_lr },
        }
    }
}

impl Schedule {
    /// The rate for 0-based `epoch` given the base rate:
    /// step: base·γ^⌊epoch / every⌋; cosine: min + (base − min)·(1 + cos(π·e/epochs))/2
    /// with e = min(epoch, epochs).
    pub fn rate(&self, base: f64, epoch: usize) -> f64 {
        match *self {
            Schedule::Constant => base,
            Schedule::Step { every: 0, .. } => base,
            Schedule::Step { every, gamma } => base * gamma.powf((epoch / every) as f64),
            Schedule::Cosine { epochs: 0, min_lr } => min_lr,
            Schedule::Cosine { epochs, min_lr } => {
                let e = epoch.min(epochs) as f64;
                // In torch's order: π·e / T, (1 + cos) / 2.
                min_lr + (base - min_lr) * (1.0 + (PI * e / epochs as f64).cos()) / 2.0
            }
        }
    }

    /// Checks that the schedule decays sensibly. On error gives the field and what was
    /// wrong, for [`Error::Invalid`](crate::Error::Invalid).
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        match *self {
            Schedule::Constant => Ok(()),
            Schedule::Step { every, gamma } => {
                if every == 0 {
                    Err(("every", "every must be at least 1 epoch".into()))
                } else if !(gamma.is_finite() && gamma > 0.0) {
                    Err(("gamma", format!("gamma must be > 0, got {gamma}")))
                } else {
                    Ok(())
                }
            }
            Schedule::Cosine { epochs, min_lr } => {
                if epochs == 0 {
                    Err(("epochs", "epochs must be at least 1".into()))
                } else if !(min_lr.is_finite() && min_lr >= 0.0) {
                    Err(("min_lr", format!("min_lr must be ≥ 0, got {min_lr}")))
                } else {
                    Ok(())
                }
            }
        }
    }
}

/// The kinds of [`Schedule`] by name, as a command line chooses one before giving
/// its settings. The names are the `kind` tags of spec files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ScheduleKind {
    /// [`Schedule::Constant`].
    Constant,
    /// [`Schedule::Step`].
    Step,
    /// [`Schedule::Cosine`].
    Cosine,
}

impl ScheduleKind {
    /// Every kind, in the order messages list them.
    pub const ALL: [ScheduleKind; 3] = [
        ScheduleKind::Constant,
        ScheduleKind::Step,
        ScheduleKind::Cosine,
    ];

    /// The name, as the `kind` of a schedule in spec files.
    pub fn name(self) -> &'static str {
        match self {
            ScheduleKind::Constant => "constant",
            ScheduleKind::Step => "step",
            ScheduleKind::Cosine => "cosine",
        }
    }

    /// The schedule of this kind; each kind takes only its own settings: `step`
    /// decays by `gamma` every `every` epochs, `cosine` falls to `min_lr` over
    /// `epochs` epochs.
    pub fn schedule(self, every: usize, gamma: f64, epochs: usize, min_lr: f64) -> Schedule {
        match self {
            ScheduleKind::Constant => Schedule::Constant,
            ScheduleKind::Step => Schedule::Step { every, gamma },
            ScheduleKind::Cosine => Schedule::Cosine { epochs, min_lr },
        }
    }
}

impl Schedule {
    /// Which kind of schedule this is.
    pub fn kind(&self) -> ScheduleKind {
        match self {
            Schedule::Constant => ScheduleKind::Constant,
            Schedule::Step { .. } => ScheduleKind::Step,
            Schedule::Cosine { .. } => ScheduleKind::Cosine,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[track_caller]
    fn close(actual: f64, expected: f64) {
        assert!(
            (actual - expected).abs() < 1e-15,
            "expected {expected}, got {actual}"
        );
    }

    #[test]
    fn constant_keeps_the_base_rate() {
        assert_eq!(Schedule::default(), Schedule::Constant);
        assert_eq!(Schedule::Constant.rate(0.3, 1000), 0.3);
    }

    #[test]
    fn step_decays_every_few_epochs() {
        // Hand derivation, base 0.1, γ 0.5, every 3: epochs 0–2 give 0.1·0.5⁰ = 0.1,
        // 3–5 give 0.1·0.5¹ = 0.05, 6 gives 0.1·0.5² = 0.025.
        let s = Schedule::Step {
            every: 3,
            gamma: 0.5,
        };
        let rates: Vec<f64> = (0..7).map(|e| s.rate(0.1, e)).collect();
        assert_eq!(rates, [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]);
        let never = Schedule::Step {
            every: 0,
            gamma: 0.5,
        };
        assert_eq!(never.rate(0.1, 9), 0.1);
        assert_eq!(never.validate().unwrap_err().0, "every");
        assert!(s.validate().is_ok());
    }

    #[test]
    fn cosine_follows_half_a_cosine_then_stays_at_its_floor() {
        // Hand derivation, base 0.11, min 0.01, 4 epochs:
        //   e = 0: 0.01 + 0.1·(1 + cos 0)/2 = 0.11
        //   e = 1: 0.01 + 0.1·(1 + cos π/4)/2 = 0.01 + 0.1·(1 + 0.7071067812)/2 = 0.0953553391
        //   e = 2: 0.01 + 0.1·(1 + 0)/2 = 0.06
        //   e = 3: 0.01 + 0.1·(1 − 0.7071067812)/2 = 0.0246446609
        //   e = 4, and every later epoch: 0.01 + 0.1·(1 − 1)/2 = 0.01
        let s = Schedule::Cosine {
            epochs: 4,
            min_lr: 0.01,
        };
        let half_root2 = std::f64::consts::FRAC_1_SQRT_2;
        close(s.rate(0.11, 0), 0.11);
        close(s.rate(0.11, 1), 0.01 + 0.1 * (1.0 + half_root2) / 2.0);
        close(s.rate(0.11, 2), 0.06);
        close(s.rate(0.11, 3), 0.01 + 0.1 * (1.0 - half_root2) / 2.0);
        close(s.rate(0.11, 4), 0.01);
        close(s.rate(0.11, 40), 0.01);
        assert!((s.rate(0.11, 1) - 0.0953553391).abs() < 1e-10);
        let zero = Schedule::Cosine {
            epochs: 0,
            min_lr: 0.01,
        };
        assert_eq!(zero.rate(0.11, 0), 0.01);
        assert_eq!(zero.validate().unwrap_err().0, "epochs");
    }

    #[test]
    fn specs_name_the_kind() {
        let parse = |s: &str| serde_json::from_str::<Schedule>(s);
        assert_eq!(
            parse(r#"{"kind": "constant"}"#).unwrap(),
            Schedule::Constant
        );
        let step = parse(r#"{"kind": "step", "every": 10, "gamma": 0.1}"#).unwrap();
        assert_eq!(
            step,
            Schedule::Step {
                every: 10,
                gamma: 0.1
            }
        );
        let cosine = Schedule::Cosine {
            epochs: 5,
            min_lr: 0.0,
        };
        let text = serde_json::to_string(&cosine).unwrap();
        assert_eq!(text, r#"{"kind":"cosine","epochs":5,"min_lr":0.0}"#);
        assert_eq!(parse(&text).unwrap(), cosine);
        assert!(parse(r#"{"kind": "step", "every": 10, "gamma": 0.1, "x": 1}"#).is_err());
        assert!(parse(r#"{"kind": "linear"}"#).is_err());
        assert!(parse(r#"{"kind": "constant", "gamma": 0.1}"#).is_err());
        assert!(parse(r#"{"kind": "cosine", "epochs": 5}"#).is_err());
        assert_eq!(
            serde_json::to_string(&Schedule::Constant).unwrap(),
            r#"{"kind":"constant"}"#
        );
    }
}
