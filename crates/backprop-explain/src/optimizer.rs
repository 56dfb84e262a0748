//! The optimizer a spec names (`"optimizer": {"kind": "adam", …}`), with `torch.optim`'s
//! settings and defaults, and the engine's configuration it runs as. Without one, a
//! spec trains by plain gradient descent.

use serde::{Deserialize, Serialize};

use backprop::optim::{OptimizerConfig, OptimizerKind, RpropConfig};

/// An optimizer and its settings, as a spec writes it. The learning rate is the spec's.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum OptimizerSpec {
    /// w ← w − η·g.
    Sgd {},
    /// v ← μ·v + g; w ← w − η·v (PyTorch's `SGD(momentum=μ)`, dampening 0).
    Momentum {
        /// μ (default 0.9).
        #[serde(default = "momentum")]
        momentum: f64,
    },
    /// v ← μ·v + g; w ← w − η·(g + μ·v) (PyTorch's `SGD(momentum=μ, nesterov=True)`).
    Nesterov {
        /// μ (default 0.9).
        #[serde(default = "momentum")]
        momentum: f64,
    },
    /// PyTorch's `Adam`: m ← β₁·m + (1 − β₁)·g, v ← β₂·v + (1 − β₂)·g²,
    /// w ← w − η·m̂ / (√v̂ + ε) with m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ).
    Adam {
        /// β₁ (default 0.9).
        #[serde(default = "beta1")]
        beta1: f64,
        /// β₂ (default 0.999).
        #[serde(default = "beta2")]
        beta2: f64,
        /// ε (default 1e-8).
        #[serde(default = "epsilon")]
        epsilon: f64,
    },
    /// PyTorch's `AdamW`: w ← w − η·λ·w first, then the Adam step.
    #[serde(rename = "adamw")]
    AdamW {
        /// β₁ (default 0.9).
        #[serde(default = "beta1")]
        beta1: f64,
        /// β₂ (default 0.999).
        #[serde(default = "beta2")]
        beta2: f64,
        /// ε (default 1e-8).
        #[serde(default = "epsilon")]
        epsilon: f64,
        /// λ (default 0.01).
        #[serde(default = "weight_decay")]
        weight_decay: f64,
    },
    /// PyTorch's `Rprop`: each parameter's step size grows by η⁺ while its gradient
    /// keeps its sign and shrinks by η⁻ when it flips (then that step is skipped), within
    /// [`step_min`, `step_max`]; the parameter moves by its step against the gradient's sign.
    Rprop {
        /// η⁻ (default 0.5).
        #[serde(default = "eta_minus")]
        eta_minus: f64,
        /// η⁺ (default 1.2).
        #[serde(default = "eta_plus")]
        eta_plus: f64,
        /// The smallest step (default 1e-6).
        #[serde(default = "step_min")]
        step_min: f64,
        /// The largest step (default 50).
        #[serde(default = "step_max")]
        step_max: f64,
        /// Every parameter's first step (default 0.01; PyTorch's `lr`).
        #[serde(default = "initial_step")]
        initial_step: f64,
    },
}

fn momentum() -> f64 {
    0.9
}
fn beta1() -> f64 {
    0.9
}
fn beta2() -> f64 {
    0.999
}
fn epsilon() -> f64 {
    1e-8
}
fn weight_decay() -> f64 {
    0.01
}
fn eta_minus() -> f64 {
    0.5
}
fn eta_plus() -> f64 {
    1.2
}
fn step_min() -> f64 {
    1e-6
}
fn step_max() -> f64 {
    50.0
}
fn initial_step() -> f64 {
    0.01
}

impl OptimizerSpec {
    /// The optimizer of `kind` with `torch.optim`'s default settings.
    pub fn defaults(kind: OptimizerKind) -> OptimizerSpec {
        match kind {
            OptimizerKind::Sgd => OptimizerSpec::Sgd {},
            OptimizerKind::Momentum => OptimizerSpec::Momentum {
                momentum: momentum(),
            },
            OptimizerKind::Nesterov => OptimizerSpec::Nesterov {
                momentum: momentum(),
            },
            OptimizerKind::Adam => OptimizerSpec::Adam {
                beta1: beta1(),
                beta2: beta2(),
                epsilon: epsilon(),
            },
            OptimizerKind::AdamW => OptimizerSpec::AdamW {
                beta1: beta1(),
                beta2: beta2(),
                epsilon: epsilon(),
                weight_decay: weight_decay(),
            },
            OptimizerKind::Rprop => OptimizerSpec::Rprop {
                eta_minus: eta_minus(),
                eta_plus: eta_plus(),
                step_min: step_min(),
                step_max: step_max(),
                initial_step: initial_step(),
            },
        }
    }

    /// Its kind.
    pub fn kind(&self) -> OptimizerKind {
        match self {
            OptimizerSpec::Sgd {} => OptimizerKind::Sgd,
            OptimizerSpec::Momentum { .. } => OptimizerKind::Momentum,
            OptimizerSpec::Nesterov { .. } => OptimizerKind::Nesterov,
            OptimizerSpec::Adam { .. } => OptimizerKind::Adam,
            OptimizerSpec::AdamW { .. } => OptimizerKind::AdamW,
            OptimizerSpec::Rprop { .. } => OptimizerKind::Rprop,
        }
    }

    /// Checks the ranges `torch.optim` accepts. On error gives the field and what was
    /// wrong with it.
    pub fn validate(&self) -> Result<(), (&'static str, String)> {
        let check = |field: &'static str, x: f64, ok: bool, want: &str| {
            if x.is_finite() && ok {
                Ok(())
            } else {
                Err((field, format!("must be {want}, got {x}")))
            }
        };
        match *self {
            OptimizerSpec::Sgd {} => Ok(()),
            OptimizerSpec::Momentum { momentum } => {
                check("momentum", momentum, momentum >= 0.0, "≥ 0")
            }
            OptimizerSpec::Nesterov { momentum } => check(
                "momentum",
                momentum,
                momentum > 0.0,
                "> 0 (Nesterov momentum needs momentum)",
            ),
            OptimizerSpec::Adam {
                beta1,
                beta2,
                epsilon,
            } => adam(beta1, beta2, epsilon),
            OptimizerSpec::AdamW {
                beta1,
                beta2,
                epsilon,
                weight_decay,
            } => {
                adam(beta1, beta2, epsilon)?;
                check("weight_decay", weight_decay, weight_decay >= 0.0, "≥ 0")
            }
            OptimizerSpec::Rprop {
                eta_minus,
                eta_plus,
                step_min,
                step_max,
                initial_step,
            } => {
                let between = eta_minus > 0.0 && eta_minus < 1.0;
                check("eta_minus", eta_minus, between, "in (0, 1)")?;
                check("eta_plus", eta_plus, eta_plus > 1.0, "> 1")?;
                check("step_min", step_min, step_min >= 0.0, "≥ 0")?;
                check("step_max", step_max, step_max >= step_min, "≥ step_min")?;
                // PyTorch clamps every step into [step_min, step_max], the first too.
                let within = (step_min..=step_max).contains(&initial_step) && initial_step > 0.0;
                check(
                    "initial_step",
                    initial_step,
                    within,
                    "> 0 and within [step_min, step_max]",
                )
            }
        }
    }

    /// The engine's configuration for this optimizer at learning rate `learning_rate`.
    pub fn config(&self, learning_rate: f64) -> OptimizerConfig {
        let base = OptimizerConfig {
            kind: self.kind(),
            learning_rate,
            weight_decay: 0.0,
            ..OptimizerConfig::default()
        };
        match *self {
            OptimizerSpec::Sgd {} => base,
            OptimizerSpec::Momentum { momentum } | OptimizerSpec::Nesterov { momentum } => {
                OptimizerConfig { momentum, ..base }
            }
            OptimizerSpec::Adam {
                beta1,
                beta2,
                epsilon,
            } => OptimizerConfig {
                beta1,
                beta2,
                epsilon,
                ..base
            },
            OptimizerSpec::AdamW {
                beta1,
                beta2,
                epsilon,
                weight_decay,
            } => OptimizerConfig {
                beta1,
                beta2,
                epsilon,
                weight_decay,
                ..base
            },
            OptimizerSpec::Rprop {
                eta_minus,
                eta_plus,
                step_min,
                step_max,
                initial_step,
            } => OptimizerConfig {
                rprop: RpropConfig {
                    increase: eta_plus,
                    decrease: eta_minus,
                    delta_zero: initial_step,
                    delta_min: step_min,
                    delta_max: step_max,
                },
                ..base
            },
        }
    }
}

fn adam(beta1: f64, beta2: f64, epsilon: f64) -> Result<(), (&'static str, String)> {
    let unit = |field: &'static str, x: f64| {
        if x.is_finite() && (0.0..1.0).contains(&x) {
            Ok(())
        } else {
            Err((field, format!("must be in [0, 1), got {x}")))
        }
    };
    unit("beta1", beta1)?;
    unit("beta2", beta2)?;
    if epsilon.is_finite() && epsilon > 0.0 {
        Ok(())
    } else {
        Err(("epsilon", format!("must be > 0, got {epsilon}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(json: &str) -> Result<OptimizerSpec, serde_json::Error> {
        serde_json::from_str(json)
    }

    #[test]
    fn fields_default_as_in_torch_optim() {
        let adam = parse(r#"{"kind": "adam"}"#).unwrap();
        let c = adam.config(0.5);
        assert_eq!((c.beta1, c.beta2, c.epsilon), (0.9, 0.999, 1e-8));
        assert_eq!(c.learning_rate, 0.5);
        let adamw = parse(r#"{"kind": "adamw", "beta1": 0.8}"#).unwrap();
        assert_eq!(adamw.config(0.1).weight_decay, 0.01);
        assert_eq!(adamw.config(0.1).beta1, 0.8);
        let rprop = parse(r#"{"kind": "rprop"}"#).unwrap().config(0.5);
        assert_eq!(rprop.rprop.delta_zero, 0.01);
        assert_eq!((rprop.rprop.delta_min, rprop.rprop.delta_max), (1e-6, 50.0));
        assert_eq!(
            parse(r#"{"kind": "sgd"}"#).unwrap().kind(),
            OptimizerKind::Sgd
        );
    }

    #[test]
    fn unknown_fields_and_impossible_values_are_refused() {
        let e = parse(r#"{"kind": "adam", "momentum": 0.9}"#).unwrap_err();
        assert!(e.to_string().contains("unknown field `momentum`"), "{e}");
        assert!(parse(r#"{"kind": "lbfgs"}"#).is_err());
        let bad = |json: &str| parse(json).unwrap().validate().unwrap_err().0;
        assert_eq!(bad(r#"{"kind": "adam", "beta1": 1}"#), "beta1");
        assert_eq!(bad(r#"{"kind": "adam", "epsilon": 0}"#), "epsilon");
        assert_eq!(bad(r#"{"kind": "momentum", "momentum": -0.1}"#), "momentum");
        assert_eq!(
            bad(r#"{"kind": "rprop", "initial_step": 60}"#),
            "initial_step"
        );
    }
}
