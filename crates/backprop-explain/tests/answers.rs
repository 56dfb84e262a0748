//! `check`: a learner's numbers for the tutorial judged against the recorded trace.
//! Every wrong number below is worked out by hand from the tutorial's published
//! forward values (Mazur, "A Step by Step Backpropagation Example"): out_h1 =
//! 0.5932699921, out_h2 = 0.5968843783, net_h1 = 0.3775, ∂E_total/∂out_o1 =
//! 0.7413650696, δ_o1 = 0.1384985616, δ_o2 = −0.0380982365, ∂E_total/∂w5 =
//! 0.0821670406, E_total = 0.2983711088, η = 0.5, w5 = 0.40, w6 = 0.45, w7 = 0.50 —
//! never by the catalogue's code.

use backprop_explain::check::{check_text, Mistake, Report, Verdict};
use backprop_explain::{Lang, Spec};

fn check(text: &str) -> Report {
    check_text(&Spec::tutorial(), text).unwrap()
}

/// The verdict and mistakes of a one-answer file.
fn judge(line: &str) -> (Verdict, Vec<Mistake>) {
    let report = check(line);
    let a = &report.answers[0];
    (a.verdict, a.mistakes.clone())
}

fn wrong_with(line: &str, mistake: Mistake) {
    let (verdict, mistakes) = judge(line);
    assert_eq!(verdict, Verdict::Wrong, "{line}");
    assert!(mistakes.contains(&mistake), "{line}: {mistakes:?}");
}

#[test]
fn right_answers_to_3_6_and_9_places_are_right() {
    // The tutorial's w5⁺ = 0.35891648, E_total = 0.298371109, ∂E_total/∂w1 = 0.000438568.
    for text in [
        "w5+ = 0.359\nE_total = 0.298\ndelta_o1 = 0.138",
        "w5+ = 0.358916\nE_total = 0.298371\ndE_total/dw1 = 0.000439",
        "w5+ = 0.358916480\nE_total = 0.298371109\ndE_total/dw1 = 0.000438568",
        "w5⁺ = 0.358916\n∂E_total/∂w5 = 0.082167\nδ_o1 = 0.138499",
    ] {
        let report = check(text);
        for a in &report.answers {
            assert_eq!(a.verdict, Verdict::Right, "{text}: {a:?}");
        }
        assert!(report.all_right());
    }
}

#[test]
fn a_chain_rounded_to_4_places_is_rounding() {
    // Rounding every value to 4 places on the way: δ_o1 = 0.7414 × 0.1868 = 0.1385,
    // δ_o2 = −0.2171 × 0.1755 = −0.0381, then δ_o1 × w6 = 0.1385 × 0.45 = 0.0623 and
    // δ_o2 × w8 = −0.0381 × 0.55 = −0.0210 give ∂E_total/∂out_h2 = 0.0413 (the true
    // 0.0413703 rounds to 0.0414); × ∂out_h2/∂net_h2 = 0.2406 gives δ_h2 = 0.0099
    // (true 0.0099543, 0.0100 to 4 places).
    let report = check("dE_total/dout_h2 = 0.0413\ndelta_h2 = 0.0099");
    for a in &report.answers {
        assert_eq!(a.verdict, Verdict::Rounding, "{a:?}");
        assert_eq!(a.mistakes, vec![Mistake::EarlyRounding]);
    }
    assert!(report.all_right());
    // And at 3 places: E_o1 = 0.275, E_o2 = 0.024 give E_total = 0.299 (true 0.298).
    assert_eq!(judge("E_total = 0.299").0, Verdict::Rounding);
}

#[test]
fn missing_activation_derivative() {
    // δ_o1 taken as ∂E_total/∂out_o1 alone: 0.741365.
    wrong_with("delta_o1 = 0.741365", Mistake::MissingActivationDerivative);
    // ∂E_total/∂w5 = 0.7413650696 × out_h1 0.5932699921 = 0.439830.
    wrong_with(
        "dE_total/dw5 = 0.439830",
        Mistake::MissingActivationDerivative,
    );
}

#[test]
fn sign_error() {
    // (target − out) for ∂E/∂out: ∂E_total/∂w5 = −0.082167.
    wrong_with("dE_total/dw5 = -0.082167", Mistake::SignError);
}

#[test]
fn added_update_and_sign_error_give_the_same_number() {
    // w5 + η·∂E/∂w5 = 0.40 + 0.5 × 0.0821670406 = 0.441084; a flipped gradient with
    // the right update gives the same number, so both are named.
    let (verdict, mistakes) = judge("w5+ = 0.441084");
    assert_eq!(verdict, Verdict::Wrong);
    assert!(mistakes.contains(&Mistake::AddedUpdate), "{mistakes:?}");
    assert!(mistakes.contains(&Mistake::SignError), "{mistakes:?}");
}

#[test]
fn missing_learning_rate() {
    // w5 − ∂E/∂w5 = 0.40 − 0.0821670406 = 0.317833.
    wrong_with("w5+ = 0.317833", Mistake::MissingLearningRate);
}

#[test]
fn updated_weights_in_hidden_delta() {
    // δ_o1 × w5⁺ + δ_o2 × w7⁺ = 0.1384985616 × 0.3589164797 − 0.0380982365 ×
    // 0.5113012702 = 0.030230 (w5⁺ = 0.40 − 0.5 × 0.0821670406, w7⁺ = 0.50 − 0.5 ×
    // (−0.0226025405)).
    wrong_with(
        "dE_total/dout_h1 = 0.030230",
        Mistake::UpdatedWeightsInHiddenDelta,
    );
}

#[test]
fn original_weights_in_a_published_order_hidden_delta() {
    // The tutorial in the published order goes down through w5⁺ and w7⁺; a learner who
    // used w5 and w7 writes δ_o1 × w5 + δ_o2 × w7 = 0.1384985616 × 0.40 − 0.0380982365 ×
    // 0.50 = 0.036350.
    let spec = Spec {
        order: backprop::network::Order::Published,
        ..Spec::tutorial()
    };
    let report = check_text(&spec, "dE_total/dout_h1 = 0.036350").unwrap();
    let a = &report.answers[0];
    assert_eq!(a.verdict, Verdict::Wrong);
    assert!(a.mistakes.contains(&Mistake::OriginalWeightsInHiddenDelta));
}

#[test]
fn single_path() {
    // Only the path through o1: δ_o1 × w5 = 0.1384985616 × 0.40 = 0.055399.
    wrong_with("dE_total/dout_h1 = 0.055399", Mistake::SinglePath);
}

#[test]
fn wrong_weight() {
    // w6 for w7: δ_o1 × w5 + δ_o2 × w6 = 0.0553994247 − 0.0380982365 × 0.45 = 0.038255.
    wrong_with("dE_total/dout_h1 = 0.038255", Mistake::WrongWeight);
}

#[test]
fn net_for_out() {
    // net_h1 for out_h1 as ∂net_o1/∂w5: δ_o1 × 0.3775 = 0.052283.
    wrong_with("dE_total/dw5 = 0.052283", Mistake::NetForOut);
    // out_h1 where net_h1 was asked: 0.593270.
    wrong_with("net_h1 = 0.593270", Mistake::NetForOut);
}

#[test]
fn missing_half() {
    // E_total without the ½: 2 × 0.2983711088 = 0.596742.
    wrong_with("E_total = 0.596742", Mistake::MissingHalf);
    // ∂E/∂out_o1 with the 2 kept: 2 × 0.7413650696 = 1.482730.
    wrong_with("dE_total/dout_o1 = 1.482730", Mistake::MissingHalf);
}

#[test]
fn a_wrong_number_matching_no_mistake_shows_the_derivation() {
    let report = check("w5+ = 0.123");
    let a = &report.answers[0];
    assert_eq!(a.verdict, Verdict::Wrong);
    assert!(a.mistakes.is_empty());
    let message = a.message(Lang::En);
    // The explanation's own equation, numbers substituted.
    assert!(
        message.contains("w5⁺ = w5 - η × ∂E_total/∂w5 = 0.4 - 0.5 × 0.082167041"),
        "{message}"
    );
    assert!(message.contains("0.358916"), "{message}");
    assert!(message.contains("none of the usual mistakes"), "{message}");
}

#[test]
fn unknown_names_get_the_nearest() {
    let report = check("detla_o1 = 0.1");
    let a = &report.answers[0];
    assert_eq!(a.verdict, Verdict::UnknownName);
    assert!(
        a.message(Lang::En).contains("delta_o1"),
        "{}",
        a.message(Lang::En)
    );
    assert!(!report.all_right());
}

#[test]
fn json_has_the_fields_of_the_issue() {
    let json = check("w5+ = 0.441084\nw6+ = 0.408666").json(Lang::Zh);
    let a = &json["answers"][0];
    for field in [
        "line", "name", "given", "expected", "verdict", "mistake", "message",
    ] {
        assert!(a.get(field).is_some(), "{field}");
    }
    assert_eq!(a["verdict"], "wrong");
    assert_eq!(a["mistake"], "added_update");
    assert_eq!(
        (json["right"].clone(), json["wrong"].clone()),
        (1.into(), 1.into())
    );
}

#[test]
fn a_later_round_is_checked_against_its_own_values() {
    // Round 2's w5 is round 1's w5⁺ = 0.35891648 (the tutorial's).
    let (verdict, _) = judge("[round 2]\nw5 = 0.358916");
    assert_eq!(verdict, Verdict::Right);
}
