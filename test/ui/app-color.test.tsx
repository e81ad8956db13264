/**
 * Colour in the terminal UI: tones become colours only when colour is on (NO_COLOR turns it
 * off); the cursor stays visible (inverse) either way. Chalk reads FORCE_COLOR when Ink is first
 * imported, so this file sets it and imports the views afterwards.
 */
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { makeServiceImageReport } from './fixtures.js';

const previous = process.env.FORCE_COLOR;
let renderApp: (color: boolean) => string;

beforeAll(async () => {
  process.env.FORCE_COLOR = '1';
  const { renderToString } = await import('ink');
  const { App } = await import('../../src/ui/tui/App.js');
  const { buildReportModel } = await import('../../src/ui/model/report-model.js');
  const model = buildReportModel(makeServiceImageReport());
  renderApp = (color) => renderToString(<App model={model} columns={100} rows={30} color={color} interactive={false} initialSection="binaries" />, { columns: 100 });
});

afterAll(() => {
  if (previous === undefined) delete process.env.FORCE_COLOR;
  else process.env.FORCE_COLOR = previous;
});

// Foreground colours: 30–37 and 90–97 (bold, dim and inverse are not colours).
const FOREGROUND = /\x1b\[(3[0-7]|9[0-7])m/;

describe('terminal UI colour', () => {
  test('with colour: failing binaries are red, ok ones green', () => {
    const frame = renderApp(true);
    expect(frame).toMatch(FOREGROUND);
    expect(frame).toMatch(/\x1b\[31m\x1b\[1mFAIL|\x1b\[1m\x1b\[31mFAIL/);
    expect(frame).toMatch(/\x1b\[32mok/);
  });

  test('without colour (NO_COLOR): no colour codes at all, the same text', () => {
    const frame = renderApp(false);
    expect(frame).not.toMatch(FOREGROUND);
    const strip = (text: string) => text.replace(/\x1b\[[0-9;]*m/g, '');
    expect(strip(frame)).toBe(strip(renderApp(true)));
  });
});
