//! What makes a described network impossible, checked once for every way a network is
//! described: a spec file, a training configuration, a model file.

use crate::activation::Activation;
use crate::loss::Loss;

/// Why a network cannot be built as described. Each place that describes networks
/// names the setting responsible its own way (`layers[1].activation`, `activation`).
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum DesignError {
    /// No inputs.
    #[error("must be at least 1")]
    NoInputs,
    /// No layers.
    #[error("the network needs at least one layer")]
    NoLayers,
    /// A layer of no neurons.
    #[error("a layer needs at least one neuron")]
    EmptyLayer {
        /// The layer, 0-based from the input.
        layer: usize,
    },
    /// Softmax below the output layer.
    #[error(
        "softmax is for the output layer only (it normalises across the whole layer); \
         use sigmoid, tanh, relu, leaky_relu or identity for hidden layers"
    )]
    HiddenSoftmax {
        /// The layer, 0-based from the input.
        layer: usize,
    },
    /// A loss of probabilities after an output that is not one.
    #[error(
        "{} needs outputs between 0 and 1: use softmax or sigmoid on the output layer, not {}",
        loss.name(),
        output.name()
    )]
    LossNeedsProbabilities {
        /// The loss.
        loss: Loss,
        /// The output layer's activation.
        output: Activation,
    },
}

/// Checks a network of `inputs` inputs, `layers` as (neurons, activation) from the
/// input side, trained on `loss`: the first problem found, in that order.
pub fn check_design(
    inputs: usize,
    layers: &[(usize, Activation)],
    loss: Loss,
) -> Result<(), DesignError> {
    if inputs == 0 {
        return Err(DesignError::NoInputs);
    }
    let Some(&(_, output)) = layers.last() else {
        return Err(DesignError::NoLayers);
    };
    let last = layers.len() - 1;
    for (layer, &(size, activation)) in layers.iter().enumerate() {
        if size == 0 {
            return Err(DesignError::EmptyLayer { layer });
        }
        if activation == Activation::Softmax && layer != last {
            return Err(DesignError::HiddenSoftmax { layer });
        }
    }
    if !loss.accepts_output(output) {
        return Err(DesignError::LossNeedsProbabilities { loss, output });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use Activation::{Relu, Sigmoid, Softmax};

    #[test]
    fn each_impossible_design_is_named_with_its_layer() {
        let check =
            |inputs, layers: &[(usize, Activation)], loss| check_design(inputs, layers, loss);
        assert_eq!(
            check(2, &[(3, Relu), (2, Softmax)], Loss::CrossEntropy),
            Ok(())
        );
        assert_eq!(
            check(0, &[(2, Sigmoid)], Loss::Mse),
            Err(DesignError::NoInputs)
        );
        assert_eq!(check(2, &[], Loss::Mse), Err(DesignError::NoLayers));
        assert_eq!(
            check(2, &[(3, Relu), (0, Sigmoid)], Loss::Mse),
            Err(DesignError::EmptyLayer { layer: 1 })
        );
        assert_eq!(
            check(2, &[(3, Softmax), (2, Softmax)], Loss::CrossEntropy),
            Err(DesignError::HiddenSoftmax { layer: 0 })
        );
        let e = check(2, &[(2, Relu)], Loss::BinaryCrossEntropy).unwrap_err();
        assert_eq!(
            e.to_string(),
            "binary_cross_entropy needs outputs between 0 and 1: use softmax or sigmoid on the output layer, not relu"
        );
    }
}
