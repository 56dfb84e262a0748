//! Seeded weight initializers.

use rand::Rng;
use rand_distr::{Distribution, Normal, Uniform};
use serde::{Deserialize, Serialize};

use crate::float::Float;
use crate::matrix::Matrix;

/// How to draw a layer's initial weights (biases start at zero).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Init {
    /// Glorot uniform: U(−a, a) with a = √(6 / (fan_in + fan_out)); for sigmoid and tanh.
    #[serde(alias = "xavier_uniform", alias = "glorot")]
    Xavier,
    /// Glorot normal: N(0, σ²) with σ = √(2 / (fan_in + fan_out)).
    #[serde(alias = "glorot_normal")]
    XavierNormal,
    /// He uniform: U(−a, a) with a = √(6 / fan_in); for ReLU layers.
    #[serde(alias = "he_uniform", alias = "kaiming")]
    He,
    /// He normal: N(0, σ²) with σ = √(2 / fan_in).
    #[serde(alias = "kaiming_normal")]
    HeNormal,
    /// U(−a, a) with a = 1 / √fan_in (PyTorch's default for `nn.Linear`).
    Uniform,
}

impl Init {
    /// Every initializer, in the order messages list them.
    pub const ALL: [Init; 5] = [
        Init::Xavier,
        Init::XavierNormal,
        Init::He,
        Init::HeNormal,
        Init::Uniform,
    ];

    /// The other names spec files may use, as serde reads them.
    pub const ALIASES: [(&'static str, Init); 6] = [
        ("xavier_uniform", Init::Xavier),
        ("glorot", Init::Xavier),
        ("glorot_normal", Init::XavierNormal),
        ("he_uniform", Init::He),
        ("kaiming", Init::He),
        ("kaiming_normal", Init::HeNormal),
    ];

    /// The name used in spec files and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Init::Xavier => "xavier",
            Init::XavierNormal => "xavier_normal",
            Init::He => "he",
            Init::HeNormal => "he_normal",
            Init::Uniform => "uniform",
        }
    }

    /// Draws a `fan_out × fan_in` weight matrix.
    pub fn weights<T: Float, R: Rng>(
        self,
        fan_out: usize,
        fan_in: usize,
        rng: &mut R,
    ) -> Matrix<T> {
        let (i, o) = (fan_in as f64, fan_out as f64);
        let data: Vec<T> = match self {
            Init::Xavier => sample(
                Uniform::new_inclusive(-(6.0 / (i + o)).sqrt(), (6.0 / (i + o)).sqrt()),
                fan_out * fan_in,
                rng,
            ),
            Init::He => sample(
                Uniform::new_inclusive(-(6.0 / i).sqrt(), (6.0 / i).sqrt()),
                fan_out * fan_in,
                rng,
            ),
            Init::Uniform => sample(
                Uniform::new_inclusive(-1.0 / i.sqrt(), 1.0 / i.sqrt()),
                fan_out * fan_in,
                rng,
            ),
            Init::XavierNormal => sample(normal((2.0 / (i + o)).sqrt()), fan_out * fan_in, rng),
            Init::HeNormal => sample(normal((2.0 / i).sqrt()), fan_out * fan_in, rng),
        };
        Matrix::from_vec(fan_out, fan_in, data).unwrap_or_else(|| Matrix::zeros(fan_out, fan_in))
    }
}

fn normal(sigma: f64) -> Normal<f64> {
    // σ is finite and positive for any fan_in ≥ 1, which callers guarantee.
    Normal::new(0.0, sigma).unwrap_or_else(|_| Normal::new(0.0, 1.0).expect("σ = 1 is valid"))
}

fn sample<T: Float, D: Distribution<f64>, R: Rng>(d: D, n: usize, rng: &mut R) -> Vec<T> {
    (0..n).map(|_| T::of(d.sample(rng))).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn xavier_stays_within_its_bound_and_a_seed_repeats_the_draw() {
        // a = √(6 / (3 + 5)) ≈ 0.866.
        let bound = (6.0f64 / 8.0).sqrt();
        let mut rng = rand_pcg::Pcg64::seed_from_u64(7);
        let w: Matrix<f64> = Init::Xavier.weights(5, 3, &mut rng);
        assert!(w.as_slice().iter().all(|x| x.abs() <= bound));
        let mut again = rand_pcg::Pcg64::seed_from_u64(7);
        assert_eq!(w, Init::Xavier.weights(5, 3, &mut again));
    }

    #[test]
    fn he_normal_has_the_variance_two_over_fan_in() {
        let mut rng = rand_pcg::Pcg64::seed_from_u64(1);
        let w: Matrix<f64> = Init::HeNormal.weights(400, 50, &mut rng);
        let n = w.as_slice().len() as f64;
        let var = w.as_slice().iter().map(|x| x * x).sum::<f64>() / n;
        // 20,000 draws: the sample variance is within a few percent of 2/50 = 0.04.
        assert!((var - 0.04).abs() < 0.004, "variance {var}");
    }
}
