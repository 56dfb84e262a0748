// Where the page's sources are: `assets/page` in whichever crate holds them. Found by
// looking, so that moving them to another crate needs no change to the tests. Node
// reads the page's `.js` files as ES modules because `js/package.json` says
// `"type": "module"`; the browser never sees that file.
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
