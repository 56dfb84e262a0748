//! Names for every quantity: the tutorial's (i1, h1, o1, w1…w8, b1, b2) when the
//! network has its 2-2-2 shape, and a systematic notation (x₁, out⁽ˡ⁾ⱼ, w⁽ˡ⁾ⱼ,ₖ, δ⁽ˡ⁾ⱼ)
//! otherwise. Layers are numbered from 1 in names, from 0 in code.

use crate::expr::Sym;
use crate::spec::Spec;
use backprop::layer::Bias;

/// The naming scheme of one network.
#[derive(Clone, Debug)]
pub struct Names {
    tutorial: bool,
    batch: usize,
    shared: Vec<bool>,
    sizes: Vec<usize>,
}

const SUB: [char; 10] = ['₀', '₁', '₂', '₃', '₄', '₅', '₆', '₇', '₈', '₉'];
const SUP: [char; 10] = ['⁰', '¹', '²', '³', '⁴', '⁵', '⁶', '⁷', '⁸', '⁹'];

fn digits(n: usize, table: &[char; 10]) -> String {
    n.to_string()
        .chars()
        .map(|c| table[c.to_digit(10).unwrap_or(0) as usize])
        .collect()
}

impl Names {
    /// The names for `spec`'s network and batch.
    pub fn new(spec: &Spec) -> Self {
        let sizes: Vec<usize> = spec.layers.iter().map(|l| l.size).collect();
        Names {
            tutorial: spec.inputs == 2 && sizes == [2, 2],
            batch: spec.samples.len(),
            shared: spec
                .layers
                .iter()
                .map(|l| matches!(l.bias, Some(Bias::Shared(_))))
                .collect(),
            sizes,
        }
    }

    /// Whether the tutorial's names are in use.
    pub fn is_tutorial(&self) -> bool {
        self.tutorial
    }

    /// Number of layers.
    pub fn layers(&self) -> usize {
        self.sizes.len()
    }

    /// Whether layer `l` is the output layer.
    pub fn is_output(&self, l: usize) -> bool {
        l + 1 == self.sizes.len()
    }

    fn sample(&self, sym: Sym, s: usize) -> Sym {
        if self.batch > 1 {
            Sym::new(
                format!("{}[{}]", sym.text, s + 1),
                format!("{}[{}]", sym.latex, s + 1),
            )
        } else {
            sym
        }
    }

    /// The tutorial's neuron letter: h for the hidden layer, o for the output layer.
    fn letter(l: usize) -> char {
        if l == 0 {
            'h'
        } else {
            'o'
        }
    }

    /// A per-neuron quantity `name` of neuron `j` in layer `l`, e.g. net_h1, out⁽²⁾₁.
    fn neuron(&self, name: &str, latex: &str, l: usize, j: usize) -> Sym {
        if self.tutorial {
            let n = format!("{}{}", Self::letter(l), j + 1);
            Sym::new(format!("{name}_{n}"), format!("{latex}_{{{n}}}"))
        } else {
            Sym::new(
                format!("{name}⁽{}⁾{}", digits(l + 1, &SUP), digits(j + 1, &SUB)),
                format!("{latex}^{{({})}}_{{{}}}", l + 1, j + 1),
            )
        }
    }

    /// A neuron's label for headings: h1, o2, or (2,1).
    pub fn neuron_label(&self, l: usize, j: usize) -> String {
        if self.tutorial {
            format!("{}{}", Self::letter(l), j + 1)
        } else {
            format!("({},{})", l + 1, j + 1)
        }
    }

    /// Input `k` of sample `s`: i1, x₁.
    pub fn input(&self, k: usize, s: usize) -> Sym {
        let sym = if self.tutorial {
            Sym::new(format!("i{}", k + 1), format!("i_{{{}}}", k + 1))
        } else {
            Sym::new(
                format!("x{}", digits(k + 1, &SUB)),
                format!("x_{{{}}}", k + 1),
            )
        };
        self.sample(sym, s)
    }

    /// The weighted input `k` of layer `l`: an input for the first layer, else an out.
    pub fn layer_input(&self, l: usize, k: usize, s: usize) -> Sym {
        if l == 0 {
            self.input(k, s)
        } else {
            self.out(l - 1, k, s)
        }
    }

    /// net of neuron `j` in layer `l`.
    pub fn net(&self, l: usize, j: usize, s: usize) -> Sym {
        self.sample(self.neuron("net", "\\mathit{net}", l, j), s)
    }

    /// out of neuron `j` in layer `l`.
    pub fn out(&self, l: usize, j: usize, s: usize) -> Sym {
        self.sample(self.neuron("out", "\\mathit{out}", l, j), s)
    }

    /// δ = ∂E/∂net of neuron `j` in layer `l`.
    pub fn delta(&self, l: usize, j: usize, s: usize) -> Sym {
        self.sample(self.neuron("δ", "\\delta", l, j), s)
    }

    /// The target of output `j`.
    pub fn target(&self, j: usize, s: usize) -> Sym {
        let sym = if self.tutorial {
            Sym::new(
                format!("target_o{}", j + 1),
                format!("\\mathit{{target}}_{{o{}}}", j + 1),
            )
        } else {
            Sym::new(
                format!("t{}", digits(j + 1, &SUB)),
                format!("t_{{{}}}", j + 1),
            )
        };
        self.sample(sym, s)
    }

    /// Output `j`'s share of the error: E_o1, E₁.
    pub fn error(&self, j: usize, s: usize) -> Sym {
        let sym = if self.tutorial {
            Sym::new(format!("E_o{}", j + 1), format!("E_{{o{}}}", j + 1))
        } else {
            Sym::new(
                format!("E{}", digits(j + 1, &SUB)),
                format!("E_{{{}}}", j + 1),
            )
        };
        self.sample(sym, s)
    }

    /// The total error.
    pub fn total(&self) -> Sym {
        Sym::new("E_total", "E_{\\mathrm{total}}")
    }

    /// The weight from neuron (or input) `k` into neuron `j` of layer `l`: w5, w⁽²⁾₁,₂.
    pub fn weight(&self, l: usize, j: usize, k: usize) -> Sym {
        if self.tutorial {
            let n = 4 * l + 2 * j + k + 1;
            Sym::new(format!("w{n}"), format!("w_{{{n}}}"))
        } else {
            Sym::new(
                format!(
                    "w⁽{}⁾{},{}",
                    digits(l + 1, &SUP),
                    digits(j + 1, &SUB),
                    digits(k + 1, &SUB)
                ),
                format!("w^{{({})}}_{{{},{}}}", l + 1, j + 1, k + 1),
            )
        }
    }

    /// The bias of neuron `j` in layer `l` (the layer's one bias when shared).
    pub fn bias(&self, l: usize, j: usize) -> Sym {
        let shared = self.shared.get(l).copied().unwrap_or(false);
        match (self.tutorial, shared) {
            (true, true) => Sym::new(format!("b{}", l + 1), format!("b_{{{}}}", l + 1)),
            (true, false) => {
                let n = format!("{}{}", Self::letter(l), j + 1);
                Sym::new(format!("b_{n}"), format!("b_{{{n}}}"))
            }
            (false, true) => Sym::new(
                format!("b⁽{}⁾", digits(l + 1, &SUP)),
                format!("b^{{({})}}", l + 1),
            ),
            (false, false) => Sym::new(
                format!("b⁽{}⁾{}", digits(l + 1, &SUP), digits(j + 1, &SUB)),
                format!("b^{{({})}}_{{{}}}", l + 1, j + 1),
            ),
        }
    }

    /// The sum Σ_k out_k × ∂E/∂out_k over softmax layer `l` for sample `s`.
    pub fn softmax_dot(&self, l: usize, s: usize) -> Sym {
        let total = self.total();
        // The layer's out with its neuron index replaced by k: out_ok, out⁽²⁾ₖ.
        let out_k = if self.tutorial {
            Sym::new("out_ok", "\\mathit{out}_{ok}")
        } else {
            let first = self.neuron("out", "\\mathit{out}", l, 0);
            let name = first.text.trim_end_matches(|c| SUB.contains(&c));
            Sym::new(
                format!("{name}ₖ"),
                format!("\\mathit{{out}}^{{({})}}_{{k}}", l + 1),
            )
        };
        let out_k = self.sample(out_k, s);
        Sym::new(
            format!("Σₖ {} × ∂{}/∂{}", out_k.text, total.text, out_k.text),
            format!(
                "\\sum_k {} \\frac{{\\partial {}}}{{\\partial {}}}",
                out_k.latex, total.latex, out_k.latex
            ),
        )
    }

    /// The learning rate.
    pub fn eta(&self) -> Sym {
        Sym::new("η", "\\eta")
    }

    /// The optimizer's state `slot` (as `torch.optim` names it) of parameter `p`:
    /// `m(w5)` and `v(w5)` (Adam's moments), `v(w5)` (momentum's velocity), `Δ(w5)` and
    /// `g_prev(w5)` (RPROP's step size and last gradient).
    pub fn state(&self, slot: &str, p: &Sym) -> Sym {
        let (text, latex) = match slot {
            "m" => ("m", "m"),
            "v" | "momentum_buffer" => ("v", "v"),
            "delta" => ("Δ", "\\Delta"),
            "prev_grad" => ("g_prev", "g_{\\text{prev}}"),
            other => (other, other),
        };
        Sym::new(
            format!("{text}({})", p.text),
            format!("{latex}\\left({}\\right)", p.latex),
        )
    }

    /// A setting of the optimizer, by its field in the spec: `β₁`, `ε`, `η⁺`, …, and
    /// `t`, the number of the step (the round).
    pub fn setting(&self, field: &str) -> Sym {
        let (text, latex) = match field {
            "beta1" => ("β₁", "\\beta_1"),
            "beta2" => ("β₂", "\\beta_2"),
            "epsilon" => ("ε", "\\varepsilon"),
            "momentum" => ("μ", "\\mu"),
            "weight_decay" => ("λ", "\\lambda"),
            "eta_plus" => ("η⁺", "\\eta^{+}"),
            "eta_minus" => ("η⁻", "\\eta^{-}"),
            "step_min" => ("Δ_min", "\\Delta_{\\min}"),
            "step_max" => ("Δ_max", "\\Delta_{\\max}"),
            "initial_step" => ("Δ₀", "\\Delta_0"),
            "t" => ("t", "t"),
            other => (other, other),
        };
        Sym::new(text, latex)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tutorial_gets_its_own_names() {
        let n = Names::new(&Spec::tutorial());
        assert!(n.is_tutorial());
        assert_eq!(n.weight(0, 0, 0).text, "w1");
        assert_eq!(n.weight(0, 1, 1).text, "w4");
        assert_eq!(n.weight(1, 0, 0).text, "w5");
        assert_eq!(n.weight(1, 1, 0).text, "w7");
        assert_eq!(n.net(0, 0, 0).text, "net_h1");
        assert_eq!(n.out(1, 1, 0).latex, "\\mathit{out}_{o2}");
        assert_eq!(n.bias(1, 0).text, "b2");
        assert_eq!(n.layer_input(1, 1, 0).text, "out_h2");
    }

    #[test]
    fn other_shapes_get_layer_superscripts() {
        let mut spec = Spec::tutorial();
        spec.inputs = 3;
        let n = Names::new(&spec);
        assert!(!n.is_tutorial());
        assert_eq!(n.weight(1, 0, 11).text, "w⁽²⁾₁,₁₂");
        assert_eq!(n.weight(1, 0, 11).latex, "w^{(2)}_{1,12}");
        assert_eq!(n.out(0, 1, 0).text, "out⁽¹⁾₂");
        assert_eq!(n.input(2, 0).text, "x₃");
    }
}
