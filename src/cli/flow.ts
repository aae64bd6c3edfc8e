import type { Command } from 'commander';
import { flowDiagram } from '../flows/flow-diagram';
import type { CliContext } from './context';
import { loadServerConfig } from './load-config';

interface FlowOptions {
  svg?: boolean;
}

export function registerFlow(program: Command, ctx: CliContext): void {
  program
    .command('flow')
    .description("show the config file's voice flow: every node and every way out of it")
    .option('--svg', 'print the diagram as a standalone SVG document (switchboard flow --svg > flow.svg)')
    .addHelpText('after', '\nThe dashboard draws the same diagram at /dashboard/flow.')
    .action((options: FlowOptions) => {
      const { settings } = loadServerConfig(ctx);
      const { graph, svg } = flowDiagram(settings.voice, { standalone: true });
      if (options.svg) {
        ctx.out(svg);
        return;
      }
      // Without --svg: one line per node, then its exits, indented; readable in a terminal and diffable.
      const lines: string[] = [];
      for (const node of graph.nodes) {
        const marks = [node.start && 'start', !node.reachable && 'UNREACHABLE'].filter(Boolean).join(', ');
        lines.push(`${node.name} (${node.type}${marks ? `; ${marks}` : ''}): ${node.summary}`);
        for (const edge of graph.edges.filter((e) => e.from === node.name)) lines.push(`  ${edge.label} -> ${edge.to}`);
      }
      ctx.out(`${lines.join('\n')}\n`);
    });
}
