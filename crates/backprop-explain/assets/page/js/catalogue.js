// The catalogues (lang/<code>.toml, carried by the engine's data): every phrase of the
// page ([page]) and of the explanation ([explain]) in each registered language, by id.
// The engine's document names its phrases by id with their arguments; these functions
// fill them in. They split and fill a template by the same rules as the engine
// (src/catalogue.rs and src/msg.rs), and are pure functions of the catalogues, so they
// are tested without a browser.

/**
 * The pieces of `template`: `{ words }`, and `{ name, raw }` for a placeholder `{name}`
 * whose name is of a–z and `_`. Any other brace is a word.
 */
export function pieces(template) {
  const out = [];
  let at = 0;
  for (const m of template.matchAll(/\{([a-z_]+)\}/g)) {
    if (m.index > at) out.push({ words: template.slice(at, m.index) });
    out.push({ name: m[1], raw: m[0] });
    at = m.index + m[0].length;
  }
  if (at < template.length) out.push({ words: template.slice(at) });
  return out;
}

/** The language `code` among `languages`, else the first (English). */
export function language(languages, code) {
  return languages.find((l) => l.code === code) || languages[0];
}

/** Template `id` of `section` in `code`, else in English, else the id itself. */
export function template(languages, code, section, id) {
  return language(languages, code)?.[section]?.[id] ?? languages[0]?.[section]?.[id] ?? id;
}

/** The page's phrase `key` in `code`, its placeholders filled from `args` ({name: value}). */
export function phrase(languages, code, key, args = {}) {
  return pieces(template(languages, code, 'page', key))
    .map((p) => ('words' in p ? p.words : p.name in args ? String(args[p.name]) : p.raw))
    .join('');
}

/**
 * Hands message `msg` ({id, args}) in `code` to `words(text)` and `math(parts)` run by
 * run: the template's words, and each argument where its placeholder stands. An
 * argument is a string, a message, `{math: parts}` or a list of arguments.
 */
export function walk(languages, code, msg, words, math) {
  const argument = (a) => {
    if (typeof a === 'string') words(a);
    else if (Array.isArray(a)) a.forEach(argument);
    else if ('math' in a) math(a.math);
    else walk(languages, code, a, words, math);
  };
  for (const p of pieces(template(languages, code, 'explain', msg.id))) {
    if ('words' in p) words(p.words);
    else if (msg.args && p.name in msg.args) argument(msg.args[p.name]);
    else words(p.raw);
  }
}

/** Message `msg` in `code` as text; a formula among its words as its LaTeX. */
export function messageText(languages, code, msg) {
  let out = '';
  walk(languages, code, msg, (w) => { out += w; }, (parts) => { out += latex(languages, code, parts); });
  return out;
}

/** Message `msg` in `code` inside a formula: its words upright in \text{…}, its formulas between. */
export function messageLatex(languages, code, msg) {
  let out = '';
  let words = '';
  const upright = () => {
    if (words) out += `\\text{${words}}`;
    words = '';
  };
  walk(languages, code, msg, (w) => { words += w; }, (parts) => { upright(); out += latex(languages, code, parts); });
  upright();
  return out;
}

/** LaTeX from the engine's parts, strings of LaTeX and messages, with the messages in `code`. */
export function latex(languages, code, parts) {
  return (parts || []).map((p) => (typeof p === 'string' ? p : messageLatex(languages, code, p))).join('');
}
