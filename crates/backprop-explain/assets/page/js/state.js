// The page's shared, mutable data, in one object that the modules import. Everything
// else a module keeps (caches, the editor's spec, the playground's run) is its own.
// Holding the data in one place is what lets a module read it without knowing which
// other module last replaced it.

export const state = {
  /** The code of the language shown, one of `languages`. */
  lang: 'en',
  /**
   * The registered languages, in the order the page offers them, each with its
   * catalogue: {code, language: {name, tag}, explain, page}. From the data, at the start.
   */
  languages: [],
  /** How the page started (the settings element): lang, live, view, rounds, show, limits, choices. */
  settings: null,
  /** The engine's data for the explanation shown; an edit replaces it. */
  data: null,
  /** The round, step and sample the step-by-step view shows (0-based). */
  round: 0,
  step: 0,
  sample: 0,
};
