/**
 * Bar charts of the monthly statistics summary as PNG images (STAT-15), drawn the same way
 * every time (INFO-12): echarts renders an SVG on the server, resvg turns it into a PNG with
 * one CJK font file and no system fonts, so the output depends on nothing but that file.
 * Without a CJK font Chinese labels would come out as boxes, so none found is an error that
 * names the Debian package to install. Both libraries are loaded on first use: the bot's
 * start never loads them (echarts is a chunk of its own in dist/; resvg, a native addon, is
 * imported from node_modules at run time).
 */

import { existsSync } from 'node:fs';
import path from 'node:path';

export interface BarChart {
  title: string;
  categories: string[];
  series: { name: string; values: number[] }[];
  /** e.g. '元' */
  unit?: string;
}

/** The package that provides the default font, named in the error when no CJK font is found. */
const FONT_PACKAGE = 'fonts-wqy-microhei';

/** Where Debian's packages put the CJK fonts we know, with their family names. */
const KNOWN_FONTS = [
  { file: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', family: 'WenQuanYi Micro Hei' },
  { file: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', family: 'Noto Sans CJK SC' },
] as const;

/**
 * The CJK font file used, or undefined: env CHART_FONT_FILE first, then the usual Debian paths
 * for WenQuanYi Micro Hei / Noto Sans CJK. A CHART_FONT_FILE that does not exist gives undefined
 * (a wrong setting is reported, not silently replaced by another font).
 */
export function chartFontFile(): string | undefined {
  const configured = process.env.CHART_FONT_FILE;
  if (configured) return existsSync(configured) ? configured : undefined;
  return KNOWN_FONTS.find((font) => existsSync(font.file))?.file;
}

/**
 * The family name written into the SVG. Only the one font file is loaded, and resvg falls back
 * to it for a family it does not have, so a CHART_FONT_FILE of another family still renders.
 */
function fontFamily(file: string): string {
  const known = KNOWN_FONTS.find((font) => path.basename(font.file) === path.basename(file));
  return known?.family ?? KNOWN_FONTS[0].family;
}

function checkChart(chart: BarChart, size: { width: number; height: number }): void {
  for (const [name, value] of Object.entries(size)) {
    if (!Number.isInteger(value) || value < 1 || value > 4096) {
      throw new Error(`chart ${name} must be a whole number of pixels from 1 to 4096, not ${value}`);
    }
  }
  for (const series of chart.series) {
    if (series.values.length !== chart.categories.length) {
      throw new Error(
        `chart series "${series.name}" has ${series.values.length} values for ${chart.categories.length} categories`,
      );
    }
  }
}

/** At most this many bars carry their value above them; more would overlap. */
const MAX_LABELLED_BARS = 24;

/**
 * A PNG (width × height, default 800 × 450) of a bar chart; labels in Chinese render with the
 * CJK font. Throws a plain Error naming the font package when no CJK font is found.
 */
export async function renderBarChartPng(
  chart: BarChart,
  size: { width: number; height: number } = { width: 800, height: 450 },
): Promise<Buffer> {
  checkChart(chart, size);
  const file = chartFontFile();
  if (!file) {
    const configured = process.env.CHART_FONT_FILE;
    throw new Error(
      configured
        ? `CHART_FONT_FILE=${configured} does not exist; set it to a CJK font file or unset it and install the Debian package ${FONT_PACKAGE}`
        : `no CJK font found for charts: install the Debian package ${FONT_PACKAGE} (apt-get install ${FONT_PACKAGE}) or set CHART_FONT_FILE to a CJK font file`,
    );
  }
  const family = fontFamily(file);
  const { width, height } = size;

  // Loaded on first use so that the bot's start does not load them.
  const echarts = await import('echarts');
  const instance = echarts.init(null, null, { renderer: 'svg', ssr: true, width, height });
  let svg: string;
  try {
    const labelled = chart.series.length * chart.categories.length <= MAX_LABELLED_BARS;
    instance.setOption({
      animation: false,
      backgroundColor: '#ffffff',
      textStyle: { fontFamily: family },
      title: { text: chart.title, left: 'center', top: 8 },
      legend: chart.series.length > 1 ? { top: 40 } : { show: false },
      grid: { left: 16, right: 24, top: chart.series.length > 1 ? 80 : 56, bottom: 16, containLabel: true },
      xAxis: { type: 'category', data: chart.categories, axisLabel: { interval: 0, hideOverlap: true } },
      yAxis: { type: 'value', name: chart.unit ?? '' },
      series: chart.series.map((series) => ({
        type: 'bar' as const,
        name: series.name,
        data: series.values,
        label: { show: labelled, position: 'top' as const },
      })),
    });
    svg = instance.renderToSVGString();
  } finally {
    // Without dispose the chart keeps a timer and the process never exits.
    instance.dispose();
  }

  // resvg is a native addon that esbuild cannot bundle (its .node file): a specifier that is not
  // a string literal keeps it out of dist/, and Node resolves it from node_modules at run time.
  // A native addon, external to the bundle (scripts/build.mjs): loaded when a chart is first drawn.
  const { renderAsync } = await import('@resvg/resvg-js');
  const image = await renderAsync(svg, {
    fitTo: { mode: 'width', value: width },
    background: 'white',
    font: { fontFiles: [file], loadSystemFonts: false, defaultFontFamily: family },
    logLevel: 'off',
  });
  return image.asPng();
}
