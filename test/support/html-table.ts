/** The body rows of the table marked `data-chart="<id>"`, as trimmed text cells (tags dropped, entities of numbers kept). */
export function chartTableRows(page: string, id: string): string[][] {
  const table = new RegExp(`<table data-chart="${id}">([\\s\\S]*?)</table>`).exec(page)?.[1];
  if (table === undefined) throw new Error(`no chart table ${id} on the page`);
  const body = /<tbody>([\s\S]*?)<\/tbody>/.exec(table)?.[1] ?? '';
  return [...body.matchAll(/<tr>([\s\S]*?)<\/tr>/g)].map((row) =>
    [...(row[1] as string).matchAll(/<t[hd][^>]*>([\s\S]*?)<\/t[hd]>/g)].map((cell) => (cell[1] as string).replace(/<[^>]+>/g, '').trim()),
  );
}

/** The SVG of the chart figure `<id>`. */
export function chartSvg(page: string, id: string): string {
  const figure = new RegExp(`<figure class="chart-figure" id="${id}"[\\s\\S]*?</figure>`).exec(page)?.[0];
  const svg = figure && /<svg[\s\S]*?<\/svg>/.exec(figure)?.[0];
  if (svg === undefined) throw new Error(`no chart ${id} on the page`);
  return svg;
}
