/**
 * The bar charts of the monthly statistics summary (src/blocks/charts.ts, STAT-15) as PNG
 * images drawn one way (INFO-12): a real PNG of the asked size, not blank, Chinese labels as
 * glyphs rather than boxes, the same bytes for the same chart, and a process that exits
 * after rendering (echarts keeps a timer unless the chart is disposed).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type BarChart, chartFontFile, renderBarChartPng } from '../../src/blocks/charts.js';

const run = promisify(execFile);
const CHARTS_MODULE = path.resolve(import.meta.dirname, '../../src/blocks/charts.ts');
/** A Latin-only font (Debian's fonts-dejavu-core, which fontconfig depends on): no CJK glyphs. */
const LATIN_ONLY_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf';

const MONTHLY: BarChart = {
  title: '2026年3月 客户统计',
  categories: ['华东', '华南', '华北', '西南'],
  series: [
    { name: '新增客户', values: [12, 7, 9, 3] },
    { name: '销售额', values: [5, 8, 2, 6] },
  ],
  unit: '元',
};
const TITLE_ONLY: BarChart = { title: '月度统计', categories: [], series: [] };

/** Width and height from the IHDR chunk, which follows the 8-byte signature (bytes 16–23). */
function ihdrSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

/** The PNG decoded to RGBA pixels: resvg draws it as the only image of an SVG of its own size. */
function pixels(png: Buffer): { width: number; height: number; rgba: Buffer } {
  const { width, height } = ihdrSize(png);
  const svg =
    `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" width="${width}" height="${height}">` +
    `<image width="${width}" height="${height}" xlink:href="data:image/png;base64,${png.toString('base64')}"/></svg>`;
  const image = new Resvg(svg).render();
  // `pixels` is a getter that copies the whole buffer: read it once.
  return { width: image.width, height: image.height, rgba: image.pixels };
}

/** The share of pixels in rows [fromRow, toRow) that are not (nearly) white. */
function inkShare(decoded: ReturnType<typeof pixels>, fromRow = 0, toRow = decoded.height): number {
  let ink = 0;
  for (let i = fromRow * decoded.width * 4; i < toRow * decoded.width * 4; i += 4) {
    const [r = 255, g = 255, b = 255] = decoded.rgba.subarray(i, i + 3);
    if (r < 240 || g < 240 || b < 240) ink++;
  }
  return ink / ((toRow - fromRow) * decoded.width);
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('renderBarChartPng', () => {
  it('STAT-15: the monthly chart is a PNG of 800 × 450 by default, or of the size asked', async () => {
    const png = await renderBarChartPng(MONTHLY);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(ihdrSize(png)).toEqual({ width: 800, height: 450 });

    const small = await renderBarChartPng(MONTHLY, { width: 640, height: 360 });
    expect(ihdrSize(small)).toEqual({ width: 640, height: 360 });
  });

  it('STAT-15: the chart is drawn on white and is not blank; bars add ink', async () => {
    const decoded = pixels(await renderBarChartPng(MONTHLY));
    expect(decoded).toMatchObject({ width: 800, height: 450 });
    // Opaque white background: the top-left corner is white.
    expect([...decoded.rgba.subarray(0, 4)]).toEqual([255, 255, 255, 255]);
    const share = inkShare(decoded);
    expect(share).toBeGreaterThan(0.05);
    expect(share).toBeLessThan(0.6);

    const zeros = { ...MONTHLY, series: MONTHLY.series.map((series) => ({ ...series, values: [0, 0, 0, 0] })) };
    expect(share).toBeGreaterThan(inkShare(pixels(await renderBarChartPng(zeros))) + 0.05);
  });

  it('INFO-12: one uniform format: the same chart gives the same bytes', async () => {
    const first = await renderBarChartPng(MONTHLY);
    const second = await renderBarChartPng(MONTHLY);
    expect(second.equals(first)).toBe(true);
  });

  it('INFO-12: Chinese labels render with the CJK font, not as boxes of a Latin-only font', async () => {
    expect(chartFontFile()).toMatch(/wqy-microhei\.ttc$|NotoSansCJK-Regular\.ttc$/);
    // The title is drawn in the top 50 rows.
    const titleBand = (decoded: ReturnType<typeof pixels>) => decoded.rgba.subarray(0, decoded.width * 50 * 4);
    const cjk = pixels(await renderBarChartPng(TITLE_ONLY));
    expect(inkShare(cjk, 0, 50)).toBeGreaterThan(0.005);

    expect(existsSync(LATIN_ONLY_FONT)).toBe(true);
    vi.stubEnv('CHART_FONT_FILE', LATIN_ONLY_FONT);
    expect(chartFontFile()).toBe(LATIN_ONLY_FONT);
    const latin = pixels(await renderBarChartPng(TITLE_ONLY));
    expect(titleBand(latin).equals(titleBand(cjk))).toBe(false);
  });

  it('STAT-15: no CJK font is a plain error naming the package to install', async () => {
    vi.stubEnv('CHART_FONT_FILE', '/nonexistent/cjk-font.ttc');
    expect(chartFontFile()).toBeUndefined();
    const failure = renderBarChartPng(MONTHLY);
    await expect(failure).rejects.toThrow(Error);
    await expect(failure).rejects.toThrow(/fonts-wqy-microhei/);
  });

  it('STAT-15: a series whose values do not match the categories, or a bad size, is refused', async () => {
    const short = { ...MONTHLY, series: [{ name: '新增客户', values: [1, 2] }] };
    await expect(renderBarChartPng(short)).rejects.toThrow(/2 values for 4 categories/);
    await expect(renderBarChartPng(MONTHLY, { width: 0, height: 450 })).rejects.toThrow(/width/);
  });

  it('STAT-15: a process that renders charts exits by itself (the chart is disposed)', async () => {
    const code = [
      `const { renderBarChartPng } = await import(${JSON.stringify(CHARTS_MODULE)});`,
      `const chart = { title: '月度统计', categories: ['华东'], series: [{ name: '客户', values: [1] }] };`,
      "for (let i = 0; i < 2; i++) console.log((await renderBarChartPng(chart)).length > 0 ? 'rendered' : 'empty');",
    ].join('\n');
    const env = { ...process.env };
    delete env.CHART_FONT_FILE;
    // execFile kills the child after the timeout and then rejects: a process that hangs fails here.
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      env,
      timeout: 15_000,
    });
    expect(stdout).toBe('rendered\nrendered\n');
  }, 20_000);
});
