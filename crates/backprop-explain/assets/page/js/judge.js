// How the Practice mode judges a typed number, with what the engine sent for its
// quantity: the same reading of a number and the same verdicts as `backprop check`
// (check/answers.rs and check/verdict.rs), so that the page needs no server.

/**
 * A typed number and the decimals it was given to, as an answers file reads it: ASCII
 * digits, an optional sign, one point and an optional exponent (`1.5e-3` has 4
 * decimals). `null` when the text is not such a number.
 */
export function parseAnswer(text) {
  const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,4}))?$/.exec(text.trim());
  if (!m || (m[2] === '' && (m[3] ?? '') === '')) return null;
  const value = Number(text.trim());
  if (!Number.isFinite(value)) return null;
  const places = (m[3] ?? '').length - Number(m[4] ?? 0);
  return { value, places };
}

/** Half a unit in the last of `places` decimals: how far a correctly rounded value is from the true one. */
export function halfUnit(places) {
  return 0.5 * 10 ** -Math.max(-30, Math.min(30, places));
}

/**
 * The verdict on `given`, typed to `places` decimals, for a quantity whose true value
 * is `expected`; `practice` is the engine's `{bound, mistakes}` for it: how far rounding
 * the values before it can move it per unit rounding step, and `[id, value]` for each
 * of the catalogue's mistakes. Answers `{verdict, mistakes}` with `verdict` one of
 * `right`, `rounding` and `wrong`, and the ids of the mistakes that give `given`.
 */
export function judge(given, places, expected, practice) {
  const h = halfUnit(places);
  // A last-bit allowance, so that a value exactly half a unit off is still right.
  const slack = h + 1e-12 * Math.max(Math.abs(expected), 1);
  const bound = (practice?.bound ?? 0) * h;
  const off = Math.abs(given - expected);
  if (off <= slack) return { verdict: 'right', mistakes: [] };
  if (off <= slack + bound) return { verdict: 'rounding', mistakes: ['early_rounding'] };
  const found = [];
  for (const [id, v] of practice?.mistakes ?? []) {
    const near = Math.abs(given - v) <= slack + bound;
    // A mistake that changes nothing cannot be what made an answer wrong.
    const changes = Math.abs(v - expected) > slack;
    if (near && changes && !found.includes(id)) found.push(id);
  }
  return { verdict: 'wrong', mistakes: found };
}
