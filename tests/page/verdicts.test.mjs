// The Practice mode's judge gives the verdicts `backprop check` gives: the same cases,
// from verdicts.json, are asserted against check/verdict.rs by a Rust unit test.
import test from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { load } from './sources.mjs';

const { judge, parseAnswer, halfUnit } = await load('judge.js');
const { cases } = JSON.parse(fs.readFileSync(new URL('./verdicts.json', import.meta.url), 'utf8'));

test('every case of verdicts.json gets its verdict and its mistakes', () => {
  assert.ok(cases.length >= 10);
  for (const c of cases) {
    const answer = parseAnswer(c.typed);
    if (c.verdict === null) {
      assert.equal(answer, null, c.typed);
      continue;
    }
    assert.notEqual(answer, null, c.typed);
    const got = judge(answer.value, answer.places, c.expected, { bound: c.bound, mistakes: c.mistakes });
    assert.deepEqual(got, { verdict: c.verdict, mistakes: c.found }, c.typed);
  }
});

test('decimals are counted as an answers file counts them', () => {
  // `0.359` has 3 decimals, `1.5e-3` has 4 (0.0015), `12e2` has -2 (1200).
  assert.deepEqual(parseAnswer('0.359'), { value: 0.359, places: 3 });
  assert.deepEqual(parseAnswer('1.5e-3'), { value: 0.0015, places: 4 });
  assert.deepEqual(parseAnswer(' 12e2 '), { value: 1200, places: -2 });
  assert.equal(halfUnit(3), 0.0005);
});
