import { Value } from '@sinclair/typebox/value';
import { expect, test } from 'vitest';
import { Report } from '../../src/report/schema.js';
import { makeDynamicGlibcBinary, makeReport } from '../helpers/report-fixture.js';

test('synthetic reports used by policy and UI tests validate against the Report schema', () => {
  const report = makeReport({ binaries: [makeDynamicGlibcBinary()] });
  expect([...Value.Errors(Report, report)]).toEqual([]);
});
