// Where the page's sources are: `assets/page` in whichever crate holds them, and the
// catalogues in its `lang/`. Found by looking, so that moving them to another crate
// needs no change to the tests. Node reads the page's `.js` files as ES modules because
// `js/package.json` says `"type": "module"`; the browser never sees that file.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const crates = fileURLToPath(new URL('../../crates/', import.meta.url));
const found = fs
  .readdirSync(crates)
  .map((crate) => path.join(crates, crate, 'assets', 'page'))
  .filter((dir) => fs.existsSync(path.join(dir, 'js', 'main.js')));
if (found.length !== 1) throw new Error(`expected one crate with assets/page/js/main.js, found ${found.length}`);

/** The folder of index.html, page.css and js/. */
export const PAGE = found[0];

/** Imports the page's module `name` (`util.js`, say), the file itself. */
export function load(name) {
  return import(pathToFileURL(path.join(PAGE, 'js', name)).href);
}

/** The text of the page's file `name`, relative to PAGE (`js/util.js`, `index.html`). */
export function read(name) {
  return fs.readFileSync(path.join(PAGE, name), 'utf8');
}

/** The names of the page's modules (`util.js`, …). */
export function modules() {
  return fs.readdirSync(path.join(PAGE, 'js')).filter((f) => f.endsWith('.js')).sort();
}

/** The folder of the catalogues, `lang/<code>.toml`, beside `assets/`. */
export const LANG = path.join(PAGE, '..', '..', 'lang');

/** The codes of the catalogues in LANG, English first (the engine checks each is registered). */
export function codes() {
  const found = fs.readdirSync(LANG).filter((f) => f.endsWith('.toml')).map((f) => f.slice(0, -5));
  return ['en', ...found.filter((c) => c !== 'en').sort()];
}

/**
 * The catalogue of `code` as the page's data carries it: {code, language, explain, page}.
 * The files keep to one `key = "string"` per line under `[table]` headers, which is all
 * this reads (the engine parses them as TOML and checks them); a TOML basic string is
 * read as the JSON string it also is.
 */
export function catalogue(code) {
  const out = { code };
  let table = null;
  for (const line of fs.readFileSync(path.join(LANG, `${code}.toml`), 'utf8').split('\n')) {
    const header = /^\[([a-z_]+)\]\s*$/.exec(line);
    const entry = /^([a-z_]+) = (".*")\s*$/.exec(line);
    if (header) table = out[header[1]] = {};
    else if (entry && table) table[entry[1]] = JSON.parse(entry[2]);
  }
  return out;
}
