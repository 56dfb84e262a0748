//! Which optimizer to run and its settings, as written in spec files.

use serde::{Deserialize, Serialize};

/// The optimizers [`Optimizer`](super::Optimizer) runs.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OptimizerKind {
    /// Plain gradient descent, p ← p − η·g (PyTorch `SGD`).
    #[default]
    Sgd,
    /// Heavy-ball momentum (PyTorch `SGD(momentum=μ)`).
    Momentum,
    /// Nesterov momentum (PyTorch `SGD(momentum=μ, nesterov=True)`).
    Nesterov,
    /// Adam with bias correction (PyTorch `Adam`).
    Adam,
    /// Adam with decoupled weight decay (PyTorch `AdamW`).
    #[serde(rename = "adamw")]
    AdamW,
    /// FANN's iRPROP−, resilient backpropagation for full batches. Ignores the
    /// learning rate.
    Rprop,
}

impl OptimizerKind {
    /// Every kind, in the order of [`name`](Self::name)s listed in messages.
    pub const ALL: [OptimizerKind; 6] = [
        OptimizerKind::Sgd,
        OptimizerKind::Momentum,
        OptimizerKind::Nesterov,
        OptimizerKind::Adam,
        OptimizerKind::AdamW,
        OptimizerKind::Rprop,
    ];

    /// The name used in spec files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            OptimizerKind::Sgd => "sgd",
            OptimizerKind::Momentum => "momentum",
            OptimizerKind::Nesterov => "nesterov",
            OptimizerKind::Adam => "adam",
            OptimizerKind::AdamW => "adamw",
            OptimizerKind::Rprop => "rprop",
        }
    }

    /// The learning rate a run of this optimizer starts from when none is given: 0.001
    /// for Adam and AdamW (PyTorch's default), 0.01 for the others (RPROP ignores it).
    pub fn default_learning_rate(self) -> f64 {
        match self {
            OptimizerKind::Adam | OptimizerKind::AdamW => 0.001,
            OptimizerKind::Sgd
            | OptimizerKind::Momentum
            | OptimizerKind::Nesterov
            | OptimizerKind::Rprop => 0.01,
        }
    }
}

/// An optimizer's settings. Every field has a default, so a spec names only what it
/// changes. Fields that the chosen kind does not use are ignored.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OptimizerConfig {
    /// Which optimizer (default sgd).
    pub kind: OptimizerKind,
    /// The learning rate η (default 0.01). RPROP ignores it.
    pub learning_rate: f64,
    /// μ for momentum and nesterov (default 0.9).
    pub momentum: f64,
    /// β₁, the decay of Adam's first moment (default 0.9).
    pub beta1: f64,
    /// β₂, the decay of Adam's second moment (default 0.999).
    pub beta2: f64,
    /// ε, added to Adam's √v̂ (default 1e-8).
    pub epsilon: f64,
    /// λ (default 0). Coupled L2 (g ← g + λ·p) for every kind except adamw, which
    /// decays decoupled (p ← p − η·λ·p), as PyTorch's `weight_decay` does. Applies to
    /// weights and trainable biases.
    pub weight_decay: f64,
    /// Clip gradients to this global L2 norm over every weight and trainable bias
    /// (PyTorch `clip_grad_norm_`); none by default. Needs the textbook order.
    pub clip_norm: Option<f64>,
    /// RPROP's step sizes.
    pub rprop: RpropConfig,
}

impl Default for OptimizerConfig {
    fn default() -> Self {
        OptimizerConfig {
            kind: OptimizerKind::Sgd,
            learning_rate: OptimizerKind::Sgd.default_learning_rate(),
            momentum: 0.9,
            beta1: 0.9,
            beta2: 0.999,
            epsilon: 1e-8,
            weight_decay: 0.0,
            clip_norm: None,
            rprop: RpropConfig::default(),
        }
    }
}

/// RPROP's per-parameter step sizes Δ; the defaults are FANN's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RpropConfig {
    /// η⁺, Δ's growth while the gradient keeps its sign (default 1.2).
    pub increase: f64,
    /// η⁻, Δ's shrink when the gradient changes sign (default 0.5).
    pub decrease: f64,
    /// Δ₀, every parameter's first step (default 0.1).
    pub delta_zero: f64,
    /// Δ's floor (default 0).
    pub delta_min: f64,
    /// Δ's ceiling (default 50).
    pub delta_max: f64,
}

impl Default for RpropConfig {
    fn default() -> Self {
        RpropConfig {
            increase: 1.2,
            decrease: 0.5,
            delta_zero: 0.1,
            delta_min: 0.0,
            delta_max: 50.0,
        }
    }
}

impl OptimizerConfig {
    /// Switches to `kind`. A different kind also starts from its own customary
    /// learning rate ([`OptimizerKind::default_learning_rate`]); set the rate after
    /// this to choose another.
    pub fn switch_to(&mut self, kind: OptimizerKind) {
        if kind != self.kind {
            self.learning_rate = kind.default_learning_rate();
        }
        self.kind = kind;
    }

    /// Checks the ranges PyTorch and FANN accept. On error gives the field (such as
    /// `beta1` or `rprop.increase`) and what was wrong, for [`Error::Invalid`](crate::Error::Invalid).
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let finite = |field: &'static str, x: f64, ok: bool, want: &str| {
            if x.is_finite() && ok {
                Ok(())
            } else {
                Err((field, format!("{field} must be {want}, got {x}")))
            }
        };
        let r = &self.rprop;
        finite(
            "learning_rate",
            self.learning_rate,
            self.learning_rate >= 0.0,
            "≥ 0",
        )?;
        finite("momentum", self.momentum, self.momentum >= 0.0, "≥ 0")?;
        finite(
            "beta1",
            self.beta1,
            (0.0..1.0).contains(&self.beta1),
            "in [0, 1)",
        )?;
        finite(
            "beta2",
            self.beta2,
            (0.0..1.0).contains(&self.beta2),
            "in [0, 1)",
        )?;
        finite("epsilon", self.epsilon, self.epsilon >= 0.0, "≥ 0")?;
        finite(
            "weight_decay",
            self.weight_decay,
            self.weight_decay >= 0.0,
            "≥ 0",
        )?;
        if let Some(c) = self.clip_norm {
            finite("clip_norm", c, c > 0.0, "> 0")?;
        }
        if self.kind == OptimizerKind::Nesterov && self.momentum <= 0.0 {
            return Err(("momentum", "nesterov needs momentum > 0".into()));
        }
        finite("rprop.increase", r.increase, r.increase > 1.0, "> 1")?;
        finite(
            "rprop.decrease",
            r.decrease,
            r.decrease > 0.0 && r.decrease < 1.0,
            "in (0, 1)",
        )?;
        finite("rprop.delta_min", r.delta_min, r.delta_min >= 0.0, "≥ 0")?;
        finite(
            "rprop.delta_max",
            r.delta_max,
            r.delta_max >= r.delta_min,
            "≥ delta_min",
        )?;
        let within = r.delta_min <= r.delta_zero && r.delta_zero <= r.delta_max;
        finite(
            "rprop.delta_zero",
            r.delta_zero,
            within,
            "in [delta_min, delta_max]",
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_parse_back_and_match_serde() {
        for k in OptimizerKind::ALL {
            assert_eq!(k.name().parse::<OptimizerKind>(), Ok(k));
            assert_eq!(k.to_string(), k.name());
            assert_eq!(
                serde_json::to_string(&k).unwrap(),
                format!("\"{}\"", k.name())
            );
        }
        let err = "adagrad".parse::<OptimizerKind>().unwrap_err().to_string();
        assert_eq!(
            err,
            "unknown optimizer `adagrad`; expected one of sgd, momentum, nesterov, adam, adamw, rprop"
        );
    }

    #[test]
    fn switching_optimizer_starts_from_its_customary_rate() {
        let mut c = OptimizerConfig::default();
        assert_eq!(c.learning_rate, 0.01);
        c.switch_to(OptimizerKind::Adam);
        assert_eq!((c.kind, c.learning_rate), (OptimizerKind::Adam, 0.001));
        // The same kind keeps the rate it has.
        c.learning_rate = 0.05;
        c.switch_to(OptimizerKind::Adam);
        assert_eq!(c.learning_rate, 0.05);
        c.switch_to(OptimizerKind::Nesterov);
        assert_eq!(c.learning_rate, 0.01);
        assert_eq!(OptimizerKind::AdamW.default_learning_rate(), 0.001);
    }

    #[test]
    fn defaults_fill_what_a_spec_leaves_out() {
        let c: OptimizerConfig =
            serde_json::from_str(r#"{"kind": "adamw", "rprop": {"increase": 1.5}}"#).unwrap();
        assert_eq!(c.kind, OptimizerKind::AdamW);
        assert_eq!(
            (c.learning_rate, c.beta1, c.beta2, c.epsilon),
            (0.01, 0.9, 0.999, 1e-8)
        );
        assert_eq!((c.momentum, c.weight_decay, c.clip_norm), (0.9, 0.0, None));
        assert_eq!(c.rprop.increase, 1.5);
        assert_eq!(c.rprop.decrease, 0.5);
        assert_eq!(
            c,
            serde_json::from_str(&serde_json::to_string(&c).unwrap()).unwrap()
        );
        assert!(c.validate().is_ok());
        assert!(serde_json::from_str::<OptimizerConfig>(r#"{"lr": 0.1}"#).is_err());
        assert!(serde_json::from_str::<OptimizerConfig>(r#"{"rprop": {"eta": 1}}"#).is_err());
    }

    #[test]
    fn validate_names_the_field() {
        let bad = |f: fn(&mut OptimizerConfig)| {
            let mut c = OptimizerConfig::default();
            f(&mut c);
            c.validate().unwrap_err().0
        };
        assert_eq!(bad(|c| c.learning_rate = -1.0), "learning_rate");
        assert_eq!(bad(|c| c.beta2 = 1.0), "beta2");
        assert_eq!(bad(|c| c.epsilon = f64::NAN), "epsilon");
        assert_eq!(bad(|c| c.clip_norm = Some(0.0)), "clip_norm");
        assert_eq!(
            bad(|c| (c.kind, c.momentum) = (OptimizerKind::Nesterov, 0.0)),
            "momentum"
        );
        assert_eq!(bad(|c| c.rprop.decrease = 1.0), "rprop.decrease");
        assert_eq!(bad(|c| c.rprop.delta_zero = 60.0), "rprop.delta_zero");
    }
}
